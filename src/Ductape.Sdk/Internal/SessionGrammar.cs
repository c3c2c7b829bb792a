namespace Ductape.Sdk;

/// <summary>
/// The tag and selector grammar (CONTRACT §2 and §4), in one source file compiled into the SDK and linked into the
/// generator (netstandard2.0: no spans there, so the span form is for the SDK only). The local server keeps its own,
/// independent copy on purpose: it plays Ductape, and must catch a rule the SDK gets wrong.
/// </summary>
internal static class SessionGrammar
{
    public const int MaxTagLength = 128;
    public const int MaxNameLength = 128;

    private static readonly char[] SelectorPunctuation = ['$', '{', '}'];
    private static readonly char[] Braces = ['{', '}'];
    public const string SelectorPrefix = "$Session";

    /// <summary>What is wrong with a tag, or null when it is one: 1–128 of A–Z a–z 0–9 _ -, starting with a letter or digit.</summary>
    public static string? TagProblem(string? tag) => tag is null ? "is required" : TagProblem(tag.Length, i => tag[i]);

#if NETCOREAPP
    /// <summary>The same, on a span (the token validator's hot path: allocates only on failure).</summary>
    public static string? TagProblem(System.ReadOnlySpan<char> tag)
    {
        if (tag.IsEmpty || tag.Length > MaxTagLength || !IsLetterOrDigit(tag[0]))
        {
            return TagProblem(tag.ToString());
        }

        foreach (var c in tag)
        {
            if (!IsTagChar(c))
            {
                return TagProblem(tag.ToString());
            }
        }

        return null;
    }
#endif

    private static string? TagProblem(int length, System.Func<int, char> at)
    {
        if (length == 0)
        {
            return "is required";
        }

        if (length > MaxTagLength)
        {
            return $"is {length} characters long; the limit is {MaxTagLength}";
        }

        if (!IsLetterOrDigit(at(0)))
        {
            return "must start with a letter or a digit";
        }

        for (var i = 0; i < length; i++)
        {
            if (!IsTagChar(at(i)))
            {
                return "may contain only letters, digits, '_' and '-'";
            }
        }

        return null;
    }

    /// <summary>Why a JSON member name cannot be a selector segment, or null when it can.</summary>
    public static string? NameProblem(string name)
    {
        if (name.Length == 0)
        {
            return "the segment name is empty";
        }

        if (name.Length > MaxNameLength)
        {
            return $"the segment name is {name.Length} characters long; the limit is {MaxNameLength}";
        }

        if (name.IndexOfAny(Braces) >= 0)
        {
            return "a segment name may not contain '{' or '}'";
        }

        return char.IsWhiteSpace(name[0]) || char.IsWhiteSpace(name[name.Length - 1])
            ? "a segment name may not start or end with white space"
            : null;
    }

    /// <summary>Reads a selector: its segments, or the zero-based position of the first problem and why.</summary>
    public static bool TryParseSelector(string? text, out System.Collections.Generic.List<string> segments, out int position, out string reason)
    {
        segments = new System.Collections.Generic.List<string>(2);
        position = 0;
        reason = "";
        if (string.IsNullOrEmpty(text))
        {
            reason = "the selector is empty; write it as $Session{fieldName}";
            return false;
        }

        var mismatch = 0;
        while (mismatch < SelectorPrefix.Length && mismatch < text!.Length && text[mismatch] == SelectorPrefix[mismatch])
        {
            mismatch++;
        }

        if (mismatch < SelectorPrefix.Length)
        {
            position = mismatch;
            reason = PrefixProblem(text!);
            return false;
        }

        if (text!.Length == SelectorPrefix.Length)
        {
            position = SelectorPrefix.Length;
            reason = "expected '{' after $Session; nothing selects a field";
            return false;
        }

        var at = SelectorPrefix.Length;
        while (at < text.Length)
        {
            var c = text[at];
            if (c != '{')
            {
                position = at;
                reason = c == '}' ? "unexpected '}' without a matching '{'"
                    : segments.Count == 0 ? $"expected '{{' after $Session, found '{c}'"
                    : $"unexpected '{c}' after the last '}}'; every segment is written as {{name}}";
                return false;
            }

            var start = at + 1;
            var close = start;
            while (close < text.Length && text[close] != '{' && text[close] != '}')
            {
                close++;
            }

            if (close == text.Length)
            {
                position = text.Length;
                reason = "missing '}' to close the segment";
                return false;
            }

            if (text[close] == '{')
            {
                position = close;
                reason = "unexpected '{' inside a segment name; segments are written {a}{b}";
                return false;
            }

            var name = text.Substring(start, close - start);
            if (NameProblem(name) is { } problem)
            {
                position = name.Length == 0 ? close : char.IsWhiteSpace(name[name.Length - 1]) && !char.IsWhiteSpace(name[0]) ? close - 1 : start;
                reason = name.Length > 0 && char.IsWhiteSpace(name[0]) ? "the segment name starts with white space"
                    : name.Length > 0 && char.IsWhiteSpace(name[name.Length - 1]) ? "the segment name ends with white space"
                    : problem;
                return false;
            }

            segments.Add(name);
            at = close + 1;
        }

        return true;
    }

    private static string PrefixProblem(string text)
    {
        if (text.StartsWith(SelectorPrefix, System.StringComparison.OrdinalIgnoreCase))
        {
            return "the selector must start with $Session (capital S, exactly)";
        }

        if (text.StartsWith("Session", System.StringComparison.OrdinalIgnoreCase))
        {
            return "the selector must start with '$': write $Session{…}";
        }

        var field = text.Trim();
        return field.Length > 0 && field.IndexOfAny(SelectorPunctuation) < 0 && field.Length <= MaxNameLength
            ? $"a selector must start with $Session; did you mean $Session{{{field}}}?"
            : "a selector must start with $Session, for example $Session{userId}";
    }

    private static bool IsLetterOrDigit(char c) => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9';

    private static bool IsTagChar(char c) => IsLetterOrDigit(c) || c is '_' or '-';
}
