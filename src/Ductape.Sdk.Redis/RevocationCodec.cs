using System.Buffers;
using System.Text.Json;
using Ductape.Sdk.Tokens;
using Ductape.Sdk.Tokens.Revocation;

namespace Ductape.Sdk.Redis;

/// <summary>What a Redis value or pub/sub message turned out to be.</summary>
internal enum RevocationMessage
{
    /// <summary>Not something this store wrote, or not well formed: skip it.</summary>
    Unreadable = 0,

    /// <summary>A revocation.</summary>
    Revocation,

    /// <summary>An instance saying it is alive.</summary>
    Heartbeat,
}

/// <summary>
/// The JSON form of revocations in Redis values and pub/sub messages, written and read by hand (no reflection, AOT-clean).
/// Instants travel as UTC ticks so every replica compares exactly what the writer meant. Whatever is under the prefix may
/// have been written by anyone: reading is bounded in size and depth, checks every field, and never throws.
/// </summary>
internal static class RevocationCodec
{
    /// <summary>The largest value read; an identifier of the longest token fits several times over.</summary>
    public const int MaxBytes = 256 * 1024;

    private const long MaxTicks = 3155378975999999999; // DateTimeOffset.MaxValue

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

    /// <summary>Reads a value or message; <paramref name="revocation"/> is set, and well formed, only for a revocation.</summary>
    public static RevocationMessage Decode(ReadOnlySpan<byte> json, out SessionRevocation? revocation)
    {
        revocation = null;
        if (json.IsEmpty || json.Length > MaxBytes)
        {
            return RevocationMessage.Unreadable;
        }

        try
        {
            return Read(json, out revocation);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or ArgumentException)
        {
            revocation = null;
            return RevocationMessage.Unreadable;
        }
    }

    private static RevocationMessage Read(ReadOnlySpan<byte> json, out SessionRevocation? revocation)
    {
        revocation = null;
        string? type = null, sid = null, prd = null, env = null, tag = null, id = null, exc = null;
        long? nbf = null, cut = null, until = null;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 4 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return RevocationMessage.Unreadable;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            var ok = name switch
            {
                "t" => Text(ref reader, ref type),
                "sid" => Text(ref reader, ref sid),
                "prd" => Text(ref reader, ref prd),
                "env" => Text(ref reader, ref env),
                "tag" => Text(ref reader, ref tag),
                "id" => Text(ref reader, ref id),
                "exc" => Text(ref reader, ref exc),
                "nbf" => Ticks(ref reader, ref nbf),
                "cut" => Ticks(ref reader, ref cut),
                "until" => Ticks(ref reader, ref until),
                _ => reader.TrySkip(),
            };
            if (!ok)
            {
                return RevocationMessage.Unreadable;
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            return RevocationMessage.Unreadable;
        }

        revocation = type switch
        {
            "s" when sid is not null && until is { } u => new SessionIdRevocation(sid, Instant(u)),
            "u" when prd is not null && env is not null && tag is not null && id is not null && nbf is { } n && cut is { } c
                     && until is { } u =>
                new UserRevocation(new SessionScope(prd, env, tag), id, Instant(n), exc, Instant(c), Instant(u)),
            _ => null,
        };
        if (revocation is not null)
        {
            return revocation.IsWellFormed ? RevocationMessage.Revocation : Unread(out revocation);
        }

        return type == "h" ? RevocationMessage.Heartbeat : RevocationMessage.Unreadable;
    }

    private static RevocationMessage Unread(out SessionRevocation? revocation)
    {
        revocation = null;
        return RevocationMessage.Unreadable;
    }

    /// <summary>A string member, once: a repeated member is a sign of something this store did not write.</summary>
    private static bool Text(ref Utf8JsonReader reader, ref string? value)
    {
        if (value is not null || reader.TokenType != JsonTokenType.String)
        {
            return false;
        }

        value = reader.GetString();
        return true;
    }

    private static bool Ticks(ref Utf8JsonReader reader, ref long? value)
    {
        if (value is not null || reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var ticks)
            || ticks is < 0 or > MaxTicks)
        {
            return false;
        }

        value = ticks;
        return true;
    }

    private static DateTimeOffset Instant(long ticks) => new(ticks, TimeSpan.Zero);
}
