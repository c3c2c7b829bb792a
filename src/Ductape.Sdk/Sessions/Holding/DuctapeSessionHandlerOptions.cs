namespace Ductape.Sdk.Sessions;

/// <summary>
/// Settings of the outgoing session handler (<c>AddDuctapeSessionHandler</c>): which held session a request carries, and
/// when it is refreshed.
/// </summary>
public sealed class DuctapeSessionHandlerOptions
{
    /// <summary>The key of the one session every request carries (a worker's or a console's own session).</summary>
    public string? SessionKey { get; set; }

    /// <summary>
    /// The key of the session a request carries, chosen per request (a backend-for-frontend: the signed-in user's key);
    /// wins over <see cref="SessionKey"/>. Returning null fails the request with <see cref="DuctapeSessionUnavailableException"/>.
    /// </summary>
    public Func<HttpRequestMessage, IServiceProvider, string?>? SessionKeySelector { get; set; }

    /// <summary>How long before expiry a session is refreshed. Default 1 minute.</summary>
    public TimeSpan RefreshAhead { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long one instance may hold the right to refresh a session before another takes over (a holder that crashed).
    /// Default 10 s; at least the Ductape client's timeout is wise.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The Ductape client that refreshes (the name given to <c>AddDuctape(name, …)</c>), or null for the default one.</summary>
    public string? ClientName { get; set; }

    internal IEnumerable<string> Problems()
    {
        if (SessionKeySelector is null && string.IsNullOrWhiteSpace(SessionKey))
        {
            yield return "DuctapeSessionHandlerOptions needs a SessionKey (one session) or a SessionKeySelector (per request).";
        }

        if (RefreshAhead < TimeSpan.Zero || RefreshAhead > TimeSpan.FromDays(1))
        {
            yield return "DuctapeSessionHandlerOptions.RefreshAhead must be between 0 and one day.";
        }

        if (LeaseDuration < TimeSpan.FromMilliseconds(100) || LeaseDuration > TimeSpan.FromMinutes(10))
        {
            yield return "DuctapeSessionHandlerOptions.LeaseDuration must be between 100 ms and ten minutes.";
        }
    }
}
