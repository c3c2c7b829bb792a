using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ductape.Sdk.Tokens;
using Microsoft.Extensions.Time.Testing;

namespace Ductape.Sdk.Tests.Tokens;

/// <summary>Keys, a clock, and a hand-rolled JWE writer for crafting any token, good or bad.</summary>
internal sealed class TokenTestKit
{
    public static readonly byte[] Secret = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    public static readonly DateTimeOffset Now = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);

    public FakeTimeProvider Time { get; } = new(Now);

    public SessionKey Key { get; } = new("k1", Secret);

    public SessionKeyRing Ring => new(Key);

    public long NowSeconds => Time.GetUtcNow().ToUnixTimeSeconds();

    public SessionTokenValidator Validator(Action<SessionTokenValidationOptions>? configure = null)
    {
        var options = new SessionTokenValidationOptions { Keys = Ring, TimeProvider = Time, Product = "acme:shop", Env = "prd" };
        configure?.Invoke(options);
        return new SessionTokenValidator(options);
    }

    public SessionTokenIssuer Issuer(SessionKeyRing? ring = null) =>
        new(ring ?? Ring, new SessionTokenIssuerOptions { TimeProvider = Time });

    public string Claims(string tag = "session_name", long? exp = null, long? nbf = null, string iss = "ductape", string? extra = null) =>
        $$$"""
        {"iss":"{{{iss}}}","sub":"191010192-19198829819","sid":"ses_1","tag":"{{{tag}}}","prd":"acme:shop","env":"prd",
         "iat":{{{NowSeconds}}},"nbf":{{{nbf ?? NowSeconds}}},"exp":{{{exp ?? NowSeconds + 3600}}},
         "data":{"userId":"191010192-19198829819","details":{"username":"ductape-user"}}{{{extra}}}}
        """;

    public const string Header = """{"alg":"dir","enc":"A256GCM","kid":"k1","typ":"JWT"}""";

    /// <summary>A JWE compact token, encrypted for real, with whatever header and claims the test wants.</summary>
    public static string Make(string header, string claims, byte[]? key = null, string tag = "session_name", int ivSize = 12, int tagSize = 16)
    {
        var headerText = B64(Encoding.UTF8.GetBytes(header));
        var iv = RandomNumberGenerator.GetBytes(ivSize);
        var plain = Encoding.UTF8.GetBytes(claims);
        var cipher = new byte[plain.Length];
        var authTag = new byte[16];
        using (var aes = new AesGcm(key ?? Secret, 16))
        {
            aes.Encrypt(ivSize == 12 ? iv : new byte[12], plain, cipher, authTag, Encoding.ASCII.GetBytes(headerText));
        }

        return $"{tag}:{headerText}..{B64(iv)}.{B64(cipher)}.{B64(authTag[..tagSize])}";
    }

    public string Make(string? claims = null) => Make(Header, claims ?? Claims());

    public static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static JsonElement SeedData => SessionJson.Parse(
        """{"userId":"191010192-19198829819","details":{"username":"ductape-user","email":"santos@ductape.app"}}""");
}
