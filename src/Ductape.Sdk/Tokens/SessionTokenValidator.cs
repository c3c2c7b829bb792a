using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Ductape.Sdk.Tokens;

/// <summary>
/// Decrypts and validates session tokens (<c>tag:JWE</c>, <c>dir</c> + AES-GCM) offline, with no network call.
/// Thread-safe; build one and share it. Never throws for a bad token: the result says why it was rejected.
/// </summary>
/// <remarks>
/// Checks, in order: length, the <c>tag:</c> prefix, five base64url segments, the header (<c>alg</c> <c>dir</c>, an allowed
/// <c>enc</c>, a <c>kid</c>, <c>typ</c> absent or <c>JWT</c>, no <c>zip</c> or <c>crit</c>), the key, authenticated
/// decryption, the claims, <c>iss</c>, <c>tag</c>, <c>exp</c> and <c>nbf</c>. See <c>docs/session-tokens.md</c>.
/// </remarks>
[System.Runtime.CompilerServices.SkipLocalsInit] // every stack buffer is written before it is read
public sealed class SessionTokenValidator
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
        Validate(token.AsSpan(), expectedTag);

    /// <inheritdoc cref="Validate(string?, string?)"/>
    public SessionTokenValidationResult Validate(ReadOnlySpan<char> token, string? expectedTag = null)
