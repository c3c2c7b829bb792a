using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Ductape.Sdk.Tokens;

/// <summary>
/// Decrypts and validates session tokens (<c>tag:JWE</c>, <c>dir</c> + AES-GCM) offline, with no network call.
/// Thread-safe; build one and share it. Never throws for a bad token: the result says why it was rejected.
/// </summary>
/// <remarks>
/// Checks, in order: length, the <c>tag:</c> prefix, five base64url segments, the header (<c>alg</c> <c>dir</c>, an allowed
/// <c>enc</c>, a <c>kid</c>, <c>typ</c> absent or <c>JWT</c>, no <c>zip</c> or <c>crit</c>), the key, authenticated
/// decryption, the claims, <c>iss</c>, <c>tag</c>, <c>exp</c> and <c>nbf</c>, the audience, then revocations. See
/// <c>docs/session-tokens.md</c>. The steps live in partial files by concern: framing and keys here, the header in
/// <c>SessionTokenValidator.Header.cs</c>, claims and revocation in <c>SessionTokenValidator.Claims.cs</c>.
/// </remarks>
[System.Runtime.CompilerServices.SkipLocalsInit] // every stack buffer is written before it is read
public sealed partial class SessionTokenValidator
{
    private const int MaxHeaderChars = 1024;
    private const int StackLimit = 1024;
    private const int MaxClaimsDepth = 32;

    private readonly SessionKeyRing _keys;
    private readonly AesGcmPool[] _pools;
    private readonly byte[] _issuer;
    private readonly double _skewSeconds;
    private readonly TimeProvider _time;
    private readonly int _maxLength;
    private readonly SessionTokenEncryption _allowed;
    private readonly string? _product; // null: audience not checked (opted out)
    private readonly string? _env;
    private readonly ISessionRevocationStore? _revocations;
    private readonly System.Diagnostics.Metrics.Counter<long> _validations;

    // Per key, the last encoded header that passed every header check with it. Tokens of one key share one header, so
    // most validations skip decoding and parsing it; a slot is replaced whole, so readers never see half an update.
    private readonly string?[] _acceptedHeaders;

    /// <summary>Builds a validator.</summary>
    /// <param name="options">The settings; copied.</param>
    /// <exception cref="ArgumentException">No keys, no product or env while <see cref="SessionTokenValidationOptions.ValidateAudience"/>
    /// is on, a negative skew, a length limit below 64, or no encryption allowed.</exception>
    public SessionTokenValidator(SessionTokenValidationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _keys = options.Keys ?? throw new ArgumentException("SessionTokenValidationOptions.Keys is required.", nameof(options));
        if (string.IsNullOrEmpty(options.Issuer))
        {
            throw new ArgumentException("SessionTokenValidationOptions.Issuer must not be empty.", nameof(options));
        }

        if (options.ClockSkew < TimeSpan.Zero)
        {
            throw new ArgumentException("SessionTokenValidationOptions.ClockSkew must not be negative.", nameof(options));
        }

        if (options.MaxTokenLength < 64)
        {
            throw new ArgumentException("SessionTokenValidationOptions.MaxTokenLength must be at least 64.", nameof(options));
        }

        if ((options.AllowedEncryptions & (SessionTokenEncryption.Aes128Gcm | SessionTokenEncryption.Aes192Gcm | SessionTokenEncryption.Aes256Gcm)) == 0)
        {
            throw new ArgumentException("SessionTokenValidationOptions.AllowedEncryptions must allow at least one encryption.", nameof(options));
        }

        if (options.ValidateAudience)
        {
            if (string.IsNullOrWhiteSpace(options.Product) || string.IsNullOrWhiteSpace(options.Env))
            {
                throw new ArgumentException(
                    "SessionTokenValidationOptions.Product and Env are required: tokens are accepted only for the product and " +
                    "environment they were issued for. Set both (AddDuctape takes them from DuctapeClientOptions), or set " +
                    "ValidateAudience = false and check ValidatedSession.Product and Env yourself.", nameof(options));
            }

            _product = options.Product;
            _env = options.Env;
        }

        _revocations = options.RevocationStore;
        _validations = (options.Metrics ?? DuctapeMetrics.For(options.MeterFactory)).TokenValidations;
        _pools = [.. _keys.Keys.Select(k => new AesGcmPool(k))];
        _acceptedHeaders = new string?[_pools.Length];
        _issuer = Encoding.UTF8.GetBytes(options.Issuer);
        _skewSeconds = options.ClockSkew.TotalSeconds;
        _time = options.TimeProvider ?? TimeProvider.System;
        _maxLength = options.MaxTokenLength;
        _allowed = options.AllowedEncryptions;
    }

#pragma warning disable RS0026 // Both overloads ship together in the first release, as the contract names them.
    /// <summary>Validates a token.</summary>
    /// <param name="token">The token, <c>tag:JWE</c>. Null, empty or any garbage gives a failure result.</param>
    /// <param name="expectedTag">When given, the token must be of this session type.</param>
    /// <returns>The result; never null.</returns>
    public SessionTokenValidationResult Validate(string? token, string? expectedTag = null) =>
        ValidateString(token, expectedTag);

