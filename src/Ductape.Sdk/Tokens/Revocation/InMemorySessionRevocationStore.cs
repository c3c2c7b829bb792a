using System.Collections.Concurrent;

namespace Ductape.Sdk.Tokens;

/// <summary>Settings of an <see cref="InMemorySessionRevocationStore"/>.</summary>
public sealed class SessionRevocationStoreOptions
{
    /// <summary>
    /// How long a revocation is kept: the longest lifetime of a token it could concern (your longest session type's expiry).
    /// After that every token it revoked has expired on its own. Default 30 days; at least one minute.
    /// </summary>
    public TimeSpan EntryLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The clock for "not before" instants and for forgetting entries. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}

/// <summary>
/// Revocations in this process's memory: the default store, for one instance. A look-up is two dictionary reads and
/// allocates nothing; entries are forgotten after <see cref="SessionRevocationStoreOptions.EntryLifetime"/>. Also the local
/// replica the shared stores (Redis) keep. Thread-safe.
/// </summary>
public sealed class InMemorySessionRevocationStore : ISessionRevocationStore
{
    private const int SweepEvery = 1024; // writes between sweeps of expired entries

    private readonly ConcurrentDictionary<string, DateTimeOffset> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Product, string Env, string Tag, string Identifier), UserRevocation> _identifiers = new();
    private readonly TimeSpan _lifetime;
    private readonly TimeProvider _time;
    private int _writes;

    /// <summary>Builds a store.</summary>
    /// <param name="options">The settings, or null for the defaults.</param>
    /// <exception cref="ArgumentException">An entry lifetime under one minute.</exception>
    public InMemorySessionRevocationStore(SessionRevocationStoreOptions? options = null)
    {
        options ??= new SessionRevocationStoreOptions();
        _lifetime = options.EntryLifetime >= TimeSpan.FromMinutes(1) && options.EntryLifetime <= TimeSpan.FromDays(36_600)
            ? options.EntryLifetime
            : throw new ArgumentException("SessionRevocationStoreOptions.EntryLifetime must be between one minute and 100 years.", nameof(options));
        _time = options.TimeProvider ?? TimeProvider.System;
    }

    /// <summary>How many revocations are held (sessions and users).</summary>
    public int Count => _sessions.Count + _identifiers.Count;

    /// <inheritdoc/>
    public SessionRevocationState Check(ValidatedSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (!_sessions.IsEmpty && _sessions.TryGetValue(session.Id, out var until) && until > _time.GetUtcNow())
        {
            return SessionRevocationState.Revoked;
        }

        if (!_identifiers.IsEmpty
            && _identifiers.TryGetValue((session.Product, session.Env, session.Tag, session.Identifier), out var user)
            && user.Until > _time.GetUtcNow()
            && session.IssuedAt < user.CutoffFor(session.Id))
        {
            return SessionRevocationState.Revoked;
        }

        return SessionRevocationState.Active;
    }

    /// <inheritdoc/>
    public Task RevokeSessionAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Apply(NewSessionRevocation(sessionId));
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task RevokeIdentifierAsync(SessionScope scope, string identifier, string? exceptSessionId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Apply(NewUserRevocation(scope, identifier, exceptSessionId));
        return Task.CompletedTask;
    }

    /// <summary>A revocation of one session, from now until the entry lifetime has passed (not yet applied).</summary>
    /// <param name="sessionId">The session id.</param>
    /// <returns>The revocation.</returns>
    public SessionIdRevocation NewSessionRevocation(string sessionId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sessionId);
        return new SessionIdRevocation(sessionId, _time.GetUtcNow() + _lifetime);
    }

    /// <summary>A revocation of a user's sessions issued until now (not yet applied).</summary>
    /// <param name="scope">The product, environment and session type.</param>
    /// <param name="identifier">The user's identifier.</param>
    /// <param name="exceptSessionId">A session to spare, or null.</param>
    /// <returns>The revocation.</returns>
    public UserRevocation NewUserRevocation(SessionScope scope, string identifier, string? exceptSessionId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(identifier);
        ArgumentException.ThrowIfNullOrWhiteSpace(scope.Product);
        ArgumentException.ThrowIfNullOrWhiteSpace(scope.Env);
        ArgumentException.ThrowIfNullOrWhiteSpace(scope.Tag);
        var now = _time.GetUtcNow();
        return new UserRevocation(scope, identifier, now, exceptSessionId, DateTimeOffset.MinValue, now + _lifetime);
    }

    /// <summary>
    /// Applies a revocation, merged with what is known (a replica applying what it heard; any order, any number of times).
    /// </summary>
    /// <param name="revocation">The revocation.</param>
    /// <returns>Whether it taught the store something new (so a replica knows what to pass on).</returns>
    public bool Apply(SessionRevocation revocation)
    {
        ArgumentNullException.ThrowIfNull(revocation);
        var changed = false;
        switch (revocation)
        {
            case SessionIdRevocation session:
                ArgumentException.ThrowIfNullOrWhiteSpace(session.SessionId);
                _sessions.AddOrUpdate(session.SessionId,
                    _ => { changed = true; return session.Until; },
                    (_, known) =>
                    {
                        changed = session.Until > known;
                        return changed ? session.Until : known;
                    });
                break;
            case UserRevocation user:
                ArgumentException.ThrowIfNullOrWhiteSpace(user.Identifier);
                _identifiers.AddOrUpdate((user.Scope.Product, user.Scope.Env, user.Scope.Tag, user.Identifier),
                    _ => { changed = true; return user; },
                    (_, known) =>
                    {
                        var merged = known.MergeWith(user);
                        changed = merged != known;
                        return merged;
                    });
                break;
            default:
                throw new ArgumentException($"Unknown revocation type {revocation.GetType().Name}.", nameof(revocation));
        }

        AfterWrite();
        return changed;
    }

    /// <summary>Every revocation still in force, for a replica that writes its knowledge back to a shared store.</summary>
    /// <returns>A copy; later changes do not show in it.</returns>
    public IReadOnlyList<SessionRevocation> Snapshot()
    {
        var now = _time.GetUtcNow();
        var all = new List<SessionRevocation>(Count);
        all.AddRange(_sessions.Where(e => e.Value > now).Select(e => new SessionIdRevocation(e.Key, e.Value)));
        all.AddRange(_identifiers.Values.Where(u => u.Until > now));
        return all;
    }

    private void AfterWrite()
    {
        if (Interlocked.Increment(ref _writes) % SweepEvery == 0)
        {
            Sweep();
        }
    }

    /// <summary>Forgets entries whose tokens have all expired (also done every 1,024 writes).</summary>
    public void Sweep()
    {
        var now = _time.GetUtcNow();
        foreach (var entry in _sessions)
        {
            if (entry.Value <= now)
            {
                _sessions.TryRemove(entry);
            }
        }

        foreach (var entry in _identifiers)
        {
            if (entry.Value.Until <= now)
            {
                _identifiers.TryRemove(entry);
            }
        }
    }
}
