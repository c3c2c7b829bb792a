namespace Ductape.Sdk;

/// <summary>Collects every input problem of one call, then throws them together before anything is sent.</summary>
internal sealed class ValidationErrors
{
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

    /// <summary>Session tags: see <see cref="SessionTag"/>.</summary>
    public void RequireTag(string? value, string field)
    {
        if (RequireText(value, field) && SessionTag.Problem(value) is { } problem)
        {
            Add(field, problem);
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
