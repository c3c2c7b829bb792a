using System.Security.Claims;
using System.Text.Json.Serialization;
using Ductape.Sdk.AspNetCore;
using Ductape.Sdk.Sessions;
using Ductape.Sdk.Testing;

namespace Ductape.Sdk.Samples.WebApi;

/// <summary>
/// A minimal API wired with AddDuctape: POST /login starts a session, GET /me is protected by the Ductape session handler,
/// POST /refresh exchanges the refresh token, POST /logout revokes the session. On the embedded local server unless
/// DUCTAPE_ACCESS_KEY is set.
/// </summary>
public static class WebApiApp
{
    public const string SessionTag = "session_name"; // declared once, on SessionData's [DuctapeSession]

    public static async Task<(WebApplication App, DuctapeLocalServer? Server)> BuildAsync(string[] args, string? urls = null)
    {
        var accessKey = Environment.GetEnvironmentVariable("DUCTAPE_ACCESS_KEY");
        var server = string.IsNullOrEmpty(accessKey) ? await DuctapeLocalServer.StartAsync() : null;

        var builder = WebApplication.CreateSlimBuilder(args);
        if (urls is not null)
        {
            builder.WebHost.UseUrls(urls);
        }

        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, WebApiJson.Default));
        builder.Services.AddDuctape(o =>
        {
            o.AccessKey = accessKey ?? server!.AccessKey;
            o.BaseUrl = server?.BaseUrl ?? new Uri(Environment.GetEnvironmentVariable("DUCTAPE_BASE_URL") ?? "https://api.ductape.app");
            o.Product = Environment.GetEnvironmentVariable("DUCTAPE_PRODUCT") ?? "webapi:demo";
            o.Env = Environment.GetEnvironmentVariable("DUCTAPE_ENV") ?? "dev";
            o.SessionKeys = server?.SessionKeys; // with Ductape cloud, load your session key from configuration
        });
        builder.Services.AddAuthentication(DuctapeSessionDefaults.AuthenticationScheme).AddDuctapeSession(SessionTag);
        builder.Services.AddAuthorization();

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapPost("/login", async (LoginRequest login, DuctapeClient ductape, CancellationToken ct) =>
        {
            return await ductape.Sessions.StartAsync(new SessionData(login.UserId, login.Username), cancellationToken: ct);
        });
        app.MapGet("/me", (HttpContext context) =>
        {
            var session = context.GetDuctapeSession()!;
            return new MeResponse(context.User.FindFirstValue(ClaimTypes.NameIdentifier)!, session.SessionId,
                session.GetData<SessionData>()!);
        }).RequireAuthorization();
        app.MapPost("/refresh", async (RefreshRequest refresh, DuctapeClient ductape, CancellationToken ct) =>
        {
            try
            {
                return Results.Ok(await ductape.Sessions.RefreshAsync<SessionData>(refresh.RefreshToken, cancellationToken: ct));
            }
            catch (DuctapeApiException ex) when (ex.StatusCode == System.Net.HttpStatusCode.Unauthorized)
            {
                return Results.Unauthorized(); // used, revoked or unknown refresh token
            }
        });
        app.MapPost("/logout", async (HttpContext context, DuctapeClient ductape, CancellationToken ct) =>
        {
            var revoked = await ductape.Sessions.RevokeAsync(SessionTag, sessionId: context.User.FindFirstValue(DuctapeClaimTypes.SessionId),
                cancellationToken: ct);
            return new LogoutResponse(revoked);
        }).RequireAuthorization();

        // The session type this API uses; creating it again is fine.
        var client = app.Services.GetRequiredService<DuctapeClient>();
        try
        {
            await client.Products.Sessions.CreateAsync<SessionData>(); // the typed definition: schema and selector from SessionData
        }
        catch (DuctapeApiException ex) when (ex.Code == "SESSION_EXISTS")
        {
        }

        return (app, server);
    }
}

public sealed record LoginRequest([property: JsonPropertyName("userId")] string UserId, [property: JsonPropertyName("username")] string Username);

public sealed record RefreshRequest([property: JsonPropertyName("refreshToken")] string RefreshToken);

/// <summary>The session's data, typed: the generator defines the session type from it, and the compiler checks the selector.</summary>
[DuctapeSession(WebApiApp.SessionTag, Name = "Web API session", Description = "Sessions of the Web API sample", Expiry = 1, Period = TokenPeriod.Hours)]
public sealed partial record SessionData(
    [property: JsonPropertyName("userId"), SessionIdentifier, SessionSample("42")] string UserId,
    [property: JsonPropertyName("username"), SessionSample("ductape-user")] string Username);

public sealed record MeResponse(
    [property: JsonPropertyName("identifier")] string Identifier,
    [property: JsonPropertyName("sessionId")] string SessionId,
    [property: JsonPropertyName("data")] SessionData Data);

public sealed record LogoutResponse([property: JsonPropertyName("revoked")] int Revoked);

[JsonSerializable(typeof(LoginRequest))]
[JsonSerializable(typeof(RefreshRequest))]
[JsonSerializable(typeof(SessionData))]
[JsonSerializable(typeof(MeResponse))]
[JsonSerializable(typeof(LogoutResponse))]
[JsonSerializable(typeof(SessionTokens))]
public sealed partial class WebApiJson : JsonSerializerContext;
