namespace Ductape.Sdk;

/// <summary>
/// A refresh token was presented again after the fleet had exchanged it (outside the grace period its own concurrent callers
/// get): a sign that it was stolen (RFC 9700 §4.14.2). Nothing was sent to Ductape; by policy the session was revoked.
/// </summary>
public sealed class DuctapeRefreshTokenReplayedException : DuctapeException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="sessionId">The session the refresh token belonged to.</param>
    /// <param name="tag">The session type's tag.</param>
    /// <param name="revoked">Whether the session was revoked.</param>
    /// <param name="innerException">Why revoking it failed, if it did.</param>
    public DuctapeRefreshTokenReplayedException(string sessionId, string tag, bool revoked, Exception? innerException = null)
        : base($"A refresh token of session {sessionId} ({tag}) was presented again after it had been exchanged: it may have been " +
               (revoked ? "stolen, so the session was revoked. Sign the user in again."
                   : "stolen. The session was not revoked" + (innerException is null ? " (RevokeSession is off)." : $" ({innerException.GetType().Name}).")),
            innerException)
    {
        SessionId = sessionId;
        Tag = tag;
        Revoked = revoked;
    }

    /// <summary>The session the refresh token belonged to.</summary>
    public string SessionId { get; }

    /// <summary>The session type's tag.</summary>
    public string Tag { get; }

    /// <summary>Whether the session was revoked.</summary>
    public bool Revoked { get; }
}
