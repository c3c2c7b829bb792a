using System.Text.Json.Serialization;

namespace Ductape.Sdk.Sessions;

/// <summary>What starting or refreshing a session returns. <see cref="ToString"/> never shows the tokens.</summary>
public sealed record SessionTokens
{
    /// <summary>The session token (<c>tag:JWE</c>). A bearer secret: never log it.</summary>
    [JsonPropertyName("token")]
    [JsonRequired]
    public string Token { get; init; } = string.Empty;

    /// <summary>The refresh token (<c>rt_…</c>). It rotates: after a refresh the old one stops working.</summary>
    [JsonPropertyName("refreshToken")]
    [JsonRequired]
    public string RefreshToken { get; init; } = string.Empty;

    /// <summary>The session id.</summary>
    [JsonPropertyName("sessionId")]
    [JsonRequired]
    public string SessionId { get; init; } = string.Empty;

    /// <summary>When the session token expires.</summary>
    [JsonPropertyName("expiresAt")]
    [JsonRequired]
    [JsonConverter(typeof(FlexibleTimeConverter))]
    public DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Names the session without its tokens.</summary>
    public override string ToString() => $"SessionTokens for session {SessionId}, expires {ExpiresAt:u}";
}
