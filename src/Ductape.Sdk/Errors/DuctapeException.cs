namespace Ductape.Sdk;

/// <summary>The base of every exception the SDK throws for a Ductape-specific reason, so one <c>catch</c> handles them all.</summary>
public abstract class DuctapeException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong and what to do next.</param>
    /// <param name="innerException">The underlying cause, if any.</param>
    protected DuctapeException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
