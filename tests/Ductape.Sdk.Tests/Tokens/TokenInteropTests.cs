using System.Text.Json;
using Ductape.Sdk.Tokens;
using Jose;

namespace Ductape.Sdk.Tests.Tokens;

/// <summary>Tokens are standard JWE: jose-jwt reads ours, and we read jose-jwt's.</summary>
public class TokenInteropTests
{
    [Test]
    public void A_token_made_by_jose_jwt_validates()
    {
        var kit = new TokenTestKit();
        var jwe = JWT.Encode(kit.Claims(), TokenTestKit.Secret, JweAlgorithm.DIR, JweEncryption.A256GCM,
            extraHeaders: new Dictionary<string, object> { ["kid"] = "k1", ["typ"] = "JWT" });

        var result = kit.Validator().Validate("session_name:" + jwe, "session_name");

        Assert.That(result.IsValid, Is.True, result.ToString());
        Assert.That(result.Session!.Identifier, Is.EqualTo("191010192-19198829819"));
        Assert.That(result.Session.Data.GetProperty("details").GetProperty("username").GetString(), Is.EqualTo("ductape-user"));
    }

    [Test]
    public void A_token_issued_here_decrypts_with_jose_jwt_to_the_same_claims()
    {
        var kit = new TokenTestKit();
        var issued = kit.Issuer().Issue(SessionTokenValidatorTests.Descriptor());
        var jwe = issued.Token[(issued.Token.IndexOf(':') + 1)..];

        var headers = JWT.Headers(jwe);
        var claims = JsonDocument.Parse(JWT.Decode(jwe, TokenTestKit.Secret, JweAlgorithm.DIR, JweEncryption.A256GCM)).RootElement;

        Assert.That(headers["alg"], Is.EqualTo("dir"));
        Assert.That(headers["enc"], Is.EqualTo("A256GCM"));
        Assert.That(headers["kid"], Is.EqualTo("k1"));
        Assert.That(headers["typ"], Is.EqualTo("JWT"));
        Json.AssertEquivalent(claims, $$"""
            {"iss":"ductape","sub":"191010192-19198829819","sid":"{{issued.SessionId}}","tag":"session_name","prd":"acme:shop",
             "env":"prd","iat":{{kit.NowSeconds}},"nbf":{{kit.NowSeconds}},"exp":{{issued.ExpiresAt.ToUnixTimeSeconds()}},
             "data":{{TokenTestKit.SeedData.GetRawText()}}}
            """);
    }

    [Test]
    public void A_jose_jwt_token_with_compression_is_refused()
    {
        var kit = new TokenTestKit();
        var jwe = JWT.Encode(kit.Claims(), TokenTestKit.Secret, JweAlgorithm.DIR, JweEncryption.A256GCM, JweCompression.DEF,
            extraHeaders: new Dictionary<string, object> { ["kid"] = "k1" });
        Assert.That(kit.Validator().Validate("session_name:" + jwe).Failure, Is.EqualTo(SessionTokenFailure.UnsupportedAlgorithm));
    }
}
