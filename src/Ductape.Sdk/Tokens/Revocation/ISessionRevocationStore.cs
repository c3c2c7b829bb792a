namespace Ductape.Sdk.Tokens;

/// <summary>
/// Where revocations made through the SDK live, so offline validation can honour them (CONTRACT §7): a session is revoked
/// when its id was revoked, or when its user has a "not before" instant later than the token's <c>iat</c> (set by
/// <c>RevokeAllAsync</c>, sparing one excluded session). <see cref="InMemorySessionRevocationStore"/> serves one process;
/// <c>Ductape.Sdk.Redis</c> shares revocations between instances. Implementations are thread-safe.
/// </summary>
public interface ISessionRevocationStore
{
    /// <summary>
    /// Whether a validated session is revoked. Called on every validation, after the cryptographic and claim checks: it
    /// must answer from memory, without I/O, and never throw.
    /// </summary>
    /// <param name="session">The session the token carries.</param>
    /// <returns><see cref="SessionRevocationState.Active"/>, <see cref="SessionRevocationState.Revoked"/>, or
    /// <see cref="SessionRevocationState.Unknown"/> when the store cannot vouch for its knowledge (a stale replica whose
    /// policy is to fail closed).</returns>
    SessionRevocationState Check(ValidatedSession session);

    /// <summary>Records that one session was revoked.</summary>
    /// <param name="sessionId">The session id (<c>sid</c>).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the revocation is recorded (and, for a shared store, published).</returns>
    Task RevokeSessionAsync(string sessionId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records that every session of one user issued until now is revoked, except <paramref name="exceptSessionId"/>.
    /// </summary>
    /// <param name="scope">The product, environment and session type the identifier belongs to.</param>
    /// <param name="identifier">The user's identifier.</param>
    /// <param name="exceptSessionId">A session to spare (the caller's current one), or null.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the revocation is recorded (and, for a shared store, published).</returns>
    Task RevokeIdentifierAsync(SessionScope scope, string identifier, string? exceptSessionId, CancellationToken cancellationToken = default);
}

/// <summary>What a revocation store knows about a session.</summary>
public enum SessionRevocationState
{
    /// <summary>Not revoked, as far as the store knows (and it is current).</summary>
    Active = 0,

    /// <summary>Revoked: by id, or by its user's "not before" instant.</summary>
    Revoked,

    /// <summary>The store has not heard from its source for longer than its staleness limit and fails closed.</summary>
    Unknown,
}

/// <summary>The product, environment and session type a user's identifier belongs to.</summary>
/// <param name="Product">The product tag.</param>
/// <param name="Env">The environment.</param>
/// <param name="Tag">The session type's tag.</param>
public readonly record struct SessionScope(string Product, string Env, string Tag);
