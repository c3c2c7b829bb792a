namespace Ductape.Sdk.Sessions;

/// <summary>How <see cref="SessionsClient.VerifyAsync(string, string, SessionVerificationMode, DuctapeRequestOptions?, CancellationToken)"/> decides, and which path answered.</summary>
public enum SessionVerificationMode
{
    /// <summary>
    /// <see cref="OfflineWithRevocations"/> when <see cref="DuctapeClientOptions.SessionKeys"/> are set, else
    /// <see cref="Server"/>. Never the path a result names.
    /// </summary>
    Default = 0,

    /// <summary>
    /// Offline, with the session keys: the token's integrity, claims, audience and time. No request; revocations are not
    /// consulted, so a revoked session's token verifies until it expires.
    /// </summary>
    Offline,

    /// <summary>
    /// <see cref="Offline"/>, then the client's revocation store (revocations made through the SDK, on any instance sharing
    /// the store), and — when <see cref="DuctapeClientOptions.RevocationRecheckInterval"/> is set — Ductape at most once per
    /// interval per session, for revocations made elsewhere.
    /// </summary>
    OfflineWithRevocations,

    /// <summary>Ductape decides (<c>sessions.verify</c>): every revocation counts, at the cost of a request.</summary>
    Server,
}
