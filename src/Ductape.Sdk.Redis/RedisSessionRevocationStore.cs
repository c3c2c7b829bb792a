using System.Diagnostics.Metrics;
using Ductape.Sdk.Tokens;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Ductape.Sdk.Redis;

/// <summary>
/// Session revocations shared through Redis, for a fleet of instances validating tokens offline. Every instance keeps an
/// in-memory replica, so <see cref="Check"/> is a memory look-up; a revocation is applied to the local replica at once,
/// written to Redis with a TTL of <see cref="RedisSessionRevocationStoreOptions.EntryLifetime"/> and published, and every
/// other replica applies it when the message arrives. Replicas load everything at start, reload every
/// <see cref="RedisSessionRevocationStoreOptions.ResyncInterval"/> (and when the connection comes back), and write back what
/// Redis lost (a restart without persistence), so no revocation is lost while one replica still knows it. A replica that
/// has heard nothing — not even the instances' heartbeats — for longer than
/// <see cref="RedisSessionRevocationStoreOptions.StalenessLimit"/> follows <see cref="RedisSessionRevocationStoreOptions.StalenessPolicy"/>,
/// and says so in its log and its metrics (meter <c>Ductape.Sdk.Redis</c>). Thread-safe; dispose it to stop.
/// </summary>
public sealed partial class RedisSessionRevocationStore : ISessionRevocationStore, IAsyncDisposable
{
    private const int ReadBatch = 512;

    private readonly IConnectionMultiplexer _redis;
    private readonly InMemorySessionRevocationStore _replica;
    private readonly RedisSessionRevocationStoreOptions _options;
    private readonly string _prefix;
    private readonly RedisChannel _channel;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly byte[] _heartbeat;
    private readonly CancellationTokenSource _stop = new();
    private readonly Meter _meter;
    private readonly Counter<long> _unknownChecks;
    private readonly SemaphoreSlim _resyncNow = new(0, 1);
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _subscribed;
    private long _lastHeardTicks;
    private int _stale; // 1 while the replica is stale, so the transition is logged once
    private Task _loop = Task.CompletedTask;

    /// <summary>
    /// Builds a store and starts it in the background: it subscribes, loads every revocation, then runs its heartbeat and
    /// resync loop. Until the first load completes (<see cref="Loaded"/>), checks follow the staleness policy. Prefer
    /// <see cref="StartAsync"/> where you can await; this form is for dependency injection.
    /// </summary>
    /// <param name="redis">The connection (share one per process, as StackExchange.Redis recommends).</param>
    /// <param name="options">The settings, or null for the defaults.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public RedisSessionRevocationStore(IConnectionMultiplexer redis, RedisSessionRevocationStoreOptions? options = null)
        : this(redis, options ?? new RedisSessionRevocationStoreOptions(), validated: false)
    {
        _loop = Task.Run(RunAsync, CancellationToken.None);
    }

    private RedisSessionRevocationStore(IConnectionMultiplexer redis, RedisSessionRevocationStoreOptions options, bool validated)
    {
        ArgumentNullException.ThrowIfNull(redis);
        if (!validated)
        {
            options.ThrowIfInvalid();
        }

        _redis = redis;
        _options = options;
        _prefix = options.KeyPrefix;
        _channel = RedisChannel.Literal(_prefix + "events");
        _time = options.TimeProvider ?? TimeProvider.System;
        _logger = options.LoggerFactory?.CreateLogger("Ductape.Sdk.Redis") ?? NullLogger.Instance;
        _replica = new InMemorySessionRevocationStore(new SessionRevocationStoreOptions
        {
            EntryLifetime = options.EntryLifetime,
            TimeProvider = _time,
        });
        _heartbeat = RevocationCodec.Heartbeat(Guid.NewGuid().ToString("N"));
        _meter = new Meter("Ductape.Sdk.Redis", typeof(RedisSessionRevocationStore).Assembly.GetName().Version?.ToString());
        _meter.CreateObservableGauge("ductape.revocations.replica.age", () => Age.TotalSeconds, "s",
            "Time since the revocation replica last heard from Redis.");
        _meter.CreateObservableGauge("ductape.revocations.replica.entries", () => (long)_replica.Count, "{revocation}",
            "Revocations held by the replica.");
        _unknownChecks = _meter.CreateCounter<long>("ductape.revocations.unknown", "{check}",
            "Checks answered RevocationUnknown because the replica was stale.");
    }

    /// <summary>Completes when the first load from Redis has finished.</summary>
    public Task Loaded => _loaded.Task;

