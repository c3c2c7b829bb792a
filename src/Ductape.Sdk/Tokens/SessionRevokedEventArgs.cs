using Ductape.Sdk.Tokens.Revocation;

namespace Ductape.Sdk.Tokens;

/// <summary>A revocation a store has just learnt (made here or heard from another instance).</summary>
/// <param name="revocation">The revocation.</param>
public sealed class SessionRevokedEventArgs(SessionRevocation revocation) : EventArgs
{
    /// <summary>
    /// The revocation: a <see cref="SessionIdRevocation"/> (one session) or a <see cref="UserRevocation"/> (a user's
    /// sessions issued before an instant; check a session against the store to know whether it is concerned).
    /// </summary>
    public SessionRevocation Revocation { get; } = revocation;
}
