using System.Text.Json;

namespace Ductape.Sdk.Tests;

public class UserContextTests
{
    [Test]
    public void The_sdk_models_fit_in_a_users_own_source_generated_context()
    {
        var session = Ductape.Sdk.Tests.Products.ProductSessionsClientTests.Seed();
        var json = JsonSerializer.Serialize(session, TestJson.Default.ProductSession);
        var back = JsonSerializer.Deserialize(json, TestJson.Default.ProductSession)!;
        Assert.That(json, Does.Contain("\"period\":\"hours\""));
        Assert.That((back.Tag, back.Period, back.Expiry), Is.EqualTo((session.Tag, session.Period, session.Expiry)));

        var tokens = JsonSerializer.Deserialize("""{"token":"t","refreshToken":"r","sessionId":"s","expiresAt":0}""", TestJson.Default.SessionTokens)!;
        Assert.That(tokens.ExpiresAt, Is.EqualTo(DateTimeOffset.UnixEpoch));
    }
}
