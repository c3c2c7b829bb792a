// The quick start: the product owner's seed example, end to end.
// With DUCTAPE_ACCESS_KEY set it talks to Ductape (DUCTAPE_BASE_URL, DUCTAPE_PRODUCT, DUCTAPE_ENV optional); otherwise it
// starts the embedded local Ductape server on 127.0.0.1 and runs against that.
using System.Text.Json.Serialization;
using Ductape.Sdk;
using Ductape.Sdk.Products;
using Ductape.Sdk.Testing;
using Ductape.Sdk.Tokens;

var accessKey = Environment.GetEnvironmentVariable("DUCTAPE_ACCESS_KEY");
await using var localServer = string.IsNullOrEmpty(accessKey) ? await DuctapeLocalServer.StartAsync() : null;
Console.WriteLine(localServer is null
    ? "Ductape quick start: talking to Ductape."
    : $"Ductape quick start: no DUCTAPE_ACCESS_KEY set, so this run uses the embedded local server at {localServer.BaseUrl}.");

var options = new DuctapeClientOptions
{
    AccessKey = accessKey ?? localServer!.AccessKey,
    BaseUrl = localServer?.BaseUrl ?? new Uri(Environment.GetEnvironmentVariable("DUCTAPE_BASE_URL") is { Length: > 0 } url
        ? url
        : DuctapeClientOptions.DefaultBaseUrl.AbsoluteUri),
    Product = Environment.GetEnvironmentVariable("DUCTAPE_PRODUCT") ?? "quickstart:demo",
    Env = Environment.GetEnvironmentVariable("DUCTAPE_ENV") ?? "dev",
};
using var ductape = new DuctapeClient(options);
var sessions = ductape.Products.Sessions;

// 1. Create the seed's session type, as the typed UserSession (below) declares it: the source generator builds the schema
//    sample and the selector from the record, and the compiler checks them.
var created = await sessions.CreateAsync<UserSession>();
Console.WriteLine($"1. Created session type '{created.Tag}': {created.Expiry} {created.Period.ToWireValue()}, selector {created.Selector}");

// 2. Update its expiry to 14 days: only these two fields are sent.
var updated = await sessions.UpdateAsync(new ProductSessionUpdate("session_name") { Expiry = 14, Period = TokenPeriod.Days });
Console.WriteLine($"2. Updated expiry to {updated.Expiry} {updated.Period.ToWireValue()}");

// 3. Fetch all, and one.
var all = await sessions.FetchAllAsync();
var one = await sessions.FetchAsync("session_name");
Console.WriteLine($"3. The product has {all.Count} session type(s): {string.Join(", ", all.Select(s => s.Tag))}; fetched '{one.Tag}' ({one.Name})");

// 4. Start a session for the seed's user, with typed data.
var tokens = await ductape.Sessions.StartAsync(
    new UserSession("191010192-19198829819", new UserDetails("ductape-user", "santos@ductape.app")));
Console.WriteLine($"4. Started session {tokens.SessionId}, token expires {tokens.ExpiresAt:u}");

// 5. Validate the token offline (no request), as an API would.
if (localServer is not null)
{
    var validator = new SessionTokenValidator(new SessionTokenValidationOptions
    {
        Keys = localServer.SessionKeys,
        Product = options.Product,   // a token of another product or environment is refused (AudienceMismatch)
        Env = options.Env,
    });
    Console.WriteLine(validator.TryValidate<UserSession>(tokens.Token, out var session, out var failure)
        ? $"5. Offline validation: valid; identifier {session.Identifier} ({session.Data.Details.Username}), expires {session.Session.ExpiresAt:u}"
        : $"5. Offline validation failed: {failure}");
}
else
{
    Console.WriteLine("5. Offline validation needs your session key (DuctapeClientOptions.SessionKeys); skipped.");
}

// 6. Verify it on the server, refresh, list, revoke, and look at the dashboard.
var verification = await ductape.Sessions.VerifyAsync("session_name", tokens.Token);
Console.WriteLine($"6. Server verification: valid={verification.IsValid}");
var refreshed = await ductape.Sessions.RefreshAsync("session_name", tokens.RefreshToken);
Console.WriteLine($"7. Refreshed: new token expires {refreshed.ExpiresAt:u}; the old refresh token no longer works");
var active = await ductape.Sessions.ListActiveAsync("session_name");
Console.WriteLine($"8. Active sessions: {active.Total}");
var revoked = await ductape.Sessions.RevokeAsync("session_name", sessionId: refreshed.SessionId);
var afterRevoke = await ductape.Sessions.VerifyAsync("session_name", refreshed.Token);
Console.WriteLine($"9. Revoked {revoked} session(s); the token now verifies as valid={afterRevoke.IsValid}");
var dashboard = await ductape.Sessions.FetchDashboardAsync("session_name");
Console.WriteLine($"10. Dashboard: {dashboard.TotalUsers} user(s), {dashboard.TotalSessions} session(s), {dashboard.ActiveSessions} active");

Console.WriteLine("Done.");
return 0;

/// <summary>The seed's session data, typed: tag, lifetime and identifier declared once, checked at compile time.</summary>
[DuctapeSession("session_name", Name = "Session Name", Description = "Session Description Here", Expiry = 7, Period = TokenPeriod.Hours)]
internal sealed partial record UserSession(
    [property: SessionIdentifier, SessionSample("191010192-19198829819")] string UserId,
    UserDetails Details);

internal sealed record UserDetails(
    [property: SessionSample("ductape-user")] string Username,
    [property: SessionSample("santos@ductape.app")] string Email);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(UserSession))]
internal sealed partial class QuickStartJson : JsonSerializerContext;
