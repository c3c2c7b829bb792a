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
    private readonly ConcurrentDictionary<(string Product, string Env, string Tag, string Identifier), IdentifierRevocation> _identifiers = new();
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
        AddSession(sessionId, _time.GetUtcNow() + _lifetime);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task RevokeIdentifierAsync(SessionScope scope, string identifier, string? exceptSessionId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var now = _time.GetUtcNow();
        AddIdentifier(scope, identifier, new IdentifierRevocation(now, exceptSessionId, DateTimeOffset.MinValue, now + _lifetime));
        return Task.CompletedTask;
    }

    /// <summary>Records a session revocation kept until <paramref name="until"/> (a replica applying what it heard).</summary>
    internal bool AddSession(string sessionId, DateTimeOffset until)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sessionId);
        var added = false;
        _sessions.AddOrUpdate(sessionId, _ => { added = true; return until; }, (_, known) => known >= until ? known : until);
        AfterWrite();
        return added;
    }

    /// <summary>Records a user's revocation, merged with what is known (see <see cref="IdentifierRevocation.Merge"/>).</summary>
    internal void AddIdentifier(SessionScope scope, string identifier, IdentifierRevocation revocation)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(identifier);
        ArgumentException.ThrowIfNullOrWhiteSpace(scope.Product);
        ArgumentException.ThrowIfNullOrWhiteSpace(scope.Env);
        ArgumentException.ThrowIfNullOrWhiteSpace(scope.Tag);
        _identifiers.AddOrUpdate((scope.Product, scope.Env, scope.Tag, identifier), revocation,
            (_, known) => IdentifierRevocation.Merge(known, revocation));
        AfterWrite();
    }

    /// <summary>Every live entry, for a replica that writes its knowledge back to a shared store.</summary>
    internal IEnumerable<KeyValuePair<string, DateTimeOffset>> Sessions => _sessions.Where(e => e.Value > _time.GetUtcNow());

    /// <summary>Every live user revocation.</summary>
    internal IEnumerable<(SessionScope Scope, string Identifier, IdentifierRevocation Revocation)> Identifiers =>
        _identifiers.Where(e => e.Value.Until > _time.GetUtcNow())
            .Select(e => (new SessionScope(e.Key.Product, e.Key.Env, e.Key.Tag), e.Key.Identifier, e.Value));

    private void AfterWrite()
    {
        if (Interlocked.Increment(ref _writes) % SweepEvery == 0)
        {
            Sweep();
        }
    }

    /// <summary>Forgets entries whose tokens have all expired.</summary>
    internal void Sweep()
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

/// <summary>
/// What a user's revocations add up to: tokens issued before <see cref="NotBefore"/> are revoked, except the session
/// <see cref="ExceptSessionId"/> spared by the latest one, for which the cut-off is <see cref="ExceptCutoff"/> (the latest
/// revocation that did not spare it).
/// </summary>
/// <param name="NotBefore">Tokens issued (<c>iat</c>) before this instant are revoked.</param>
/// <param name="ExceptSessionId">The session the latest revocation spared, or null.</param>
/// <param name="ExceptCutoff">The cut-off for that session (<see cref="DateTimeOffset.MinValue"/> when nothing applies).</param>
/// <param name="Until">When the entry is forgotten.</param>
internal sealed record IdentifierRevocation(DateTimeOffset NotBefore, string? ExceptSessionId, DateTimeOffset ExceptCutoff, DateTimeOffset Until)
{
    public DateTimeOffset CutoffFor(string sessionId) =>
        ExceptSessionId is not null && string.Equals(sessionId, ExceptSessionId, StringComparison.Ordinal) ? ExceptCutoff : NotBefore;

    /// <summary>
    /// Merges two summaries so that replicas hearing the same revocations in any order agree: the latest decides which
    /// session is spared, and that session stays revoked by every earlier revocation that did not spare it.
    /// </summary>
    public static IdentifierRevocation Merge(IdentifierRevocation a, IdentifierRevocation b)
    {
        var (latest, earlier) = b.NotBefore > a.NotBefore
            || (b.NotBefore == a.NotBefore && string.CompareOrdinal(b.ExceptSessionId, a.ExceptSessionId) < 0)
            ? (b, a) : (a, b);
        var cutoff = latest.ExceptSessionId is null ? DateTimeOffset.MinValue
            : Max(latest.ExceptCutoff, earlier.CutoffFor(latest.ExceptSessionId));
        var until = latest.Until > earlier.Until ? latest.Until : earlier.Until;
        return new IdentifierRevocation(latest.NotBefore, latest.ExceptSessionId, cutoff, until);
    }

    private static DateTimeOffset Max(DateTimeOffset x, DateTimeOffset y) => x > y ? x : y;
}
