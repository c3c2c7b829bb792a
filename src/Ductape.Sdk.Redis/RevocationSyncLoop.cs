using Ductape.Sdk.Tokens.Revocation;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Ductape.Sdk.Redis;

/// <summary>
/// Keeps one instance's replica in step with Redis, in the background: it subscribes to the channel (every message heard
/// keeps the replica fresh), shares what this instance revoked while Redis was away, says it is alive, and reloads
/// everything at each resync (writing back what Redis lost). Supervised: whatever a round throws — Redis away, a bug — is
/// logged, counted, backed off and the loop goes on; nothing stored under the prefix can stop it.
/// </summary>
internal sealed partial class RevocationSyncLoop : IAsyncDisposable
{
    private const int ReadBatch = 512;
    private const int MaxReportedKeys = 10_000;
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    private readonly IConnectionMultiplexer _redis;
    private readonly RevocationKeys _keys;
    private readonly SessionRevocationSet _replica;
    private readonly UnsharedRevocations _unshared;
    private readonly RedisSessionRevocationStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RevocationMetrics _metrics;
    private readonly byte[] _heartbeat = RevocationCodec.Heartbeat(Guid.NewGuid().ToString("N"));
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly HashSet<string> _reportedKeys = new(StringComparer.Ordinal);
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _run = Task.CompletedTask;
    private long _lastHeardTicks;
    private long _gapsOpened; // times the replica may have missed messages (a connection failed, a round failed, it went stale)
    private long _gapsClosed; // the gaps a completed resync has covered
    private long _unreadableMessages;
    private int _subscribed;
    private int _resyncRequested;

    public RevocationSyncLoop(
        IConnectionMultiplexer redis, RevocationKeys keys, SessionRevocationSet replica, UnsharedRevocations unshared,
        RedisSessionRevocationStoreOptions options, TimeProvider time, ILogger logger, RevocationMetrics metrics)
    {
        _redis = redis;
        _keys = keys;
        _replica = replica;
        _unshared = unshared;
        _options = options;
        _time = time;
        _logger = logger;
        _metrics = metrics;
    }

    /// <summary>Completes when the first load from Redis has finished.</summary>
    public Task Loaded => _loaded.Task;

    /// <summary>Whether the first load has finished.</summary>
    public bool IsLoaded => _loaded.Task.IsCompleted;

    /// <summary>Time since the replica last heard from Redis (a message, or a completed resync); null before it ever did.</summary>
    public TimeSpan? Age => Interlocked.Read(ref _lastHeardTicks) is var ticks and > 0
        ? _time.GetUtcNow() - new DateTimeOffset(ticks, TimeSpan.Zero)
        : null;

    public bool IsStopped => _stop.IsCancellationRequested;

    /// <summary>Runs the loop in the background.</summary>
    public void Start()
    {
        _redis.ConnectionFailed += OnConnectionFailed;
        _redis.ConnectionRestored += OnConnectionRestored;
        _run = Task.Run(RunAsync, CancellationToken.None);
    }

