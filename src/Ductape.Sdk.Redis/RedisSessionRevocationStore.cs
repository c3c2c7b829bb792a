using System.Diagnostics.Metrics;
using Ductape.Sdk.Tokens;
using Ductape.Sdk.Tokens.Revocation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Ductape.Sdk.Redis;

/// <summary>
/// Session revocations shared through Redis, for a fleet of instances validating tokens offline. Every instance keeps an
/// in-memory replica, so <see cref="Check"/> is a memory look-up. A revocation is applied to the local replica at once, then
/// written to Redis (TTL <see cref="RedisSessionRevocationStoreOptions.EntryLifetime"/>) and published; the call completes
/// only when both succeeded, and otherwise fails within <see cref="RedisSessionRevocationStoreOptions.WriteTimeout"/> with
/// <see cref="DuctapeRevocationNotSharedException"/> while the store keeps trying in the background. Replicas load
/// everything at start, reload every <see cref="RedisSessionRevocationStoreOptions.ResyncInterval"/> (and when the
/// connection comes back), and write back what Redis lost, so nothing written is lost while one replica still knows it.
/// Entries or messages under the prefix that this store did not write are skipped and logged, never applied. A replica
/// that has heard nothing — not even the instances' heartbeats — for longer than
/// <see cref="RedisSessionRevocationStoreOptions.StalenessLimit"/> follows
/// <see cref="RedisSessionRevocationStoreOptions.StalenessPolicy"/>; <see cref="GetHealth"/>, the log and the metrics (meter
/// <c>Ductape.Sdk.Redis</c>) say so. Thread-safe; dispose it to stop.
/// </summary>
public sealed partial class RedisSessionRevocationStore : ISessionRevocationStore, IAsyncDisposable
{
    private readonly RedisSessionRevocationStoreOptions _options;
    private readonly RevocationKeys _keys;
    private readonly SessionRevocationSet _replica;
    private readonly UnsharedRevocations _unshared = new();
    private readonly RevocationSyncLoop _loop;
    private readonly RevocationMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private int _stale; // 1 while checks see a stale replica, so the transition is logged once
    private int _disposed;

