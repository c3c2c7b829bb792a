using System.Collections.Concurrent;

namespace Ductape.Sdk.Tokens.Revocation;

/// <summary>
/// The revocations one process knows, for people who write revocation stores: check a session in memory (two dictionary
/// look-ups, no allocation), apply what is revoked here or heard from elsewhere (merged; any order, any number of times),
/// take a snapshot to write back, and forget what has expired. <see cref="InMemorySessionRevocationStore"/> is one of these;
/// <c>Ductape.Sdk.Redis</c> keeps one as each instance's replica. Thread-safe.
/// </summary>
public sealed class SessionRevocationSet
{
    private const int SweepEvery = 1024; // writes between sweeps of expired entries

    private readonly ConcurrentDictionary<string, DateTimeOffset> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Product, string Env, string Tag, string Identifier), UserRevocation> _users = new();
    private readonly TimeProvider _time;
    private int _writes;

    /// <summary>Builds an empty set.</summary>
    /// <param name="entryLifetime">How long a revocation is kept: the longest lifetime of a token it could concern. Between
    /// one minute and 100 years (36,525 days).</param>
    /// <param name="timeProvider">The clock for "not before" instants and for forgetting entries; null for the system's.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="entryLifetime"/> is out of range.</exception>
    public SessionRevocationSet(TimeSpan entryLifetime, TimeProvider? timeProvider = null)
    {
        if (entryLifetime < MinEntryLifetime || entryLifetime > MaxEntryLifetime)
        {
            throw new ArgumentOutOfRangeException(nameof(entryLifetime), entryLifetime,
                "The entry lifetime must be between one minute and 100 years (36,525 days).");
        }

        EntryLifetime = entryLifetime;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The shortest entry lifetime: one minute.</summary>
    public static readonly TimeSpan MinEntryLifetime = TimeSpan.FromMinutes(1);

    /// <summary>The longest entry lifetime: 100 years of 365.25 days (36,525 days).</summary>
    public static readonly TimeSpan MaxEntryLifetime = TimeSpan.FromDays(36_525);

    /// <summary>How long a revocation is kept; an applied entry never lives longer than this from the moment it is applied.</summary>
    public TimeSpan EntryLifetime { get; }

    /// <summary>
    /// Raised after <see cref="Apply"/> taught the set something new, outside any lock, on the applying thread. A handler
    /// that throws does not stop the others nor the apply.
    /// </summary>
    public event EventHandler<SessionRevokedEventArgs>? Revoked;

    /// <summary>How many revocations are held (sessions and users), expired ones not yet forgotten included.</summary>
    public int Count => _sessions.Count + _users.Count;

    /// <summary>Whether a validated session is revoked, by its id or by its user's "not before" instant. Never throws.</summary>
    /// <param name="session">The session a token carries.</param>
    /// <returns><see cref="SessionRevocationState.Active"/> or <see cref="SessionRevocationState.Revoked"/>.</returns>
    public SessionRevocationState Check(ValidatedSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (!_sessions.IsEmpty && _sessions.TryGetValue(session.SessionId, out var until) && until > _time.GetUtcNow())
        {
            return SessionRevocationState.Revoked;
        }

        if (!_users.IsEmpty
            && _users.TryGetValue((session.Product, session.Env, session.Tag, session.Identifier), out var user)
            && user.Until > _time.GetUtcNow()
            && session.IssuedAt < user.CutoffFor(session.SessionId))
        {
            return SessionRevocationState.Revoked;
        }

        return SessionRevocationState.Active;
    }

    /// <summary>A revocation of one session, from now for <see cref="EntryLifetime"/> (not yet applied).</summary>
    /// <param name="sessionId">The session id.</param>
    /// <returns>The revocation.</returns>
    /// <exception cref="ArgumentException"><paramref name="sessionId"/> is blank or longer than <see cref="SessionRevocation.MaxTextLength"/>.</exception>
    public SessionIdRevocation CreateSessionRevocation(string sessionId) =>
        WellFormed(new SessionIdRevocation(sessionId, _time.GetUtcNow() + EntryLifetime), nameof(sessionId));

    /// <summary>A revocation of a user's sessions issued until now (not yet applied).</summary>
    /// <param name="scope">The product, environment and session type.</param>
    /// <param name="identifier">The user's identifier.</param>
    /// <param name="exceptSessionId">A session to spare, or null.</param>
    /// <returns>The revocation.</returns>
    /// <exception cref="ArgumentException">A blank identifier, scope part or excepted session id, or one that is too long.</exception>
    public UserRevocation CreateUserRevocation(SessionScope scope, string identifier, string? exceptSessionId)
    {
        var now = _time.GetUtcNow();
        return WellFormed(new UserRevocation(scope, identifier, now, exceptSessionId, DateTimeOffset.MinValue, now + EntryLifetime),
            nameof(identifier));
    }

    /// <summary>
    /// Applies a revocation, merged with what is known: made here, or heard from another instance (any order, any number of
    /// times). Its entry is kept until its <see cref="SessionRevocation.Until"/>, and never longer than
    /// <see cref="EntryLifetime"/> from now; one that has already expired is ignored.
    /// </summary>
    /// <param name="revocation">The revocation.</param>
    /// <returns>Whether it taught the set something new (so a replica knows what to pass on).</returns>
    /// <exception cref="ArgumentException">The revocation is not <see cref="SessionRevocation.IsWellFormed"/>.</exception>
    public bool Apply(SessionRevocation revocation)
    {
        WellFormed(revocation, nameof(revocation));
        var now = _time.GetUtcNow();
        var latest = now + EntryLifetime;
        if (revocation.Until <= now)
        {
            return false;
        }

        var changed = false;
        switch (revocation)
        {
            case SessionIdRevocation session:
                var until = Min(session.Until, latest);
                _sessions.AddOrUpdate(session.SessionId,
                    _ => { changed = true; return until; },
                    (_, known) =>
                    {
                        changed = until > known;
                        return changed ? until : known;
                    });
                break;
            case UserRevocation user:
                user = user.Until > latest ? user with { Until = latest } : user;
                _users.AddOrUpdate((user.Scope.Product, user.Scope.Env, user.Scope.Tag, user.Identifier),
                    _ => { changed = true; return user; },
                    (_, known) =>
                    {
                        var merged = known.MergeWith(user);
                        changed = merged != known;
                        return merged;
                    });
                break;
        }

        if (Interlocked.Increment(ref _writes) % SweepEvery == 0)
        {
            Sweep();
        }

        if (changed && Revoked is { } handlers)
        {
            Raise(handlers, revocation);
        }

        return changed;
    }

    /// <summary>Every revocation still in force, for a store that writes its knowledge back to shared storage.</summary>
    /// <returns>A copy; later changes do not show in it.</returns>
    public IReadOnlyList<SessionRevocation> Snapshot()
    {
        var now = _time.GetUtcNow();
        var all = new List<SessionRevocation>(Count);
        foreach (var entry in _sessions)
        {
            if (entry.Value > now)
            {
                all.Add(new SessionIdRevocation(entry.Key, entry.Value));
            }
        }

        foreach (var user in _users.Values)
        {
            if (user.Until > now)
            {
                all.Add(user);
            }
        }

        return all;
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

        foreach (var entry in _users)
        {
            if (entry.Value.Until <= now)
            {
                _users.TryRemove(entry);
            }
        }
    }

    private void Raise(EventHandler<SessionRevokedEventArgs> handlers, SessionRevocation revocation)
    {
        var args = new SessionRevokedEventArgs(revocation);
        foreach (var handler in handlers.GetInvocationList())
        {
            try
            {
                ((EventHandler<SessionRevokedEventArgs>)handler)(this, args);
            }
#pragma warning disable CA1031 // A subscriber's bug must not undo a revocation or stop a replica.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }

    private static T WellFormed<T>(T revocation, string parameter)
        where T : SessionRevocation
    {
        ArgumentNullException.ThrowIfNull(revocation, parameter);
        return revocation.IsWellFormed ? revocation : throw new ArgumentException(
            $"The revocation is not well formed: ids, identifiers and scope parts must be present, not blank, and at most {SessionRevocation.MaxTextLength} characters.",
            parameter);
    }

    private static DateTimeOffset Min(DateTimeOffset x, DateTimeOffset y) => x < y ? x : y;
}
