using System.Collections.Generic;

namespace Ductape.Sdk.Generators;

/// <summary>CONTRACT §4 at compile time: <c>$Session{a}{b}</c>, each name 1–128 chars, no braces, no outer white space.</summary>
internal static class SelectorGrammar
{
    private const string Prefix = "$Session";

    /// <summary>Reads a selector; on failure, the zero-based position of the offending character and why.</summary>
    public static bool TryParse(string text, out List<string> segments, out int position, out string reason)
    {
        segments = new List<string>();
        position = 0;
        reason = "";
        if (!text.StartsWith(Prefix, System.StringComparison.Ordinal))
        {
            reason = text.Length > 0 && text.IndexOf('{') < 0 && text.IndexOf('$') < 0
                ? $"a selector starts with $Session: write $Session{{{text}}}"
                : "a selector starts with $Session";
            return false;
        }

        var i = Prefix.Length;
        if (i == text.Length)
        {
            position = i;
            reason = "expected '{' and a name after $Session";
            return false;
        }

        while (i < text.Length)
        {
            if (text[i] != '{')
            {
                position = i;
                reason = "expected '{'";
                return false;
            }

            var close = text.IndexOf('}', i + 1);
            var open = text.IndexOf('{', i + 1);
            if (close < 0)
            {
                position = text.Length;
                reason = "expected '}'";
                return false;
            }

            if (open >= 0 && open < close)
            {
                position = open;
                reason = "a name may not contain '{'";
                return false;
            }

            var name = text.Substring(i + 1, close - i - 1);
            if (name.Length == 0)
            {
                position = i + 1;
                reason = "a name may not be empty";
                return false;
            }

            if (name.Length > 128)
            {
                position = i + 129;
                reason = "a name is at most 128 characters";
                return false;
            }

            if (char.IsWhiteSpace(name[0]) || char.IsWhiteSpace(name[name.Length - 1]))
            {
                position = char.IsWhiteSpace(name[0]) ? i + 1 : close - 1;
                reason = "a name may not start or end with white space";
                return false;
            }

            segments.Add(name);
            i = close + 1;
        }

        return true;
    }

    /// <summary>CONTRACT §2's tag grammar.</summary>
    public static bool IsTag(string tag)
    {
        if (tag.Length is < 1 or > 128 || !char.IsLetterOrDigit(tag[0]) || tag[0] > 127)
        {
            return false;
        }

        foreach (var c in tag)
        {
            if (!(c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The largest expiry a period allows (100 calendar years from any start); null for an unknown period.</summary>
    public static long? MaxExpiry(int period) => period switch
    {
        1 => 3_155_760_000L,
        2 => 52_596_000L,
        3 => 876_600L,
        4 => 36_525L,
        5 => 5_217L,
        6 => 1_200L,
        7 => 100L,
        _ => null,
    };

    public static string PeriodName(int period) => period switch
    {
        1 => "Seconds", 2 => "Minutes", 3 => "Hours", 4 => "Days", 5 => "Weeks", 6 => "Months", 7 => "Years", _ => period.ToString(),
    };
}
