using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ductape.Sdk.Products;
using Ductape.Sdk.Tokens;

namespace Ductape.Sdk.Testing;

/// <summary>
/// The local server's sessions module: an in-memory, thread-safe store of session types, sessions and session users, with
/// the contract's validation rules and real tokens. One lock guards everything: it is a test server, and simple beats clever.
/// </summary>
internal sealed class LocalSessions(
    SessionTokenIssuer issuer, SessionTokenValidator validator, TimeProvider time, int maxSessions, TimeSpan retention)
{
    private const int EvictEvery = 1024; // starts between sweeps of long-expired sessions
    private int _startsSinceEviction;

    private readonly object _gate = new();
    private readonly Dictionary<(string Product, string Tag), ProductSession> _types = [];
    private readonly Dictionary<string, LiveSession> _sessions = [];
    private readonly Dictionary<string, LiveSession> _byRefreshHash = new(StringComparer.Ordinal); // refresh is a look-up, not a scan
    private readonly Dictionary<(string Product, string Env, string Tag, string Identifier), UserRecord> _users = [];

    /// <summary>
    /// Keeps state bounded (under the lock): evicts sessions expired longer than the retention every so often, or at once
    /// when the cap is reached, and refuses a new session when the cap still holds.
    /// </summary>
    private void MakeRoom()
    {
        if (++_startsSinceEviction >= EvictEvery || _sessions.Count >= maxSessions)
        {
            _startsSinceEviction = 0;
            var cutoff = time.GetUtcNow() - retention;
            foreach (var gone in _sessions.Values.Where(s => s.EndAt <= cutoff).ToList())
            {
                _sessions.Remove(gone.Id);
                _byRefreshHash.Remove(Convert.ToBase64String(gone.RefreshHash));
            }
        }

        if (_sessions.Count >= maxSessions)
        {
            throw LocalApiError.Invalid(
                $"The local server holds its maximum of {maxSessions} sessions (DuctapeLocalServerOptions.MaxSessions); call Reset() or raise it.");
        }
    }

    /// <summary>Forgets every session type, session and user.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _types.Clear();
            _sessions.Clear();
            _byRefreshHash.Clear();
            _users.Clear();
        }
    }

    public Action<Utf8JsonWriter> Execute(string method, JsonElement p) => method switch
    {
        "create" => Create(Text(p, 0, 2), Object(p, 1, 2)),
        "update" => Update(Text(p, 0, 3), Text(p, 1, 3), Object(p, 2, 3)),
        "fetch" => Fetch(Text(p, 0, 2), Text(p, 1, 2)),
        "list" => List(Text(p, 0, 1)),
        "delete" => Delete(Text(p, 0, 2), Text(p, 1, 2)),
        "start" => Start(Object(p, 0, 1)),
        "verify" => Verify(Object(p, 0, 1)),
        "refresh" => Refresh(Object(p, 0, 1)),
        "revoke" => Revoke(Object(p, 0, 1)),
        "revokeAll" => RevokeAll(Object(p, 0, 1)),
        "listActive" => ListActive(Object(p, 0, 1)),
        "fetchUsers" => FetchUsers(Object(p, 0, 1)),
        "fetchUserDetails" => FetchUserDetails(Object(p, 0, 1)),
        "fetchDashboard" => FetchDashboard(Object(p, 0, 1)),
        _ => throw LocalApiError.Invalid($"Unknown method '{method}' of module 'sessions'."),
    };

    private Action<Utf8JsonWriter> Create(string product, JsonElement body)
    {
        var session = LocalSessionTypes.Read(body);
        LocalSessionTypes.ThrowIfInvalid(session, time.GetUtcNow());
        lock (_gate)
        {
            if (!_types.TryAdd((product, session.Tag), session))
            {
                throw new LocalApiError(HttpStatusCode.Conflict, "SESSION_EXISTS", $"Session '{session.Tag}' already exists.");
            }
        }

        return Write(session);
    }

    private Action<Utf8JsonWriter> Update(string product, string tag, JsonElement changes)
    {
        lock (_gate)
        {
            var current = Type(product, tag);
            var merged = current with
            {
                Name = OptionalText(changes, "name") ?? current.Name,
                Description = OptionalText(changes, "description") ?? current.Description,
                Expiry = Optional(changes, "expiry") switch
                {
                    null => current.Expiry,
                    { ValueKind: JsonValueKind.Number } e when e.TryGetInt32(out var expiry) => expiry,
                    _ => throw LocalApiError.Invalid("expiry must be a whole number."),
                },
                Period = Optional(changes, "period") is { } period ? LocalSessionTypes.ReadPeriod(period) : current.Period,
                Selector = OptionalText(changes, "selector") ?? current.Selector,
                Schema = Optional(changes, "schema")?.Clone() ?? current.Schema,
            };
            LocalSessionTypes.ThrowIfInvalid(merged, time.GetUtcNow());
            _types[(product, tag)] = merged;
            return Write(merged);
        }
    }

    private Action<Utf8JsonWriter> Fetch(string product, string tag)
    {
        lock (_gate)
        {
            return Write(Type(product, tag));
        }
    }

    private Action<Utf8JsonWriter> List(string product)
    {
        List<ProductSession> all;
        lock (_gate)
        {
            all = [.. _types.Where(t => t.Key.Product == product).Select(t => t.Value).OrderBy(t => t.Tag, StringComparer.Ordinal)];
        }

        return w =>
        {
            w.WriteStartArray();
            foreach (var type in all)
            {
                LocalSessionTypes.Write(w, type);
            }

            w.WriteEndArray();
        };
    }

    private Action<Utf8JsonWriter> Delete(string product, string tag)
    {
        lock (_gate)
        {
            Type(product, tag);
            _types.Remove((product, tag));
        }

        return w => w.WriteNullValue();
    }

    private Action<Utf8JsonWriter> Start(JsonElement a)
    {
        var (product, env, tag) = Scope(a);
        var data = Optional(a, "data") is { ValueKind: JsonValueKind.Object } d ? d.Clone() : throw LocalApiError.Invalid("data must be a JSON object.");
        var expiresIn = Optional(a, "expiresIn") switch
        {
            null => (TimeSpan?)null,
            { ValueKind: JsonValueKind.Number } s when s.TryGetInt64(out var seconds) && seconds is >= 1 and <= 3_155_760_000 =>
                TimeSpan.FromSeconds(seconds),
            _ => throw LocalApiError.Invalid("expiresIn must be whole seconds, from 1 to 100 years."),
        };
        lock (_gate)
        {
            var type = Type(product, tag);
            MakeRoom();
            var issued = Issue(type, data, product, env, sessionId: null, expiresIn);
            var refresh = NewRefreshToken(out var hash);
            var now = time.GetUtcNow();
            var live = new LiveSession(issued.SessionId, product, env, tag, issued.Identifier, data, now, issued.ExpiresAt, hash);
            _sessions[issued.SessionId] = live;
            _byRefreshHash[Convert.ToBase64String(hash)] = live;
            var key = (product, env, tag, issued.Identifier);
            if (_users.TryGetValue(key, out var user))
            {
                user.LastSeen = now;
            }
            else
            {
                _users[key] = new UserRecord("u_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant(), now);
            }

            return Tokens(issued, refresh);
        }
    }

    private Action<Utf8JsonWriter> Verify(JsonElement a)
    {
        var (product, env, tag) = Scope(a);
        var result = validator.ValidateFor(Required(a, "token"), tag, product, env);
        bool valid;
        lock (_gate)
        {
            valid = result.Session is { } s && _sessions.TryGetValue(s.SessionId, out var live) && !live.Revoked;
        }

        if (!valid)
        {
            return w => w.WriteRawValue("""{"valid":false}""");
        }

        var session = result.Session!;
        return w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("valid", true);
            w.WritePropertyName("data");
            session.Data.WriteTo(w);
            w.WriteString("sessionId", session.SessionId);
            w.WriteString("expiresAt", session.ExpiresAt.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            w.WriteEndObject();
        };
    }

    private Action<Utf8JsonWriter> Refresh(JsonElement a)
    {
        var (product, env, tag) = Scope(a);
        var hash = Hash(Required(a, "refreshToken"));
        lock (_gate)
        {
            _byRefreshHash.TryGetValue(Convert.ToBase64String(hash), out var live);
            if (live is null || live.Revoked || live.Product != product || live.Env != env || live.Tag != tag)
            {
                throw new LocalApiError(HttpStatusCode.Unauthorized, "UNAUTHORIZED", "The refresh token is not valid (used, revoked or unknown).");
            }

            var issued = Issue(Type(product, tag), live.Data, product, env, live.Id, expiresIn: null);
            var refresh = NewRefreshToken(out var newHash);
            _byRefreshHash.Remove(Convert.ToBase64String(live.RefreshHash)); // rotation: the old refresh token stops working
            live.RefreshHash = newHash;
            _byRefreshHash[Convert.ToBase64String(newHash)] = live;
            live.EndAt = issued.ExpiresAt;
            return Tokens(issued, refresh);
        }
    }

    private Action<Utf8JsonWriter> Revoke(JsonElement a)
    {
        var (product, env, tag) = Scope(a);
        var sessionId = OptionalText(a, "sessionId");
        var identifier = OptionalText(a, "identifier");
        if ((sessionId is null) == (identifier is null))
        {
            throw LocalApiError.Invalid("Give exactly one of sessionId and identifier.");
        }

        return Count(s => s.Product == product && s.Env == env && s.Tag == tag
            && (sessionId is null ? s.Identifier == identifier : s.Id == sessionId));
    }

    private Action<Utf8JsonWriter> RevokeAll(JsonElement a)
    {
        var (product, env, tag) = Scope(a);
        var identifier = Required(a, "identifier");
        var keep = OptionalText(a, "excludeSessionId");
        return Count(s => s.Product == product && s.Env == env && s.Tag == tag && s.Identifier == identifier && s.Id != keep);
    }

    private Action<Utf8JsonWriter> Count(Func<LiveSession, bool> match)
    {
        int revoked;
        lock (_gate)
        {
            var now = time.GetUtcNow();
            var targets = _sessions.Values.Where(s => !s.Revoked && s.EndAt > now && match(s)).ToList();
            targets.ForEach(s => s.Revoked = true);
            revoked = targets.Count;
        }

        return w => w.WriteRawValue($$"""{"revoked":{{revoked}}}""");
    }

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

    private IssuedSessionToken Issue(ProductSession type, JsonElement data, string product, string env, string? sessionId, TimeSpan? expiresIn)
    {
        try
        {
            return issuer.Issue(new SessionTokenDescriptor
            {
                Tag = type.Tag,
                Selector = type.Selector,
                Data = data,
                Product = product,
                Env = env,
                Expiry = type.Expiry,
                Period = type.Period,
                Lifetime = expiresIn,
                SessionId = sessionId,
            });
        }
        catch (DuctapeValidationException ex)
        {
            throw LocalApiError.Invalid(ex.Message);
        }
    }

    private static Action<Utf8JsonWriter> Tokens(IssuedSessionToken issued, string refresh) => w =>
    {
        w.WriteStartObject();
        w.WriteString("token", issued.Token);
        w.WriteString("refreshToken", refresh);
        w.WriteString("sessionId", issued.SessionId);
        w.WriteString("expiresAt", issued.ExpiresAt);
        w.WriteEndObject();
    };

    private static string NewRefreshToken(out byte[] hash)
    {
        var token = "rt_" + System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        hash = Hash(token);
        return token;
    }

    private static byte[] Hash(string refreshToken) => SHA256.HashData(Encoding.UTF8.GetBytes(refreshToken));

    private ProductSession Type(string product, string tag) =>
        _types.TryGetValue((product, tag), out var type) ? type : throw LocalApiError.NotFound($"Session '{tag}' was not found.");

    private static Action<Utf8JsonWriter> Write(ProductSession session) => w => LocalSessionTypes.Write(w, session);

    private static (string Product, string Env, string Tag) Scope(JsonElement a) =>
        (Required(a, "product"), Required(a, "env"), Required(a, "tag"));

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

    private static string Text(JsonElement p, int index, int count) =>
        Param(p, index, count) is { ValueKind: JsonValueKind.String } s && !string.IsNullOrWhiteSpace(s.GetString())
            ? s.GetString()!
            : throw LocalApiError.Invalid($"Parameter {index + 1} must be a non-empty string.");

    private static JsonElement Object(JsonElement p, int index, int count) =>
        Param(p, index, count) is { ValueKind: JsonValueKind.Object } o ? o : throw LocalApiError.Invalid($"Parameter {index + 1} must be an object.");

    private static JsonElement Param(JsonElement p, int index, int count) =>
        p.ValueKind == JsonValueKind.Array && p.GetArrayLength() == count
            ? p[index]
            : throw LocalApiError.Invalid($"Expected {count} parameter(s).");

    private static JsonElement? Optional(JsonElement o, string name) =>
        o.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    /// <summary>A string member, or null when absent or null; any other JSON type is the client's mistake (400, never 500).</summary>
    private static string? OptionalText(JsonElement o, string name) => Optional(o, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } v => v.GetString(),
        _ => throw LocalApiError.Invalid($"'{name}' must be a string."),
    };

    private static string Required(JsonElement o, string name) =>
        Optional(o, name) is { ValueKind: JsonValueKind.String } v && !string.IsNullOrWhiteSpace(v.GetString())
            ? v.GetString()!
            : throw LocalApiError.Invalid($"'{name}' is required.");

    private sealed class LiveSession(string id, string product, string env, string tag, string identifier, JsonElement data,
        DateTimeOffset startAt, DateTimeOffset endAt, byte[] refreshHash)
    {
        public string Id { get; } = id;
        public string Product { get; } = product;
        public string Env { get; } = env;
        public string Tag { get; } = tag;
        public string Identifier { get; } = identifier;
        public JsonElement Data { get; } = data;
        public DateTimeOffset StartAt { get; } = startAt;
        public DateTimeOffset EndAt { get; set; } = endAt;
        public byte[] RefreshHash { get; set; } = refreshHash;
        public bool Revoked { get; set; }

        public bool IsActive(DateTimeOffset now) => !Revoked && EndAt > now;
    }

    private sealed class UserRecord(string id, DateTimeOffset firstSeen)
    {
        public string Id { get; } = id;
        public DateTimeOffset FirstSeen { get; } = firstSeen;
        public DateTimeOffset LastSeen { get; set; } = firstSeen;
    }
}
