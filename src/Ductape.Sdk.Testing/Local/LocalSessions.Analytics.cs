using System.Text.Json;

namespace Ductape.Sdk.Testing;

// Session-user analytics: active sessions, users, one user's details, the dashboard.
internal sealed partial class LocalSessions
{
    private Action<Utf8JsonWriter> ListActive(JsonElement a)
    {
        var (product, env, tag) = Scope(a);
        var identifier = OptionalText(a, "identifier");
        var (page, limit) = Paging(a);
        List<LiveSession> active;
        lock (_gate)
        {
            var now = time.GetUtcNow();
            active = [.. _sessions.Values
                .Where(s => s.Product == product && s.Env == env && s.Tag == tag && s.IsActive(now) && (identifier is null || s.Identifier == identifier))
                .OrderBy(s => s.StartAt)];
        }

        return w =>
        {
            w.WriteStartObject();
            w.WriteNumber("total", active.Count);
            w.WriteNumber("page", page);
            w.WriteNumber("limit", limit);
            w.WriteStartArray("sessions");
            foreach (var s in active.Skip((page - 1) * limit).Take(limit))
            {
                w.WriteStartObject();
                w.WriteString("sessionId", s.Id);
                w.WriteString("identifier", s.Identifier);
                w.WriteString("startAt", s.StartAt);
                w.WriteString("endAt", s.EndAt);
                w.WriteBoolean("active", true);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        };
    }

    private Action<Utf8JsonWriter> FetchUsers(JsonElement a)
    {
        var (product, session, env) = AnalyticsScope(a);
        var (page, limit) = Paging(a);
        List<KeyValuePair<(string Product, string Env, string Tag, string Identifier), UserRecord>> users;
        lock (_gate)
        {
            users = [.. Users(product, session, env).OrderBy(u => u.Value.FirstSeen)];
        }

        return w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("users");
            foreach (var user in users.Skip((page - 1) * limit).Take(limit))
            {
                WriteUser(w, user.Key, user.Value, close: true);
            }

            w.WriteEndArray();
            w.WriteNumber("total", users.Count);
            w.WriteNumber("page", page);
            w.WriteNumber("limit", limit);
            w.WriteNumber("totalPages", (users.Count + limit - 1) / limit);
            w.WriteEndObject();
        };
    }

