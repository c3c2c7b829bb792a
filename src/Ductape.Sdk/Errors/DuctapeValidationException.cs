namespace Ductape.Sdk;

/// <summary>
/// Input failed the SDK's checks. Thrown before any request is sent; <see cref="Errors"/> lists every problem found.
/// </summary>
public sealed class DuctapeValidationException : DuctapeException
{
    /// <summary>Creates the exception from the problems found.</summary>
    /// <param name="errors">One entry per problem; at least one.</param>
    public DuctapeValidationException(IReadOnlyList<DuctapeValidationError> errors)
        : base(BuildMessage(errors))
    {
        Errors = errors;
    }

    /// <summary>Every problem found, in the order the fields were checked.</summary>
    public IReadOnlyList<DuctapeValidationError> Errors { get; }

    internal static DuctapeValidationException For(string field, string problem) => new([new(field, problem)]);

    private static string BuildMessage(IReadOnlyList<DuctapeValidationError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count == 0)
        {
            throw new ArgumentException("At least one validation error is required.", nameof(errors));
        }

        var problems = string.Join("; ", errors.Select(e => e.ToString()));
        return $"{(errors.Count == 1 ? "1 invalid value" : $"{errors.Count} invalid values")}, nothing was sent: {problems}.";
    }
}

/// <summary>One problem found by the SDK's input checks.</summary>
/// <param name="Field">The field as the contract and the wire name it (for example <c>tag</c> or <c>expiry</c>), or the
/// parameter's name (for example <c>limit</c>).</param>
/// <param name="Problem">What is wrong with it and how to fix it. Never contains the value of a secret or session data.</param>
public sealed record DuctapeValidationError(string Field, string Problem)
{
    /// <summary>The C# property or parameter that holds the value (for example <c>Tag</c> for <c>tag</c>).</summary>
    public string Member { get; init; } = Field;

    /// <summary>Returns <c>Field: Problem</c>.</summary>
    public override string ToString() => $"{Field}: {Problem}";
}
