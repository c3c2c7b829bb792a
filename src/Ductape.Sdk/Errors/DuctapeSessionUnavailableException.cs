namespace Ductape.Sdk;

/// <summary>
/// A request that needs a held session has none to use: no session is held under its key (the user signed out, or never
/// signed in), or the session could no longer be refreshed (Ductape refused its refresh token). Sign the user in again.
/// </summary>
public sealed class DuctapeSessionUnavailableException : DuctapeException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is missing and what to do; never a token or a user's data.</param>
    /// <param name="innerException">Why the session could not be refreshed, if it could not.</param>
    public DuctapeSessionUnavailableException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
