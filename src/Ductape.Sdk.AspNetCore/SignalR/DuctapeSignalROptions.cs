namespace Ductape.Sdk.AspNetCore;

/// <summary>Settings of <c>AddDuctapeSessions()</c> on SignalR.</summary>
public sealed class DuctapeSignalROptions
{
    /// <summary>
    /// How often every tracked connection is checked for expiry and revocation, besides the revocation store's own
    /// notifications (which close a revoked session's connections at once). Default 1 s; between 100 ms and 1 minute.
    /// </summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(1);
}
