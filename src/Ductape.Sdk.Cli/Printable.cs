using System.Globalization;
using System.Text;

namespace Ductape.Sdk.Cli;

/// <summary>
/// Makes text safe for a terminal. Names, tags, messages and paths come from files, servers and tokens nobody vetted: an
/// ESC can clear the screen or recolour a plan, a carriage return or a bidi override can hide a line from a reviewer. Every
/// control character and every invisible direction change is written as an escape (<c>\n</c>, <c>\u001B</c>, <c>\u202E</c>).
/// </summary>
internal static class Printable
{
    // C0 and C1 controls, DEL, the bidi marks, embeddings, overrides and isolates, the line and paragraph separators, and
    // lone surrogates (which a terminal renders unpredictably).
    private static readonly System.Buffers.SearchValues<char> Unsafe = System.Buffers.SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Select(i => (char)i), .. Enumerable.Range(0x7F, 0x21).Select(i => (char)i),
         '\u061C', '\u200E', '\u200F', '\u2028', '\u2029', .. Enumerable.Range(0x202A, 5).Select(i => (char)i),
         .. Enumerable.Range(0x2066, 4).Select(i => (char)i), .. Enumerable.Range(0xD800, 0x800).Select(i => (char)i)]);

    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text) || !text.AsSpan().ContainsAny(Unsafe))
        {
            return text ?? "";
        }

        var builder = new StringBuilder(text.Length + 16);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]); // a pair is one ordinary character (an emoji, say)
                continue;
            }

            _ = c switch
            {
                '\n' => builder.Append("\\n"),
                '\r' => builder.Append("\\r"),
                '\t' => builder.Append("\\t"),
                _ when Unsafe.Contains(c) => builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture)),
                _ => builder.Append(c),
            };
        }

        return builder.ToString();
    }
}
