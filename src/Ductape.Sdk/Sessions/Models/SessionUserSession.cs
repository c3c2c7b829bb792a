using System.Text.Json.Serialization;

namespace Ductape.Sdk.Sessions;

/// <summary>One session in a user's details.</summary>
public sealed record SessionUserSession
{
    /// <summary>The session id (<c>session_id</c>).</summary>
    [JsonPropertyName("session_id")]
    [JsonRequired]
    public string SessionId { get; init; } = string.Empty;

    /// <summary>When it started (<c>start_at</c>).</summary>
    [JsonPropertyName("start_at")]
    [JsonRequired]
    [JsonConverter(typeof(FlexibleTimeConverter))]
    public DateTimeOffset StartAt { get; init; }

    /// <summary>When it ends or ended (<c>end_at</c>).</summary>
    [JsonPropertyName("end_at")]
    [JsonRequired]
    [JsonConverter(typeof(FlexibleTimeConverter))]
    public DateTimeOffset EndAt { get; init; }

    /// <summary>Whether it is still active.</summary>
    [JsonPropertyName("active")]
    [JsonRequired]
    public bool IsActive { get; init; }
}
