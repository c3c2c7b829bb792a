using System.Net;
using System.Net.Http.Headers;
using Ductape.Sdk.AspNetCore;
using Ductape.Sdk.Tokens;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Ductape.Sdk.IntegrationTests;

/// <summary>
/// Honest degradation at the edges: a revocation store that cannot vouch makes the API answer 503 (clients keep their
/// session), and the revocation health check says what the store does.
/// </summary>
public class RevocationOutageTests
{
    private static readonly SessionKeyRing Keys = new(SessionKey.Generate("outage-test"));

    private static string Token() => new SessionTokenIssuer(Keys).Issue(new SessionTokenDescriptor
    {
        Tag = "session_name", Selector = "$Session{userId}", Data = SessionJson.Parse("""{"userId":"user-7"}"""),
        Product = "acme:shop", Env = "prd", Expiry = 1, Period = TokenPeriod.Hours,
    }).Token;

    private static async Task<(WebApplication App, HttpClient Http)> Host(
        ISessionRevocationStore store, Action<DuctapeSessionAuthenticationOptions>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddAuthentication(DuctapeSessionDefaults.AuthenticationScheme).AddDuctapeSession("session_name", o =>
        {
            o.Validator = new SessionTokenValidator(new SessionTokenValidationOptions
            {
                Keys = Keys, Product = "acme:shop", Env = "prd", RevocationStore = store,
            });
            configure?.Invoke(o);
        });
        builder.Services.AddAuthorization();
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/me", () => "ok").RequireAuthorization();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new HttpClient { BaseAddress = new Uri(address) });
    }

    private static async Task<HttpResponseMessage> Me(HttpClient http)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token());
        return await http.SendAsync(request);
    }

    [Test]
    public async Task Revocation_state_unknown_is_a_503_with_Retry_After_not_a_401_that_drops_the_session()
    {
        var (app, http) = await Host(new StubStore(SessionRevocationState.Unknown));
        await using var _ = app;
        using var __ = http;

        using var response = await Me(http);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(response.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(5)));
        Assert.That(response.Headers.WwwAuthenticate, Is.Empty, "nothing tells the client its token is bad");
    }

    [Test]
    public async Task The_outage_answer_is_configurable_back_to_a_401()
    {
        var (app, http) = await Host(new StubStore(SessionRevocationState.Unknown),
            o => o.RevocationUnknownResponse = DuctapeRevocationUnknownResponse.Unauthorized);
        await using var _ = app;
        using var __ = http;

        using var response = await Me(http);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Does.Contain("revocation state is unknown"));
    }

    [Test]
    public async Task A_revoked_session_is_still_a_401()
    {
        var (app, http) = await Host(new StubStore(SessionRevocationState.Revoked));
        await using var _ = app;
        using var __ = http;

        using var response = await Me(http);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Does.Contain("The session was revoked"));
    }

    [TestCase(SessionRevocationStoreStatus.Healthy, HealthStatus.Healthy)]
    [TestCase(SessionRevocationStoreStatus.Degraded, HealthStatus.Degraded)]
    [TestCase(SessionRevocationStoreStatus.Unhealthy, HealthStatus.Unhealthy)]
    public async Task The_revocations_health_check_reports_the_stores_health_with_its_age_tagged_ready(
        SessionRevocationStoreStatus store, HealthStatus expected)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<ISessionRevocationStore>(new StubStore(SessionRevocationState.Active,
            new SessionRevocationStoreHealth(store, "described") { Age = TimeSpan.FromSeconds(7.5), Unshared = 2 }));
        services.AddHealthChecks().AddDuctapeRevocations();
        await using var provider = services.BuildServiceProvider();

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Tags.Contains("ready"));
        var entry = report.Entries["ductape-revocations"];

        Assert.That((entry.Status, entry.Description), Is.EqualTo((expected, "described")));
        Assert.That(entry.Data["age_seconds"], Is.EqualTo(7.5));
        Assert.That(entry.Data["unshared"], Is.EqualTo(2));
    }

    private sealed class StubStore(SessionRevocationState state, SessionRevocationStoreHealth? health = null) : ISessionRevocationStore
    {
        public SessionRevocationState Check(ValidatedSession session) => state;

        public Task RevokeSessionAsync(string sessionId, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task RevokeIdentifierAsync(SessionScope scope, string identifier, string? exceptSessionId, CancellationToken cancellationToken = default) =>
            Task.CompletedTask;

        public SessionRevocationStoreHealth GetHealth() => health ?? SessionRevocationStoreHealth.Local;
    }
}
