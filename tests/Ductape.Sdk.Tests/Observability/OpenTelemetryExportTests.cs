using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using Ductape.Sdk.Tests.Tokens;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Ductape.Sdk.Tests.Observability;

/// <summary>What an app wired with OpenTelemetry (AddSource/AddMeter with the public names) exports, through its in-memory exporter.</summary>
[NonParallelizable]
public class OpenTelemetryExportTests
{
    [Test]
    public async Task A_failed_call_exports_one_internal_span_and_a_duration_with_error_type_server_and_seconds_buckets()
    {
        using var mock = new ProxyMock();
        var product = "otel:" + Guid.NewGuid().ToString("N");
        var spans = new List<Activity>();
        var metrics = new List<Metric>();
        using var tracing = OpenTelemetry.Sdk.CreateTracerProviderBuilder().AddSource(DuctapeDiagnostics.ActivitySourceName).AddInMemoryExporter(spans).Build()!;
        using var meters = OpenTelemetry.Sdk.CreateMeterProviderBuilder().AddMeter(DuctapeDiagnostics.MeterName).AddInMemoryExporter(metrics).Build()!;
        mock.ThenStatus(HttpStatusCode.NotFound, ProxyMock.Failure("SESSION_NOT_FOUND", "no such session type", requestId: "req_42"));
        using var client = mock.Client(o => o.Product = product);

        Assert.ThrowsAsync<DuctapeApiException>(() => client.Products.Sessions.FetchAsync("session_name"));
        tracing.ForceFlush();
        meters.ForceFlush();

        var span = spans.Single(s => Equals(s.GetTagItem("ductape.product"), product));
        Assert.That((span.DisplayName, span.Kind, span.Status), Is.EqualTo(("ductape sessions.fetch", ActivityKind.Internal, ActivityStatusCode.Error)));
        Assert.That(span.GetTagItem("error.type"), Is.EqualTo("SESSION_NOT_FOUND"));
        Assert.That(span.GetTagItem("ductape.request_id"), Is.EqualTo("req_42"));
        Assert.That((span.GetTagItem("server.address"), span.GetTagItem("server.port")), Is.EqualTo(("api.ductape.test", 443)));
        Assert.That(span.GetTagItem("http.response.status_code"), Is.EqualTo(404));

        var duration = metrics.Single(m => m.Name == "ductape.client.request.duration");
        Assert.That((duration.Unit, duration.MeterVersion), Is.EqualTo(("s", DuctapeTelemetry.Version)));
        var point = Points(duration).Single(p => Tags(p).TryGetValue("ductape.product", out var v) && Equals(v, product));
        var tags = Tags(point);
        Assert.That((tags["error.type"], tags["http.response.status_code"], tags["server.address"]), Is.EqualTo(("SESSION_NOT_FOUND", 404, "api.ductape.test")));
        var bounds = new List<double>();
        foreach (var bucket in point.GetHistogramBuckets())
        {
            bounds.Add(bucket.ExplicitBound);
        }
#if NET9_0_OR_GREATER
        Assert.That(bounds.Take(3), Is.EqualTo(new[] { 0.005, 0.01, 0.025 }), "bucket advice in seconds, not the default milliseconds");
#else
        Assert.That(bounds, Is.Not.Empty, ".NET 8 has no bucket advice API: the app's view decides");
#endif
    }

    [Test]
    public async Task Token_outcomes_are_exported_in_lower_snake_case()
    {
        var metrics = new List<Metric>();
        using var meters = OpenTelemetry.Sdk.CreateMeterProviderBuilder().AddMeter(DuctapeDiagnostics.MeterName).AddInMemoryExporter(metrics).Build()!;
        var kit = new TokenTestKit();
        var validator = kit.Validator();

        validator.Validate(kit.Make());
        validator.Validate("session_name:garbage");
        meters.ForceFlush();

        var outcomes = Points(metrics.Single(m => m.Name == "ductape.tokens.validations"))
            .Select(p => (string)Tags(p)["ductape.token.outcome"]!).ToList();
        Assert.That(outcomes, Does.Contain("valid").And.Contain("malformed"));
        await Task.CompletedTask;
    }

    [Test]
    public async Task Under_a_host_the_meter_comes_from_its_meter_factory_so_two_hosts_do_not_see_each_others_calls()
    {
        using var mock = new ProxyMock();
        mock.ThenData("[]").ThenData("[]");
        await using var first = Host(mock);
        await using var second = Host(mock);
        var seen = new Dictionary<object, int>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument is { Name: "ductape.client.request.duration", Meter.Scope: not null })
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((instrument, _, _, _) =>
        {
            lock (seen)
            {
                seen[instrument.Meter.Scope!] = seen.GetValueOrDefault(instrument.Meter.Scope!) + 1;
            }
        });
        listener.Start();

        await first.GetRequiredService<DuctapeClient>().Products.Sessions.FetchAllAsync();

        Assert.That(seen.GetValueOrDefault(first.GetRequiredService<IMeterFactory>()), Is.EqualTo(1));
        Assert.That(seen.GetValueOrDefault(second.GetRequiredService<IMeterFactory>()), Is.EqualTo(0));
        Assert.That(first.GetRequiredService<DuctapeClient>(), Is.Not.Null);
    }

    private static ServiceProvider Host(ProxyMock mock)
    {
        var services = new ServiceCollection();
        services.AddMetrics();
        services.AddDuctape(o =>
        {
            o.AccessKey = ProxyMock.AccessKey;
            o.BaseUrl = new Uri(ProxyMock.BaseUrl);
            o.Product = ProxyMock.Product;
        }).ConfigurePrimaryHttpMessageHandler(() => mock.Network);
        return services.BuildServiceProvider();
    }

    private static List<MetricPoint> Points(Metric metric)
    {
        var points = new List<MetricPoint>();
        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            points.Add(point);
        }

        return points;
    }

    private static Dictionary<string, object?> Tags(MetricPoint point)
    {
        var tags = new Dictionary<string, object?>();
        foreach (var tag in point.Tags)
        {
            tags[tag.Key] = tag.Value;
        }

        return tags;
    }
}
