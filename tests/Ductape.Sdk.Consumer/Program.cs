// The smoke program: creates the seed's session type on the local server and validates a token. Built twice by .ci/run:
// from the packed packages (this folder, copied out of the repository) and with native AOT (tests/Ductape.Sdk.AotSmoke).
using Ductape.Sdk;
using Ductape.Sdk.Products;
using Ductape.Sdk.Testing;
using System.Text.Json.Serialization;
using Ductape.Sdk.Tokens;

await using var server = await DuctapeLocalServer.StartAsync();
using var client = server.CreateClient(product: "consumer:test");
var created = await client.Products.Sessions.CreateAsync(new ProductSession
{
    Name = "Session Name",
    Tag = "session_name",
    Description = "Session Description Here",
    Schema = SessionJson.Parse("""{"userId":"191010192-19198829819"}"""),
    Selector = "$Session{userId}",
    Expiry = 7,
    Period = TokenPeriod.Hours,
});
var tokens = await client.Sessions.StartAsync("session_name", SessionJson.Parse("""{"userId":"191010192-19198829819"}"""));
var result = new SessionTokenValidator(new SessionTokenValidationOptions { Keys = server.SessionKeys, Product = "consumer:test", Env = "dev" }).Validate(tokens.Token, "session_name");
if (!result.IsValid || result.Session!.Identifier != "191010192-19198829819")
{
    Console.Error.WriteLine($"Smoke check failed: {result}");
    return 1;
}

// The typed form: the generator defines the session type from the record and the app's JSON context.
var typedType = await client.Products.Sessions.CreateAsync<TypedSession>();
var typedTokens = await client.Sessions.StartAsync(new TypedSession("u-7", new TypedDetails("ductape-user")));
var typedValidator = new SessionTokenValidator(new SessionTokenValidationOptions { Keys = server.SessionKeys, Product = "consumer:test", Env = "dev" });
if (!typedValidator.TryValidate<TypedSession>(typedTokens.Token, out var typed) || typed.Data.Details.Username != "ductape-user" ||
    typedType.Selector != "$Session{userId}")
{
    Console.Error.WriteLine("Typed smoke check failed.");
    return 1;
}

Console.WriteLine($"Smoke OK: created '{created.Tag}' and '{typedType.Tag}', tokens valid for {result.Session.Identifier} and {typed.Identifier}.");
return 0;

[DuctapeSession("typed_session", Name = "Typed session", Description = "The smoke test's typed session", Expiry = 1, Period = TokenPeriod.Hours)]
internal sealed partial record TypedSession([property: SessionIdentifier] string UserId, TypedDetails Details);

internal sealed record TypedDetails(string Username);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(TypedSession))]
internal sealed partial class SmokeJson : JsonSerializerContext;
