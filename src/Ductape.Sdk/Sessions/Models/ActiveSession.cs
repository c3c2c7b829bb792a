using System.Text.Json.Serialization;

namespace Ductape.Sdk.Sessions;

/// <summary>An active (or recently ended) session of a session type.</summary>
public sealed record ActiveSession
{
    /// <summary>The session id.</summary>
    [JsonPropertyName("sessionId")]
    [JsonRequired]
    public string SessionId { get; init; } = string.Empty;

    /// <summary>The user's identifier.</summary>
    [JsonPropertyName("identifier")]
    [JsonRequired]
    public string Identifier { get; init; } = string.Empty;

    /// <summary>When the session started.</summary>
    [JsonPropertyName("startAt")]
    [JsonRequired]
    [JsonConverter(typeof(FlexibleTimeConverter))]
    public DateTimeOffset StartAt { get; init; }

    /// <summary>When the session ends or ended.</summary>
    [JsonPropertyName("endAt")]
    [JsonRequired]
    [JsonConverter(typeof(FlexibleTimeConverter))]
    public DateTimeOffset EndAt { get; init; }

    /// <summary>Whether it is still active.</summary>
    [JsonPropertyName("active")]
    [JsonRequired]
    public bool IsActive { get; init; }
}
