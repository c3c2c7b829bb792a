using Ductape.Sdk.Tokens;

namespace Ductape.Sdk.Tests.Tokens;

/// <summary>
/// The session a validation returns keeps one small buffer and reads its data on first use: every way of getting it gives the
/// same session, escaped claims included.
/// </summary>
public class ValidatedSessionTests
{
    private TokenTestKit _kit = null!;

    [SetUp]
    public void SetUp() => _kit = new TokenTestKit();

    private const string Data = """{"userId":"191010192-19198829819","details":{"username":"ductape-user"}}""";

    [Test]
    public void A_string_token_a_span_token_and_a_typed_validation_give_the_same_session()
    {
        var validator = _kit.Validator();
        var token = _kit.Make();

        var fromString = validator.Validate(token).Session!;
        var fromSpan = validator.Validate(token.AsSpan()).Session!;
        Assert.That(validator.TryValidate<Ductape.Sdk.Tests.Typed.SeedTyped>(token, out var typed), Is.True);

        foreach (var session in new[] { fromString, fromSpan, typed!.Session })
        {
            Assert.That((session.SessionId, session.Identifier, session.Tag), Is.EqualTo(("ses_1", "191010192-19198829819", "session_name")));
            Json.AssertEquivalent(session.Data, Data);
            Assert.That(session.GetData(TokenJson.Default.SeedData)!.Details.Username, Is.EqualTo("ductape-user"));
        }

        Assert.That(typed.Data.UserId, Is.EqualTo("191010192-19198829819"));
    }

    [Test]
    public void Escaped_claims_are_read_unescaped()
    {
        var claims = _kit.Claims().Replace("\"sid\":\"ses_1\"", "\"sid\":\"ses_\\u00e9\\\"1\"", StringComparison.Ordinal)
            .Replace("\"sub\":\"191010192-19198829819\"", "\"sub\":\"u\\/\\u4e16\"", StringComparison.Ordinal);

        var session = _kit.Validator().Validate(_kit.Make(claims)).Session!;

        Assert.That((session.SessionId, session.Identifier), Is.EqualTo(("ses_é\"1", "u/世")));
        Json.AssertEquivalent(session.Data, Data);
    }

    [Test]
    public void Data_read_later_is_the_validated_data_even_after_the_key_left_the_ring()
    {
        var options = new SessionTokenValidationOptions { Keys = _kit.Ring, Product = "acme:shop", Env = "prd", TimeProvider = _kit.Time };
        var session = new SessionTokenValidator(options).Validate(_kit.Make()).Session!;

        // The validator (and its ring) may be gone: the session holds the key that validated it.
        options.Keys = new SessionKeyRing(SessionKey.Generate("other"));
        GC.KeepAlive(new SessionTokenValidator(options));

        Json.AssertEquivalent(session.Data, Data);
        Assert.That(session.Data.GetProperty("userId").GetString(), Is.EqualTo("191010192-19198829819"), "cached after the first read");
    }

    [Test]
    public void A_token_without_data_has_an_empty_object()
    {
        var claims = _kit.Claims().Replace(",\n \"data\":{\"userId\":\"191010192-19198829819\",\"details\":{\"username\":\"ductape-user\"}}", "", StringComparison.Ordinal);
        Assert.That(claims, Does.Not.Contain("data"));

        var fromString = _kit.Validator().Validate(_kit.Make(claims)).Session!;
        var fromSpan = _kit.Validator().Validate(_kit.Make(claims).AsSpan()).Session!;

        Assert.That((fromString.Data.GetRawText(), fromSpan.Data.GetRawText()), Is.EqualTo(("{}", "{}")));
    }
}
