using Ductape.Sdk.Proxy;

namespace Ductape.Sdk.Sessions;

/// <summary>
/// The proxy operations of <see cref="SessionsClient"/>, one row each (CONTRACT §5): whether a call changes state (and so
/// carries an idempotency key), whether its answer may hold secrets (and so is never quoted), and how its result is read.
/// </summary>
internal static class SessionOperations
{
    private const string Sessions = "sessions";
    private static DuctapeJsonContext Json => DuctapeJsonContext.Default;

    public static readonly ProxyOperation<SessionTokens> Start = new(Sessions, "start", changesState: true, resultHoldsSecrets: true,
        "[{ product, env, tag, data, expiresIn? }]", "{ token, refreshToken, sessionId, expiresAt }", Json.SessionTokens);

    public static readonly ProxyOperation<SessionVerification> Verify = new(Sessions, "verify", changesState: false, resultHoldsSecrets: true,
        "[{ product, env, tag, token }]", "{ valid, data?, sessionId?, expiresAt? }", Json.SessionVerification);

    public static readonly ProxyOperation<SessionTokens> Refresh = new(Sessions, "refresh", changesState: true, resultHoldsSecrets: true,
        "[{ product, env, tag, refreshToken }]", "{ token, refreshToken, sessionId, expiresAt }", Json.SessionTokens);

    public static readonly ProxyOperation<RevokedCount> Revoke = new(Sessions, "revoke", changesState: true, resultHoldsSecrets: false,
        "[{ product, env, tag, sessionId? , identifier? }]", "{ revoked }", Json.RevokedCount);

    public static readonly ProxyOperation<RevokedCount> RevokeAll = new(Sessions, "revokeAll", changesState: true, resultHoldsSecrets: false,
        "[{ product, env, tag, identifier, excludeSessionId? }]", "{ revoked }", Json.RevokedCount);

    public static readonly ProxyOperation<ActiveSessionListing> ListActive = new(Sessions, "listActive", changesState: false,
        resultHoldsSecrets: false, "[{ product, env, tag, identifier?, page?, limit? }]",
        "{ total, page, limit, sessions: [{ sessionId, identifier, startAt, endAt, active }] }", Json.ActiveSessionListing);

    public static readonly ProxyOperation<SessionUserListing> FetchUsers = new(Sessions, "fetchUsers", changesState: false,
        resultHoldsSecrets: false, "[{ product, session, env?, page?, limit? }]", "{ users, total, page, limit, totalPages }",
        Json.SessionUserListing);

    public static readonly ProxyOperation<SessionUserDetails> FetchUserDetails = new(Sessions, "fetchUserDetails", changesState: false,
        resultHoldsSecrets: false, "[{ product, session, identifier, env? }]",
        "user fields + { sessions: [{ session_id, start_at, end_at, active }], totalSessions, activeSessionsCount }",
        Json.SessionUserDetails);

    public static readonly ProxyOperation<SessionDashboard> FetchDashboard = new(Sessions, "fetchDashboard", changesState: false,
        resultHoldsSecrets: false, "[{ product, session, env? }]",
        "{ totalUsers, activeUsers, inactiveUsers, expiredUsers, newUsersToday, newUsersThisWeek, totalSessions, activeSessions, averageSessionsPerUser }",
        Json.SessionDashboard);
}
