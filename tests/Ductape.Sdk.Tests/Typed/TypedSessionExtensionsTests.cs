using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Ductape.Sdk.Products;
using Ductape.Sdk.Sessions;
using Ductape.Sdk.Tests.Tokens;
using Ductape.Sdk.Tokens;

namespace Ductape.Sdk.Tests.Typed;

/// <summary>The typed calls: the tag from the definition, the data through the app's JSON metadata.</summary>
public class TypedSessionExtensionsTests : ProxyMockTest
{

    [Test]
    public async Task Create_sends_the_typed_definition()
    {
        Mock.ThenData(SeedTyped.DefinitionJson);
        using var client = Mock.Client();

        var created = await client.Products.Sessions.CreateAsync<SeedTyped>();

        Json.AssertEquivalent(Mock.Requests.Single().Params[1], SeedTyped.DefinitionJson);
        Assert.That(created, Is.EqualTo(SeedTyped.Definition).Using<ProductSession>((a, b) => a.Tag == b.Tag && a.Selector == b.Selector));
    }

    [Test]
    public async Task Start_sends_the_tag_of_the_definition_and_the_data_as_the_apps_json()
    {
        Mock.ThenData("""{"token":"session_name:eyJ.x","refreshToken":"rt","sessionId":"ses_1","expiresAt":"2026-11-27T16:00:00Z"}""");
        using var client = Mock.Client();

        await client.Sessions.StartAsync(new SeedTyped("191010192-19198829819", new SeedTypedDetails("ductape-user")));

        Json.AssertEquivalent(Mock.Requests.Single().Params[0], """
            {"product":"acme:shop","env":"prd","tag":"session_name","data":{"userId":"191010192-19198829819","details":{"username":"ductape-user"}}}
            """);
    }

    [Test]
    public async Task Refresh_and_verify_use_the_tag_and_read_the_typed_data()
    {
        Mock.ThenData("""{"token":"session_name:eyJ.y","refreshToken":"rt2","sessionId":"ses_1","expiresAt":"2026-11-27T16:00:00Z"}""")
            .ThenData("""{"valid":true,"data":{"userId":"u-1","details":{"username":"ann"}},"sessionId":"ses_1","expiresAt":"2026-11-27T16:00:00Z"}""");
        using var client = Mock.Client();

        await client.Sessions.RefreshAsync<SeedTyped>("rt");
        var verification = await client.Sessions.VerifyAsync<SeedTyped>("session_name:eyJ.y");

        Assert.That(Mock.Requests.Select(r => r.Params[0].GetProperty("tag").GetString()), Is.EqualTo(new[] { "session_name", "session_name" }));
        Assert.That(verification.GetData<SeedTyped>(), Is.EqualTo(new SeedTyped("u-1", new SeedTypedDetails("ann"))));
        Assert.That(new SessionVerification { IsValid = false }.GetData<SeedTyped>(), Is.Null);
    }

    [Test]
    public void Offline_validation_reads_the_typed_data_and_checks_the_tag()
    {
        var kit = new TokenTestKit();
        var validator = kit.Validator();

        Assert.That(validator.TryValidate<SeedTyped>(kit.Make(), out var session), Is.True);
        Assert.That((session!.Identifier, session.Data.Details.Username), Is.EqualTo(("191010192-19198829819", "ductape-user")));
        Assert.That(validator.Validate(kit.Make()).Session!.GetData<SeedTyped>(), Is.EqualTo(session.Data), "the untyped session read as the type");

        var otherType = validator.TryValidate<SeedTyped>(kit.Make(kit.Claims(tag: "admin")), out var none, out var failure);
        Assert.That((otherType, failure, none), Is.EqualTo((false, SessionTokenFailure.TagMismatch, (ValidatedSession<SeedTyped>?)null)));
    }

    [Test]
    public void A_valid_token_whose_data_does_not_fit_the_type_is_invalid_claims_not_an_exception()
    {
        var kit = new TokenTestKit();

        var valid = kit.Validator().TryValidate<StrictTyped>(kit.Make(), out var session, out var failure);

        Assert.That((valid, failure, session), Is.EqualTo((false, SessionTokenFailure.InvalidClaims, (ValidatedSession<StrictTyped>?)null)));
    }
}

/// <summary>A typed session written by hand, as the generator would write it, so these tests need no generator.</summary>
internal sealed record SeedTyped(string UserId, SeedTypedDetails Details) : IDuctapeSession<SeedTyped>
{
    public const string DefinitionJson = """
        {"name":"Session Name","tag":"session_name","description":"d","schema":{"userId":"u","details":{"username":"n"}},
         "selector":"$Session{userId}","expiry":7,"period":"hours"}
        """;

    public static ProductSession Definition { get; } = new()
    {
        Name = "Session Name", Tag = "session_name", Description = "d",
        Schema = SessionJson.Parse("""{"userId":"u","details":{"username":"n"}}"""), Selector = "$Session{userId}", Expiry = 7,
        Period = TokenPeriod.Hours,
    };

    public static JsonTypeInfo<SeedTyped> JsonTypeInfo => TypedJson.Default.SeedTyped;
}

internal sealed record SeedTypedDetails(string Username);

internal sealed record StrictTyped([property: JsonRequired] string AccountNumber) : IDuctapeSession<StrictTyped>
{
    public static ProductSession Definition { get; } = SeedTyped.Definition;

    public static JsonTypeInfo<StrictTyped> JsonTypeInfo => TypedJson.Default.StrictTyped;
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(SeedTyped))]
[JsonSerializable(typeof(StrictTyped))]
internal sealed partial class TypedJson : JsonSerializerContext;
