namespace Ductape.Sdk.Tokens;

/// <summary>Settings of an <see cref="InMemorySessionRevocationStore"/>.</summary>
public sealed class SessionRevocationStoreOptions
{
    /// <summary>
    /// How long a revocation is kept: the longest lifetime of a token it could concern (your longest session type's expiry).
    /// After that every token it revoked has expired on its own. Default 30 days; between one minute and 36,525 days.
    /// </summary>
    public TimeSpan EntryLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The clock for "not before" instants and for forgetting entries. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
