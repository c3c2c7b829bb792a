using System.Security.Cryptography;
using System.Text;

namespace Ductape.Sdk.Redis;

/// <summary>
/// Encrypts held sessions at rest with AES-256-GCM: <c>kid.nonce.ciphertext.tag</c> (base64url), the Redis key as associated
/// data (a value copied under another key does not decrypt). Decrypts with whichever key the value names.
/// </summary>
internal sealed class TokenProtector
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly (string Id, byte[] Key)[] _keys;
    private readonly bool _clearText;

    public TokenProtector(IList<string> keys, bool allowUnprotected)
    {
        _keys = [.. keys.Select(k => TryParseKey(k, out var id, out var key) ? (id, key) : throw new ArgumentException("A protection key is invalid.", nameof(keys)))];
        _clearText = _keys.Length == 0 && allowUnprotected;
    }

    public static bool TryParseKey(string? text, out string id, out byte[] key)
    {
        id = string.Empty;
        key = [];
        var colon = text?.IndexOf(':') ?? -1;
        if (colon is <= 0 or > 64)
        {
            return false;
        }

        try
        {
            key = Convert.FromBase64String(Pad(text![(colon + 1)..].Replace('-', '+').Replace('_', '/')));
        }
        catch (FormatException)
        {
            return false;
        }

        id = text[..colon];
        return key.Length == 32 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
    }

    public string Protect(byte[] plaintext, string redisKey)
    {
        if (_clearText)
        {
            return "plain." + Base64Url(plaintext);
        }

        var (id, key) = _keys[0];
        var nonce = RandomNumberGenerator.GetBytes(NonceSize);
        var cipher = new byte[plaintext.Length];
        var tag = new byte[TagSize];
        using (var aes = new AesGcm(key, TagSize))
        {
            aes.Encrypt(nonce, plaintext, cipher, tag, Encoding.UTF8.GetBytes(redisKey));
        }

        return $"{id}.{Base64Url(nonce)}.{Base64Url(cipher)}.{Base64Url(tag)}";
    }

    /// <summary>The plaintext, or null for anything that is not a value this store wrote with a key it has.</summary>
    public byte[]? Unprotect(string value, string redisKey)
    {
        var parts = value.Split('.');
        try
        {
            if (parts is ["plain", var clear] && _clearText)
            {
                return FromBase64Url(clear);
            }

            if (parts.Length != 4 || _keys.FirstOrDefault(k => k.Id == parts[0]) is not { Key: { } key })
            {
                return null;
            }

            var nonce = FromBase64Url(parts[1]);
            var cipher = FromBase64Url(parts[2]);
            var tag = FromBase64Url(parts[3]);
            if (nonce.Length != NonceSize || tag.Length != TagSize)
            {
                return null;
            }

            var plain = new byte[cipher.Length];
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(nonce, cipher, tag, plain, Encoding.UTF8.GetBytes(redisKey));
            return plain;
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException)
        {
            return null;
        }
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text) => Convert.FromBase64String(Pad(text.Replace('-', '+').Replace('_', '/')));

    private static string Pad(string text) => (text.Length % 4) switch { 2 => text + "==", 3 => text + "=", _ => text };
}