    /// <inheritdoc cref="Validate(string?, string?)"/>
    public SessionTokenValidationResult Validate(ReadOnlySpan<char> token, string? expectedTag = null)
#pragma warning restore RS0026
        => Record(ValidateCore(token, expectedTag, _product, _env, checkRevocations: true, source: null));

    /// <summary>
    /// Validates a token held in a string: the session keeps the string (not a copy) and reads its data from it on first use,
    /// so a validation that needs only who the user is copies no data.
    /// </summary>
    private SessionTokenValidationResult ValidateString(string? token, string? expectedTag) =>
        Record(ValidateCore(token.AsSpan(), expectedTag, _product, _env, checkRevocations: true, source: token));

    /// <summary>
    /// Validates a token for a product and environment given per call instead of the options' (one validator serving
    /// several, such as a client whose calls may override product and env).
    /// </summary>
    /// <param name="token">The token, <c>tag:JWE</c>. Null, empty or any garbage gives a failure result.</param>
    /// <param name="expectedTag">When given, the token must be of this session type.</param>
    /// <param name="product">The product the token must belong to.</param>
    /// <param name="env">The environment the token must belong to.</param>
    /// <returns>The result; never null.</returns>
    /// <exception cref="ArgumentException"><paramref name="product"/> or <paramref name="env"/> is blank.</exception>
    public SessionTokenValidationResult ValidateFor(string? token, string? expectedTag, string product, string env) =>
        ValidateFor(token, expectedTag, product, env, checkRevocations: true);

    /// <summary>
    /// <see cref="ValidateFor(string?, string?, string, string)"/>, optionally without the revocation step (the client's
    /// <c>Offline</c> verification mode, which asks for the token checks alone).
    /// </summary>
    /// <param name="token">The token.</param>
    /// <param name="expectedTag">When given, the token must be of this session type.</param>
    /// <param name="product">The product the token must belong to.</param>
    /// <param name="env">The environment the token must belong to.</param>
    /// <param name="checkRevocations">Whether to ask the revocation store.</param>
    /// <param name="withData">Copy the data at once (the caller reads it straight away) instead of reading it on first use.</param>
    internal SessionTokenValidationResult ValidateFor(
        string? token, string? expectedTag, string product, string env, bool checkRevocations, bool withData = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(product);
        ArgumentException.ThrowIfNullOrWhiteSpace(env);
        return Record(ValidateCore(token.AsSpan(), expectedTag, product, env, checkRevocations, source: withData ? null : token));
    }

    /// <summary>Whether this validator consults a revocation store.</summary>
    internal bool ChecksRevocations => _revocations is not null;

    private SessionTokenValidationResult Record(SessionTokenValidationResult result)
    {
        if (_validations.Enabled)
        {
            _validations.Add(1, new KeyValuePair<string, object?>("ductape.token.outcome", DuctapeTelemetry.Outcome(result.Failure)));
        }

        return result;
    }

    /// <summary>Validates a token whose data is read at once (a typed session deserializes it straight away).</summary>
    internal SessionTokenValidationResult ValidateWithData(string? token, string? expectedTag) =>
        Record(ValidateCore(token.AsSpan(), expectedTag, _product, _env, checkRevocations: true, source: null));

