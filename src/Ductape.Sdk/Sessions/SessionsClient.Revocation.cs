using System.ComponentModel;
using Ductape.Sdk.Tokens;

namespace Ductape.Sdk.Sessions;

public partial class SessionsClient
{
    /// <summary>
    /// Revokes one session by id, or every session of one user by identifier (Ductape's <c>sessions.revoke</c>). Name the
    /// argument — <c>RevokeAsync(tag, sessionId: id)</c> or <c>RevokeAsync(tag, identifier: user)</c>: a second argument
    /// passed by position does not compile, so the two revocations cannot be confused.
    /// </summary>
    /// <param name="tag">The session type's tag.</param>
    /// <param name="sessionId">The session to revoke; give this or <paramref name="identifier"/>, not both.</param>
    /// <param name="identifier">The user whose sessions to revoke; give this or <paramref name="sessionId"/>, not both.</param>
    /// <param name="options">Per-call settings, or null.</param>
    /// <param name="cancellationToken">Cancels the call, retries included.</param>
    /// <returns>How many sessions were revoked.</returns>
    /// <exception cref="DuctapeValidationException">Both or neither of the two are given; nothing was sent.</exception>
    /// <exception cref="DuctapeApiException">Ductape refused the call, or its answer was not a usable Ductape answer (<c>INVALID_RESPONSE</c>).</exception>
    /// <exception cref="DuctapeTimeoutException">The call ran out of time, reading the answer included.</exception>
    /// <exception cref="DuctapeConnectionException">No answer arrived on any attempt (connection failed, reset or cut short).</exception>
    public virtual async Task<int> RevokeAsync(
        string tag, string? sessionId = null, string? identifier = null, DuctapeRequestOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var errors = Check(tag);
        if (string.IsNullOrWhiteSpace(sessionId) == string.IsNullOrWhiteSpace(identifier))
        {
            errors.Add(nameof(sessionId), "give exactly one of sessionId and identifier");
        }

        errors.ThrowIfAny();
        var (product, env) = ResolveLifecycle(options);
        var result = await Send(SessionOperations.Revoke, options, w =>
        {
            if (!string.IsNullOrWhiteSpace(sessionId))
            {
                w.WriteString("sessionId"u8, sessionId);
            }
            else
            {
                w.WriteString("identifier"u8, identifier);
            }
        }, tag, cancellationToken, product, env).ConfigureAwait(false);

        // Ductape has revoked it: offline validation (here, and on every instance sharing the store) must agree.
        if (Settings.Revocations is { } revocations)
        {
            await (!string.IsNullOrWhiteSpace(sessionId)
                ? RecordRevocationAsync(revocations, r => r.RevokeSessionAsync(sessionId, CancellationToken.None), "session")
                : RecordRevocationAsync(revocations,
                    r => r.RevokeIdentifierAsync(new SessionScope(product, env, tag), identifier!, null, CancellationToken.None),
                    "user's sessions")).ConfigureAwait(false);
        }

        return result.Revoked;
    }

    /// <summary>Does not compile: a revocation names what it revokes, <c>sessionId:</c> or <c>identifier:</c>.</summary>
    /// <param name="tag">The session type's tag.</param>
    /// <param name="sessionIdOrIdentifier">Ambiguous: name the argument instead.</param>
    /// <param name="cancellationToken">Unused.</param>
    /// <returns>Nothing; always throws.</returns>
    /// <exception cref="NotSupportedException">Always (only reachable through reflection).</exception>
    // A guard, not an API: RevokeAsync(tag, "x") is now ambiguous between this and the method above (CS0121), and
    // RevokeAsync(tag, "x", ct) binds here and fails with the message below; named arguments (sessionId:, identifier:)
    // cannot bind here, so they reach the method above unchanged.
    [Obsolete(AmbiguousRevocation, error: true)]
    [EditorBrowsable(EditorBrowsableState.Never)]
#pragma warning disable RS0026 // The ambiguity this analyzer warns about is the point of the guard.
    public Task<int> RevokeAsync(string tag, string sessionIdOrIdentifier, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException(AmbiguousRevocation);
#pragma warning restore RS0026

    private const string AmbiguousRevocation =
        "Name what you revoke: RevokeAsync(tag, sessionId: id) for one session, RevokeAsync(tag, identifier: user) for every session of a user.";

    /// <summary>Revokes every session of one user, optionally sparing one (Ductape's <c>sessions.revokeAll</c>).</summary>
    /// <param name="tag">The session type's tag.</param>
    /// <param name="identifier">The user.</param>
    /// <param name="excludeSessionId">A session to keep, such as the current one.</param>
    /// <param name="options">Per-call settings, or null.</param>
    /// <param name="cancellationToken">Cancels the call, retries included.</param>
    /// <returns>How many sessions were revoked.</returns>
    /// <exception cref="DuctapeValidationException">The tag or identifier is blank; nothing was sent.</exception>
    /// <exception cref="DuctapeApiException">Ductape refused the call, or its answer was not a usable Ductape answer (<c>INVALID_RESPONSE</c>).</exception>
    /// <exception cref="DuctapeTimeoutException">The call ran out of time, reading the answer included.</exception>
    /// <exception cref="DuctapeConnectionException">No answer arrived on any attempt (connection failed, reset or cut short).</exception>
    public virtual async Task<int> RevokeAllAsync(
        string tag, string identifier, string? excludeSessionId = null, DuctapeRequestOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var errors = Check(tag);
        errors.RequireText(identifier, nameof(identifier));
        errors.ThrowIfAny();
        var (product, env) = ResolveLifecycle(options);
        var result = await Send(SessionOperations.RevokeAll, options, w =>
        {
            w.WriteString("identifier"u8, identifier);
            if (excludeSessionId is not null)
            {
                w.WriteString("excludeSessionId"u8, excludeSessionId);
            }
        }, tag, cancellationToken, product, env).ConfigureAwait(false);
        if (Settings.Revocations is { } revocations)
        {
            // Not cancellable: Ductape has acted, so the store must learn it whatever the caller does now.
            await RecordRevocationAsync(revocations,
                r => r.RevokeIdentifierAsync(new SessionScope(product, env, tag), identifier, excludeSessionId, CancellationToken.None),
                "user's sessions").ConfigureAwait(false);
        }

        return result.Revoked;
    }

    /// <summary>
    /// Records a revocation Ductape has made in the store, so offline validation agrees. Whatever the store throws reaches the
    /// caller as a <see cref="DuctapeRevocationNotSharedException"/> that says Ductape's own revocation stands.
    /// </summary>
    private static async Task RecordRevocationAsync(
        ISessionRevocationStore revocations, Func<ISessionRevocationStore, Task> record, string what)
    {
        try
        {
            await record(revocations).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            throw new DuctapeRevocationNotSharedException(
                $"Ductape has revoked the {what}, but the revocation store could not share it with other instances " +
                $"({(ex is DuctapeRevocationNotSharedException ? "not shared in time" : ex.GetType().Name)}): they may accept " +
                "its tokens until they hear of it. Retrying the revocation is safe." +
                (ex is DuctapeRevocationNotSharedException ? " The store keeps trying in the background meanwhile." : ""), ex);
        }
    }
}
