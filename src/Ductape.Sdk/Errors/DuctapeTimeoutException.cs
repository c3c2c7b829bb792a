namespace Ductape.Sdk;

/// <summary>Which time limit ended a call.</summary>
public enum DuctapeTimeoutLimit
{
    /// <summary>The last allowed attempt took longer than <see cref="DuctapeRetryOptions.AttemptTimeout"/>.</summary>
    Attempt = 1,

    /// <summary>The whole call, retries included, took longer than <see cref="DuctapeClientOptions.Timeout"/> (or the call's own).</summary>
    Overall,
}

/// <summary>A call ran out of time. Not thrown when the caller cancels: that is an <see cref="OperationCanceledException"/>.</summary>
public sealed class DuctapeTimeoutException : DuctapeException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="limit">Which limit fired.</param>
    /// <param name="timeout">The limit's value.</param>
    /// <param name="attempts">How many attempts were made.</param>
    /// <param name="innerException">The underlying cause, if any.</param>
    public DuctapeTimeoutException(DuctapeTimeoutLimit limit, TimeSpan timeout, int attempts, Exception? innerException = null)
        : base(limit == DuctapeTimeoutLimit.Overall
            ? $"The Ductape call did not finish within its overall timeout of {timeout.TotalSeconds:0.###} s ({attempts} attempt(s)). " +
              "Raise DuctapeClientOptions.Timeout or DuctapeRequestOptions.Timeout if the server is known to be slow."
            : $"Each of {attempts} attempt(s) of the Ductape call exceeded the attempt timeout of {timeout.TotalSeconds:0.###} s. " +
              "Raise DuctapeClientOptions.Retry.AttemptTimeout if the server is known to be slow.", innerException)
    {
        Limit = limit;
        Timeout = timeout;
        Attempts = attempts;
    }

    /// <summary>Which limit fired.</summary>
    public DuctapeTimeoutLimit Limit { get; }

    /// <summary>The value of the limit that fired.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>How many attempts were made before the limit fired.</summary>
    public int Attempts { get; }
}
