namespace Ductape.Sdk;

/// <summary>
/// The names to subscribe to the SDK's telemetry, for example with OpenTelemetry:
/// <c>tracing.AddSource(DuctapeDiagnostics.ActivitySourceName)</c> and <c>metrics.AddMeter(DuctapeDiagnostics.MeterName)</c>.
/// </summary>
public static class DuctapeDiagnostics
{
    /// <summary>The <see cref="System.Diagnostics.ActivitySource"/> of one span per SDK call: <c>Ductape.Sdk</c>.</summary>
    public const string ActivitySourceName = "Ductape.Sdk";

    /// <summary>
    /// The <see cref="System.Diagnostics.Metrics.Meter"/> of <c>ductape.client.request.duration</c>,
    /// <c>ductape.client.retries</c> and <c>ductape.tokens.validations</c>: <c>Ductape.Sdk</c>.
    /// </summary>
    public const string MeterName = "Ductape.Sdk";
}
