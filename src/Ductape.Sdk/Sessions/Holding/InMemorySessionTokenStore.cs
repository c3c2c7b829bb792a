using System.Collections.Concurrent;

namespace Ductape.Sdk.Sessions;

/// <summary>Held sessions in this process's memory: the default <see cref="ISessionTokenStore"/>, for one instance. Thread-safe.</summary>
/// <param name="timeProvider">The clock for leases; null for the system's.</param>
public sealed class InMemorySessionTokenStore(TimeProvider? timeProvider = null) : ISessionTokenStore
{
    private readonly ConcurrentDictionary<string, HeldSession> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string Holder, DateTimeOffset Until)> _leases = new(StringComparer.Ordinal);
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <inheritdoc/>
    public ValueTask<HeldSession?> GetAsync(string key, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_sessions.TryGetValue(key, out var session) ? session : null);

    /// <inheritdoc/>
    public ValueTask SetAsync(string key, HeldSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        _sessions[key] = session;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<bool> TryUpdateAsync(string key, HeldSession session, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        return ValueTask.FromResult(_sessions.TryGetValue(key, out var current) && current.Version == expectedVersion
            && _sessions.TryUpdate(key, session, current));
    }

    /// <inheritdoc/>
    public ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default)
    {
        _sessions.TryRemove(key, out _);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<bool> TryAcquireRefreshLeaseAsync(string key, string holder, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        var lease = (holder, now + duration);
        var taken = _leases.TryAdd(key, lease)
                    || (_leases.TryGetValue(key, out var current) && current.Until <= now && _leases.TryUpdate(key, lease, current));
        return ValueTask.FromResult(taken);
    }

    /// <inheritdoc/>
    public ValueTask ReleaseRefreshLeaseAsync(string key, string holder, CancellationToken cancellationToken = default)
    {
        if (_leases.TryGetValue(key, out var current) && current.Holder == holder)
        {
            _leases.TryRemove(new KeyValuePair<string, (string, DateTimeOffset)>(key, current));
        }

        return ValueTask.CompletedTask;
    }
}
