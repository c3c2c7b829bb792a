using System.Net;
using System.Text.Json;
using Ductape.Sdk.Products;
using Ductape.Sdk.Tokens;

namespace Ductape.Sdk.Testing;

/// <summary>
/// The local server's sessions module: an in-memory, thread-safe store of session types, sessions and session users, with
/// the contract's validation rules and real tokens. One lock guards everything: it is a test server, and simple beats clever.
/// </summary>
internal sealed partial class LocalSessions(
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

    private ProductSession Type(string product, string tag) =>
        _types.TryGetValue((product, tag), out var type) ? type : throw LocalApiError.NotFound($"Session '{tag}' was not found.");

    private static Action<Utf8JsonWriter> Write(ProductSession session) => w => LocalSessionTypes.Write(w, session);

    private static (string Product, string Env, string Tag) Scope(JsonElement a) =>
        (Required(a, "product"), Required(a, "env"), Required(a, "tag"));

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
