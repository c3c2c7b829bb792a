namespace Ductape.Sdk;

/// <summary>The session tag grammar, in one place: 1–128 characters of A–Z, a–z, 0–9, '_' and '-', starting with a letter or digit.</summary>
internal static class SessionTag
{
    public const int MaxLength = 128;

    /// <summary>What is wrong with <paramref name="tag"/>, or null when it is a valid tag. Allocates only on failure.</summary>
    public static string? Problem(ReadOnlySpan<char> tag)
    {
        if (tag.IsEmpty)
        {
            return "is required";
        }

        if (tag.Length > MaxLength)
        {
            return $"is {tag.Length} characters long; the limit is {MaxLength}";
        }

        if (!char.IsAsciiLetterOrDigit(tag[0]))
        {
            return "must start with a letter or a digit";
        }

        foreach (var c in tag)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '-'))
            {
                return "may contain only letters, digits, '_' and '-'";
            }
        }

        return null;
    }
}