    /// <summary>Whether the replica has not heard from Redis for longer than the staleness limit.</summary>
    public bool IsStale => Age > _options.StalenessLimit;

    /// <summary>How many revocations the replica holds.</summary>
    public int Count => _replica.Count;

    private TimeSpan Age => _time.GetUtcNow() - new DateTimeOffset(Interlocked.Read(ref _lastHeardTicks), TimeSpan.Zero);

    /// <summary>
    /// Connects a store: subscribes to the channel, loads every revocation from Redis, and starts the heartbeat and resync
    /// loop.
    /// </summary>
    /// <param name="redis">The connection (share one per process, as StackExchange.Redis recommends).</param>
    /// <param name="options">The settings, or null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running store.</returns>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    /// <exception cref="RedisException">Redis could not be reached to load the revocations.</exception>
    public static async Task<RedisSessionRevocationStore> StartAsync(
        IConnectionMultiplexer redis, RedisSessionRevocationStoreOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(redis);
        options ??= new RedisSessionRevocationStoreOptions();
        options.ThrowIfInvalid();
        var store = new RedisSessionRevocationStore(redis, options, validated: true);
        try
        {
            await store.SubscribeAsync().ConfigureAwait(false);
            await store.ResyncAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        store._loop = Task.Run(store.RunAsync, CancellationToken.None);
        return store;
    }

    /// <inheritdoc/>
    public SessionRevocationState Check(ValidatedSession session)
    {
        if (IsStale)
        {
            NoteStale();
            if (_options.StalenessPolicy == RevocationStalenessPolicy.FailClosed)
            {
                _unknownChecks.Add(1);
                return SessionRevocationState.Unknown;
            }
        }

        return _replica.Check(session);
    }

    /// <inheritdoc/>
    public Task RevokeSessionAsync(string sessionId, CancellationToken cancellationToken = default) =>
        PublishAsync(_replica.NewSessionRevocation(sessionId), cancellationToken);

    /// <inheritdoc/>
    public Task RevokeIdentifierAsync(SessionScope scope, string identifier, string? exceptSessionId, CancellationToken cancellationToken = default) =>
        PublishAsync(_replica.NewUserRevocation(scope, identifier, exceptSessionId), cancellationToken);

    /// <summary>Stops the loop and unsubscribes; the connection is left open (it is yours).</summary>
    /// <returns>A task that completes when the store has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _redis.ConnectionRestored -= OnConnectionRestored;
        try
        {
            await _loop.ConfigureAwait(false);
            await _redis.GetSubscriber().UnsubscribeAsync(_channel).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or OperationCanceledException or ObjectDisposedException)
        {
            // Stopping: the connection may already be gone.
        }

        _meter.Dispose();
        _stop.Dispose();
        _resyncNow.Dispose();
    }

    /// <summary>
    /// Applies locally first (this instance honours it at once, whatever Redis does), then writes and publishes. A write that
    /// fails is not lost: the next resync writes back every entry Redis lacks.
    /// </summary>
    private async Task PublishAsync(SessionRevocation revocation, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _replica.Apply(revocation);
        var value = RevocationCodec.Encode(revocation);
        try
        {
            if (Ttl(revocation) is { } ttl)
            {
                await _redis.GetDatabase().StringSetAsync(RevocationCodec.KeyFor(_prefix, revocation), value, ttl).ConfigureAwait(false);
            }

            await _redis.GetSubscriber().PublishAsync(_channel, value).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogWriteFailed(_logger, ex.GetType().Name);
        }
    }

