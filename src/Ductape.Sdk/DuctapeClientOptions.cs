using Microsoft.Extensions.Logging;

namespace Ductape.Sdk;

/// <summary>Settings of a <see cref="DuctapeClient"/>. The client copies them when it is built; later changes have no effect.</summary>
public sealed class DuctapeClientOptions
{
    /// <summary>Ductape's cloud API, the default <see cref="BaseUrl"/>.</summary>
    public static readonly Uri DefaultBaseUrl = new("https://api.ductape.app");

    /// <summary>
    /// Your workspace access key, sent as <c>x-access-key</c>. Required for every call (unless only
    /// <see cref="PublishableKey"/> is set). Never logged or put in an exception message.
    /// </summary>
    public string? AccessKey { get; set; }

    /// <summary>
    /// A publishable key, for browser-side use. A client with only this key cannot configure session types or start, verify,
    /// refresh or revoke sessions: those calls throw <see cref="InvalidOperationException"/> before any request.
    /// </summary>
    public string? PublishableKey { get; set; }

    /// <summary>
    /// Session keys for offline token checks. When set, <c>Sessions.VerifyAsync</c> validates tokens locally with
    /// <see cref="Tokens.SessionTokenValidator"/> and sends no request.
    /// </summary>
    public Tokens.SessionKeyRing? SessionKeys { get; set; }

    /// <summary>
    /// Ductape's API root. Default <c>https://api.ductape.app</c>; Ductape's local platform uses <c>http://localhost:4311/api</c>.
    /// </summary>
    public Uri BaseUrl { get; set; } = DefaultBaseUrl;

    /// <summary>The default product tag (may contain <c>:</c>, as in <c>workspace:product</c>); a call can override it.</summary>
    public string? Product { get; set; }

    /// <summary>The default environment slug (such as <c>prd</c> or <c>dev</c>); a call can override it.</summary>
    public string? Env { get; set; }

    /// <summary>
    /// The longest one call may take, all attempts and back-off delays included. Default 30 seconds;
    /// <see cref="Timeout.InfiniteTimeSpan"/> turns it off.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How failed attempts are retried.</summary>
    public DuctapeRetryOptions Retry { get; set; } = new();

    /// <summary>The clock for timeouts and back-off delays. Default <see cref="TimeProvider.System"/>; tests pass a fake.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Where the client logs retries (category <c>Ductape.Sdk</c>). Default: no logging.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>Values a configuration section held that could not be read (set by <c>AddDuctape(IConfiguration)</c>).</summary>
    internal IReadOnlyList<string>? ConfigurationProblems { get; set; }

    /// <summary>Lists every problem with these settings; empty when they are usable.</summary>
    /// <returns>One message per problem, each naming the setting.</returns>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>(ConfigurationProblems ?? []);
        if (string.IsNullOrWhiteSpace(AccessKey) && string.IsNullOrWhiteSpace(PublishableKey))
        {
            problems.Add("DuctapeClientOptions.AccessKey is required: set it to your Ductape workspace access key.");
        }

        if (BaseUrl is null || !BaseUrl.IsAbsoluteUri || (BaseUrl.Scheme != Uri.UriSchemeHttps && BaseUrl.Scheme != Uri.UriSchemeHttp))
        {
            problems.Add("DuctapeClientOptions.BaseUrl must be an absolute http or https URL, such as https://api.ductape.app.");
        }

        if (Timeout <= TimeSpan.Zero && Timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            problems.Add("DuctapeClientOptions.Timeout must be positive (or Timeout.InfiniteTimeSpan).");
        }

        if (TimeProvider is null)
        {
            problems.Add("DuctapeClientOptions.TimeProvider must not be null.");
        }

        if (Retry is null)
        {
            problems.Add("DuctapeClientOptions.Retry must not be null.");
        }
        else
        {
            problems.AddRange(Retry.Validate());
        }

        return problems;
    }

    internal void ThrowIfInvalid()
    {
        var problems = Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(
                "The Ductape client options are invalid: " + string.Join(" ", problems), "options");
        }
    }
}
