using System.Diagnostics;
using System.Reflection;
using Ductape.Sdk.Tokens;

namespace Ductape.Sdk;

/// <summary>
/// The SDK's traces and metrics, named <see cref="DuctapeDiagnostics.ActivitySourceName"/> and
/// <see cref="DuctapeDiagnostics.MeterName"/>, versioned with the package. Attributes follow OpenTelemetry's conventions
/// (<c>server.address</c>, <c>server.port</c>, <c>http.response.status_code</c>, <c>error.type</c>) plus the SDK's own
/// <c>ductape.*</c> — never an access key, a token or session data. The activity source is static (sources are process-wide); metrics live in <see cref="DuctapeMetrics"/>.
/// </summary>
internal static class DuctapeTelemetry
{
    /// <summary>The package version without its source-control suffix, such as <c>0.1.0</c>.</summary>
    public static readonly string Version = PackageVersion();

    public static readonly ActivitySource Source = new(DuctapeDiagnostics.ActivitySourceName, Version);

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
