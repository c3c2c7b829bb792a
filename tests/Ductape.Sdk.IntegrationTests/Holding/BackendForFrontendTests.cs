using System.Security.Claims;
using Ductape.Sdk.IntegrationTests.TestSupport;
using Ductape.Sdk.Products;
using Ductape.Sdk.Sessions;
using Ductape.Sdk.Testing;
using Ductape.Sdk.Tokens;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ductape.Sdk.IntegrationTests.Holding;

/// <summary>A backend-for-frontend: each signed-in user's request to a downstream API carries that user's held session.</summary>
public class BackendForFrontendTests
{
    [Test]
    public async Task Each_users_request_carries_that_users_session()
    {
        await using var ductape = await DuctapeLocalServer.StartAsync();
        ductape.SeedSessionType(new ProductSession
        {
            Name = "BFF", Tag = "web", Description = "Web users", Schema = SessionJson.Parse("""{"userId":"u"}"""),
            Selector = "$Session{userId}", Expiry = 1, Period = TokenPeriod.Hours,
        }, "acme:web");
        await using var api = await ProtectedApi.StartAsync(new SessionTokenValidator(new SessionTokenValidationOptions
        {
            Keys = ductape.SessionKeys, Product = "acme:web", Env = "prd",
        }));
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddDuctape(o => ductape.Configure(o, "acme:web", "prd"));
        builder.Services.AddHttpClient("api", c => c.BaseAddress = api.Address).AddDuctapeSessionHandler(o => o.UseSignedInUser());
        await using var app = builder.Build();
        // Stands for the app's own sign-in (a cookie): the user id comes from a header here.
        app.Use((context, next) =>
        {
            if (context.Request.Headers["X-User"] is { Count: 1 } user)
            {
                context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user.ToString())], "cookie"));
            }

            return next(context);
        });
        app.MapGet("/proxy", (IHttpClientFactory factory) => factory.CreateClient("api").GetStringAsync("/data"));
        await app.StartAsync();
        var store = app.Services.GetRequiredService<ISessionTokenStore>();
        var sessions = new Dictionary<string, string>();
        foreach (var user in new[] { "alice", "bob" })
        {
            var tokens = ductape.SeedSession("web", SessionJson.Parse($$"""{"userId":"{{user}}"}"""), "acme:web", "prd");
            await store.SetAsync(user, HeldSession.From("web", tokens));
            sessions[user] = tokens.SessionId;
        }

        using var http = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };
        foreach (var user in new[] { "alice", "bob", "alice" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/proxy");
            request.Headers.Add("X-User", user);
            using var response = await http.SendAsync(request);
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo(sessions[user]));
        }
    }
}
