using System.Diagnostics.Metrics;

namespace Ductape.Sdk;

/// <summary>
/// The SDK's instruments on one <see cref="Meter"/> named <see cref="DuctapeDiagnostics.MeterName"/>: from the host's
/// <see cref="IMeterFactory"/> when there is one (so parallel tests and hosts each see their own measurements), else one
/// process-wide meter. Create one per factory and share it: each instance creates its instruments.
/// </summary>
internal sealed class DuctapeMetrics
{
    /// <summary>The process-wide meter's instruments, for clients built without a meter factory.</summary>
    public static readonly DuctapeMetrics Shared = new(new Meter(DuctapeDiagnostics.MeterName, DuctapeTelemetry.Version));

    private DuctapeMetrics(Meter meter)
    {
        RequestDuration = meter.CreateHistogram<double>(
            "ductape.client.request.duration", "s", "Duration of Ductape SDK calls, retries included."
#if NET9_0_OR_GREATER
            , tags: null, advice: new InstrumentAdvice<double>
            {
                HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10],
            }
#endif
            );
        Retries = meter.CreateCounter<long>("ductape.client.retries", "{retry}", "Retries of Ductape SDK calls.");
        TokenValidations = meter.CreateCounter<long>("ductape.tokens.validations", "{validation}", "Session token validations by outcome.");
    }

    /// <summary>
    /// Duration of each SDK call, retries included, in seconds; attributes <c>ductape.method</c>, <c>ductape.product</c>,
    /// <c>server.address</c>, <c>server.port</c>, <c>http.response.status_code</c> (when an answer arrived), <c>error.type</c>
    /// (when it failed). Bucket advice as OpenTelemetry's HTTP client duration (5 ms … 10 s).
    /// </summary>
    public Histogram<double> RequestDuration { get; }

    /// <summary>Retries made; attribute <c>ductape.method</c>.</summary>
    public Counter<long> Retries { get; }

    /// <summary>Session token validations; attribute <c>ductape.token.outcome</c>: <c>valid</c>, or the failure in snake case.</summary>
    public Counter<long> TokenValidations { get; }

    /// <summary>Instruments on the factory's meter, or the shared ones without a factory.</summary>
    public static DuctapeMetrics For(IMeterFactory? factory) =>
        factory is null ? Shared : new(factory.Create(new MeterOptions(DuctapeDiagnostics.MeterName) { Version = DuctapeTelemetry.Version }));
}