#pragma warning restore RS0026
        => Record(ValidateCore(token, expectedTag, _product, _env));

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
    public SessionTokenValidationResult ValidateFor(string? token, string? expectedTag, string product, string env)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(product);
        ArgumentException.ThrowIfNullOrWhiteSpace(env);
        return Record(ValidateCore(token.AsSpan(), expectedTag, product, env));
    }

    private static SessionTokenValidationResult Record(SessionTokenValidationResult result)
    {
        if (DuctapeTelemetry.TokenValidations.Enabled)
        {
            DuctapeTelemetry.TokenValidations.Add(1, new KeyValuePair<string, object?>("ductape.token.outcome", result.Failure.ToString()));
        }

        return result;
    }

    private SessionTokenValidationResult ValidateCore(ReadOnlySpan<char> token, string? expectedTag, string? product, string? env)
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
        if (colon <= 0 || SessionTag.Problem(token[..colon]) is not null)
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
        Span<byte> nonce = stackalloc byte[AesGcmPool.NonceSize];
        Span<byte> tag = stackalloc byte[AesGcmPool.TagSize];
        var ivText = jwe[parts[2]];
        var tagText = jwe[parts[4]];
        var cipherText = jwe[parts[3]];
        var cipherLength = Base64Url.DecodedLength(cipherText.Length);
        if (ivText.Length != 16 || !Base64Url.TryDecode(ivText, nonce, out _)
            || tagText.Length != 22 || !Base64Url.TryDecode(tagText, tag, out _)
            || cipherLength <= 0)
        {
            return SessionTokenValidationResult.Fail(SessionTokenFailure.Malformed);
        }

        byte[]? rented = null;
        var buffer = cipherLength * 2 <= StackLimit
            ? stackalloc byte[cipherLength * 2]
            : (rented = ArrayPool<byte>.Shared.Rent(cipherLength * 2));
        var cipher = buffer[..cipherLength];
        var plain = buffer.Slice(cipherLength, cipherLength);
        try
        {
            if (!Base64Url.TryDecode(cipherText, cipher, out _))
            {
                return SessionTokenValidationResult.Fail(SessionTokenFailure.Malformed);
            }

            // The additional authenticated data is the ASCII of the encoded header (RFC 7516 §5.1).
            Span<byte> aad = stackalloc byte[headerText.Length];
            for (var i = 0; i < headerText.Length; i++)
            {
                aad[i] = (byte)headerText[i];
            }

            var aes = pool.Rent();
            try
            {
                aes.Decrypt(nonce, cipher, tag, plain, aad);
            }
            catch (CryptographicException)
            {
                return SessionTokenValidationResult.Fail(SessionTokenFailure.DecryptionFailed);
            }
            finally
            {
                pool.Return(aes);
            }

            return ReadClaims(plain, prefix, expectedTag, product, env);
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

    private int AcceptedHeaderKey(ReadOnlySpan<char> headerText)
    {
        for (var i = 0; i < _acceptedHeaders.Length; i++)
        {
            if (Volatile.Read(ref _acceptedHeaders[i]) is { } accepted && headerText.SequenceEqual(accepted))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Decodes and checks the header (then the empty encrypted key); on success, the index of the key it names.</summary>
    private SessionTokenFailure CheckHeader(ReadOnlySpan<char> headerText, bool encryptedKeyIsEmpty, out int keyIndex)
    {
        keyIndex = -1;
        Span<byte> header = stackalloc byte[Base64Url.DecodedLength(headerText.Length) is var n and > 0 ? n : 0];
        if (header.IsEmpty || !Base64Url.TryDecode(headerText, header, out var headerLength))
        {
            return SessionTokenFailure.Malformed;
        }

        Span<char> kid = stackalloc char[SessionKey.MaxKeyIdLength];
        var failure = ReadHeader(header[..headerLength], kid, out var kidLength, out var encryption);
        if (failure != SessionTokenFailure.None)
        {
            return failure;
        }

        // dir: the key is agreed in advance, so the encrypted-key segment must be empty.
        if (!encryptedKeyIsEmpty)
        {
            return SessionTokenFailure.Malformed;
        }

        keyIndex = _keys.IndexOf(kid[..kidLength]);
        if (keyIndex < 0)
        {
            return SessionTokenFailure.UnknownKey;
        }

        return _pools[keyIndex].Key.Secret.Length == SessionTokenEncryptions.KeySize(encryption)
            ? SessionTokenFailure.None
            : SessionTokenFailure.UnsupportedAlgorithm;
    }

    private SessionTokenFailure ReadHeader(ReadOnlySpan<byte> json, Span<char> kid, out int kidLength, out SessionTokenEncryption encryption)
    {
        kidLength = -1;
        encryption = SessionTokenEncryption.None;
        bool? algIsDir = null, typIsJwt = null;
        var hasEnc = false;
        var zipOrCrit = false;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 4 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return SessionTokenFailure.Malformed;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("alg"u8))
                {
                    if (algIsDir is not null || !reader.Read() || reader.TokenType != JsonTokenType.String)
                    {
                        return SessionTokenFailure.Malformed;
                    }

                    algIsDir = reader.ValueTextEquals("dir"u8);
                }
                else if (reader.ValueTextEquals("enc"u8))
                {
                    if (hasEnc || !reader.Read() || reader.TokenType != JsonTokenType.String)
                    {
                        return SessionTokenFailure.Malformed;
                    }

                    hasEnc = true;
                    encryption = reader.ValueIsEscaped ? SessionTokenEncryption.None : SessionTokenEncryptions.FromHeader(reader.ValueSpan);
                }
                else if (reader.ValueTextEquals("kid"u8))
                {
                    if (kidLength >= 0 || !reader.Read() || reader.TokenType != JsonTokenType.String)
                    {
                        return SessionTokenFailure.Malformed;
                    }

                    // A kid longer than any key id we accept cannot match: treat it as unknown, not as malformed.
                    kidLength = reader.ValueSpan.Length <= kid.Length * 6 && reader.ValueSpan.Length > 0
                        ? CopyKid(ref reader, kid)
                        : 0;
                }
                else if (reader.ValueTextEquals("typ"u8))
                {
                    if (typIsJwt is not null || !reader.Read())
                    {
                        return SessionTokenFailure.Malformed;
                    }

                    typIsJwt = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("JWT"u8);
                }
                else if (reader.ValueTextEquals("zip"u8) || reader.ValueTextEquals("crit"u8))
                {
                    zipOrCrit = true;
                    reader.Read();
                    reader.Skip();
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return SessionTokenFailure.Malformed;
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a string that is not valid UTF-8.
            return SessionTokenFailure.Malformed;
        }

        if (algIsDir is null)
        {
            return SessionTokenFailure.Malformed;
        }

        if (algIsDir == false || zipOrCrit)
        {
            return SessionTokenFailure.UnsupportedAlgorithm;
        }

        if (!hasEnc)
        {
            return SessionTokenFailure.Malformed;
        }

        if (encryption == SessionTokenEncryption.None || (encryption & _allowed) == 0)
        {
            return SessionTokenFailure.UnsupportedAlgorithm;
        }

        if (kidLength < 0 || typIsJwt == false)
        {
            return SessionTokenFailure.Malformed;
        }

        return kidLength == 0 ? SessionTokenFailure.UnknownKey : SessionTokenFailure.None;
    }

    private static int CopyKid(ref Utf8JsonReader reader, Span<char> kid)
    {
        Span<char> scratch = stackalloc char[SessionKey.MaxKeyIdLength * 6];
        var length = reader.CopyString(scratch);
        if (length > kid.Length)
        {
            return 0;
        }

        scratch[..length].CopyTo(kid);
        return length;
    }

    private SessionTokenValidationResult ReadClaims(
        ReadOnlySpan<byte> json, ReadOnlySpan<char> prefix, string? expectedTag, string? expectedProduct, string? expectedEnv)
    {
        string? sub = null, sid = null, prd = null, env = null;
        double? iat = null, nbf = null, exp = null;
        bool? issuerMatches = null, tagMatches = null;
        var dataStart = -1;
        var dataEnd = -1;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxClaimsDepth });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return SessionTokenValidationResult.Fail(SessionTokenFailure.InvalidClaims);
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var ok = true;
                if (reader.ValueTextEquals("iss"u8))
                {
                    ok = issuerMatches is null && ReadString(ref reader) && Set(ref issuerMatches, reader.ValueTextEquals(_issuer));
                }
                else if (reader.ValueTextEquals("tag"u8))
                {
                    ok = tagMatches is null && ReadString(ref reader) && Set(ref tagMatches, reader.ValueTextEquals(prefix));
                }
                else if (reader.ValueTextEquals("sub"u8))
                {
                    ok = sub is null && ReadString(ref reader) && (sub = reader.GetString()) is not null;
                }
                else if (reader.ValueTextEquals("sid"u8))
                {
                    ok = sid is null && ReadString(ref reader) && (sid = reader.GetString()) is not null;
                }
                else if (reader.ValueTextEquals("prd"u8))
                {
                    ok = prd is null && ReadString(ref reader) && (prd = Audience(ref reader, expectedProduct)) is not null;
                }
                else if (reader.ValueTextEquals("env"u8))
                {
                    ok = env is null && ReadString(ref reader) && (env = Audience(ref reader, expectedEnv)) is not null;
                }
                else if (reader.ValueTextEquals("iat"u8))
                {
                    ok = iat is null && ReadNumericDate(ref reader, out iat);
                }
                else if (reader.ValueTextEquals("nbf"u8))
                {
                    ok = nbf is null && ReadNumericDate(ref reader, out nbf);
                }
                else if (reader.ValueTextEquals("exp"u8))
                {
                    ok = exp is null && ReadNumericDate(ref reader, out exp);
                }
                else if (reader.ValueTextEquals("data"u8))
                {
                    ok = dataStart < 0 && reader.Read() && reader.TokenType == JsonTokenType.StartObject;
                    if (ok)
                    {
                        dataStart = (int)reader.TokenStartIndex;
                        reader.Skip();
                        dataEnd = (int)reader.BytesConsumed;
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }

                if (!ok)
                {
                    return SessionTokenValidationResult.Fail(SessionTokenFailure.InvalidClaims);
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return SessionTokenValidationResult.Fail(SessionTokenFailure.InvalidClaims);
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return SessionTokenValidationResult.Fail(SessionTokenFailure.InvalidClaims);
        }

        if (issuerMatches is null || tagMatches is null || sub is null || sid is null || prd is null || env is null
            || iat is null || exp is null)
        {
            return SessionTokenValidationResult.Fail(SessionTokenFailure.InvalidClaims);
        }

        if (issuerMatches == false)
        {
            return SessionTokenValidationResult.Fail(SessionTokenFailure.IssuerMismatch);
        }

        if (tagMatches == false || (expectedTag is not null && !prefix.SequenceEqual(expectedTag)))
        {
            return SessionTokenValidationResult.Fail(SessionTokenFailure.TagMismatch);
        }

        var now = _time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
        if (now >= exp.Value + _skewSeconds)
        {
            return SessionTokenValidationResult.Fail(SessionTokenFailure.Expired);
        }

        nbf ??= iat;
        if (nbf.Value > now + _skewSeconds)
        {
            return SessionTokenValidationResult.Fail(SessionTokenFailure.NotYetValid);
        }

        if (expectedProduct is not null && (!string.Equals(prd, expectedProduct, StringComparison.Ordinal)
                                            || !string.Equals(env, expectedEnv, StringComparison.Ordinal)))
        {
            return SessionTokenValidationResult.Fail(SessionTokenFailure.AudienceMismatch);
        }

        var data = dataStart < 0 ? "{}"u8.ToArray() : json[dataStart..dataEnd].ToArray();
        var session = new ValidatedSession(
            sid, expectedTag ?? prefix.ToString(), prd, env, sub,
            ToInstant(iat.Value), ToInstant(nbf.Value), ToInstant(exp.Value), data);
        return _revocations is null ? SessionTokenValidationResult.Valid(session) : CheckRevocation(session);
    }

    /// <summary>The last step: the store answers from memory; a store that throws is treated as not knowing.</summary>
    private SessionTokenValidationResult CheckRevocation(ValidatedSession session)
    {
        SessionRevocationState state;
        try
        {
            state = _revocations!.Check(session);
        }
        catch (Exception)
        {
            state = SessionRevocationState.Unknown;
        }

        return state switch
        {
            SessionRevocationState.Active => SessionTokenValidationResult.Valid(session),
            SessionRevocationState.Revoked => SessionTokenValidationResult.Fail(SessionTokenFailure.Revoked),
            _ => SessionTokenValidationResult.Fail(SessionTokenFailure.RevocationUnknown),
        };
    }

    private static bool ReadString(ref Utf8JsonReader reader) => reader.Read() && reader.TokenType == JsonTokenType.String;

    /// <summary>The claim's value: the expected string itself when it matches (no allocation on the hot path), else a copy.</summary>
    private static string? Audience(ref Utf8JsonReader reader, string? expected) =>
        expected is not null && reader.ValueTextEquals(expected) ? expected : reader.GetString();

    private static bool Set(ref bool? target, bool value)
    {
        target = value;
        return true;
    }

    private static bool ReadNumericDate(ref Utf8JsonReader reader, out double? value)
    {
        value = null;
        if (!reader.Read() || reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var seconds)
            || double.IsNaN(seconds) || seconds < 0 || seconds > 253_402_300_799) // year 9999
        {
            return false;
        }

        value = seconds;
        return true;
    }

    private static DateTimeOffset ToInstant(double seconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000));
}
