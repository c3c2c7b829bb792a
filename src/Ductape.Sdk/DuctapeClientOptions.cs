using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Ductape.Sdk;

/// <summary>
/// Settings of a <see cref="DuctapeClient"/>. The client copies them when it is built; later changes to this object have no
/// effect. Under <c>AddDuctape</c>, a reload of the options (<c>IOptionsMonitor</c>) replaces the access key and session keys.
/// </summary>
public sealed partial class DuctapeClientOptions
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
    /// <see cref="Tokens.SessionTokenValidator"/> and, by default, the <see cref="RevocationStore"/>, and sends no request.
    /// From configuration, keys are strings: see <see cref="SessionKeyTexts"/>.
    /// </summary>
    // Configuration binds the "SessionKeys" strings into SessionKeyTexts; a ring cannot be built by the binder.
    [ConfigurationKeyName("SessionKeyRing")]
    public Tokens.SessionKeyRing? SessionKeys { get; set; }

    /// <summary>
    /// Session keys as text, <c>&lt;kid&gt;:&lt;base64url secret&gt;</c>, the newest first: what configuration holds under
    /// <c>SessionKeys</c> (<c>"SessionKeys": [ "2026-11:…", "2026-10:…" ]</c>), so the standard
    /// <c>services.Configure&lt;DuctapeClientOptions&gt;(section)</c> binds them. Used when <see cref="SessionKeys"/> is null;
    /// a text that is not a key is a validation problem naming its index. Never logged.
    /// </summary>
    [ConfigurationKeyName("SessionKeys")]
    public IList<string> SessionKeyTexts { get; } = [];

    /// <summary>
    /// Where revocations made through this client (<c>RevokeAsync</c>, <c>RevokeAllAsync</c>) are recorded and where offline
    /// verification looks them up. Null: with <see cref="SessionKeys"/> the client keeps its own in-memory store (this process
    /// only); share one store between clients, validators and instances by setting it (under <c>AddDuctape</c>, a registered
    /// <see cref="Tokens.ISessionRevocationStore"/> is used, such as <c>Ductape.Sdk.Redis</c>'s).
    /// </summary>
    public Tokens.ISessionRevocationStore? RevocationStore { get; set; }

    /// <summary>
    /// When set, offline verification with revocations also asks Ductape about a session at most once per this interval, so
    /// revocations made outside the SDK (Ductape's dashboard, another language's SDK) take effect within it. Null (default):
    /// never. At least one second.
    /// </summary>
    public TimeSpan? RevocationRecheckInterval { get; set; }

    /// <summary>
    /// Refresh-token replay detection (opt-in): the fleet records every refresh token it exchanges through
    /// <c>Sessions.RefreshAsync</c>, refuses one presented again after a grace period, raises
    /// <c>Sessions.RefreshTokenReplayed</c> and revokes the session. Null (default): off. Under <c>AddDuctape</c>, a registered
    /// <see cref="Sessions.IRefreshTokenLedger"/> (such as <c>Ductape.Sdk.Redis</c>'s) is used when the options name none.
    /// </summary>
    public Sessions.RefreshTokenReplayOptions? RefreshTokenReplay { get; set; }

    /// <summary>The default <see cref="MaxResponseBytes"/>: 4 MiB.</summary>
    public const int DefaultMaxResponseBytes = 4 * 1024 * 1024;

    /// <summary>
    /// Ductape's API root: an absolute http(s) URL without query or fragment. Default <c>https://api.ductape.app</c>;
    /// Ductape's local platform uses <c>http://localhost:4311/api</c>. Redirects from it are never followed.
    /// </summary>
    public Uri BaseUrl { get; set; } = DefaultBaseUrl;

    /// <summary>
    /// The largest answer the client reads, in bytes (1 KiB – 256 MiB). Reading stops at the limit and the call fails with a
    /// <see cref="DuctapeApiException"/> (<c>INVALID_RESPONSE</c>) that names it, so a hostile or broken server cannot
    /// exhaust memory. Default 4 MiB.
    /// </summary>
    public int MaxResponseBytes { get; set; } = DefaultMaxResponseBytes;

    /// <summary>The default product tag (may contain <c>:</c>, as in <c>workspace:product</c>); a call can override it.</summary>
    public string? Product { get; set; }

    /// <summary>The default environment slug (such as <c>prd</c> or <c>dev</c>); a call can override it.</summary>
    public string? Env { get; set; }

    /// <summary>
    /// The longest one call may take, all attempts and back-off delays included, reading the answer too. Default 30 seconds;
    /// <see cref="Timeout.InfiniteTimeSpan"/> turns it off. At most <see cref="MaxTimeout"/>.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How failed attempts are retried.</summary>
    public DuctapeRetryOptions Retry { get; set; } = new();

    /// <summary>The clock for timeouts and back-off delays. Default <see cref="TimeProvider.System"/>; tests pass a fake.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Where the client logs retries (category <c>Ductape.Sdk</c>). Default: no logging.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>The longest finite timeout a setting accepts (what a timer can hold: about 24.8 days).</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromMilliseconds(int.MaxValue);

    /// <summary>
    /// Where the SDK's metrics are created (meter <see cref="DuctapeDiagnostics.MeterName"/>). Null (default): one process-wide
    /// meter; under <c>AddDuctape</c>, the host's <see cref="System.Diagnostics.Metrics.IMeterFactory"/> when registered.
    /// </summary>
    public System.Diagnostics.Metrics.IMeterFactory? MeterFactory { get; set; }

    /// <summary>The instruments to record on; set by <c>AddDuctape</c> so one set serves every client of a host.</summary>
    internal DuctapeMetrics? Metrics { get; set; }

    /// <summary>The instruments: those <c>AddDuctape</c> set, else on <see cref="MeterFactory"/>, else the shared ones.</summary>
    internal DuctapeMetrics ResolveMetrics() => Metrics ??= DuctapeMetrics.For(MeterFactory);

    /// <summary>Values a configuration section held that could not be read (set by <c>AddDuctape(IConfiguration)</c>).</summary>
    internal IReadOnlyList<string>? ConfigurationProblems { get; set; }

    /// <summary>Keys under the section that are not settings, such as a misspelled <c>Acesskey</c>: logged as warnings.</summary>
    internal IReadOnlyList<string>? ConfigurationWarnings { get; set; }

    /// <summary>
    /// The configuration section the options were read from (<c>Ductape:Blog</c>), so problems name the key to fix and its
    /// environment-variable form instead of the property.
    /// </summary>
    internal string? ConfigurationPath { get; set; }

    /// <summary>Lists every problem with these settings; empty when they are usable.</summary>
    /// <returns>One message per problem, each naming the setting.</returns>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>(ConfigurationProblems ?? []);
        if (string.IsNullOrWhiteSpace(AccessKey) && string.IsNullOrWhiteSpace(PublishableKey))
        {
            problems.Add("DuctapeClientOptions.AccessKey is required: set it to your Ductape workspace access key.");
        }

        AddHeaderProblem(problems, nameof(AccessKey), AccessKey);
        AddHeaderProblem(problems, nameof(PublishableKey), PublishableKey);

        if (BaseUrl is null || !BaseUrl.IsAbsoluteUri || (BaseUrl.Scheme != Uri.UriSchemeHttps && BaseUrl.Scheme != Uri.UriSchemeHttp))
        {
            problems.Add("DuctapeClientOptions.BaseUrl must be an absolute http or https URL, such as https://api.ductape.app.");
        }
        else if (BaseUrl.Query.Length > 0 || BaseUrl.Fragment.Length > 0 || BaseUrl.OriginalString.Contains('?') || BaseUrl.OriginalString.Contains('#'))
        {
            problems.Add("DuctapeClientOptions.BaseUrl must not have a query or a fragment: give the API root only, such as https://api.ductape.app.");
        }
        else if (BaseUrl.UserInfo.Length > 0)
        {
            problems.Add("DuctapeClientOptions.BaseUrl must not hold credentials: set DuctapeClientOptions.AccessKey instead.");
        }

        if (!IsValidTimeout(Timeout))
        {
            problems.Add("DuctapeClientOptions.Timeout must be positive and at most 24 days (or Timeout.InfiniteTimeSpan).");
        }

        if (RevocationRecheckInterval is { } recheck && (recheck < TimeSpan.FromSeconds(1) || recheck > MaxTimeout))
        {
            problems.Add("DuctapeClientOptions.RevocationRecheckInterval must be between one second and 24 days, or null.");
        }

        if (MaxResponseBytes is < 1024 or > 256 * 1024 * 1024)
        {
            problems.Add("DuctapeClientOptions.MaxResponseBytes must be between 1024 (1 KiB) and 268435456 (256 MiB).");
        }

        TryResolveSessionKeys(problems);

        if (RefreshTokenReplay is { } replay)
        {
            problems.AddRange(replay.Problems());
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

        return ConfigurationPath is { } path ? [.. problems.Select(p => InConfigurationTerms(p, path))] : problems;
    }

    /// <summary>
    /// "DuctapeClientOptions.AccessKey is required" → "Ductape:Blog:AccessKey (environment variable Ductape__Blog__AccessKey)
    /// is required": where the value comes from, named once.
    /// </summary>
    private static string InConfigurationTerms(string problem, string path)
    {
        var first = true;
        return SettingName().Replace(problem, match =>
        {
            var key = path + ":" + match.Groups[1].Value.Replace('.', ':');
            var text = first ? $"{key} (environment variable {key.Replace(":", "__", StringComparison.Ordinal)})" : key;
            first = false;
            return text;
        });
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"DuctapeClientOptions\.([A-Za-z]+(?:[.:][A-Za-z0-9]+)*)")]
    private static partial System.Text.RegularExpressions.Regex SettingName();

    /// <summary>The keys to validate with: <see cref="SessionKeys"/>, else <see cref="SessionKeyTexts"/> parsed; null for none.</summary>
    internal Tokens.SessionKeyRing? ResolveSessionKeys() => TryResolveSessionKeys(problems: null);

    private Tokens.SessionKeyRing? TryResolveSessionKeys(List<string>? problems)
    {
        if (SessionKeys is not null || SessionKeyTexts is not { Count: > 0 } texts)
        {
            return SessionKeys;
        }

        var keys = new List<Tokens.SessionKey>(texts.Count);
        for (var i = 0; i < texts.Count; i++)
        {
            // Never echo the text: it is a secret.
            if (Tokens.SessionKey.TryParse(texts[i], out var key))
            {
                keys.Add(key);
            }
            else
            {
                problems?.Add($"DuctapeClientOptions.SessionKeys:{i} is not a session key ({Tokens.SessionKey.TextForm}).");
            }
        }

        if (keys.Count != texts.Count)
        {
            return null;
        }

        try
        {
            return new Tokens.SessionKeyRing(keys[0], [.. keys.Skip(1)]);
        }
        catch (ArgumentException ex)
        {
            problems?.Add($"DuctapeClientOptions.SessionKeys: {ex.Message}");
            return null;
        }
    }

    /// <summary>Positive and a timer can hold it, or infinite.</summary>
    internal static bool IsValidTimeout(TimeSpan timeout) =>
        timeout == System.Threading.Timeout.InfiniteTimeSpan || (timeout > TimeSpan.Zero && timeout <= MaxTimeout);

    private static void AddHeaderProblem(List<string> problems, string setting, string? value)
    {
        // Null or blank means "not set" (and is never sent); anything else is sent as a header, so it must be a clean value.
        if (!string.IsNullOrWhiteSpace(value) && HeaderValue.Problem(value) is { } problem)
        {
            problems.Add($"DuctapeClientOptions.{setting} {problem}.");
        }
    }

    /// <summary>A copy that shares nothing mutable with this object (the key ring and store are immutable or shared on purpose).</summary>
    internal DuctapeClientOptions Clone()
    {
        var copy = new DuctapeClientOptions
        {
            AccessKey = AccessKey,
            PublishableKey = PublishableKey,
            SessionKeys = SessionKeys,
            RevocationStore = RevocationStore,
            RevocationRecheckInterval = RevocationRecheckInterval,
            RefreshTokenReplay = RefreshTokenReplay,
            BaseUrl = BaseUrl,
            MaxResponseBytes = MaxResponseBytes,
            Product = Product,
            Env = Env,
            Timeout = Timeout,
            Retry = Retry.Clone(),
            TimeProvider = TimeProvider,
            LoggerFactory = LoggerFactory,
            MeterFactory = MeterFactory,
            Metrics = Metrics,
            ConfigurationProblems = ConfigurationProblems,
            ConfigurationWarnings = ConfigurationWarnings,
            ConfigurationPath = ConfigurationPath,
        };
        foreach (var text in SessionKeyTexts)
        {
            copy.SessionKeyTexts.Add(text);
        }

        return copy;
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