    private void OnMessage(RedisValue message)
    {
        try
        {
            if (RevocationCodec.Decode((byte[])message!) is { } revocation)
            {
                _replica.Apply(revocation);
            }

            Heard();
        }
        catch (FormatException)
        {
            LogUnreadable(_logger);
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        // Messages published while the connection was down are gone: reload now rather than at the next interval.
        try
        {
            _resyncNow.Release();
        }
        catch (SemaphoreFullException)
        {
            // A resync is already requested.
        }
        catch (ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private async Task SubscribeAsync()
    {
        if (Interlocked.Exchange(ref _subscribed, 1) == 1)
        {
            return;
        }

        try
        {
            await _redis.GetSubscriber().SubscribeAsync(_channel, (_, message) => OnMessage(message)).ConfigureAwait(false);
            _redis.ConnectionRestored += OnConnectionRestored;
        }
        catch
        {
            Interlocked.Exchange(ref _subscribed, 0);
            throw;
        }
    }

    private async Task RunAsync()
    {
        var lastResync = _loaded.Task.IsCompleted ? _time.GetUtcNow() : DateTimeOffset.MinValue;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var requested = _loaded.Task.IsCompleted
                    && await _resyncNow.WaitAsync(_options.HeartbeatInterval, _stop.Token).ConfigureAwait(false);
                await SubscribeAsync().ConfigureAwait(false);
                await _redis.GetSubscriber().PublishAsync(_channel, _heartbeat).ConfigureAwait(false);
                if (requested || _time.GetUtcNow() - lastResync >= _options.ResyncInterval || IsStale)
                {
                    await ResyncAsync(_stop.Token).ConfigureAwait(false);
                    lastResync = _time.GetUtcNow();
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
            {
                // Redis is away: the replica keeps its knowledge and goes stale; the next round tries again.
                LogRoundFailed(_logger, ex.GetType().Name);
                if (!_loaded.Task.IsCompleted)
                {
                    try
                    {
                        await Task.Delay(_options.HeartbeatInterval, _time, _stop.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }
            }
        }
    }

    /// <summary>Loads every revocation from Redis into the replica, then writes back what the replica knows and Redis lacks.</summary>
    private async Task ResyncAsync(CancellationToken cancellationToken)
    {
        var database = _redis.GetDatabase();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in _redis.GetEndPoints())
        {
            var server = _redis.GetServer(endpoint);
            if (!server.IsConnected || server.IsReplica)
            {
                continue;
            }

            var batch = new List<RedisKey>(ReadBatch);
            await foreach (var key in server.KeysAsync(database.Database, _prefix + "*", ReadBatch).WithCancellation(cancellationToken)
                               .ConfigureAwait(false))
            {
                batch.Add(key);
                if (batch.Count == ReadBatch)
                {
                    await LoadAsync(database, batch, seen).ConfigureAwait(false);
                    batch.Clear();
                }
            }

            await LoadAsync(database, batch, seen).ConfigureAwait(false);
        }

        var restored = 0;
        foreach (var revocation in _replica.Snapshot())
        {
            var key = RevocationCodec.KeyFor(_prefix, revocation);
            if (!seen.Contains(key) && Ttl(revocation) is { } ttl
                && await database.StringSetAsync(key, RevocationCodec.Encode(revocation), ttl, When.NotExists).ConfigureAwait(false))
            {
                restored++;
            }
        }

        if (restored > 0)
        {
            LogRestored(_logger, restored);
        }

        Heard();
        _loaded.TrySetResult();
    }

    private async Task LoadAsync(IDatabase database, List<RedisKey> keys, HashSet<string> seen)
    {
        if (keys.Count == 0)
        {
            return;
        }

        var values = await database.StringGetAsync([.. keys]).ConfigureAwait(false);
        for (var i = 0; i < keys.Count; i++)
        {
            seen.Add(keys[i].ToString());
            if (values[i].IsNull)
            {
                continue;
            }

            try
            {
                if (RevocationCodec.Decode((byte[])values[i]!) is { } revocation)
                {
                    _replica.Apply(revocation);
                }
            }
            catch (FormatException)
            {
                LogUnreadable(_logger);
            }
        }
    }

    private TimeSpan? Ttl(SessionRevocation revocation)
    {
        var ttl = revocation.Until - _time.GetUtcNow();
        return ttl > TimeSpan.Zero ? ttl : null;
    }

    private void Heard()
    {
        Interlocked.Exchange(ref _lastHeardTicks, _time.GetUtcNow().UtcTicks);
        if (Interlocked.Exchange(ref _stale, 0) == 1)
        {
            LogFresh(_logger);
        }
    }

    private void NoteStale()
    {
        if (Interlocked.Exchange(ref _stale, 1) == 0)
        {
            LogStale(_logger, (long)_options.StalenessLimit.TotalMilliseconds, _options.StalenessPolicy.ToString());
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning,
        Message = "Revocation replica has not heard from Redis for over {LimitMs} ms; checks follow the {Policy} policy until it recovers")]
    private static partial void LogStale(ILogger logger, long limitMs, string policy);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Revocation replica is in touch with Redis again")]
    private static partial void LogFresh(ILogger logger);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning,
        Message = "A revocation could not be written to Redis ({Failure}); it holds here and is written back at the next resync")]
    private static partial void LogWriteFailed(ILogger logger, string failure);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Redis round of the revocation replica failed ({Failure})")]
    private static partial void LogRoundFailed(ILogger logger, string failure);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Wrote {Count} revocation(s) Redis had lost back to it")]
    private static partial void LogRestored(ILogger logger, int count);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "Ignored an unreadable revocation message")]
    private static partial void LogUnreadable(ILogger logger);
}
