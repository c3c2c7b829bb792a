using System.Text.Json.Serialization;

namespace Ductape.Sdk.Sessions;

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
