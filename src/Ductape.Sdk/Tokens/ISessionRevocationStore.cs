using Ductape.Sdk.Tokens.Revocation;

namespace Ductape.Sdk.Tokens;

/// <summary>
/// Where revocations made through the SDK live, so offline validation can honour them (CONTRACT §7): a session is revoked
/// when its id was revoked, or when its user has a "not before" instant later than the token's <c>iat</c> (set by
/// <c>RevokeAllAsync</c>, sparing one excluded session). <see cref="InMemorySessionRevocationStore"/> serves one process;
/// <c>Ductape.Sdk.Redis</c> shares revocations between instances. Implementations are thread-safe; to write one, build on
/// <see cref="SessionRevocationSet"/>.
/// </summary>
public interface ISessionRevocationStore
{
    /// <summary>
    /// Whether a validated session is revoked. Called on every validation, after the cryptographic and claim checks: it
    /// must answer from memory, without I/O, and never throw (a validator treats an exception as
    /// <see cref="SessionRevocationState.Unknown"/>).
    /// </summary>
    /// <param name="session">The session the token carries.</param>
    /// <returns><see cref="SessionRevocationState.Active"/>, <see cref="SessionRevocationState.Revoked"/>, or
    /// <see cref="SessionRevocationState.Unknown"/> when the store cannot vouch for its knowledge (a stale replica whose
    /// policy is to fail closed).</returns>
    SessionRevocationState Check(ValidatedSession session);

    /// <summary>Records that one session was revoked, and shares it with every instance using the same store.</summary>
    /// <param name="sessionId">The session id (<c>sid</c>).</param>
    /// <param name="cancellationToken">Cancels the wait for the sharing; the revocation still holds on this instance.</param>
    /// <returns>A task that completes when the revocation is recorded and, for a shared store, shared.</returns>
    /// <exception cref="DuctapeRevocationNotSharedException">A shared store could not share it in time; it holds on this
    /// instance and the store keeps trying.</exception>
    Task RevokeSessionAsync(string sessionId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records that every session of one user issued until now is revoked, except <paramref name="exceptSessionId"/>, and
    /// shares it with every instance using the same store.
    /// </summary>
    /// <param name="scope">The product, environment and session type the identifier belongs to.</param>
    /// <param name="identifier">The user's identifier.</param>
    /// <param name="exceptSessionId">A session to spare (the caller's current one), or null.</param>
    /// <param name="cancellationToken">Cancels the wait for the sharing; the revocation still holds on this instance.</param>
    /// <returns>A task that completes when the revocation is recorded and, for a shared store, shared.</returns>
    /// <exception cref="DuctapeRevocationNotSharedException">A shared store could not share it in time; it holds on this
    /// instance and the store keeps trying.</exception>
    Task RevokeIdentifierAsync(SessionScope scope, string identifier, string? exceptSessionId, CancellationToken cancellationToken = default);

    /// <summary>
    /// How far this store can be trusted right now, for health checks and dashboards. A store of this process alone is always
    /// healthy (the default); a shared store reports how long ago it last heard from its source and what its checks do.
    /// </summary>
    /// <returns>The store's health; never null, never throws.</returns>
    SessionRevocationStoreHealth GetHealth() => SessionRevocationStoreHealth.Local;

    /// <summary>
    /// Raised after the store learns a revocation it did not know — made on this instance or, for a shared store, heard from
    /// another — so live connections (SignalR, WebSockets, server-sent events) can be closed at once. Raised on whatever
    /// thread learnt it: keep handlers short, and never throw from one (exceptions are swallowed). A store without
    /// notifications never raises it (the default).
    /// </summary>
    event EventHandler<SessionRevokedEventArgs>? Revoked
    {
        add { }
        remove { }
    }
}
