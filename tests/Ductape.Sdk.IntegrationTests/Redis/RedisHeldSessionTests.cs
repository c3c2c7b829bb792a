using System.Diagnostics;
using System.Net;
using Ductape.Sdk.IntegrationTests.TestSupport;
using Ductape.Sdk.IntegrationTests.TestSupport.Redis;
using Ductape.Sdk.Products;
using Ductape.Sdk.Sessions;
using Ductape.Sdk.Testing;
using Ductape.Sdk.Tokens;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace Ductape.Sdk.IntegrationTests.Redis;

/// <summary>
/// A fleet holding one session (a backend-for-frontend or workers on several instances): each instance has its own Redis
/// connection and its own store, all sharing one Redis and one local Ductape server. The session is refreshed once.
/// </summary>
public class RedisHeldSessionTests(string kind) : RedisFleetTest(kind)
{
    private const string Product = "acme:shop";
    private const string Env = "prd";
    private const string Tag = "bff_session";
    private static readonly string ProtectionKey = "held-1:" + Convert.ToBase64String(Enumerable.Range(7, 32).Select(i => (byte)i).ToArray())
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private DuctapeLocalServer _server = null!;
    private ProtectedApi _api = null!;

    [SetUp]
    public async Task StartServers()
    {
        _server = await DuctapeLocalServer.StartAsync();
        _server.SeedSessionType(new ProductSession
        {
            Name = "BFF", Tag = Tag, Description = "Users' sessions held by the BFF", Schema = SessionJson.Parse("""{"userId":"u"}"""),
            Selector = "$Session{userId}", Expiry = 1, Period = TokenPeriod.Hours,
        }, Product);
        _api = await ProtectedApi.StartAsync(new SessionTokenValidator(new SessionTokenValidationOptions
        {
            Keys = _server.SessionKeys, Product = Product, Env = Env,
        }));
    }

    [TearDown]
    public async Task StopServers()
    {
        await _api.DisposeAsync();
        await _server.DisposeAsync();
    }

    private int Refreshes => _server.Journal.Count(c => c.Method == "refresh");

    /// <summary>One instance of the BFF: its own connection, store, Ductape client and API client with the handler.</summary>
    private async Task<(ServiceProvider Services, RedisLink Link)> BffInstance(TimeProvider? time = null, TimeSpan? lease = null)
    {
        var (connection, link) = await Redis.ConnectAsync();
        var services = new ServiceCollection();
        services.AddLogging();
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        services.AddSingleton<IConnectionMultiplexer>(connection);
        services.AddDuctape(o => _server.Configure(o, Product, Env));
        services.AddDuctapeRedisSessionTokens(o => o.ProtectionKeys.Add(ProtectionKey));
        services.AddHttpClient("api", c => c.BaseAddress = _api.Address).AddDuctapeSessionHandler(o =>
        {
            o.SessionKey = "user-42";
            o.LeaseDuration = lease ?? TimeSpan.FromSeconds(5);
        });
        var provider = services.BuildServiceProvider();
        Own(provider);
        return (provider, link);
    }

    private async Task<HeldSession> SignIn(IServiceProvider instance, TimeSpan expiresIn)
    {
        var tokens = await instance.GetRequiredService<DuctapeClient>().Sessions.StartAsync(Tag, SessionJson.Parse("""{"userId":"u-42"}"""), expiresIn);
        var held = HeldSession.From(Tag, tokens);
        await instance.GetRequiredService<ISessionTokenStore>().SetAsync("user-42", held);
        return held;
    }

    private static HttpClient Api(IServiceProvider instance) => instance.GetRequiredService<IHttpClientFactory>().CreateClient("api");

    [Test]
    public async Task A_thousand_concurrent_calls_from_eight_instances_refresh_the_session_exactly_once()
    {
        var fleet = new List<ServiceProvider>();
        for (var i = 0; i < 8; i++)
        {
            fleet.Add((await BffInstance()).Services);
        }

        await SignIn(fleet[0], TimeSpan.FromSeconds(30)); // due at once: within the minute ahead

        var answers = await Task.WhenAll(Enumerable.Range(0, 1000).Select(i => Api(fleet[i % 8]).GetAsync("/data")));

        TestContext.Out.WriteLine($"[{Kind}] 1,000 calls from 8 instances: {Refreshes} refresh(es), {answers.Count(a => !a.IsSuccessStatusCode)} failed");
        Assert.That(answers.Select(a => a.StatusCode), Has.All.EqualTo(HttpStatusCode.OK));
        Assert.That(Refreshes, Is.EqualTo(1));
        Assert.That((await fleet[5].GetRequiredService<ISessionTokenStore>().GetAsync("user-42"))!.Version, Is.EqualTo(1));
    }