    private SessionTokenValidationResult ValidateCore(
        ReadOnlySpan<char> token, string? expectedTag, string? product, string? env, bool checkRevocations, string? source)
    {
        if (token.IsEmpty)
        {
            return SessionTokenValidationResult.Fail(SessionTokenFailure.Malformed);
        }

        if (token.Length > _maxLength)
        {
            return SessionTokenValidationResult.Fail(SessionTokenFailure.TooLarge);
        }

        var colon = token.IndexOf(':');
        if (colon <= 0 || SessionGrammar.TagProblem(token[..colon]) is not null)
        {
            return SessionTokenValidationResult.Fail(SessionTokenFailure.Malformed);
        }

        var prefix = token[..colon];
        var jwe = token[(colon + 1)..];
        Span<Range> parts = stackalloc Range[6];
        if (jwe.Split(parts, '.') != 5)
        {
            return SessionTokenValidationResult.Fail(SessionTokenFailure.Malformed);
        }

        var headerText = jwe[parts[0]];
        if (headerText.IsEmpty || headerText.Length > MaxHeaderChars)
        {
            return SessionTokenValidationResult.Fail(SessionTokenFailure.Malformed);
        }

        var keyIndex = AcceptedHeaderKey(headerText);
        if (keyIndex < 0)
        {
            var failure = CheckHeader(headerText, jwe[parts[1]].IsEmpty, out keyIndex);
            if (failure != SessionTokenFailure.None)
            {
                return SessionTokenValidationResult.Fail(failure);
            }

            Volatile.Write(ref _acceptedHeaders[keyIndex], headerText.ToString());
        }
        else if (!jwe[parts[1]].IsEmpty)
        {
            return SessionTokenValidationResult.Fail(SessionTokenFailure.Malformed);
        }

        var pool = _pools[keyIndex];
        var cipherLength = Base64Url.DecodedLength(jwe[parts[3]].Length);
        if (cipherLength <= 0)
        {
            return SessionTokenValidationResult.Fail(SessionTokenFailure.Malformed);
        }

        byte[]? rented = null;
        var buffer = cipherLength * 2 <= StackLimit
            ? stackalloc byte[cipherLength * 2]
            : (rented = ArrayPool<byte>.Shared.Rent(cipherLength * 2));
        var plain = buffer.Slice(cipherLength, cipherLength);
        try
        {
            var failure = Open(jwe, parts, pool, buffer[..cipherLength], plain);
            if (failure != SessionTokenFailure.None)
            {
                return SessionTokenValidationResult.Fail(failure);
            }

            return ReadClaims(plain, prefix, expectedTag, product, env, checkRevocations, source, pool);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// Decodes the IV, tag and ciphertext of a split JWE and decrypts the ciphertext into <paramref name="plain"/> with the
    /// encoded header as additional authenticated data (RFC 7516 §5.1). Both buffers are the ciphertext's decoded length.
    /// </summary>
    private static SessionTokenFailure Open(
        ReadOnlySpan<char> jwe, ReadOnlySpan<Range> parts, AesGcmPool pool, Span<byte> cipher, Span<byte> plain)
    {
        Span<byte> nonce = stackalloc byte[AesGcmPool.NonceSize];
        Span<byte> tag = stackalloc byte[AesGcmPool.TagSize];
        var ivText = jwe[parts[2]];
        var tagText = jwe[parts[4]];
        if (ivText.Length != 16 || !Base64Url.TryDecode(ivText, nonce, out _)
            || tagText.Length != 22 || !Base64Url.TryDecode(tagText, tag, out _)
            || !Base64Url.TryDecode(jwe[parts[3]], cipher, out _))
        {
            return SessionTokenFailure.Malformed;
        }

        var headerText = jwe[parts[0]];
        Span<byte> aad = stackalloc byte[headerText.Length]; // at most MaxHeaderChars
        for (var i = 0; i < headerText.Length; i++)
        {
            aad[i] = (byte)headerText[i];
        }

        return Decrypt(pool, nonce, cipher, tag, plain, aad) ? SessionTokenFailure.None : SessionTokenFailure.DecryptionFailed;
    }

    private static bool Decrypt(AesGcmPool pool, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> cipher, ReadOnlySpan<byte> tag, Span<byte> plain, ReadOnlySpan<byte> aad)
    {
        var aes = pool.Rent();
        try
        {
            aes.Decrypt(nonce, cipher, tag, plain, aad);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
        finally
        {
            pool.Return(aes);
        }
    }

    /// <summary>
    /// The data of a token this validator accepted, read again with the key that accepted it (a session's data on first use).
    /// The token was checked whole before, so this only decrypts and finds the <c>data</c> claim.
    /// </summary>
    internal static byte[] ReadData(string token, AesGcmPool pool)
    {
        var jwe = token.AsSpan(token.IndexOf(':') + 1);
        Span<Range> parts = stackalloc Range[6];
        jwe.Split(parts, '.');
        var cipher = new byte[Base64Url.DecodedLength(jwe[parts[3]].Length)];
        var plain = new byte[cipher.Length];
        try
        {
            if (Open(jwe, parts, pool, cipher, plain) != SessionTokenFailure.None)
            {
                throw new InvalidOperationException("A validated session token no longer decrypts.");
            }

            return DataOf(plain);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }
}