    private Action<Utf8JsonWriter> FetchUserDetails(JsonElement a)
    {
        var (product, session, env) = AnalyticsScope(a);
        var identifier = Required(a, "identifier");
        lock (_gate)
        {
            var user = Users(product, session, env).FirstOrDefault(u => u.Key.Identifier == identifier);
            if (user.Value is null)
            {
                throw LocalApiError.NotFound($"No user '{identifier}' in session '{session}'.");
            }

            var now = time.GetUtcNow();
            var sessions = _sessions.Values
                .Where(s => s.Product == product && s.Tag == session && s.Identifier == identifier && (env is null || s.Env == env))
                .OrderBy(s => s.StartAt).ToList();
            return w =>
            {
                WriteUser(w, user.Key, user.Value, close: false);
                w.WriteStartArray("sessions");
                foreach (var s in sessions)
                {
                    w.WriteStartObject();
                    w.WriteString("session_id", s.Id);
                    w.WriteString("start_at", s.StartAt);
                    w.WriteString("end_at", s.EndAt);
                    w.WriteBoolean("active", s.IsActive(now));
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteNumber("totalSessions", sessions.Count);
                w.WriteNumber("activeSessionsCount", sessions.Count(s => s.IsActive(now)));
                w.WriteEndObject();
            };
        }
    }

    private Action<Utf8JsonWriter> FetchDashboard(JsonElement a)
    {
        var (product, session, env) = AnalyticsScope(a);
        // Under the lock only a copy of the few fields the metrics need; grouping and counting run outside it, so other calls
        // wait for one cheap pass, not for the whole computation.
        DateTimeOffset now;
        (string Identifier, DateTimeOffset FirstSeen)[] users;
        (string Identifier, bool Revoked, DateTimeOffset EndAt)[] sessions;
        lock (_gate)
        {
            now = time.GetUtcNow();
            users = [.. Users(product, session, env).Select(u => (u.Key.Identifier, u.Value.FirstSeen))];
            sessions = [.. _sessions.Values
                .Where(s => s.Product == product && s.Tag == session && (env is null || s.Env == env))
                .Select(s => (s.Identifier, s.Revoked, s.EndAt))];
        }

        static bool Active((string Identifier, bool Revoked, DateTimeOffset EndAt) s, DateTimeOffset now) => !s.Revoked && s.EndAt > now;

        // One pass over the sessions, then one look-up per user: users + sessions, not users × sessions.
        var byIdentifier = sessions.GroupBy(s => s.Identifier, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var totalUsers = users.Length;
        var activeUsers = users.Count(u => byIdentifier.TryGetValue(u.Identifier, out var own) && own.Any(s => Active(s, now)));
        var expiredUsers = users.Count(u => !byIdentifier.TryGetValue(u.Identifier, out var own) || own.All(s => !s.Revoked && s.EndAt <= now));
        var newToday = users.Count(u => u.FirstSeen.UtcDateTime.Date == now.UtcDateTime.Date);
        var newWeek = users.Count(u => u.FirstSeen > now.AddDays(-7));
        var totalSessions = sessions.Length;
        var activeSessions = sessions.Count(s => Active(s, now));

        return w =>
        {
            w.WriteStartObject();
            w.WriteNumber("totalUsers", totalUsers);
            w.WriteNumber("activeUsers", activeUsers);
            w.WriteNumber("inactiveUsers", totalUsers - activeUsers);
            w.WriteNumber("expiredUsers", expiredUsers);
            w.WriteNumber("newUsersToday", newToday);
            w.WriteNumber("newUsersThisWeek", newWeek);
            w.WriteNumber("totalSessions", totalSessions);
            w.WriteNumber("activeSessions", activeSessions);
            w.WriteNumber("averageSessionsPerUser", totalUsers == 0 ? 0 : Math.Round((double)totalSessions / totalUsers, 2));
            w.WriteEndObject();
        };
    }

    private IEnumerable<KeyValuePair<(string Product, string Env, string Tag, string Identifier), UserRecord>> Users(
        string product, string session, string? env) =>
        _users.Where(u => u.Key.Product == product && u.Key.Tag == session && (env is null || u.Key.Env == env));

    private static void WriteUser(Utf8JsonWriter w, (string Product, string Env, string Tag, string Identifier) key, UserRecord user, bool close)
    {
        w.WriteStartObject();
        w.WriteString("_id", user.Id);
        w.WriteString("ductape_user_id", "du_" + user.Id[2..]);
        w.WriteString("product_tag", key.Product);
        w.WriteString("session_tag", key.Tag);
        w.WriteString("identifier", key.Identifier);
        w.WriteString("env", key.Env);
        w.WriteString("first_seen", user.FirstSeen);
        w.WriteString("last_seen", user.LastSeen);
        w.WriteString("createdAt", user.FirstSeen);
        w.WriteString("updatedAt", user.LastSeen);
        if (close)
        {
            w.WriteEndObject();
        }
    }

    private static (string Product, string Session, string? Env) AnalyticsScope(JsonElement a) =>
        (Required(a, "product"), Required(a, "session"), OptionalText(a, "env"));

    private static (int Page, int Limit) Paging(JsonElement a)
    {
        var page = Optional(a, "page") switch
        {
            null => 1,
            { ValueKind: JsonValueKind.Number } p when p.TryGetInt32(out var value) => value,
            _ => 0, // refused below
        };
        var limit = Optional(a, "limit") switch
        {
            null => 20,
            { ValueKind: JsonValueKind.Number } l when l.TryGetInt32(out var value) => value,
            _ => 0,
        };
        return page < 1 || limit is < 1 or > 100
            ? throw LocalApiError.Invalid("page must be at least 1 and limit between 1 and 100.")
            : (page, limit);
    }
}
