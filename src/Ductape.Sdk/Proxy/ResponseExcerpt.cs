using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Ductape.Sdk.Proxy;

/// <summary>
/// The first 1 KiB of an answer the SDK could not use, for <see cref="DuctapeApiException.ResponseBody"/>, with tokens and
/// session data taken out. JSON keeps its shape but every value is masked except the envelope's own fields
/// (<c>status</c>, <c>code</c>, <c>message</c>, <c>request_id</c>); other text keeps its words but loses anything shaped like
/// a token. An answer that may hold secrets by design (start, refresh, verify) is never quoted as text.
/// </summary>
internal static partial class ResponseExcerpt
{
    public const int MaxChars = 1024;
    private const int MaxScannedBytes = 64 * 1024;
    private const string Mask = "***";

    public static string Of(ReadOnlySpan<byte> body, bool mayHoldSecrets)
    {
        var start = 0;
        while (start < body.Length && body[start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            start++;
        }

        if (start < body.Length && body[start] is (byte)'{' or (byte)'[')
        {
            return MaskedJson(body[..Math.Min(body.Length, MaxScannedBytes)]);
        }

        if (mayHoldSecrets && start < body.Length)
        {
            return "[withheld: this answer may hold session tokens or session data]";
        }

        var text = Encoding.UTF8.GetString(body[..Math.Min(body.Length, MaxChars * 4)]);
        return Redact(text.Length > MaxChars ? text[..MaxChars] : text);
    }

    /// <summary>Masks anything shaped like a session token, JWT/JWE or refresh token in free text.</summary>
    public static string Redact(string text) => TokenLike().Replace(text, Mask);

    private static string MaskedJson(ReadOnlySpan<byte> body)
    {
        var output = new StringBuilder();
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64, CommentHandling = JsonCommentHandling.Skip });
        var needsComma = false;
        string? property = null;
        var depth = 0;
        try
        {
            while (output.Length < MaxChars && reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        Separator(output, ref needsComma, property);
                        output.Append(reader.TokenType == JsonTokenType.StartObject ? '{' : '[');
                        property = null;
                        needsComma = false;
                        depth++;
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        output.Append(reader.TokenType == JsonTokenType.EndObject ? '}' : ']');
                        needsComma = true;
                        depth--;
                        break;
                    case JsonTokenType.PropertyName:
                        property = reader.GetString();
                        break;
                    default:
                        Separator(output, ref needsComma, property);
                        output.Append(depth == 1 && property is "status" or "code" or "message" or "request_id"
                            ? reader.TokenType == JsonTokenType.String
                                ? "\"" + Redact(reader.GetString()!) + "\""
                                : Encoding.UTF8.GetString(reader.ValueSpan)
                            : Mask);
                        property = null;
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            output.Append(" (unreadable from here)");
        }

        return output.Length > MaxChars ? output.ToString(0, MaxChars) : output.ToString();
    }

    private static void Separator(StringBuilder output, ref bool needsComma, string? property)
    {
        if (needsComma)
        {
            output.Append(',');
        }

        if (property is not null)
        {
            // Property names are structure, not data, but a hostile name is still cut short.
            output.Append('"').Append(property.Length > 64 ? property[..64] : property).Append("\":");
        }

        needsComma = true;
    }

    // Three or more dot-separated base64url runs (JWT/JWE), an "rt_" refresh token, or a long base64url run starting "eyJ".
    [GeneratedRegex(@"[A-Za-z0-9_\-]{2,}(\.[A-Za-z0-9_\-]*){2,}\.[A-Za-z0-9_\-]{2,}|rt_[A-Za-z0-9_\-]{16,}|eyJ[A-Za-z0-9_\-]{8,}", RegexOptions.CultureInvariant)]
    private static partial Regex TokenLike();
}
