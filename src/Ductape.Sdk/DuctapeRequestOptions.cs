namespace Ductape.Sdk;

/// <summary>Per-call settings that override the client's options for one call.</summary>
public sealed class DuctapeRequestOptions
{
    /// <summary>The product tag for this call instead of <see cref="DuctapeClientOptions.Product"/>.</summary>
    public string? Product { get; init; }

    /// <summary>The environment for this call instead of <see cref="DuctapeClientOptions.Env"/>.</summary>
    public string? Env { get; init; }

    /// <summary>
    /// The <c>Idempotency-Key</c> of a call that changes state, instead of a new GUID. Reuse it when you repeat a call
    /// yourself (after a crash, say) so Ductape applies it once.
    /// </summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>The longest this call may take, all attempts included, instead of <see cref="DuctapeClientOptions.Timeout"/>.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>
    /// How many times this call may be retried (0–10) instead of <see cref="DuctapeRetryOptions.MaxRetries"/>: 0 for a single
    /// attempt, as a health probe or a latency-sensitive call wants.
    /// </summary>
    public int? MaxRetries { get; init; }
}
