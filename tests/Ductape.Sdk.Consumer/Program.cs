// The smoke program: creates the seed's session type on the local server and validates a token. Built twice by .ci/run:
// from the packed packages (this folder, copied out of the repository) and with native AOT (tests/Ductape.Sdk.AotSmoke).
using Ductape.Sdk;
using Ductape.Sdk.Products;
using Ductape.Sdk.Testing;
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

Console.WriteLine($"Smoke OK: created '{created.Tag}', token valid for {result.Session.Identifier}.");
return 0;
