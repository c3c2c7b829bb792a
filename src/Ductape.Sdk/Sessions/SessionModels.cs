using System.Text.Json.Serialization;
using System.Text.Json;
using Ductape.Sdk.Json;
using Ductape.Sdk.Tokens;

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

/// <summary>The outcome of verifying a session token.</summary>
public sealed record SessionVerification
{
    /// <summary>Whether the token is valid.</summary>
    [JsonPropertyName("valid")]
    [JsonRequired]
    public bool Valid { get; init; }

    /// <summary>The session data, when valid.</summary>
    [JsonPropertyName("data")]
    public JsonElement? Data { get; init; }

    /// <summary>The session id, when valid.</summary>
    [JsonPropertyName("sessionId")]
    public string? SessionId { get; init; }

    /// <summary>When the token expires, when valid.</summary>
    [JsonPropertyName("expiresAt")]
    [JsonConverter(typeof(FlexibleTimeConverter))]
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Which path answered: <see cref="SessionVerificationMode.Server"/>, <see cref="SessionVerificationMode.Offline"/> or <see cref="SessionVerificationMode.OfflineWithRevocations"/>.</summary>
    [JsonIgnore]
    public SessionVerificationMode VerifiedBy { get; init; } = SessionVerificationMode.Server;

    /// <summary>Why an offline verification failed (<see cref="SessionTokenFailure.None"/> when valid or answered by Ductape).</summary>
    [JsonIgnore]
    public SessionTokenFailure Failure { get; init; }

    /// <summary>Says whether it is valid and names the session, never its data.</summary>
    public override string ToString() =>
        Valid ? $"Valid session {SessionId}, expires {ExpiresAt:u} ({VerifiedBy})"
            : Failure == SessionTokenFailure.None ? $"Invalid session token ({VerifiedBy})" : $"Invalid session token: {Failure} ({VerifiedBy})";
}

/// <summary>How many sessions a revocation ended.</summary>
internal sealed record RevokedCount([property: JsonPropertyName("revoked"), JsonRequired] int Revoked);

/// <summary>One page of a listing.</summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed record DuctapePage<T>
{
    /// <summary>The items of this page.</summary>
    public required IReadOnlyList<T> Items { get; init; }

    /// <summary>How many items there are in all.</summary>
    public required int Total { get; init; }

    /// <summary>This page's number, from 1.</summary>
    public required int Page { get; init; }

    /// <summary>The page size asked for.</summary>
    public required int Limit { get; init; }

    /// <summary>Whether a later page may hold more items.</summary>
    public bool HasMore => Items.Count > 0 && (long)Page * Limit < Total;
}

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
    public bool Active { get; init; }
}

internal sealed record ActiveSessionListing
{
    [JsonPropertyName("total")]
    [JsonRequired]
    public int Total { get; init; }

    [JsonPropertyName("page")]
    [JsonRequired]
    public int Page { get; init; }

    [JsonPropertyName("limit")]
    [JsonRequired]
    public int Limit { get; init; }

    [JsonPropertyName("sessions")]
    [JsonRequired]
    public List<ActiveSession> Sessions { get; init; } = [];
}

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

internal sealed record SessionUserListing
{
    [JsonPropertyName("users")]
    [JsonRequired]
    public List<SessionUser> Users { get; init; } = [];

    [JsonPropertyName("total")]
    [JsonRequired]
    public int Total { get; init; }

    [JsonPropertyName("page")]
    [JsonRequired]
    public int Page { get; init; }

    [JsonPropertyName("limit")]
    [JsonRequired]
    public int Limit { get; init; }

    [JsonPropertyName("totalPages")]
    [JsonRequired]
    public int TotalPages { get; init; }
}

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
    public bool Active { get; init; }
}

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

/// <summary>A session type's dashboard metrics.</summary>
public sealed record SessionDashboard
{
    /// <summary>Users ever seen.</summary>
    [JsonPropertyName("totalUsers")]
    [JsonRequired]
    public int TotalUsers { get; init; }

    /// <summary>Users with an active session.</summary>
    [JsonPropertyName("activeUsers")]
    [JsonRequired]
    public int ActiveUsers { get; init; }

    /// <summary>Users without an active session.</summary>
    [JsonPropertyName("inactiveUsers")]
    [JsonRequired]
    public int InactiveUsers { get; init; }

    /// <summary>Users whose sessions all expired.</summary>
    [JsonPropertyName("expiredUsers")]
    [JsonRequired]
    public int ExpiredUsers { get; init; }

    /// <summary>Users first seen today (UTC).</summary>
    [JsonPropertyName("newUsersToday")]
    [JsonRequired]
    public int NewUsersToday { get; init; }

    /// <summary>Users first seen in the last 7 days.</summary>
    [JsonPropertyName("newUsersThisWeek")]
    [JsonRequired]
    public int NewUsersThisWeek { get; init; }

    /// <summary>Sessions ever started.</summary>
    [JsonPropertyName("totalSessions")]
    [JsonRequired]
    public int TotalSessions { get; init; }

    /// <summary>Sessions active now.</summary>
    [JsonPropertyName("activeSessions")]
    [JsonRequired]
    public int ActiveSessions { get; init; }

    /// <summary>Sessions per user, on average.</summary>
    [JsonPropertyName("averageSessionsPerUser")]
    [JsonRequired]
    public double AverageSessionsPerUser { get; init; }
}
