namespace Ductape.Sdk.Tokens;

/// <summary>How far a revocation store can be trusted (what a health check reports).</summary>
public enum SessionRevocationStoreStatus
{
    /// <summary>Current: it knows every revocation shared so far, or it serves this process alone.</summary>
    Healthy = 0,

    /// <summary>
    /// Serving, but behind: it has not heard from its source for a while (within its staleness limit, or beyond it with a
    /// fail-open policy), or revocations made here are not yet shared. Tokens are still validated.
    /// </summary>
    Degraded,

    /// <summary>Refusing: it cannot vouch for its knowledge and fails closed, so every check answers <c>RevocationUnknown</c>.</summary>
    Unhealthy,
}
