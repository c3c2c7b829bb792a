using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using Ductape.Sdk.Tokens;

namespace Ductape.Sdk.Redis;

/// <summary>
/// The JSON form of revocations in Redis values and pub/sub messages, written and read by hand (no reflection, AOT-clean).
/// Instants travel as UTC ticks so every replica compares exactly what the writer meant.
/// </summary>
internal static class RevocationCodec
{
    public static byte[] Encode(SessionRevocation revocation)
    {
        var buffer = new ArrayBufferWriter<byte>(192);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            switch (revocation)
            {
                case SessionIdRevocation session:
                    w.WriteString("t"u8, "s"u8);
                    w.WriteString("sid"u8, session.SessionId);
                    break;
                case UserRevocation user:
                    w.WriteString("t"u8, "u"u8);
                    w.WriteString("prd"u8, user.Scope.Product);
                    w.WriteString("env"u8, user.Scope.Env);
                    w.WriteString("tag"u8, user.Scope.Tag);
                    w.WriteString("id"u8, user.Identifier);
                    w.WriteNumber("nbf"u8, user.NotBefore.UtcTicks);
                    if (user.ExceptSessionId is not null)
                    {
                        w.WriteString("exc"u8, user.ExceptSessionId);
                    }

                    w.WriteNumber("cut"u8, user.ExceptCutoff.UtcTicks);
                    break;
                default:
                    throw new ArgumentException($"Unknown revocation type {revocation.GetType().Name}.", nameof(revocation));
            }

            w.WriteNumber("until"u8, revocation.Until.UtcTicks);
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] Heartbeat(string instance)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("t"u8, "h"u8);
            w.WriteString("from"u8, instance);
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The revocation a value holds; null for a heartbeat; throws <see cref="FormatException"/> for anything else.</summary>
    public static SessionRevocation? Decode(ReadOnlySpan<byte> json)
    {
        string? type = null, sid = null, prd = null, env = null, tag = null, id = null, exc = null;
        long? nbf = null, cut = null, until = null;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 4 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new FormatException("Not a revocation.");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case "t": type = reader.GetString(); break;
                    case "sid": sid = reader.GetString(); break;
                    case "prd": prd = reader.GetString(); break;
                    case "env": env = reader.GetString(); break;
                    case "tag": tag = reader.GetString(); break;
                    case "id": id = reader.GetString(); break;
                    case "exc": exc = reader.GetString(); break;
                    case "nbf": nbf = reader.GetInt64(); break;
                    case "cut": cut = reader.GetInt64(); break;
                    case "until": until = reader.GetInt64(); break;
                    default: reader.Skip(); break;
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            throw new FormatException("Not a revocation.", ex);
        }

        return type switch
        {
            "h" => null,
            "s" when sid is { Length: > 0 } && until is { } u => new SessionIdRevocation(sid, Instant(u)),
            "u" when prd is { Length: > 0 } && env is { Length: > 0 } && tag is { Length: > 0 } && id is { Length: > 0 }
                     && nbf is { } n && cut is { } c && until is { } u =>
                new UserRevocation(new SessionScope(prd, env, tag), id, Instant(n), exc, Instant(c), Instant(u)),
            _ => throw new FormatException("Not a revocation."),
        };
    }

    /// <summary>
    /// The Redis key of a revocation: a session's by its id (one entry however often it is revoked), a user's by a hash of
    /// its content (identical summaries written by several replicas land on one key).
    /// </summary>
    public static string KeyFor(string prefix, SessionRevocation revocation) => revocation switch
    {
        SessionIdRevocation session => prefix + "s:" + session.SessionId,
        _ => prefix + "u:" + Convert.ToHexString(SHA256.HashData(Encode(revocation with { Until = DateTimeOffset.MinValue }))),
    };

    private static DateTimeOffset Instant(long ticks) =>
        ticks is >= 0 and <= 3155378975999999999 ? new DateTimeOffset(ticks, TimeSpan.Zero) : throw new FormatException("Instant out of range.");
}
