using Ductape.Sdk.Tokens.Revocation;

namespace Ductape.Sdk.Tokens;

/// <summary>
/// Revocations in this process's memory: the default store, for one instance. A look-up is two dictionary reads and
/// allocates nothing; entries are forgotten after <see cref="SessionRevocationStoreOptions.EntryLifetime"/>. Thread-safe.
/// </summary>
public sealed class InMemorySessionRevocationStore : ISessionRevocationStore
{
    private readonly SessionRevocationSet _set;

    /// <summary>Builds a store.</summary>
    /// <param name="options">The settings, or null for the defaults.</param>
    /// <exception cref="ArgumentException">An entry lifetime under one minute or over 36,525 days.</exception>
    public InMemorySessionRevocationStore(SessionRevocationStoreOptions? options = null)
    {
        options ??= new SessionRevocationStoreOptions();
        if (options.EntryLifetime < SessionRevocationSet.MinEntryLifetime || options.EntryLifetime > SessionRevocationSet.MaxEntryLifetime)
        {
            throw new ArgumentException("SessionRevocationStoreOptions.EntryLifetime must be between one minute and 36,525 days.", nameof(options));
        }

        _set = new SessionRevocationSet(options.EntryLifetime, options.TimeProvider);
    }

    /// <summary>How many revocations are held (sessions and users).</summary>
    public int Count => _set.Count;

    /// <inheritdoc/>
    public SessionRevocationState Check(ValidatedSession session) => _set.Check(session);

    /// <inheritdoc/>
    public event EventHandler<SessionRevokedEventArgs>? Revoked
    {
        add => _set.Revoked += value;
        remove => _set.Revoked -= value;
    }

    /// <inheritdoc/>
    public Task RevokeSessionAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _set.Apply(_set.CreateSessionRevocation(sessionId));
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task RevokeIdentifierAsync(SessionScope scope, string identifier, string? exceptSessionId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _set.Apply(_set.CreateUserRevocation(scope, identifier, exceptSessionId));
        return Task.CompletedTask;
    }
}