    /// <summary>The first round, awaited by <c>StartAsync</c>: subscribe and load; throws what Redis throws.</summary>
    public async Task FirstRoundAsync(CancellationToken cancellationToken)
    {
        await SubscribeAsync().ConfigureAwait(false);
        await ResyncAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes a revocation to Redis (with its TTL) and publishes it; an expired one needs neither.</summary>
    public async Task ShareAsync(string key, SessionRevocation revocation)
    {
        var ttl = revocation.Until - _time.GetUtcNow();
        if (ttl <= TimeSpan.Zero)
        {
            return;
        }

        var value = RevocationCodec.Encode(revocation);
        await _redis.GetDatabase().StringSetAsync(key, value, ttl).ConfigureAwait(false);
        await _redis.GetSubscriber().PublishAsync(_keys.Channel, value).ConfigureAwait(false);
    }

    /// <summary>Asks for a reload at the next round instead of the next interval.</summary>
    public void RequestResync()
    {
        Interlocked.Exchange(ref _resyncRequested, 1);
        Volatile.Read(ref _wake).TrySetResult();
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    public async Task StopAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _redis.ConnectionFailed -= OnConnectionFailed;
        _redis.ConnectionRestored -= OnConnectionRestored;
        await _run.ConfigureAwait(false); // never faults: every round is supervised
        if (Interlocked.Exchange(ref _subscribed, 0) == 1)
        {
            try
            {
                await _redis.GetSubscriber().UnsubscribeAsync(_keys.Channel).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
            {
                // Stopping: the connection may already be gone.
            }
        }

        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        var failures = 0;
        var lastResync = IsLoaded ? _time.GetUtcNow() : DateTimeOffset.MinValue;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                if (IsLoaded && failures == 0)
                {
                    await WaitAsync(_options.HeartbeatInterval).ConfigureAwait(false);
                }

                await SubscribeAsync().ConfigureAwait(false);
                await ShareUnsharedAsync().ConfigureAwait(false);
                await _redis.GetSubscriber().PublishAsync(_keys.Channel, _heartbeat).ConfigureAwait(false);
                var stale = Age is not { } age || age > _options.StalenessLimit;
                if (stale)
                {
                    OpenGap(); // whatever was published meanwhile may be lost
                }

                if (Interlocked.Exchange(ref _resyncRequested, 0) == 1 || !IsLoaded || stale || HasGap
                    || _time.GetUtcNow() - lastResync >= _options.ResyncInterval)
                {
                    await ResyncAsync(_stop.Token).ConfigureAwait(false);
                    lastResync = _time.GetUtcNow();
                }

                ReportUnreadableMessages();
                if (failures > 0)
                {
                    RedisSessionRevocationStore.LogRecovered(_logger, failures);
                    failures = 0;
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Redis away, a timeout, or a bug: the replica keeps what it knows and goes stale; the loop goes on.
                failures++;
                _metrics.LoopFailures.Add(1);
                OpenGap(); // what was missed meanwhile is reloaded when it works again
                var delay = Backoff(failures);
                RedisSessionRevocationStore.LogRoundFailed(_logger, failures, ex.GetType().Name, (long)delay.TotalMilliseconds);
                try
                {
                    await WaitAsync(delay).ConfigureAwait(false); // cut short when the connection comes back
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>
    /// Exponential from the heartbeat interval, capped at 5 s (or the interval when longer), with jitter; the wait ends early
    /// when the connection comes back, so a fleet catches up as soon as Redis does.
    /// </summary>
    private TimeSpan Backoff(int failures)
    {
        var cap = Math.Max(MaxBackoff.Ticks, _options.HeartbeatInterval.Ticks);
        var exponential = Math.Min(cap, _options.HeartbeatInterval.Ticks * Math.Pow(2, Math.Min(failures - 1, 20)));
        return TimeSpan.FromTicks((long)(exponential / 2 + (exponential / 2 * Random.Shared.NextDouble())));
    }

    private async Task WaitAsync(TimeSpan interval)
    {
        var wake = Volatile.Read(ref _wake);
        using var delay = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        var tick = Task.Delay(interval, _time, delay.Token);
        var first = await Task.WhenAny(wake.Task, tick).ConfigureAwait(false);
        await delay.CancelAsync().ConfigureAwait(false);
        _stop.Token.ThrowIfCancellationRequested();
        if (first == wake.Task)
        {
            Interlocked.CompareExchange(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), wake);
        }
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e) => OpenGap();

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e) => RequestResync(); // what was published meanwhile is gone

    private bool HasGap => Interlocked.Read(ref _gapsClosed) < Interlocked.Read(ref _gapsOpened);

    private void OpenGap() => Interlocked.Increment(ref _gapsOpened);

    private async Task ShareUnsharedAsync()
    {
        if (_unshared.IsEmpty)
        {
            return;
        }

        var shared = 0;
        foreach (var (key, revocation) in _unshared.Snapshot())
        {
            await ShareAsync(key, revocation).ConfigureAwait(false);
            _unshared.Shared(key, revocation);
            shared++;
        }

        RedisSessionRevocationStore.LogShared(_logger, shared);
    }

    private void Heard()
    {
        Interlocked.Exchange(ref _lastHeardTicks, _time.GetUtcNow().UtcTicks);
    }
}
