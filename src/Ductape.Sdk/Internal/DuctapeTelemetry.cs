using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;
using Ductape.Sdk.Tokens;

namespace Ductape.Sdk;

/// <summary>
/// The SDK's traces and metrics, named <see cref="DuctapeDiagnostics.ActivitySourceName"/> and
/// <see cref="DuctapeDiagnostics.MeterName"/>, versioned with the package. Attributes follow OpenTelemetry's conventions
/// (<c>server.address</c>, <c>server.port</c>, <c>http.response.status_code</c>, <c>error.type</c>) plus the SDK's own
/// <c>ductape.*</c> — never an access key, a token or session data. Static because sources and meters are process-wide.
/// </summary>
internal static class DuctapeTelemetry
{
    /// <summary>The package version without its source-control suffix, such as <c>0.1.0</c>.</summary>
    public static readonly string Version = PackageVersion();

    public static readonly ActivitySource Source = new(DuctapeDiagnostics.ActivitySourceName, Version);

    public static readonly Meter Meter = new(DuctapeDiagnostics.MeterName, Version);

    /// <summary>
    /// Duration of each SDK call, retries included, in seconds; attributes <c>ductape.method</c>, <c>ductape.product</c>,
    /// <c>server.address</c>, <c>server.port</c>, <c>http.response.status_code</c> (when an answer arrived), <c>error.type</c>
    /// (when it failed). Bucket advice as OpenTelemetry's HTTP client duration (5 ms … 10 s).
    /// </summary>
    public static readonly Histogram<double> RequestDuration = Meter.CreateHistogram<double>(
        "ductape.client.request.duration", "s", "Duration of Ductape SDK calls, retries included."
#if NET9_0_OR_GREATER
        , tags: null, advice: new InstrumentAdvice<double>
        {
            HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10],
        }
#endif
        );

    /// <summary>Retries made; attribute <c>ductape.method</c>.</summary>
    public static readonly Counter<long> Retries =
        Meter.CreateCounter<long>("ductape.client.retries", "{retry}", "Retries of Ductape SDK calls.");

    /// <summary>Session token validations; attribute <c>ductape.token.outcome</c>: <c>valid</c>, or the failure in snake case.</summary>
    public static readonly Counter<long> TokenValidations =
        Meter.CreateCounter<long>("ductape.tokens.validations", "{validation}", "Session token validations by outcome.");

    private static readonly string[] Outcomes = Enum.GetValues<SessionTokenFailure>()
        .Select(f => f == SessionTokenFailure.None ? "valid" : SnakeCase(f.ToString()))
        .ToArray();

    /// <summary>The stable, lower-case outcome of a validation: <c>valid</c>, <c>expired</c>, <c>decryption_failed</c>, ….</summary>
    public static string Outcome(SessionTokenFailure failure) =>
        (int)failure >= 0 && (int)failure < Outcomes.Length ? Outcomes[(int)failure] : "unknown";

    private static string SnakeCase(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : "") + char.ToLowerInvariant(c) : c.ToString()));

    private static string PackageVersion()
    {
        var version = typeof(DuctapeTelemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus >= 0 ? version[..plus] : version;
    }
}
