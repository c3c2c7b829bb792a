using System.Diagnostics;
using Ductape.Sdk.IntegrationTests.TestSupport;
using Ductape.Sdk.Redis;
using Ductape.Sdk.Tokens;

namespace Ductape.Sdk.IntegrationTests.Redis;

/// <summary>
/// Revocations shared between instances through a real Redis on loopback: three stores on three connections stand for three
/// instances of an app.
/// </summary>
[NonParallelizable]
public class RedisRevocationTests
{
    private static readonly SessionKeyRing Keys = new(SessionKey.Generate("redis-test"));
    private static readonly SessionScope Scope = new("acme:shop", "prd", "session_name");

    private RedisServer _redis = null!;
    private readonly List<IAsyncDisposable> _owned = [];

    [SetUp]
    public async Task SetUp() => _redis = await RedisServer.StartAsync();

    [TearDown]
    public async Task TearDown()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            await owned.DisposeAsync();
        }

        _owned.Clear();
        await _redis.DisposeAsync();
    }

    private async Task<RedisSessionRevocationStore> Instance(Action<RedisSessionRevocationStoreOptions>? configure = null)
    {
        var connection = await RedisServer.ConnectAsync(_redis);
        _owned.Add(connection);
        var options = new RedisSessionRevocationStoreOptions
        {
            HeartbeatInterval = TimeSpan.FromMilliseconds(100),
            StalenessLimit = TimeSpan.FromSeconds(1),
            ResyncInterval = TimeSpan.FromSeconds(1),
        };
        configure?.Invoke(options);
        var store = await RedisSessionRevocationStore.StartAsync(connection, options);
        _owned.Add(store);
        return store;
    }

    private static SessionTokenValidator Validator(ISessionRevocationStore store) => new(new SessionTokenValidationOptions
    {
        Keys = Keys, Product = Scope.Product, Env = Scope.Env, RevocationStore = store,
    });

    private static string Token(string sessionId, string identifier = "user-1") =>
        new SessionTokenIssuer(Keys).Issue(new SessionTokenDescriptor
        {
            Tag = Scope.Tag, Product = Scope.Product, Env = Scope.Env, Selector = "$Session{userId}",
            Data = SessionJson.Parse($$"""{"userId":"{{identifier}}"}"""), Expiry = 1, Period = TokenPeriod.Hours, SessionId = sessionId,
        }).Token;

    private static async Task<TimeSpan> Until(Func<bool> condition, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > limit)
            {
                Assert.Fail($"not within {limit.TotalMilliseconds} ms");
            }

            await Task.Delay(1);
        }

        return clock.Elapsed;
    }

    [Test]
    public async Task A_revocation_on_one_instance_is_honoured_by_the_others_within_a_second()
    {
        var a = await Instance();
        var b = await Instance();
        var c = await Instance();
        var (onB, onC) = (Validator(b), Validator(c));
        var latencies = new List<double>();

        for (var i = 0; i < 1000; i++)
        {
            var token = Token($"ses_{i}");
            Assert.That(onB.Validate(token).IsValid && onC.Validate(token).IsValid, Is.True);
            var clock = Stopwatch.StartNew();
            await a.RevokeSessionAsync($"ses_{i}");
            await Until(() => onB.Validate(token).Failure == SessionTokenFailure.Revoked
                              && onC.Validate(token).Failure == SessionTokenFailure.Revoked, TimeSpan.FromSeconds(1));
            latencies.Add(clock.Elapsed.TotalMilliseconds);
        }

        latencies.Sort();
        var p50 = latencies[499];
        var p99 = latencies[989];
        TestContext.Out.WriteLine($"revocation seen by two other instances: p50 {p50:0.0} ms, p99 {p99:0.0} ms, max {latencies[^1]:0.0} ms");
        Assert.That(p99, Is.LessThan(1000));
    }

    [Test]
    public async Task RevokeAll_reaches_every_instance_and_spares_the_excluded_session()
    {
        var a = await Instance();
        var b = await Instance();
        var onB = Validator(b);
        var first = Token("ses_1");
        var second = Token("ses_2");
        var current = Token("ses_current");
        var otherUser = Token("ses_other", "user-2");
        await Task.Delay(TimeSpan.FromMilliseconds(1100)); // tokens carry whole seconds; the revocation is strictly later

        await a.RevokeIdentifierAsync(Scope, "user-1", exceptSessionId: "ses_current");

        await Until(() => onB.Validate(first).Failure == SessionTokenFailure.Revoked, TimeSpan.FromSeconds(1));
        Assert.That(onB.Validate(second).Failure, Is.EqualTo(SessionTokenFailure.Revoked));
        Assert.That(onB.Validate(current).IsValid, Is.True);
        Assert.That(onB.Validate(otherUser).IsValid, Is.True);
    }

    [Test]
    public async Task Without_Redis_a_stale_replica_fails_closed_then_recovers_and_loses_no_revocation()
    {
        var a = await Instance();
        var b = await Instance();
        var open = await Instance(o => o.StalenessPolicy = RevocationStalenessPolicy.FailOpen);
        var (onB, onOpen) = (Validator(b), Validator(open));
        var revoked = Token("ses_revoked");
        var active = Token("ses_active");
        await a.RevokeSessionAsync("ses_revoked");
        await Until(() => onB.Validate(revoked).Failure == SessionTokenFailure.Revoked, TimeSpan.FromSeconds(1));

        await _redis.StopAsync();
        var stale = await Until(() => onB.Validate(active).Failure == SessionTokenFailure.RevocationUnknown, TimeSpan.FromSeconds(5));
        TestContext.Out.WriteLine($"stale after {stale.TotalMilliseconds:0} ms without Redis (limit 1,000 ms)");
        Assert.That(b.IsStale, Is.True);
        Assert.That(onB.Validate(revoked).Failure, Is.EqualTo(SessionTokenFailure.RevocationUnknown), "closed: nothing is accepted");
        Assert.That(onOpen.Validate(active).IsValid, Is.True, "open: the replica still answers");
        Assert.That(onOpen.Validate(revoked).Failure, Is.EqualTo(SessionTokenFailure.Revoked), "and still knows what it knew");

        // Meanwhile an instance revokes while Redis is down: held locally, written back later.
        await b.RevokeSessionAsync("ses_during_outage");

        await _redis.RestartAsync(); // empty: persistence is off
        await Until(() => onB.Validate(active).IsValid, TimeSpan.FromSeconds(15));

        // A new instance that only knows Redis sees every revocation: the replicas wrote back what the restart lost.
        var late = await Instance();
        var onLate = Validator(late);
        await Until(() => onLate.Validate(revoked).Failure == SessionTokenFailure.Revoked
                          && onLate.Validate(Token("ses_during_outage")).Failure == SessionTokenFailure.Revoked, TimeSpan.FromSeconds(10));
        Assert.That(onLate.Validate(active).IsValid, Is.True);
    }

    [Test]
    public async Task A_hundred_thousand_revocations_load_into_a_new_replica()
    {
        var a = await Instance(o => o.ResyncInterval = TimeSpan.FromMinutes(5));
        var writes = new List<Task>(1000);
        for (var i = 0; i < 100_000; i++)
        {
            writes.Add(a.RevokeSessionAsync($"ses_{i:D6}_{Guid.NewGuid():N}"));
            if (writes.Count == 1000)
            {
                await Task.WhenAll(writes);
                writes.Clear();
            }
        }

        await Task.WhenAll(writes);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var clock = Stopwatch.StartNew();
        var b = await Instance(o => o.ResyncInterval = TimeSpan.FromMinutes(5));
        var loaded = clock.Elapsed;
        var after = GC.GetTotalMemory(forceFullCollection: true);

        Assert.That(b.Count, Is.EqualTo(100_000));
        TestContext.Out.WriteLine(
            $"100,000 revocations: loaded in {loaded.TotalSeconds:0.00} s, replica +{(after - before) / 1048576.0:0.0} MiB ({(after - before) / 100_000} B each)");
        Assert.That(after - before, Is.LessThan(64L * 1024 * 1024));
    }
}
