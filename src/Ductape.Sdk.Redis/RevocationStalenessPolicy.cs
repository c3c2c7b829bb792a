namespace Ductape.Sdk.Redis;

/// <summary>What a store does when its replica has not heard from Redis for longer than its staleness limit.</summary>
public enum RevocationStalenessPolicy
{
    /// <summary>Refuse every token (<c>RevocationUnknown</c>): a revocation made meanwhile cannot be missed. The default.</summary>
    FailClosed = 0,

    /// <summary>Keep answering from the replica: availability first, at the risk of accepting a session revoked meanwhile.</summary>
    FailOpen,
}
