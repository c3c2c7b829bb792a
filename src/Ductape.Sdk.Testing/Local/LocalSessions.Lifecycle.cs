using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ductape.Sdk.Products;
using Ductape.Sdk.Tokens;

namespace Ductape.Sdk.Testing;

// Runtime sessions: start, verify, refresh, revoke, and the tokens they issue.
internal sealed partial class LocalSessions
{
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
}