    [Test]
    public async Task With_the_store_down_each_instance_refreshes_at_most_once_and_no_call_fails()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var fleet = new List<(ServiceProvider Services, RedisLink Link)>();
        for (var i = 0; i < 4; i++)
        {
            fleet.Add(await BffInstance(time));
        }

        await SignIn(fleet[0].Services, TimeSpan.FromMinutes(5));
        foreach (var (services, _) in fleet)
        {
            Assert.That((await Api(services).GetAsync("/data")).StatusCode, Is.EqualTo(HttpStatusCode.OK)); // each holds a copy
        }

        foreach (var (_, link) in fleet)
        {
            link.Cut();
        }

        time.Advance(TimeSpan.FromMinutes(4.5)); // the token is now due (a minute ahead of expiry)
        var answers = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Api(fleet[i % 4].Services).GetAsync("/data")));

        TestContext.Out.WriteLine($"[{Kind}] store down, 4 instances, 200 calls: {Refreshes} refresh call(s) to Ductape");
        Assert.That(answers.Select(a => a.StatusCode), Has.All.EqualTo(HttpStatusCode.OK), "no user logged out");
        Assert.That(Refreshes, Is.InRange(1, 4), "at most one per instance");
        Assert.That(_server.Journal.Where(c => c.Method == "refresh").Select(c => c.StatusCode), Has.All.EqualTo(200),
            "one refresh token, one idempotency key: every instance got the same new pair");
    }

    [Test]
    public async Task When_the_lease_holder_dies_mid_refresh_another_instance_completes_it_within_the_lease_and_a_second()
    {
        var lease = TimeSpan.FromSeconds(2);
        var (survivor, _) = await BffInstance(lease: lease);
        await SignIn(survivor, TimeSpan.FromSeconds(30));
        // An instance took the lease and died before publishing: nobody releases it.
        var store = survivor.GetRequiredService<ISessionTokenStore>();
        Assert.That(await store.TryAcquireRefreshLeaseAsync("user-42", "dead-instance", lease), Is.True);

        var clock = Stopwatch.StartNew();
        using var answer = await Api(survivor).GetAsync("/data");

        TestContext.Out.WriteLine($"[{Kind}] took over after {clock.Elapsed.TotalMilliseconds:0} ms (lease {lease.TotalMilliseconds:0} ms)");
        Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(clock.Elapsed, Is.LessThan(lease + TimeSpan.FromSeconds(1)));
        Assert.That(Refreshes, Is.EqualTo(1));
    }

    [Test]
    public async Task Tokens_at_rest_are_encrypted_and_user_keys_never_appear_in_Redis()
    {
        var (instance, _) = await BffInstance();
        var held = await SignIn(instance, TimeSpan.FromMinutes(10));
        var server = (await Redis.ConnectDirectAsync()).GetServer($"127.0.0.1:{Redis.Port}");
        var db = (await Redis.ConnectDirectAsync()).GetDatabase();

        var keys = new List<string>();
        await foreach (var key in server.KeysAsync(pattern: "ductape:held:*"))
        {
            keys.Add(key.ToString());
        }

        Assert.That(keys, Has.Count.EqualTo(1).And.None.Contain("user-42"));
        var stored = (await db.HashGetAllAsync(keys[0])).ToDictionary(e => e.Name.ToString(), e => e.Value.ToString());
        Assert.That(stored["d"], Does.Not.Contain(held.Token[^16..]).And.Not.Contain(held.RefreshToken[^16..]).And.StartWith("held-1."));

        await db.HashSetAsync(keys[0], "d", "held-1.garbage.garbage.garbage");
        Assert.That(await instance.GetRequiredService<ISessionTokenStore>().GetAsync("user-42"), Is.Null, "a value it cannot decrypt is no session");
    }
}
