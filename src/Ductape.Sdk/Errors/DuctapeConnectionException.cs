namespace Ductape.Sdk;

/// <summary>
/// No usable answer arrived: the connection failed, was reset or ended early on every attempt (retries included). Ductape
/// may or may not have acted on a call that changes state; repeating it with the same
/// <see cref="DuctapeRequestOptions.IdempotencyKey"/> is safe.
/// </summary>
public sealed class DuctapeConnectionException : DuctapeException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="host">The host (and port) the SDK tried to reach.</param>
    /// <param name="attempts">How many attempts were made.</param>
    /// <param name="innerException">The last attempt's failure.</param>
    public DuctapeConnectionException(string host, int attempts, Exception? innerException = null)
        : base($"Could not get an answer from Ductape at {host} after {attempts} attempt(s)" +
               (innerException is null ? "." : $": {innerException.GetType().Name}: {innerException.Message}") +
               " Check the network and DuctapeClientOptions.BaseUrl; the call may be repeated.", innerException)
    {
        Host = host;
        Attempts = attempts;
    }

    /// <summary>The host (and port, when not the scheme's default) the SDK tried to reach.</summary>
    public string Host { get; }

    /// <summary>How many attempts were made.</summary>
    public int Attempts { get; }
}
