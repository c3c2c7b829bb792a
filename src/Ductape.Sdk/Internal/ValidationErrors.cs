namespace Ductape.Sdk;

/// <summary>Collects every input problem of one call, then throws them together before anything is sent.</summary>
internal sealed class ValidationErrors
{
    private List<DuctapeValidationError>? _errors;

    public bool IsEmpty => _errors is null;

    /// <summary>Every problem so far; empty when none.</summary>
    public IReadOnlyList<DuctapeValidationError> All => _errors ?? [];

    /// <param name="field">The field as the contract and the wire name it (JSON), or the parameter's name.</param>
    /// <param name="problem">What is wrong.</param>
    /// <param name="member">The C# member, when it differs from <paramref name="field"/>.</param>
    public void Add(string field, string problem, string? member = null) =>
        (_errors ??= []).Add(new(field, problem) { Member = member ?? field });

    /// <summary>Adds a problem when the text is missing or blank; returns whether it was present.</summary>
    public bool RequireText(string? value, string field, string? member = null)
    {
        if (string.IsNullOrEmpty(value))
        {
            Add(field, "is required", member);
            return false;
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, "must not be blank", member);
            return false;
        }

        return true;
    }

    /// <summary>Session tags: see <see cref="SessionGrammar.TagProblem(string?)"/>.</summary>
    public void RequireTag(string? value, string field, string? member = null)
    {
        if (RequireText(value, field, member) && SessionGrammar.TagProblem(value) is { } problem)
        {
            Add(field, problem, member);
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
