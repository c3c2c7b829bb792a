namespace Ductape.Sdk.Tokens.Revocation;

/// <summary>One session, revoked by its id.</summary>
/// <param name="SessionId">The session id (<c>sid</c>).</param>
/// <param name="Until">When the entry may be forgotten.</param>
public sealed record SessionIdRevocation(string SessionId, DateTimeOffset Until) : SessionRevocation(Until);
