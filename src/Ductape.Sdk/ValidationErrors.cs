namespace Ductape.Sdk;

/// <summary>Collects every input problem of one call, then throws them together before anything is sent.</summary>
internal sealed class ValidationErrors
{
    public const int MaxTagLength = 128;

    private List<DuctapeValidationError>? _errors;

    public bool IsEmpty => _errors is null;

    public void Add(string field, string problem) => (_errors ??= []).Add(new(field, problem));

    /// <summary>Adds a problem when the text is missing or blank; returns whether it was present.</summary>
    public bool RequireText(string? value, string field)
    {
        if (string.IsNullOrEmpty(value))
        {
            Add(field, "is required");
            return false;
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, "must not be blank");
            return false;
        }

        return true;
    }

    /// <summary>Session tags: 1–128 characters of A–Z, a–z, 0–9, '_' and '-', starting with a letter or digit.</summary>
    public void RequireTag(string? value, string field)
    {
        if (!RequireText(value, field))
        {
            return;
        }

        if (value!.Length > MaxTagLength)
        {
            Add(field, $"is {value.Length} characters long; the limit is {MaxTagLength}");
            return;
        }

        if (!char.IsAsciiLetterOrDigit(value[0]))
        {
            Add(field, "must start with a letter or a digit");
            return;
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '-'))
            {
                Add(field, "may contain only letters, digits, '_' and '-'");
                return;
            }
        }
    }

    public void ThrowIfAny()
    {
        if (_errors is not null)
        {
            throw new DuctapeValidationException(_errors);
        }
    }
}
