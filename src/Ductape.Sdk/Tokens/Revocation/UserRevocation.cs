namespace Ductape.Sdk.Tokens.Revocation;

/// <summary>
/// Every session of one user issued (<c>iat</c>) before <see cref="NotBefore"/>, except <see cref="ExceptSessionId"/>, for
/// which the cut-off is <see cref="ExceptCutoff"/> (an earlier revocation that did not spare it, or
/// <see cref="DateTimeOffset.MinValue"/>).
/// </summary>
/// <param name="Scope">The product, environment and session type the identifier belongs to.</param>
/// <param name="Identifier">The user's identifier.</param>
/// <param name="NotBefore">Tokens issued before this instant are revoked.</param>
/// <param name="ExceptSessionId">The session spared, or null.</param>
/// <param name="ExceptCutoff">The cut-off for the spared session.</param>
/// <param name="Until">When the entry may be forgotten.</param>
public sealed record UserRevocation(
    SessionScope Scope, string Identifier, DateTimeOffset NotBefore, string? ExceptSessionId, DateTimeOffset ExceptCutoff,
    DateTimeOffset Until) : SessionRevocation(Until)
{
    /// <summary>The instant before which <paramref name="sessionId"/>'s tokens are revoked.</summary>
    /// <param name="sessionId">A session of this user.</param>
    /// <returns><see cref="ExceptCutoff"/> for the spared session, <see cref="NotBefore"/> for every other.</returns>
    public DateTimeOffset CutoffFor(string sessionId) =>
        ExceptSessionId is not null && string.Equals(sessionId, ExceptSessionId, StringComparison.Ordinal) ? ExceptCutoff : NotBefore;

    /// <summary>
    /// What two revocations of the same user add up to, the same whichever comes first: the latest decides which session is
    /// spared, and that session stays revoked by every earlier revocation that did not spare it.
    /// </summary>
    internal UserRevocation MergeWith(UserRevocation other)
    {
        var (latest, earlier) = other.NotBefore > NotBefore
            || (other.NotBefore == NotBefore && string.CompareOrdinal(other.ExceptSessionId, ExceptSessionId) < 0)
            ? (other, this) : (this, other);
        var cutoff = latest.ExceptSessionId is null ? DateTimeOffset.MinValue
            : Max(latest.ExceptCutoff, earlier.CutoffFor(latest.ExceptSessionId));
        return latest with { ExceptCutoff = cutoff, Until = Max(latest.Until, earlier.Until) };
    }

    private static DateTimeOffset Max(DateTimeOffset x, DateTimeOffset y) => x > y ? x : y;
}
