using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Ductape.Sdk.Tokens;

/// <summary>
/// A secret that encrypts session tokens: a key id (<c>kid</c>) and 16, 24 or 32 random bytes. Its text form is
/// <c>&lt;kid&gt;:&lt;base64url secret&gt;</c>. The secret never appears in <see cref="ToString"/> or in any exception message.
/// </summary>
public sealed class SessionKey
{
    /// <summary>How a key is written, for messages about one that is not (never quoting the text itself).</summary>
    internal const string TextForm = "'<kid>:<base64url secret>' of 16, 24 or 32 bytes";

    /// <summary>The longest key id allowed.</summary>
    public const int MaxKeyIdLength = 64;

    private readonly byte[] _secret;

    /// <summary>Creates a key from its id and secret bytes (copied).</summary>
    /// <param name="keyId">1–64 characters of A–Z, a–z, 0–9, '.', '_' and '-'.</param>
    /// <param name="secret">16, 24 or 32 bytes (AES-128, AES-192 or AES-256).</param>
    /// <exception cref="ArgumentException">The id or the secret's size is invalid.</exception>
    public SessionKey(string keyId, ReadOnlySpan<byte> secret)
    {
        if (!IsValidKeyId(keyId))
        {
            throw new ArgumentException(
                $"A session key id is 1–{MaxKeyIdLength} characters of A–Z, a–z, 0–9, '.', '_' and '-'.", nameof(keyId));
        }

        if (secret.Length is not (16 or 24 or 32))
        {
            throw new ArgumentException(
                $"A session key secret is 16, 24 or 32 bytes, not {secret.Length}.", nameof(secret));
        }

        KeyId = keyId;
        _secret = secret.ToArray();
    }

    /// <summary>The key id, sent in each token's <c>kid</c> header so the right key is found after a rotation.</summary>
    public string KeyId { get; }

    /// <summary>The secret's size: 128, 192 or 256.</summary>
    public int SizeInBits => _secret.Length * 8;

    internal ReadOnlySpan<byte> Secret => _secret;

    /// <summary>Creates a key with a fresh random secret.</summary>
    /// <param name="keyId">The key id, such as <c>2026-11</c>.</param>
    /// <param name="sizeInBits">128, 192 or 256 (the default, for A256GCM).</param>
    /// <returns>The key.</returns>
    public static SessionKey Generate(string keyId, int sizeInBits = 256)
    {
        if (sizeInBits is not (128 or 192 or 256))
        {
            throw new ArgumentOutOfRangeException(nameof(sizeInBits), sizeInBits, "A session key is 128, 192 or 256 bits.");
        }

        Span<byte> secret = stackalloc byte[sizeInBits / 8];
        RandomNumberGenerator.Fill(secret);
        try
        {
            return new SessionKey(keyId, secret);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>Reads a key from its text form <c>&lt;kid&gt;:&lt;base64url secret&gt;</c>.</summary>
    /// <param name="text">The text form.</param>
    /// <returns>The key.</returns>
    /// <exception cref="FormatException">The text is not a session key; the message never repeats it.</exception>
    public static SessionKey Parse(string text) =>
        TryParse(text, out var key)
            ? key
            : throw new FormatException(
                "A session key is written '<kid>:<base64url secret>', with a kid of 1–64 characters of A–Z, a–z, 0–9, '.', '_', '-' " +
                "and a secret of 16, 24 or 32 bytes.");

    /// <summary>Reads a key from its text form without throwing.</summary>
    /// <param name="text">The text form.</param>
    /// <param name="key">The key, when the method returns <see langword="true"/>.</param>
    /// <returns><see langword="true"/> when <paramref name="text"/> is a session key.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out SessionKey? key)
    {
        key = null;
        var colon = text?.IndexOf(':') ?? -1;
        if (colon <= 0 || !IsValidKeyId(text.AsSpan(0, colon)))
        {
            return false;
        }

        Span<byte> secret = stackalloc byte[48];
        try
        {
            if (!Base64Url.TryDecode(text.AsSpan(colon + 1), secret, out var length) || length is not (16 or 24 or 32))
            {
                return false;
            }

            key = new SessionKey(text![..colon], secret[..length]);
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>
    /// The key's text form, <c>&lt;kid&gt;:&lt;base64url secret&gt;</c>, for storing it in a secret store. Treat the result as
    /// a secret.
    /// </summary>
    /// <returns>The text form.</returns>
    public string ExportText() => KeyId + ":" + Base64Url.Encode(_secret);

    /// <summary>Describes the key without its secret, for example <c>SessionKey 2026-11 (256-bit)</c>.</summary>
    public override string ToString() => $"SessionKey {KeyId} ({SizeInBits}-bit)";

    internal static bool IsValidKeyId(ReadOnlySpan<char> keyId)
    {
        if (keyId.IsEmpty || keyId.Length > MaxKeyIdLength)
        {
            return false;
        }

        foreach (var c in keyId)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
