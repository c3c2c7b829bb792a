namespace Ductape.Sdk.Tokens.Revocation;

/// <summary>
/// One revocation as stores hold and exchange it (a shared store's replicas apply what they hear). Applying the same
/// revocations in any order, any number of times, gives the same state (<see cref="SessionRevocationSet.Apply"/>).
/// </summary>
/// <remarks>Closed: <see cref="SessionIdRevocation"/> and <see cref="UserRevocation"/> are the only kinds.</remarks>
public abstract record SessionRevocation
{
    /// <summary>The longest id, identifier or scope part a revocation may hold: the longest token's length.</summary>
    public const int MaxTextLength = 16 * 1024;

    private protected SessionRevocation(DateTimeOffset until) => Until = until;

    /// <summary>When the entry may be forgotten: every token it concerns has expired by then.</summary>
    public DateTimeOffset Until { get; init; }

    /// <summary>
    /// Whether a set can hold this revocation: every id, identifier and scope part present, not blank and at most
    /// <see cref="MaxTextLength"/> characters. A store reading revocations from shared storage skips one that is not (its
    /// source is not to be trusted), instead of letting <see cref="SessionRevocationSet.Apply"/> refuse it.
    /// </summary>
    public bool IsWellFormed => this switch
    {
        SessionIdRevocation session => IsText(session.SessionId),
        UserRevocation user => IsText(user.Identifier) && IsText(user.Scope.Product) && IsText(user.Scope.Env)
                               && IsText(user.Scope.Tag) && (user.ExceptSessionId is null || IsText(user.ExceptSessionId)),
        _ => false,
    };

    private static bool IsText(string? value) =>
        value is { Length: > 0 and <= MaxTextLength } && !string.IsNullOrWhiteSpace(value);
}
