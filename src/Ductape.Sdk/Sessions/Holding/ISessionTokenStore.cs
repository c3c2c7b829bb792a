namespace Ductape.Sdk.Sessions;

/// <summary>
/// Where an app keeps the sessions it holds, by a key of its choosing (a user id, a worker's name), so every instance uses
/// the current pair and a refresh happens once: <see cref="InMemorySessionTokenStore"/> for one process, the Redis store of
/// <c>Ductape.Sdk.Redis</c> for a fleet. The lease lets one instance refresh while the others wait for its result.
/// Implementations are thread-safe and protect tokens at rest when they leave the process.
/// </summary>
public interface ISessionTokenStore
{
    /// <summary>The session held under a key, or null.</summary>
    /// <param name="key">The session's key.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The session, or null when none is held.</returns>
    ValueTask<HeldSession?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Holds a session under a key, replacing whatever was there (a sign-in).</summary>
    /// <param name="key">The session's key.</param>
    /// <param name="session">The session.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the session is stored.</returns>
    ValueTask SetAsync(string key, HeldSession session, CancellationToken cancellationToken = default);

    /// <summary>Replaces a session only if the store still holds <paramref name="expectedVersion"/> (a refresh).</summary>
    /// <param name="key">The session's key.</param>
    /// <param name="session">The refreshed session.</param>
    /// <param name="expectedVersion">The version the refresh started from.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether it was stored; false when another instance stored a newer pair first.</returns>
    ValueTask<bool> TryUpdateAsync(string key, HeldSession session, long expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>Forgets a session (a sign-out).</summary>
    /// <param name="key">The session's key.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when it is forgotten.</returns>
    ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Takes the right to refresh a session for a while, unless another holder has it.</summary>
    /// <param name="key">The session's key.</param>
    /// <param name="holder">Who takes it (unique per instance and refresh).</param>
    /// <param name="duration">How long the lease lasts if never released (a holder that crashed).</param>
    /// <param name="cancellationToken">Cancels the attempt.</param>
    /// <returns>Whether the lease was taken.</returns>
    ValueTask<bool> TryAcquireRefreshLeaseAsync(string key, string holder, TimeSpan duration, CancellationToken cancellationToken = default);

    /// <summary>Gives a lease back, if <paramref name="holder"/> still has it.</summary>
    /// <param name="key">The session's key.</param>
    /// <param name="holder">Who took it.</param>
    /// <param name="cancellationToken">Cancels the release (the lease then expires on its own).</param>
    /// <returns>A task that completes when released.</returns>
    ValueTask ReleaseRefreshLeaseAsync(string key, string holder, CancellationToken cancellationToken = default);
}
