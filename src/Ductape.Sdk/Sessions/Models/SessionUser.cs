using System.Text.Json.Serialization;

namespace Ductape.Sdk.Sessions;

/// <summary>A user seen by a session type (Ductape's session users).</summary>
/// <remarks>Not sealed on purpose: <see cref="SessionUserDetails"/> is a session user with their sessions.</remarks>
public record SessionUser
{
    /// <summary>Ductape's record id (<c>_id</c>).</summary>
    [JsonPropertyName("_id")]
    [JsonRequired]
    public string Id { get; init; } = string.Empty;

    /// <summary>Ductape's user id (<c>ductape_user_id</c>).</summary>
    [JsonPropertyName("ductape_user_id")]
    [JsonRequired]
    public string DuctapeUserId { get; init; } = string.Empty;

    /// <summary>The product tag (<c>product_tag</c>).</summary>
    [JsonPropertyName("product_tag")]
    [JsonRequired]
    public string ProductTag { get; init; } = string.Empty;

    /// <summary>The session type's tag (<c>session_tag</c>).</summary>
    [JsonPropertyName("session_tag")]
    [JsonRequired]
    public string SessionTag { get; init; } = string.Empty;

    /// <summary>The user's identifier.</summary>
    [JsonPropertyName("identifier")]
    [JsonRequired]
    public string Identifier { get; init; } = string.Empty;

    /// <summary>The environment.</summary>
    [JsonPropertyName("env")]
    [JsonRequired]
    public string Env { get; init; } = string.Empty;

    /// <summary>When the user was first seen (<c>first_seen</c>).</summary>
    [JsonPropertyName("first_seen")]
    [JsonRequired]
    [JsonConverter(typeof(FlexibleTimeConverter))]
    public DateTimeOffset FirstSeen { get; init; }

    /// <summary>When the user was last seen (<c>last_seen</c>).</summary>
    [JsonPropertyName("last_seen")]
    [JsonRequired]
    [JsonConverter(typeof(FlexibleTimeConverter))]
    public DateTimeOffset LastSeen { get; init; }

    /// <summary>When the record was created (<c>createdAt</c>).</summary>
    [JsonPropertyName("createdAt")]
    [JsonRequired]
    [JsonConverter(typeof(FlexibleTimeConverter))]
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the record was last updated (<c>updatedAt</c>).</summary>
    [JsonPropertyName("updatedAt")]
    [JsonRequired]
    [JsonConverter(typeof(FlexibleTimeConverter))]
    public DateTimeOffset UpdatedAt { get; init; }
}
