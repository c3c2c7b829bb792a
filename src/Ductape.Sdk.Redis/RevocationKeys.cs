using System.Security.Cryptography;
using System.Text;
using Ductape.Sdk.Tokens.Revocation;
using StackExchange.Redis;

namespace Ductape.Sdk.Redis;

/// <summary>
/// Where revocations live in Redis: one key per revocation under the prefix, and one pub/sub channel. A session's key is
/// its id (one entry however often it is revoked); a user's key is a hash of its content (identical revocations written by
/// several replicas land on one key, and different ones never overwrite each other: replicas merge them).
/// </summary>
internal sealed class RevocationKeys
{
    public RevocationKeys(string prefix)
    {
        Prefix = prefix;
        Channel = RedisChannel.Literal(prefix + "events");
        Pattern = EscapeGlob(prefix) + "[su]:*";
    }

    public string Prefix { get; }

    public RedisChannel Channel { get; }

    /// <summary>The SCAN pattern matching every revocation key (the prefix's glob characters escaped).</summary>
    public string Pattern { get; }

    public string KeyFor(SessionRevocation revocation) => revocation switch
    {
        SessionIdRevocation session => Prefix + "s:" + session.SessionId,
        _ => Prefix + "u:" + Convert.ToHexString(SHA256.HashData(RevocationCodec.Encode(revocation with { Until = DateTimeOffset.MinValue }))),
    };

    /// <summary>A key as it may appear in a log line: control characters escaped, at most 200 characters.</summary>
    public static string Printable(string key)
    {
        var text = new StringBuilder(Math.Min(key.Length, 200) + 8);
        foreach (var c in key.Length > 200 ? key.AsSpan(0, 200) : key.AsSpan())
        {
            if (char.IsControl(c) || char.IsSurrogate(c))
            {
                text.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                text.Append(c);
            }
        }

        return key.Length > 200 ? text.Append('…').ToString() : text.ToString();
    }

    private static string EscapeGlob(string text)
    {
        var escaped = new StringBuilder(text.Length + 4);
        foreach (var c in text)
        {
            if (c is '*' or '?' or '[' or ']' or '\\')
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }
}