    /// <summary>
    /// Builds a store and starts it in the background (the form dependency injection uses): it subscribes, loads every
    /// revocation, then runs its heartbeat and resync loop, retrying while Redis is away. Until the first load completes
    /// (<see cref="Loaded"/>), checks follow the staleness policy. Prefer <see cref="StartAsync"/> where you can await.
    /// </summary>
    /// <param name="redis">The connection (share one per process, as StackExchange.Redis recommends; configure it with
    /// <c>abortConnect=false</c> so the app starts while Redis is down).</param>
    /// <param name="options">The settings.</param>
    /// <param name="loggerFactory">Where the store logs (category <c>Ductape.Sdk.Redis</c>); null for none.</param>
    /// <param name="meterFactory">Where its meter is created; null for a meter of its own.</param>
    /// <param name="timeProvider">The clock; null for the system's.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public RedisSessionRevocationStore(
        IConnectionMultiplexer redis, IOptions<RedisSessionRevocationStoreOptions> options, ILoggerFactory? loggerFactory = null,
        IMeterFactory? meterFactory = null, TimeProvider? timeProvider = null)
        : this(redis, (options ?? throw new ArgumentNullException(nameof(options))).Value, loggerFactory, meterFactory, timeProvider)
    {
        _loop.Start();
    }

    private RedisSessionRevocationStore(
        IConnectionMultiplexer redis, RedisSessionRevocationStoreOptions? options, ILoggerFactory? loggerFactory,
        IMeterFactory? meterFactory, TimeProvider? timeProvider)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        _options = options.Clone();
        _time = timeProvider ?? TimeProvider.System;
        _logger = loggerFactory?.CreateLogger(LogCategory) ?? NullLogger.Instance;
        _keys = new RevocationKeys(_options.KeyPrefix);
        _replica = new SessionRevocationSet(_options.EntryLifetime, _time);
        _metrics = new RevocationMetrics(meterFactory,
            () => _loop?.Age?.TotalSeconds ?? double.PositiveInfinity, () => _replica.Count, () => _unshared.Count);
        _loop = new RevocationSyncLoop(redis, _keys, _replica, _unshared, _options, _time, _logger, _metrics);
    }

    /// <summary>
    /// Connects a store: subscribes to the channel and loads every revocation from Redis, then starts the heartbeat and
    /// resync loop. Whatever is stored under the prefix cannot make it fail: unreadable entries are skipped and logged.
    /// </summary>
    /// <param name="redis">The connection (share one per process, as StackExchange.Redis recommends).</param>
    /// <param name="options">The settings, or null for the defaults.</param>
    /// <param name="loggerFactory">Where the store logs (category <c>Ductape.Sdk.Redis</c>); null for none.</param>
    /// <param name="meterFactory">Where its meter is created; null for a meter of its own.</param>
    /// <param name="timeProvider">The clock; null for the system's.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running store.</returns>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    /// <exception cref="RedisException">Redis could not be reached to load the revocations.</exception>
    public static async Task<RedisSessionRevocationStore> StartAsync(
        IConnectionMultiplexer redis, RedisSessionRevocationStoreOptions? options = null, ILoggerFactory? loggerFactory = null,
        IMeterFactory? meterFactory = null, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        var store = new RedisSessionRevocationStore(redis, options ?? new RedisSessionRevocationStoreOptions(), loggerFactory,
            meterFactory, timeProvider);
        try
        {
            await store._loop.FirstRoundAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        store._loop.Start();
        return store;
    }

    /// <summary>Completes when the first load from Redis has finished.</summary>
    public Task Loaded => _loop.Loaded;

    /// <summary>Whether the replica has not heard from Redis for longer than the staleness limit (or never has).</summary>
    public bool IsStale => _loop.Age is not { } age || age > _options.StalenessLimit;

    /// <summary>How many revocations the replica holds.</summary>
    public int Count => _replica.Count;

    /// <inheritdoc/>
    public SessionRevocationState Check(ValidatedSession session)
    {
        if (IsStale)
        {
            NoteStale();
            if (_options.StalenessPolicy == RevocationStalenessPolicy.FailClosed)
            {
                _metrics.UnknownChecks.Add(1);
                return SessionRevocationState.Unknown;
            }
        }
        else if (Volatile.Read(ref _stale) == 1 && Interlocked.Exchange(ref _stale, 0) == 1)
        {
            LogFresh(_logger);
        }

        return _replica.Check(session);
    }

    /// <inheritdoc/>
    /// <exception cref="DuctapeRevocationNotSharedException">Redis did not confirm the write and the publication within
    /// <see cref="RedisSessionRevocationStoreOptions.WriteTimeout"/>; the revocation holds here and the store keeps trying.</exception>
    public Task RevokeSessionAsync(string sessionId, CancellationToken cancellationToken = default) =>
        ShareAsync(_replica.CreateSessionRevocation(sessionId), cancellationToken);

    /// <inheritdoc/>
    /// <exception cref="DuctapeRevocationNotSharedException">Redis did not confirm the write and the publication within
    /// <see cref="RedisSessionRevocationStoreOptions.WriteTimeout"/>; the revocation holds here and the store keeps trying.</exception>
    public Task RevokeIdentifierAsync(SessionScope scope, string identifier, string? exceptSessionId, CancellationToken cancellationToken = default) =>
        ShareAsync(_replica.CreateUserRevocation(scope, identifier, exceptSessionId), cancellationToken);

    /// <inheritdoc/>
    /// <remarks>Raised for revocations made here and for those heard from other instances (messages and reloads).</remarks>
    public event EventHandler<SessionRevokedEventArgs>? Revoked
    {
        add => _replica.Revoked += value;
        remove => _replica.Revoked -= value;
    }

    /// <inheritdoc/>
    public SessionRevocationStoreHealth GetHealth()
    {
        var age = _loop.Age;
        var closed = _options.StalenessPolicy == RevocationStalenessPolicy.FailClosed;
        var unshared = _unshared.Count;
        var (status, description) = (age, unshared) switch
        {
            _ when _loop.IsStopped => (SessionRevocationStoreStatus.Unhealthy, "The Redis revocation store is stopped."),
            (null, _) => (closed ? SessionRevocationStoreStatus.Unhealthy : SessionRevocationStoreStatus.Degraded,
                $"Revocations are not loaded from Redis yet; checks {(closed ? "refuse every token" : "answer from what this instance knows")}."),
            ({ } a, _) when a > _options.StalenessLimit => (
                closed ? SessionRevocationStoreStatus.Unhealthy : SessionRevocationStoreStatus.Degraded,
                $"No word from Redis for {Seconds(a)} (limit {Seconds(_options.StalenessLimit)}); checks " +
                $"{(closed ? "refuse every token (FailClosed)" : "answer from what this instance knows (FailOpen)")}."),
            (_, > 0) => (SessionRevocationStoreStatus.Degraded,
                $"{unshared} revocation(s) made here are not yet shared through Redis; the store keeps trying."),
            ({ } a, _) when a > 2 * _options.HeartbeatInterval => (SessionRevocationStoreStatus.Degraded,
                $"Last heard from Redis {Seconds(a)} ago (staleness limit {Seconds(_options.StalenessLimit)})."),
            ({ } a, _) => (SessionRevocationStoreStatus.Healthy,
                $"In touch with Redis (last heard {Seconds(a)} ago); {_replica.Count} revocation(s) held."),
        };
        return new SessionRevocationStoreHealth(status, description) { Age = age, Unshared = unshared };
    }

    /// <summary>Stops the loop and unsubscribes; the connection is left open (it is yours). Never throws.</summary>
    /// <returns>A task that completes when the store has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _loop.StopAsync().ConfigureAwait(false);
        if (_unshared.Count > 0)
        {
            LogStoppedUnshared(_logger, _unshared.Count);
        }

        _metrics.Dispose();
    }

    /// <summary>
    /// Applies locally first (this instance honours it at once, whatever Redis does), then writes and publishes, waiting at
    /// most the write timeout. Until Redis confirms, the revocation is kept for the sync loop to share.
    /// </summary>
    private async Task ShareAsync(SessionRevocation revocation, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        var key = _keys.KeyFor(revocation);
        _replica.Apply(revocation);
        _unshared.Add(key, revocation);
        try
        {
            await _loop.ShareAsync(key, revocation).WaitAsync(_options.WriteTimeout, _time, cancellationToken).ConfigureAwait(false);
            _unshared.Shared(key, revocation);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            _metrics.NotShared.Add(1);
            LogNotShared(_logger, (long)_options.WriteTimeout.TotalMilliseconds, ex.GetType().Name);
            throw new DuctapeRevocationNotSharedException(
                $"The revocation holds on this instance, but Redis did not confirm it within {Seconds(_options.WriteTimeout)} " +
                $"({ex.GetType().Name}), so other instances may not know it yet. The store keeps trying in the background while " +
                "this process runs; repeating the revocation is safe.", ex);
        }
    }

    private void NoteStale()
    {
        if (Interlocked.Exchange(ref _stale, 1) == 0)
        {
            LogStale(_logger, (long)_options.StalenessLimit.TotalMilliseconds, _options.StalenessPolicy.ToString());
        }
    }

    private static string Seconds(TimeSpan time) =>
        time.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) + " s";
}
