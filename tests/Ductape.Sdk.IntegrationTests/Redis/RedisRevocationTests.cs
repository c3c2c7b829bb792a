using System.Diagnostics;
using Ductape.Sdk.Redis;
using Ductape.Sdk.Tokens;

namespace Ductape.Sdk.IntegrationTests.Redis;

/// <summary>Revocations shared between instances in ordinary operation, an outage of the whole server, and a large load.</summary>
public class RedisRevocationTests(string kind) : RedisFleetTest(kind)
{
    [Test]
    public async Task A_revocation_on_one_instance_is_honoured_by_the_others_within_100_ms_at_p99()
    {
        var a = await StartInstance();
        var b = await StartInstance();
        var c = await StartInstance();
        var latencies = new List<double>();

        for (var i = 0; i < 1000; i++)
        {
            var token = Token($"ses_{i}");
            Assert.That(b.Validator.Validate(token).IsValid && c.Validator.Validate(token).IsValid, Is.True);
            var clock = Stopwatch.StartNew();
            await a.Store.RevokeSessionAsync($"ses_{i}");
            await Until(() => b.Check(token) == SessionTokenFailure.Revoked && c.Check(token) == SessionTokenFailure.Revoked,
                TimeSpan.FromSeconds(1));
            latencies.Add(clock.Elapsed.TotalMilliseconds);
        }

        latencies.Sort();
        var p50 = latencies[499];
        var p99 = latencies[989];
        TestContext.Out.WriteLine($"[{Kind}] revocation seen by two other instances: p50 {p50:0.0} ms, p99 {p99:0.0} ms, max {latencies[^1]:0.0} ms");
        Assert.That(p99, Is.LessThanOrEqualTo(100));
    }

    [Test]
    public async Task RevokeAll_reaches_every_instance_and_spares_the_excluded_session()
    {
        var a = await StartInstance();
        var b = await StartInstance();
        var first = Token("ses_1");
        var second = Token("ses_2");
        var current = Token("ses_current");
        var otherUser = Token("ses_other", "user-2");
        await Task.Delay(TimeSpan.FromMilliseconds(1100)); // tokens carry whole seconds; the revocation is strictly later

        await a.Store.RevokeIdentifierAsync(Scope, "user-1", exceptSessionId: "ses_current");

        await Until(() => b.Check(first) == SessionTokenFailure.Revoked, TimeSpan.FromSeconds(1));
        Assert.That(b.Check(second), Is.EqualTo(SessionTokenFailure.Revoked));
        Assert.That(b.Validator.Validate(current).IsValid, Is.True);
        Assert.That(b.Validator.Validate(otherUser).IsValid, Is.True);
    }

    [Test]
    public async Task Without_Redis_a_stale_replica_fails_closed_then_recovers_and_loses_no_revocation()
    {
        var a = await StartInstance();
        var b = await StartInstance();
        var open = await StartInstance(o => o.StalenessPolicy = RevocationStalenessPolicy.FailOpen);
        var revoked = Token("ses_revoked");
        var active = Token("ses_active");
        await a.Store.RevokeSessionAsync("ses_revoked");
        await Until(() => b.Check(revoked) == SessionTokenFailure.Revoked, TimeSpan.FromSeconds(1));

        await Redis.KillAsync();
        var stale = await Until(() => b.Check(active) == SessionTokenFailure.RevocationUnknown, TimeSpan.FromSeconds(5));
        TestContext.Out.WriteLine($"[{Kind}] stale after {stale.TotalMilliseconds:0} ms without Redis (limit 1,000 ms)");
        Assert.That(b.Store.IsStale, Is.True);
        Assert.That(b.Store.GetHealth().Status, Is.EqualTo(SessionRevocationStoreStatus.Unhealthy));
        Assert.That(open.Store.GetHealth().Status, Is.EqualTo(SessionRevocationStoreStatus.Degraded));
        Assert.That(b.Check(revoked), Is.EqualTo(SessionTokenFailure.RevocationUnknown), "closed: nothing is accepted");
        Assert.That(open.Validator.Validate(active).IsValid, Is.True, "open: the replica still answers");
        Assert.That(open.Check(revoked), Is.EqualTo(SessionTokenFailure.Revoked), "and still knows what it knew");

        // Meanwhile an instance revokes while Redis is down: it holds here, the caller is told it is not shared, and the
        // store shares it when Redis is back.
        var during = Assert.ThrowsAsync<DuctapeRevocationNotSharedException>(() => b.Store.RevokeSessionAsync("ses_during_outage"));
        Assert.That(during!.Message, Does.Contain("holds on this instance").And.Contain("repeating the revocation is safe"));
        Assert.That(b.Store.GetHealth().Unshared, Is.EqualTo(1));

        await Redis.RestartAsync(); // empty: persistence is off
        await Until(() => b.Validator.Validate(active).IsValid, TimeSpan.FromSeconds(15));

        // A new instance that only knows Redis sees every revocation: the replicas wrote back what the restart lost.
        var late = await StartInstance();
        await Until(() => late.Check(revoked) == SessionTokenFailure.Revoked
                          && late.Check(Token("ses_during_outage")) == SessionTokenFailure.Revoked, TimeSpan.FromSeconds(10));
        Assert.That(late.Validator.Validate(active).IsValid, Is.True);
        await Until(() => b.Store.GetHealth().Unshared == 0, TimeSpan.FromSeconds(5));
    }

    [Test]
    public async Task A_hundred_thousand_revocations_load_into_a_new_replica()
    {
        var a = await StartInstance(o => o.ResyncInterval = TimeSpan.FromMinutes(5));
        var writes = new List<Task>(1000);
        for (var i = 0; i < 100_000; i++)
        {
            writes.Add(a.Store.RevokeSessionAsync($"ses_{i:D6}_{Guid.NewGuid():N}"));
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
        var b = await StartInstance(o => o.ResyncInterval = TimeSpan.FromMinutes(5));
        var loaded = clock.Elapsed;
        var after = GC.GetTotalMemory(forceFullCollection: true);

        Assert.That(b.Store.Count, Is.EqualTo(100_000));
        TestContext.Out.WriteLine(
            $"[{Kind}] 100,000 revocations: loaded in {loaded.TotalSeconds:0.00} s, replica +{(after - before) / 1048576.0:0.0} MiB ({(after - before) / 100_000} B each)");
        Assert.That(after - before, Is.LessThan(64L * 1024 * 1024));
    }
}
