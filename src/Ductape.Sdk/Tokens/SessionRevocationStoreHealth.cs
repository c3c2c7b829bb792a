namespace Ductape.Sdk.Tokens;

/// <summary>A revocation store's health at one moment (<see cref="ISessionRevocationStore.GetHealth"/>).</summary>
/// <param name="Status">Healthy, degraded or unhealthy.</param>
/// <param name="Description">What is going on, for a health report or a log: never a key, a token or session data.</param>
public sealed record SessionRevocationStoreHealth(SessionRevocationStoreStatus Status, string Description)
{
    /// <summary>The health of a store that serves this process alone: always healthy.</summary>
    public static SessionRevocationStoreHealth Local { get; } =
        new(SessionRevocationStoreStatus.Healthy, "Revocations are held in this process's memory.");

    /// <summary>How long since the store last heard from its shared source; null for a store without one.</summary>
    public TimeSpan? Age { get; init; }

    /// <summary>Revocations made on this instance that are not yet shared with the others.</summary>
    public int Unshared { get; init; }
}
