using System.Net;
using Ductape.Sdk.IntegrationTests.TestSupport;
using Ductape.Sdk.Products;
using Ductape.Sdk.Sessions;
using Ductape.Sdk.Testing;
using Ductape.Sdk.Tokens;
using Microsoft.Extensions.DependencyInjection;

namespace Ductape.Sdk.IntegrationTests.Holding;

/// <summary>
/// The outgoing session handler in one process: a worker calling an API protected by session tokens through an
/// <c>HttpClient</c>, against the local server (which rotates refresh tokens and refuses a spent one with 401).
/// </summary>
public class SessionHandlerTests
{
    private const string Product = "acme:shop";
    private const string Env = "prd";
    private const string Tag = "worker_session";

    private DuctapeLocalServer _server = null!;
    private ProtectedApi _api = null!;
    private InMemorySessionRevocationStore _revocations = null!;

    [SetUp]
    public async Task SetUp()
    {
        _server = await DuctapeLocalServer.StartAsync();
        _server.SeedSessionType(new ProductSession
        {
            Name = "Worker", Tag = Tag, Description = "A worker's own session", Schema = SessionJson.Parse("""{"worker":"w"}"""),
            Selector = "$Session{worker}", Expiry = 1, Period = TokenPeriod.Hours,
        }, Product);
        _revocations = new InMemorySessionRevocationStore();
        _api = await ProtectedApi.StartAsync(new SessionTokenValidator(new SessionTokenValidationOptions
        {
            Keys = _server.SessionKeys, Product = Product, Env = Env, RevocationStore = _revocations,
        }));
    }

    [TearDown]
    public async Task TearDown()
    {
        await _api.DisposeAsync();
        await _server.DisposeAsync();
    }

    /// <summary>A worker host: the Ductape client, and the API's HttpClient with the session handler.</summary>
    private ServiceProvider Worker(TimeSpan? refreshAhead = null, ISessionTokenStore? store = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDuctape(o => _server.Configure(o, Product, Env));
        if (store is not null)
        {
            services.AddSingleton(store);
        }

        services.AddHttpClient("api", c => c.BaseAddress = _api.Address)
            .AddDuctapeSessionHandler(o =>
            {
                o.SessionKey = "worker-1";
                o.RefreshAhead = refreshAhead ?? TimeSpan.FromMinutes(1);
            });
        return services.BuildServiceProvider();
    }

    private async Task<HeldSession> SignIn(IServiceProvider worker, TimeSpan? expiresIn = null)
    {
        var client = worker.GetRequiredService<DuctapeClient>();
        var tokens = await client.Sessions.StartAsync(Tag, SessionJson.Parse("""{"worker":"w-1"}"""), expiresIn);
        var held = HeldSession.From(Tag, tokens);
        await worker.GetRequiredService<ISessionTokenStore>().SetAsync("worker-1", held);
        return held;
    }

    private static HttpClient Api(IServiceProvider worker) => worker.GetRequiredService<IHttpClientFactory>().CreateClient("api");

    private int Refreshes => _server.Journal.Count(c => c.Method == "refresh");

    [Test]
    public async Task Requests_carry_the_held_session_and_nothing_is_refreshed_while_it_is_fresh()
    {
        await using var worker = Worker();
        var held = await SignIn(worker);

        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Api(worker).GetStringAsync("/data")));

        Assert.That(answers, Has.All.EqualTo(held.SessionId));
        Assert.That(Refreshes, Is.Zero);
    }

    [Test]
    public async Task A_session_about_to_expire_is_refreshed_once_for_a_thousand_concurrent_requests()
    {
        await using var worker = Worker();
        await SignIn(worker, expiresIn: TimeSpan.FromSeconds(30)); // within the minute ahead: due at once

        var answers = await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ => Api(worker).GetAsync("/data")));

        Assert.That(answers.Select(a => a.StatusCode), Has.All.EqualTo(HttpStatusCode.OK));
        Assert.That(Refreshes, Is.EqualTo(1));
        var stored = await worker.GetRequiredService<ISessionTokenStore>().GetAsync("worker-1");
        Assert.That(stored!.Version, Is.EqualTo(1), "the new pair is held for the next instance and request");
    }

    [Test]
    public async Task A_401_from_the_api_renews_the_session_once_and_sends_the_request_again()
    {
        await using var worker = Worker();
        var held = await SignIn(worker);
        Assert.That(await Api(worker).GetStringAsync("/data"), Is.EqualTo(held.SessionId));

        // The API stops accepting this token (say, its clock or keys moved): the handler renews and retries once.
        await _revocations.RevokeSessionAsync(held.SessionId);
        using var refused = await Api(worker).GetAsync("/data");

        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "the refreshed session is the same session id: still revoked");
        Assert.That(Refreshes, Is.EqualTo(1), "one renewal, one retry, then the answer stands");
        Assert.That(_api.Refused, Is.EqualTo(2));
    }

    [Test]
    public async Task Without_a_held_session_a_request_fails_with_the_sdks_own_exception()
    {
        await using var worker = Worker();

        var ex = Assert.ThrowsAsync<DuctapeSessionUnavailableException>(() => Api(worker).GetAsync("/data"));

        Assert.That(ex!.Message, Does.Contain("sign the user in again"));
        Assert.That(_api.Ok + _api.Refused, Is.Zero, "nothing was sent without a token");
    }

    [Test]
    public async Task A_session_whose_refresh_token_is_refused_fails_with_the_sdks_own_exception_not_a_bare_401()
    {
        await using var worker = Worker();
        var held = await SignIn(worker, expiresIn: TimeSpan.FromSeconds(30));
        // Spent by someone else (another key, so not the SDK's own shared refresh): Ductape refuses it from now on.
        await worker.GetRequiredService<DuctapeClient>().Sessions.RefreshAsync(Tag, held.RefreshToken,
            new DuctapeRequestOptions { IdempotencyKey = "someone-else" });

        var ex = Assert.ThrowsAsync<DuctapeSessionUnavailableException>(() => Api(worker).GetAsync("/data"));

        Assert.That(ex!.Message, Does.StartWith("The session could not be refreshed: Ductape refused its refresh token"));
        Assert.That(ex.InnerException, Is.TypeOf<DuctapeApiException>());
    }
}
