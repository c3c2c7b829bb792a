using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Ductape.Sdk.Tokens;

/// <summary>Settings of a <see cref="SessionTokenIssuer"/>.</summary>
public sealed class SessionTokenIssuerOptions
{
    /// <summary>The <c>iss</c> claim. Default <c>ductape</c>.</summary>
    public string Issuer { get; set; } = "ductape";

    /// <summary>The clock for <c>iat</c>, <c>nbf</c> and <c>exp</c>. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// The longest token the issuer makes, in characters. Default 16 KiB (16,384), the validator's default
    /// <see cref="SessionTokenValidationOptions.MaxTokenLength"/>, so every token issued can be validated: about 12 KB of
    /// session data (as compact JSON) fits.
    /// </summary>
    public int MaxTokenLength { get; set; } = 16 * 1024;
}

/// <summary>
/// Issues contract session tokens (<c>tag:JWE</c>, <c>dir</c> + A256GCM with the ring's primary key, or the AES-GCM size
/// that matches the key). For the local server and for self-hosting; readable by any standard JOSE library. Thread-safe.
/// </summary>
public sealed class SessionTokenIssuer
{
    private readonly AesGcmPool _pool;
    private readonly string _headerText;
    private readonly byte[] _aad;
    private readonly string _issuer;
    private readonly TimeProvider _time;
    private readonly int _maxLength;

    /// <summary>Builds an issuer.</summary>
    /// <param name="keys">The key ring; tokens are issued with its primary key.</param>
    /// <param name="options">The settings, or null for the defaults.</param>
    public SessionTokenIssuer(SessionKeyRing keys, SessionTokenIssuerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(keys);
        options ??= new SessionTokenIssuerOptions();
        _pool = new AesGcmPool(keys.Primary);
        var enc = keys.Primary.Secret.Length switch
        {
            16 => SessionTokenEncryption.Aes128Gcm,
            24 => SessionTokenEncryption.Aes192Gcm,
            _ => SessionTokenEncryption.Aes256Gcm,
        };
        var header = $$"""{"alg":"dir","enc":"{{SessionTokenEncryptions.ToHeader(enc)}}","kid":"{{keys.Primary.KeyId}}","typ":"JWT"}""";
        _headerText = Base64Url.Encode(Encoding.UTF8.GetBytes(header));
        _aad = Encoding.ASCII.GetBytes(_headerText);
        _issuer = string.IsNullOrEmpty(options.Issuer)
            ? throw new ArgumentException("SessionTokenIssuerOptions.Issuer must not be empty.", nameof(options))
            : options.Issuer;
        _time = options.TimeProvider ?? TimeProvider.System;
        _maxLength = options.MaxTokenLength >= 64
            ? options.MaxTokenLength
            : throw new ArgumentException("SessionTokenIssuerOptions.MaxTokenLength must be at least 64.", nameof(options));
    }

    /// <summary>Issues a token.</summary>
    /// <param name="descriptor">The session type, data, product and environment.</param>
    /// <returns>The token and its details.</returns>
    /// <exception cref="DuctapeValidationException">The descriptor is invalid, its selector does not reach a string,
    /// number or boolean in the data, or the token would be longer than <see cref="SessionTokenIssuerOptions.MaxTokenLength"/>
    /// (field <c>data</c>); every problem is listed, and no message contains data values.</exception>
    public IssuedSessionToken Issue(SessionTokenDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var now = _time.GetUtcNow();
        var identifier = Check(descriptor, now);
        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
        var expiresAt = descriptor.Lifetime is { } lifetime
            ? issuedAt + lifetime
            : descriptor.Period.AddTo(issuedAt, descriptor.Expiry);
        var sessionId = descriptor.SessionId ?? NewSessionId();

        var claims = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(claims))
        {
            writer.WriteStartObject();
            writer.WriteString("iss"u8, _issuer);
            writer.WriteString("sub"u8, identifier);
            writer.WriteString("sid"u8, sessionId);
            writer.WriteString("tag"u8, descriptor.Tag);
            writer.WriteString("prd"u8, descriptor.Product);
            writer.WriteString("env"u8, descriptor.Env);
            writer.WriteNumber("iat"u8, issuedAt.ToUnixTimeSeconds());
            writer.WriteNumber("nbf"u8, issuedAt.ToUnixTimeSeconds());
            writer.WriteNumber("exp"u8, expiresAt.ToUnixTimeSeconds());
            writer.WritePropertyName("data"u8);
            descriptor.Data.WriteTo(writer);
            writer.WriteEndObject();
        }

