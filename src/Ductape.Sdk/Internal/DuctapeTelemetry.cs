using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Ductape.Sdk;

/// <summary>
/// The SDK's traces and metrics, both named <c>Ductape.Sdk</c>. Tags carry the method, product, session tag, status, code and
/// retry count — never an access key, a token or session data. Static because sources and meters are process-wide by design.
/// </summary>
internal static class DuctapeTelemetry
{
    public const string Name = "Ductape.Sdk";

    public static readonly ActivitySource Source = new(Name, typeof(DuctapeTelemetry).Assembly.GetName().Version?.ToString());

    public static readonly Meter Meter = new(Name, typeof(DuctapeTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>Duration of each SDK call, retries included, in seconds; tags <c>ductape.method</c>, <c>ductape.product</c>, <c>http.response.status_code</c>.</summary>
    public static readonly Histogram<double> RequestDuration =
        Meter.CreateHistogram<double>("ductape.client.request.duration", "s", "Duration of Ductape SDK calls, retries included.");

    /// <summary>Retries made; tag <c>ductape.method</c>.</summary>
    public static readonly Counter<long> Retries =
        Meter.CreateCounter<long>("ductape.client.retries", "{retry}", "Retries of Ductape SDK calls.");

    /// <summary>Session token validations; tag <c>ductape.token.outcome</c> (<c>None</c> for valid, else the failure).</summary>
    public static readonly Counter<long> TokenValidations =
        Meter.CreateCounter<long>("ductape.tokens.validations", "{validation}", "Session token validations by outcome.");
}
