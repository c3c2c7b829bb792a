using System.Text.Json.Serialization;

namespace Ductape.Sdk.Sessions;

/// <summary>A session user with their sessions.</summary>
public sealed record SessionUserDetails : SessionUser
{
    /// <summary>The user's sessions.</summary>
    [JsonPropertyName("sessions")]
    [JsonRequired]
    public IReadOnlyList<SessionUserSession> Sessions { get; init; } = [];

    /// <summary>How many sessions the user has had.</summary>
    [JsonPropertyName("totalSessions")]
    [JsonRequired]
    public int TotalSessions { get; init; }

    /// <summary>How many of them are active.</summary>
    [JsonPropertyName("activeSessionsCount")]
    [JsonRequired]
    public int ActiveSessionsCount { get; init; }
}
