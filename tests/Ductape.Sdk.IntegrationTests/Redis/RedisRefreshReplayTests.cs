using System.Collections.Concurrent;
using System.Diagnostics;
using Ductape.Sdk.Products;
using Ductape.Sdk.Sessions;
using Ductape.Sdk.Testing;
using Ductape.Sdk.Tokens;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Ductape.Sdk.IntegrationTests.Redis;

/// <summary>
/// Refresh-token replay detection across two instances sharing Redis (ledger and revocations): a refresh token presented
/// again after the grace period is refused, reported and its session revoked everywhere; the fleet's own concurrent
/// callers never trigger it.
/// </summary>
public class RedisRefreshReplayTests(string kind) : RedisFleetTest(kind)
{
    private const string Product = "acme:shop";
    private const string Env = "prd";
    private const string Tag = "app_session";

    private DuctapeLocalServer _server = null!;

    [SetUp]
    public async Task StartDuctape()
    {
        _server = await DuctapeLocalServer.StartAsync();
        _server.SeedSessionType(new ProductSession
        {
            Name = "App", Tag = Tag, Description = "Sessions of the app", Schema = SessionJson.Parse("""{"userId":"u"}"""),
            Selector = "$Session{userId}", Expiry = 1, Period = TokenPeriod.Hours,
        }, Product);
    }

    [TearDown]
    public async Task StopDuctape() => await _server.DisposeAsync();

    private async Task<ServiceProvider> AppInstance(TimeSpan grace)
    {
        var (connection, _) = await Redis.ConnectAsync();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConnectionMultiplexer>(connection);
        services.AddDuctapeRedisRevocations(o =>
        {
            o.HeartbeatInterval = TimeSpan.FromMilliseconds(100);
            o.StalenessLimit = TimeSpan.FromSeconds(1);
        });
        services.AddDuctapeRedisSessionTokens(o => o.AllowUnprotected = true);
        services.AddDuctape(o =>
        {
            _server.Configure(o, Product, Env);
            o.RefreshTokenReplay = new RefreshTokenReplayOptions { GracePeriod = grace };
        });
        var provider = services.BuildServiceProvider();
        Own(provider);
        await provider.GetRequiredService<Ductape.Sdk.Redis.RedisSessionRevocationStore>().Loaded.WaitAsync(TimeSpan.FromSeconds(10));
        return provider;
    }

    [Test]
    public async Task A_refresh_token_presented_again_after_the_grace_period_is_refused_reported_and_revoked_on_every_instance()
    {
        var a = await AppInstance(TimeSpan.FromSeconds(1));
        var b = await AppInstance(TimeSpan.FromSeconds(1));
        var (clientA, clientB) = (a.GetRequiredService<DuctapeClient>(), b.GetRequiredService<DuctapeClient>());
        var reported = new ConcurrentBag<RefreshTokenReplayedEventArgs>();
        clientB.Sessions.RefreshTokenReplayed += (_, e) => reported.Add(e);
        var first = await clientA.Sessions.StartAsync(Tag, SessionJson.Parse("""{"userId":"u-1"}"""));
        var second = await clientA.Sessions.RefreshAsync(Tag, first.RefreshToken);
        await Task.Delay(TimeSpan.FromMilliseconds(1100)); // past the grace period: no caller of the fleet is still racing

        var clock = Stopwatch.StartNew();
        var ex = Assert.ThrowsAsync<DuctapeRefreshTokenReplayedException>(() => clientB.Sessions.RefreshAsync(Tag, first.RefreshToken));

        Assert.That((ex!.SessionId, ex.Tag, ex.Revoked), Is.EqualTo((first.SessionId, Tag, true)));
        Assert.That(ex.Message, Does.Not.Contain(first.RefreshToken).And.Contain("may have been stolen"));
        Assert.That(reported.Select(r => (r.SessionId, r.Tag)), Is.EqualTo(new[] { (first.SessionId, Tag) }));
        var validators = new[] { a.GetRequiredService<SessionTokenValidator>(), b.GetRequiredService<SessionTokenValidator>() };
        await Until(() => validators.All(v => v.Validate(second.Token).Failure == SessionTokenFailure.Revoked), TimeSpan.FromSeconds(1),
            "the session revoked on every instance");
        TestContext.Out.WriteLine($"[{Kind}] replay refused, reported and revoked on both instances in {clock.Elapsed.TotalMilliseconds:0} ms");
        Assert.That(_server.Journal.Count(c => c.Method == "refresh"), Is.EqualTo(1), "the replayed token was never sent to Ductape");
    }

    [Test]
    public async Task Ten_thousand_benign_concurrent_refreshes_raise_no_false_alarm()
    {
        var a = await AppInstance(TimeSpan.FromSeconds(30));
        var b = await AppInstance(TimeSpan.FromSeconds(30));
        var clients = new[] { a.GetRequiredService<DuctapeClient>(), b.GetRequiredService<DuctapeClient>() };
        var alarms = 0;
        foreach (var client in clients)
        {
            client.Sessions.RefreshTokenReplayed += (_, _) => Interlocked.Increment(ref alarms);
        }

        var sessions = Enumerable.Range(0, 2000)
            .Select(i => _server.SeedSession(Tag, SessionJson.Parse($$"""{"userId":"u-{{i}}"}"""), Product, Env)).ToList();
        var failures = 0;
        var pairs = 0;
        using var gate = new SemaphoreSlim(32);
        await Task.WhenAll(sessions.Select(async (tokens, i) =>
        {
            await gate.WaitAsync();
            try
            {
                // Five of the fleet's callers present the same refresh token at once (two instances): one rotation.
                var results = await Task.WhenAll(Enumerable.Range(0, 5).Select(async n =>
                {
                    try
                    {
                        return await clients[(i + n) % 2].Sessions.RefreshAsync(Tag, tokens.RefreshToken);
                    }
                    catch (DuctapeException)
                    {
                        Interlocked.Increment(ref failures);
                        return null;
                    }
                }));
                Interlocked.Add(ref pairs, results.Where(r => r is not null).Select(r => r!.RefreshToken).Distinct().Count());
            }
            finally
            {
                gate.Release();
            }
        }));

        TestContext.Out.WriteLine($"[{Kind}] 10,000 benign refreshes: {alarms} alarm(s), {failures} failure(s), {pairs} distinct new pair(s)");
        Assert.That((alarms, failures), Is.EqualTo((0, 0)));
        Assert.That(pairs, Is.EqualTo(2000), "one new pair per session, however many callers raced");
    }
}
