namespace Ductape.Sdk.Tokens;

/// <summary>The content encryptions (JWE <c>enc</c>) a session token may use. A flags enum, so several can be allowed.</summary>
[Flags]
public enum SessionTokenEncryption
{
    /// <summary>None allowed.</summary>
    None = 0,

    /// <summary><c>A128GCM</c>: AES-128 in GCM, with a 16-byte key.</summary>
    Aes128Gcm = 1,

    /// <summary><c>A192GCM</c>: AES-192 in GCM, with a 24-byte key.</summary>
    Aes192Gcm = 2,

    /// <summary><c>A256GCM</c>: AES-256 in GCM, with a 32-byte key. The default, and what tokens are issued with.</summary>
    Aes256Gcm = 4,
}

internal static class SessionTokenEncryptions
{
    public static SessionTokenEncryption FromHeader(ReadOnlySpan<byte> enc) =>
        enc.SequenceEqual("A256GCM"u8) ? SessionTokenEncryption.Aes256Gcm
        : enc.SequenceEqual("A128GCM"u8) ? SessionTokenEncryption.Aes128Gcm
        : enc.SequenceEqual("A192GCM"u8) ? SessionTokenEncryption.Aes192Gcm
        : SessionTokenEncryption.None;

    public static string ToHeader(SessionTokenEncryption enc) => enc switch
    {
        SessionTokenEncryption.Aes128Gcm => "A128GCM",
        SessionTokenEncryption.Aes192Gcm => "A192GCM",
        _ => "A256GCM",
    };

    public static int KeySize(SessionTokenEncryption enc) => enc switch
    {
        SessionTokenEncryption.Aes128Gcm => 16,
        SessionTokenEncryption.Aes192Gcm => 24,
        _ => 32,
    };
}
