using System.Net;
using System.Text.Json.Serialization;
using Ductape.Sdk;
using Ductape.Sdk.Products;
using Ductape.Sdk.Sessions;
using Ductape.Sdk.Testing;
using Ductape.Sdk.Tokens;

// The README's C# blocks, compiled. Each region is one block as the README shows it (ReadmeSnippetTests compares them);
// the code around a region only gives it the variables the README's prose assumes (a builder, a configuration, a token).

internal static class ReadmeSnippets
{
    public static async Task SessionTypesAndSessions()
    {
        #region readme:seed
        using var ductape = new DuctapeClient(new DuctapeClientOptions
        {
            AccessKey = Environment.GetEnvironmentVariable("DUCTAPE_ACCESS_KEY"),
            Product = "my-workspace:my-product",
            Env = "prd",
        });

        var details = new ProductSession
        {
            Name = "Session Name",
            Tag = "session_name",
            Description = "Session Description Here",
            Schema = SessionJson.Parse("""
                {"userId":"191010192-19198829819","details":{"username":"ductape-user","email":"santos@ductape.app"}}
                """),                              // sample values, encrypted in the session token
            Selector = "$Session{userId}",         // or nested: $Session{details}{username}
            Expiry = 7,
            Period = TokenPeriod.Hours,
        };
        await ductape.Products.Sessions.CreateAsync(details);

        // Update: the tag locates it; only the properties you set are sent and merged.
        await ductape.Products.Sessions.UpdateAsync(new ProductSessionUpdate("session_name") { Expiry = 14, Period = TokenPeriod.Days });

        IReadOnlyList<ProductSession> all = await ductape.Products.Sessions.FetchAllAsync();
        ProductSession one = await ductape.Products.Sessions.FetchAsync("session_name");
        #endregion

        #region readme:runtime
        SessionTokens tokens = await ductape.Sessions.StartAsync("session_name", SessionJson.Parse("""{"userId":"u-42"}"""));
        SessionVerification check = await ductape.Sessions.VerifyAsync("session_name", tokens.Token);   // check.IsValid
        SessionTokens renewed = await ductape.Sessions.RefreshAsync("session_name", tokens.RefreshToken);
        await ductape.Sessions.RevokeAsync("session_name", sessionId: renewed.SessionId);   // or identifier: "u-42" (all of a user's)

        DuctapePage<ActiveSession> page = await ductape.Sessions.ListActiveAsync("session_name");     // one page
        await foreach (SessionUser user in ductape.Sessions.EnumerateUsersAsync("session_name"))      // every page, lazily
        {
            Console.WriteLine(user.Identifier);
        }
        #endregion
    }

    public static IResult ValidateOffline(DuctapeClient ductape, string bearerToken)
    {
        #region readme:tokens
        // The client's own validator: its session keys, its product and env (the audience), and its revocation store, so a session
        // revoked through this client (or any instance sharing the store) is refused. Under AddDuctape, inject SessionTokenValidator.
        SessionTokenValidator validator = ductape.Sessions.GetValidator();

        SessionTokenValidationResult result = validator.Validate(bearerToken, expectedTag: "session_name");
        if (!result.IsValid)
        {
            return Results.Unauthorized(); // result.Failure says why: Expired, DecryptionFailed, TagMismatch, Revoked, …
        }

        string userId = result.Session!.Identifier;                 // $Session{userId} applied to the data
        MyData data = result.Session.GetData(MyJsonContext.Default.MyData)!;
        #endregion
        return Results.Ok(new { userId, data });
    }

    public static void Host(WebApplicationBuilder builder)
    {
        #region readme:host
        builder.Services.AddDuctape(builder.Configuration.GetSection("Ductape")); // or AddDuctape(o => { o.AccessKey = …; })
        // inject DuctapeClient (a singleton) and, with SessionKeys, SessionTokenValidator
        #endregion
    }

    public static async Task LocalServer()
    {
        #region readme:localserver
        await using var server = await DuctapeLocalServer.StartAsync();           // Ductape.Sdk.Testing: Kestrel on 127.0.0.1
        using var client = server.CreateClient(product: "my:product", env: "dev");
        server.FailNext(2, HttpStatusCode.ServiceUnavailable);                     // faults, latency, a journal of calls, Reset()
        #endregion
    }
}

internal sealed record MyData(string UserId);

[JsonSerializable(typeof(MyData))]
internal sealed partial class MyJsonContext : JsonSerializerContext;

#region readme:typed
[DuctapeSession("session_name", Name = "Session Name", Description = "Session Description Here", Expiry = 7, Period = TokenPeriod.Hours)]
public partial record UserSession([property: SessionIdentifier] string UserId, UserDetails Details);

public sealed record UserDetails(string Username, string Email);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(UserSession))]
internal sealed partial class AppJson : JsonSerializerContext;

// await ductape.Products.Sessions.CreateAsync<UserSession>();                       // UserSession.Definition: $Session{userId}
// var tokens = await ductape.Sessions.StartAsync(new UserSession("u-42", new("ann", "ann@example.com")));
// if (validator.TryValidate<UserSession>(token, out var session)) { … }            // session.Data is a UserSession
#endregion
