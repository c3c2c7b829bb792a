using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Ductape.Sdk.Tokens;
using StackExchange.Redis;

namespace Ductape.Sdk.IntegrationTests.Redis;

/// <summary>
/// Three instances (separate connections, separate links) under steady validation load while Redis is healthy, fed
/// poison, cut off from one instance, frozen and killed. Measured: propagation while healthy, validations that accepted a
/// revoked session after its bound, and revocations missing once every link is back.
/// </summary>
public class RedisFleetChaosTests(string kind) : RedisFleetTest(kind)
{
    /// <summary>A revocation another instance may miss for at most this long: the staleness limit (1 s) and a margin.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(1.5);

    /// <summary>How long the fleet may take to catch up once a link or the server is back.</summary>
    private static readonly TimeSpan CatchUp = TimeSpan.FromSeconds(8);

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentDictionary<string, TimeSpan> _refuseAfter = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<string> _violations = [];
    private readonly List<string> _revoked = [];
    private readonly Dictionary<string, string> _tokens = new(StringComparer.Ordinal);
    private readonly List<TimeSpan> _catchUps = [];
    private long _validations;
    private long _accepted;

    [Test]
    public async Task Under_kill_pause_cut_and_poison_no_revoked_session_is_accepted_past_its_bound_and_none_is_lost()
    {
        var fleet = new[]
        {
            await StartInstance(o => o.WriteTimeout = TimeSpan.FromMilliseconds(500)),
            await StartInstance(o => o.WriteTimeout = TimeSpan.FromMilliseconds(500)),
            await StartInstance(o => o.WriteTimeout = TimeSpan.FromMilliseconds(500)),
        };
        var (a, b, c) = (fleet[0], fleet[1], fleet[2]);
        for (var i = 0; i < 420; i++)
        {
            _tokens[$"ses_{i:D3}"] = Token($"ses_{i:D3}");
        }

        for (var i = 0; i < 40; i++)
        {
            _tokens[$"ses_active_{i}"] = Token($"ses_active_{i}");
        }

        using var stop = new CancellationTokenSource();
        var load = fleet.Select((instance, n) => Task.Run(() => LoadAsync(instance, n, stop.Token))).ToArray();
        var next = 0;
        string NextSession() => $"ses_{next++:D3}";

        // Healthy: 300 revocations from every instance in turn, each timed until both others refuse it.
        var latencies = new List<double>();
        for (var i = 0; i < 300; i++)
        {
            var from = fleet[i % 3];
            var sid = NextSession();
            var clock = Stopwatch.StartNew();
            await RevokeAsync(from, sid, expectShared: true);
            await Until(() => fleet.All(f => f.Check(_tokens[sid]) == SessionTokenFailure.Revoked), TimeSpan.FromSeconds(2), sid);
            latencies.Add(clock.Elapsed.TotalMilliseconds);
        }

        latencies.Sort();
        var p99 = latencies[(int)(latencies.Count * 0.99) - 1];

        // Poison: entries and messages this store never writes, then more revocations.
        var direct = await Redis.ConnectDirectAsync();
        for (var i = 0; i < 20; i++)
        {
            await direct.GetDatabase().StringSetAsync($"ductape:revocations:s:poison{i}", Encoding.UTF8.GetBytes($$"""{"t":"s","sid":" ","until":{{i}}}"""));
            await direct.GetSubscriber().PublishAsync(RedisChannel.Literal("ductape:revocations:events"), "not json"u8.ToArray());
        }

        for (var i = 0; i < 20; i++)
        {
            await RevokeAsync(fleet[i % 3], NextSession(), expectShared: true);
        }

        // One instance cut off: the others' revocations must not be accepted there past the bound (it fails closed); its
        // own are reported not shared, and reach the others once its link is back.
        c.Link.Cut();
        var pending = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            await RevokeAsync(a, NextSession(), expectShared: true);
            var own = NextSession();
            await RevokeAsync(c, own, expectShared: false);
            pending.Add(own);
        }

        await Task.Delay(TimeSpan.FromSeconds(2));
        c.Link.Restore();
        await CaughtUpAsync(fleet, pending, "after the link returned");

        // The server frozen (SIGSTOP for redis-server): revocations fail in time and are shared after the thaw.
        await Redis.PauseAsync();
        pending.Clear();
        for (var i = 0; i < 10; i++)
        {
            var sid = NextSession();
            await RevokeAsync(b, sid, expectShared: false);
            pending.Add(sid);
        }

