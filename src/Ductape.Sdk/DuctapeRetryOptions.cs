namespace Ductape.Sdk;

/// <summary>
/// How the client retries a failed attempt: on 408, 429, 500, 502, 503, 504, a network failure or an attempt timeout, with
/// exponential back-off and jitter, honouring <c>Retry-After</c>. Other 4xx answers are never retried.
/// </summary>
public sealed class DuctapeRetryOptions
{
    /// <summary>Retries after the first attempt. Default 3; 0 turns retries off.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The back-off before the first retry; each later one doubles it, with jitter. Default 200 ms.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest back-off between two attempts. Default 8 seconds.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>
    /// The longest <c>Retry-After</c> the client waits for. When the server asks for more, the call fails at once with a
    /// <see cref="DuctapeApiException"/> whose <see cref="DuctapeApiException.RetryAfter"/> says how long. Default 30 seconds.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest one attempt may take before it is abandoned (and retried). Default 10 seconds.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    internal IEnumerable<string> Validate()
    {
        if (MaxRetries is < 0 or > MaxAllowedRetries)
        {
            yield return "DuctapeClientOptions.Retry.MaxRetries must be between 0 and 10.";
        }

        if (BaseDelay < TimeSpan.Zero)
        {
            yield return "DuctapeClientOptions.Retry.BaseDelay must not be negative.";
        }

        if (MaxDelay < BaseDelay)
        {
            yield return "DuctapeClientOptions.Retry.MaxDelay must be at least BaseDelay.";
        }

        if (MaxRetryAfter < TimeSpan.Zero)
        {
            yield return "DuctapeClientOptions.Retry.MaxRetryAfter must not be negative.";
        }

        if (!DuctapeClientOptions.IsValidTimeout(AttemptTimeout))
        {
            yield return "DuctapeClientOptions.Retry.AttemptTimeout must be positive and at most 24 days (or Timeout.InfiniteTimeSpan).";
        }

        if (MaxDelay > DuctapeClientOptions.MaxTimeout || MaxRetryAfter > DuctapeClientOptions.MaxTimeout)
        {
            yield return "DuctapeClientOptions.Retry.MaxDelay and MaxRetryAfter must be at most 24 days.";
        }
    }

    /// <summary>The most retries a call may make (a setting or a per-call <see cref="DuctapeRequestOptions.MaxRetries"/>): 10.</summary>
    public const int MaxAllowedRetries = 10;

    /// <summary>A copy, so later changes to this object do not reach a running client.</summary>
    internal DuctapeRetryOptions Clone() => new()
    {
        MaxRetries = MaxRetries,
        BaseDelay = BaseDelay,
        MaxDelay = MaxDelay,
        MaxRetryAfter = MaxRetryAfter,
        AttemptTimeout = AttemptTimeout,
    };
}
