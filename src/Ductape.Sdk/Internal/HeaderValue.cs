namespace Ductape.Sdk;

/// <summary>
/// The rule for every header value that comes from a user (access key, publishable key, idempotency key): printable ASCII
/// only, not blank, at most <see cref="MaxLength"/> characters. CR/LF would split the header (header injection), other
/// control characters and non-ASCII are refused by HTTP stacks mid-call, so they are refused before anything is sent.
/// </summary>
internal static class HeaderValue
{
    public const int MaxLength = 1024;

    /// <summary>What is wrong with <paramref name="value"/> as a header value, or null when it can be sent. Never quotes it.</summary>
    public static string? Problem(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return "must not be blank";
        }

        if (value.Length > MaxLength)
        {
            return $"is {value.Length} characters long; the limit is {MaxLength}";
        }

        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c is '\r' or '\n')
            {
                return $"contains a line break at position {i} (a value read from a file often ends with one: trim it)";
            }

            if (char.IsControl(c))
            {
                return $"contains a control character at position {i}";
            }

            if (c > '\u007e')
            {
                return $"contains a non-ASCII character at position {i}; only printable ASCII can be sent in a header";
            }
        }

        if (value[0] == ' ' || value[^1] == ' ')
        {
            return "must not start or end with a space";
        }

        return null;
    }
}
