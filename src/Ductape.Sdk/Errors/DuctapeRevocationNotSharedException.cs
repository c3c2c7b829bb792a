namespace Ductape.Sdk;

/// <summary>
/// A revocation was recorded on this instance but could not be shared with the others in time (their revocation store,
/// such as Redis, was out of reach): other instances may keep accepting the session's tokens until they hear of it. The
/// store keeps trying in the background while the process lives; repeating the revocation is safe and is the way to be
/// sure it was shared. When thrown by <c>RevokeAsync</c> or <c>RevokeAllAsync</c>, Ductape itself has already revoked the
/// session.
/// </summary>
public sealed class DuctapeRevocationNotSharedException : DuctapeException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was and was not done, and what to do next. Never a token or session data.</param>
    /// <param name="innerException">Why the store could not share it, if known.</param>
    public DuctapeRevocationNotSharedException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
