using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using Ductape.Sdk.Tests.Tokens;
using Ductape.Sdk.Tests.Proxy;

namespace Ductape.Sdk.Tests.Observability;

/// <summary>Spans and metrics named Ductape.Sdk: what they carry, and what they never carry.</summary>
[NonParallelizable]
public class TelemetryTests
{
    private readonly List<Activity> _activities = [];
    private List<(string Instrument, double Value, Dictionary<string, object?> Tags, int Thread)> _measurements = [];
    private ActivityListener _activityListener = null!;
    private MeterListener _meterListener = null!;

    [SetUp]
    public void SetUp()
    {
        // One fixture instance serves every test: start each from nothing, with a list of its own (a listener of an earlier
        // test that still delivers — as .NET 8's do after Dispose — writes into that test's list, not this one's).
        _activities.Clear();
        var sink = new List<(string Instrument, double Value, Dictionary<string, object?> Tags, int Thread)>();
        _measurements = sink;
        _activityListener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Ductape.Sdk",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { lock (_activities) { _activities.Add(activity); } },
        };
        ActivitySource.AddActivityListener(_activityListener);

        _meterListener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "Ductape.Sdk")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _meterListener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(sink, i.Name, v, tags));
        _meterListener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(sink, i.Name, v, tags));
        _meterListener.Start();
    }

    [TearDown]
    public void TearDown()
    {
        _activityListener.Dispose();
        _meterListener.Dispose();
    }

    private static void Record(
        List<(string Instrument, double Value, Dictionary<string, object?> Tags, int Thread)> sink, string name, double value,
        ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }

        lock (sink)
        {
            sink.Add((name, value, copy, Environment.CurrentManagedThreadId));
        }
    }

    [Test]
    public async Task A_call_makes_one_span_with_method_product_tag_server_status_request_id_and_retries()
    {
        using var mock = new ProxyMock();
        mock.ThenStatus(HttpStatusCode.ServiceUnavailable, ProxyMock.Failure("UNAVAILABLE", "busy"))
            .ThenData("""{"tag":"session_name","name":"n","description":"d","expiry":1,"period":"hours","selector":"$Session{a}","schema":{"a":"1"}}""");
        var product = "telemetry:" + Guid.NewGuid().ToString("N"); // other tests' calls may still be finishing
        using var client = mock.Client(o => o.Product = product);

        await mock.Drive(client.Products.Sessions.FetchAsync("session_name"));

        var span = _activities.Single(a => (string?)a.GetTagItem("ductape.product") == product);
        Assert.That(span.Kind, Is.EqualTo(ActivityKind.Internal), "the HTTP client span beneath it is the client span");
        Assert.That(span.Source.Name, Is.EqualTo(DuctapeDiagnostics.ActivitySourceName));
        Assert.That(span.Source.Version, Does.Match(@"^\d+\.\d+\.\d+"), "the package version, without the commit");
        Assert.That(span.GetTagItem("server.address"), Is.EqualTo("api.ductape.test"));
        Assert.That(span.GetTagItem("server.port"), Is.EqualTo(443));
        Assert.That(span.GetTagItem("ductape.request_id"), Is.EqualTo("req_ok_1"));
        Assert.That(span.GetTagItem("error.type"), Is.Null);
        Assert.That(span.Status, Is.EqualTo(ActivityStatusCode.Unset), "success leaves the status unset (OpenTelemetry's rule for libraries)");
        Assert.That(span.GetTagItem("ductape.method"), Is.EqualTo("fetch"));
        Assert.That(span.OperationName, Is.EqualTo("ductape sessions.fetch"));
        Assert.That(span.GetTagItem("ductape.session_tag"), Is.EqualTo("session_name"));
        Assert.That(span.GetTagItem("http.response.status_code"), Is.EqualTo(200));
        Assert.That(span.GetTagItem("ductape.retries"), Is.EqualTo(1));
        Assert.That(string.Join(" ", span.TagObjects.Select(t => t.Value)), Does.Not.Contain(ProxyMock.AccessKey));

        Assert.That(_measurements.Count(m => m.Instrument == "ductape.client.retries" && (string?)m.Tags["ductape.method"] == "fetch"),
            Is.GreaterThanOrEqualTo(1)); // the counter has no product tag, so another test's retry could be counted too
        var duration = _measurements.Single(m => m.Instrument == "ductape.client.request.duration" && (string?)m.Tags["ductape.product"] == product);
        Assert.That(duration.Tags["ductape.method"], Is.EqualTo("fetch"));
        Assert.That(duration.Tags["http.response.status_code"], Is.EqualTo(200));
        Assert.That(duration.Tags["server.address"], Is.EqualTo("api.ductape.test"));
        Assert.That(duration.Tags.ContainsKey("error.type"), Is.False);
    }

    [Test]
    public void A_failed_call_marks_its_span_with_the_error_code()
    {
        using var mock = new ProxyMock();
        mock.ThenStatus(HttpStatusCode.NotFound, ProxyMock.Failure("SESSION_NOT_FOUND", "nope"));
        var product = "telemetry:" + Guid.NewGuid().ToString("N"); // other tests' calls may still be finishing
        using var client = mock.Client(o => o.Product = product);

        Assert.ThrowsAsync<DuctapeApiException>(() => client.Products.Sessions.FetchAsync("session_name"));

        var span = _activities.Single(a => (string?)a.GetTagItem("ductape.product") == product);
        Assert.That(span.Status, Is.EqualTo(ActivityStatusCode.Error));
        Assert.That(span.GetTagItem("error.type"), Is.EqualTo("SESSION_NOT_FOUND"));
        Assert.That(span.GetTagItem("http.response.status_code"), Is.EqualTo(404));
        Assert.That(span.GetTagItem("ductape.request_id"), Is.EqualTo("req_err_1"));
        var duration = _measurements.Single(m => m.Instrument == "ductape.client.request.duration" && (string?)m.Tags["ductape.product"] == product);
        Assert.That(duration.Tags["error.type"], Is.EqualTo("SESSION_NOT_FOUND"));
    }

    [Test]
    public void A_call_without_an_answer_has_no_status_code_and_names_the_exception_the_caller_sees()
    {
        using var mock = new ProxyMock();
        mock.ThenThrow(new HttpRequestException("refused"));
        var product = "telemetry:" + Guid.NewGuid().ToString("N");
        using var client = mock.Client(o =>
        {
            o.Product = product;
            o.Retry.MaxRetries = 0;
        });

        Assert.ThrowsAsync<DuctapeConnectionException>(() => client.Products.Sessions.FetchAsync("session_name"));

        var span = _activities.Single(a => (string?)a.GetTagItem("ductape.product") == product);
        Assert.That(span.GetTagItem("error.type"), Is.EqualTo(typeof(DuctapeConnectionException).FullName));
        Assert.That(span.GetTagItem("http.response.status_code"), Is.Null);
        var duration = _measurements.Single(m => m.Instrument == "ductape.client.request.duration" && (string?)m.Tags["ductape.product"] == product);
        Assert.That(duration.Tags.ContainsKey("http.response.status_code"), Is.False);
        Assert.That(duration.Tags["error.type"], Is.EqualTo(typeof(DuctapeConnectionException).FullName));
    }

    [Test]
    public void Token_validations_are_counted_by_outcome_without_the_token()
    {
        var kit = new TokenTestKit();
        var validator = kit.Validator();
        var token = kit.Make();

        validator.Validate(token);
        validator.Validate(token[..^4]);
        validator.Validate("garbage");

        // Validation is synchronous: measurements from this thread are this test's (the meter is process-wide, and timers of
        // other tests may still be running).
        var thread = Environment.CurrentManagedThreadId;
        var outcomes = _measurements.Where(m => m.Instrument == "ductape.tokens.validations" && m.Thread == thread)
            .Select(m => (string?)m.Tags["ductape.token.outcome"]).ToList();
        Assert.That(outcomes, Is.EqualTo(new[] { "valid", "malformed", "malformed" }).Or.EqualTo(new[] { "valid", "decryption_failed", "malformed" }));
        Assert.That(_measurements.SelectMany(m => m.Tags.Values).OfType<string>(), Has.None.Contains(token[..20]));
    }
}