        await Task.Delay(TimeSpan.FromSeconds(2));
        await Redis.ResumeAsync();
        await CaughtUpAsync(fleet, pending, "after the thaw");

        // The server killed and restarted empty: the replicas write back what it lost.
        await Redis.KillAsync();
        pending.Clear();
        for (var i = 0; i < 10; i++)
        {
            var sid = NextSession();
            await RevokeAsync(a, sid, expectShared: false);
            pending.Add(sid);
        }

        await Task.Delay(TimeSpan.FromSeconds(2));
        await Redis.RestartAsync();
        await CaughtUpAsync(fleet, pending, "after the restart");

        // Every revocation, on every instance, and on a new instance that only knows Redis.
        var late = await StartInstance();
        await Until(() => _revoked.All(sid => late.Check(_tokens[sid]) == SessionTokenFailure.Revoked), TimeSpan.FromSeconds(10),
            "a new instance knowing every revocation");
        await stop.CancelAsync();
        await Task.WhenAll(load);
        var lost = _revoked.Count(sid => fleet.Append(late).Any(f => f.Check(_tokens[sid]) != SessionTokenFailure.Revoked));

        TestContext.Out.WriteLine(
            $"[{Kind}] {_revoked.Count} revocations; healthy propagation p50 {latencies[latencies.Count / 2]:0.0} ms, p99 {p99:0.0} ms, " +
            $"max {latencies[^1]:0.0} ms; {Interlocked.Read(ref _validations):N0} validations ({Interlocked.Read(ref _accepted):N0} accepted); " +
            $"{_violations.Count} accepted a revoked session past its bound; {lost} lost; caught up after the link returned, the thaw, " +
            $"the restart in {string.Join(", ", _catchUps.Select(t => $"{t.TotalMilliseconds:0} ms"))}");
        Assert.That(_violations.Take(10), Is.Empty);
        Assert.That(lost, Is.Zero);
        Assert.That(p99, Is.LessThanOrEqualTo(100));
    }

    private async Task RevokeAsync(Instance from, string sid, bool expectShared)
    {
        _revoked.Add(sid);
        if (expectShared)
        {
            await from.Store.RevokeSessionAsync(sid);
            _refuseAfter[sid] = _clock.Elapsed + Bound;
        }
        else
        {
            Assert.ThrowsAsync<DuctapeRevocationNotSharedException>(() => from.Store.RevokeSessionAsync(sid), sid);
            _refuseAfter[sid] = TimeSpan.MaxValue; // not done: its bound starts when the link is back
        }
    }

    /// <summary>
    /// The revocations made while the fleet was split count from now: every instance must know every revocation within
    /// <see cref="CatchUp"/> (asserted), and none may accept one after that.
    /// </summary>
    private async Task CaughtUpAsync(Instance[] fleet, IEnumerable<string> pending, string when)
    {
        foreach (var sid in pending)
        {
            _refuseAfter[sid] = _clock.Elapsed + CatchUp;
        }

        _catchUps.Add(await Until(() => _revoked.All(sid => fleet.All(f => f.Check(_tokens[sid]) == SessionTokenFailure.Revoked)),
            CatchUp, $"every instance knowing every revocation {when}"));
    }

    /// <summary>One instance's steady load: a sample of tokens per round, every acceptance checked against its bound.</summary>
    private async Task LoadAsync(Instance instance, int number, CancellationToken stop)
    {
        var all = _tokens.ToArray();
        var random = new Random(number);
        while (!stop.IsCancellationRequested)
        {
            for (var i = 0; i < 64; i++)
            {
                var (sid, token) = all[random.Next(all.Length)];
                var result = instance.Validator.Validate(token);
                Interlocked.Increment(ref _validations);
                if (!result.IsValid)
                {
                    continue;
                }

                Interlocked.Increment(ref _accepted);
                if (_refuseAfter.TryGetValue(sid, out var bound) && _clock.Elapsed > bound)
                {
                    _violations.Add($"instance {number} accepted {sid} {(_clock.Elapsed - bound).TotalMilliseconds:0} ms past its bound " +
                        $"at {_clock.Elapsed.TotalSeconds:0.0} s ({instance.Store.GetHealth().Description})");
                }
            }

            try
            {
                await Task.Delay(1, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