        var plain = claims.WrittenSpan;
        // tag ":" header ".." iv "." ciphertext "." tag — refuse before encrypting a token no validator would accept.
        var length = descriptor.Tag.Length + 1 + _headerText.Length + 2 + Base64UrlLength(AesGcmPool.NonceSize) + 1
            + Base64UrlLength(plain.Length) + 1 + Base64UrlLength(AesGcmPool.TagSize);
        if (length > _maxLength)
        {
            claims.Clear();
            throw DuctapeValidationException.For("data",
                $"makes a token of {length} characters; the limit is {_maxLength} (SessionTokenIssuerOptions.MaxTokenLength, the " +
                "validator's default cap). Keep session data small: identifiers and a few claims, not documents");
        }

        var cipher = new byte[plain.Length];
        Span<byte> nonce = stackalloc byte[AesGcmPool.NonceSize];
        Span<byte> tag = stackalloc byte[AesGcmPool.TagSize];
        RandomNumberGenerator.Fill(nonce);
        var aes = _pool.Rent();
        try
        {
            aes.Encrypt(nonce, plain, cipher, tag, _aad);
        }
        finally
        {
            _pool.Return(aes);
            claims.Clear(); // zeroes the plaintext
        }

        var token = string.Concat(descriptor.Tag, ":", _headerText, "..", Base64Url.Encode(nonce), ".",
            Base64Url.Encode(cipher), ".", Base64Url.Encode(tag));
        return new IssuedSessionToken(token, sessionId, identifier, issuedAt, expiresAt);
    }

    private static int Base64UrlLength(int bytes) => (int)(((long)bytes * 4 + 2) / 3);

    private static string Check(SessionTokenDescriptor descriptor, DateTimeOffset now)
    {
        var errors = new ValidationErrors();
        errors.RequireTag(descriptor.Tag, nameof(SessionTokenDescriptor.Tag));
        errors.RequireText(descriptor.Product, nameof(SessionTokenDescriptor.Product));
        errors.RequireText(descriptor.Env, nameof(SessionTokenDescriptor.Env));
        if (descriptor.Lifetime is { } lifetime)
        {
            // The one lifetime rule (CONTRACT §2): no later than 100 calendar years after now.
            if (lifetime <= TimeSpan.Zero || now + lifetime > now.AddYears(TokenPeriods.MaxLifetimeYears))
            {
                errors.Add(nameof(SessionTokenDescriptor.Lifetime), "must be positive and at most 100 years");
            }
        }
        else if (!TokenPeriods.IsDefined(descriptor.Period) || descriptor.Expiry < 1
                 || descriptor.Expiry > TokenPeriods.MaxExpiryFrom(descriptor.Period, now))
        {
            errors.Add(nameof(SessionTokenDescriptor.Expiry),
                "set Expiry (at least 1, at most 100 years) and a defined Period, or set Lifetime");
        }

        if (descriptor.SessionId is { } sid && string.IsNullOrWhiteSpace(sid))
        {
            errors.Add(nameof(SessionTokenDescriptor.SessionId), "must not be blank; leave it null for a new random id");
        }

        string? identifier = null;
        if (descriptor.Data.ValueKind != JsonValueKind.Object)
        {
            errors.Add(nameof(SessionTokenDescriptor.Data), $"must be a JSON object, not {descriptor.Data.ValueKind}");
        }
        else if (!SessionSelector.TryParse(descriptor.Selector, out var selector, out var error))
        {
            errors.Add(nameof(SessionTokenDescriptor.Selector), $"{error.Reason} (position {error.Position})");
        }
        else if (!selector.TryResolveIdentifier(descriptor.Data, out identifier))
        {
            selector.ResolvesToPrimitive(descriptor.Data, out var problem);
            errors.Add(nameof(SessionTokenDescriptor.Data), $"has no identifier at {selector}: {problem}");
        }

        errors.ThrowIfAny();
        return identifier!;
    }

    private static string NewSessionId()
    {
        Span<byte> random = stackalloc byte[16];
        RandomNumberGenerator.Fill(random);
        return "ses_" + Base64Url.Encode(random);
    }
}
