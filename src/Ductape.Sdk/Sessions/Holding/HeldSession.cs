namespace Ductape.Sdk.Sessions;

/// <summary>
/// A session an app holds to call APIs on a user's behalf (a backend-for-frontend, a worker): its tokens, and a version that
/// grows with every refresh, so instances sharing a <see cref="ISessionTokenStore"/> can tell the newest pair.
/// <see cref="ToString"/> never shows the tokens.
/// </summary>
public sealed record HeldSession
{
    /// <summary>The session type's tag.</summary>
    public required string Tag { get; init; }

    /// <summary>The session token (<c>tag:JWE</c>). A bearer secret.</summary>
    public required string Token { get; init; }

    /// <summary>The refresh token. A secret; it rotates with every refresh.</summary>
    public required string RefreshToken { get; init; }

    /// <summary>The session id.</summary>
    public required string SessionId { get; init; }

    /// <summary>When <see cref="Token"/> expires.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>0 for a pair from a sign-in; one more with each refresh.</summary>
    public long Version { get; init; }

    /// <summary>A held session from what <c>StartAsync</c> or <c>RefreshAsync</c> returned.</summary>
    /// <param name="tag">The session type's tag.</param>
    /// <param name="tokens">The tokens.</param>
    /// <param name="version">The version; 0 for a sign-in.</param>
    /// <returns>The held session.</returns>
    public static HeldSession From(string tag, SessionTokens tokens, long version = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tag);
        ArgumentNullException.ThrowIfNull(tokens);
        return new HeldSession
        {
            Tag = tag, Token = tokens.Token, RefreshToken = tokens.RefreshToken, SessionId = tokens.SessionId,
            ExpiresAt = tokens.ExpiresAt, Version = version,
        };
    }

    /// <summary>Names the session without its tokens.</summary>
    /// <returns>A description without secrets.</returns>
    public override string ToString() => $"Held session {SessionId} ({Tag}) v{Version}, expires {ExpiresAt:u}";
}
