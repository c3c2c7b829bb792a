namespace Ductape.Sdk.Tokens;

/// <summary>What a revocation store knows about a session.</summary>
public enum SessionRevocationState
{
    /// <summary>Not revoked, as far as the store knows (and it is current).</summary>
    Active = 0,

    /// <summary>Revoked: by id, or by its user's "not before" instant.</summary>
    Revoked,

    /// <summary>The store has not heard from its source for longer than its staleness limit and fails closed.</summary>
    Unknown,
}
