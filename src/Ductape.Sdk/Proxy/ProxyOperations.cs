using System.Text.Json;
using Ductape.Sdk.Products;
using Ductape.Sdk.Sessions;

namespace Ductape.Sdk.Proxy;

/// <summary>
/// The 14 operations of Ductape's SDK proxy that the SDK calls, in one table (CONTRACT §5). The send path reads it: whether a
/// call carries an idempotency key, how its result is read and whether an answer may be quoted in an error are decided here
/// and nowhere else.
/// </summary>
internal static class ProxyOperations
{
    private const string Sessions = "sessions";
    private static DuctapeJsonContext Json => DuctapeJsonContext.Default;

    // Session types (client.Products.Sessions).
    public static readonly ProxyOperation<ProductSession> Create = new(Sessions, "create", changesState: true, resultHoldsSecrets: false,
        "[product_tag, { tag, name, description, expiry, period, selector, schema }]", "session type", Json.ProductSession);

    public static readonly ProxyOperation<ProductSession> Update = new(Sessions, "update", changesState: true, resultHoldsSecrets: false,
        "[product_tag, session_tag, { name?, description?, expiry?, period?, selector?, schema? }]", "session type", Json.ProductSession);

    public static readonly ProxyOperation<ProductSession> Fetch = new(Sessions, "fetch", changesState: false, resultHoldsSecrets: false,
        "[product_tag, session_tag]", "session type", Json.ProductSession);

    public static readonly ProxyOperation<List<ProductSession>> List = new(Sessions, "list", changesState: false, resultHoldsSecrets: false,
        "[product_tag]", "[session type]", Json.ListProductSession);

    public static readonly ProxyOperation<JsonElement> Delete = new(Sessions, "delete", changesState: true, resultHoldsSecrets: false,
        "[product_tag, session_tag]", "(ignored)", Json.JsonElement);

    // Runtime sessions (client.Sessions).
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

    /// <summary>Every row, in the contract's order.</summary>
    public static IReadOnlyList<ProxyOperation> All { get; } =
    [
        Create, Update, Fetch, Delete, List, Start, Verify, Refresh, Revoke, RevokeAll, ListActive, FetchUsers, FetchUserDetails,
        FetchDashboard,
    ];
}
