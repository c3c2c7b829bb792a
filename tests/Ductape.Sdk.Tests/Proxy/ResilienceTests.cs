using System.Net;
using System.Net.Http.Headers;
using Ductape.Sdk.Tests.Products;
using Microsoft.Extensions.Logging;

namespace Ductape.Sdk.Tests.Proxy;

/// <summary>Retries, Retry-After, idempotency keys, timeouts and cancellation, on fake time.</summary>
public partial class ResilienceTests : ProxyMockTest
{
    private const string SeedWire = """
        {"tag":"session_name","name":"n","description":"d","expiry":7,"period":"hours","selector":"$Session{userId}","schema":{"userId":"1"}}
        """;

    private CapturingLoggerFactory _logs = null!;

    [SetUp]
    public void SetUp()
    {
        _logs = new CapturingLoggerFactory();
    }

    [TearDown]
    public void TearDown()
    {
        foreach (var entry in _logs.Entries)
        {
            Assert.That(entry.Message, Does.Not.Contain(ProxyMock.AccessKey));
            Assert.That(entry.Message, Does.Not.Contain("191010192"));
        }
    }

    private DuctapeClient Client(Action<DuctapeClientOptions>? configure = null) =>
        Mock.Client(o =>
        {
            o.LoggerFactory = _logs;
            configure?.Invoke(o);
        });

    private static HttpResponseMessage Status(HttpStatusCode status) =>
        ProxyMock.Response(status, ProxyMock.Failure(status.ToString(), "try again"));

    /// <summary>Fake time between attempts as the mock saw them (at least the chosen delay; the driver may overshoot).</summary>
    private TimeSpan[] Gaps() =>
        Mock.Requests.Zip(Mock.Requests.Skip(1), (a, b) => b.At - a.At).ToArray();

    /// <summary>The exact back-off the pipeline chose before each retry, from its Warning log lines.</summary>
    private TimeSpan[] ChosenDelays() => _logs.Entries
        .Select(e => System.Text.RegularExpressions.Regex.Match(e.Message, @"retrying in (\d+) ms$"))
        .Where(m => m.Success)
        .Select(m => TimeSpan.FromMilliseconds(long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)))
        .ToArray();

    [Test]
    public async Task Two_503s_then_200_succeeds_on_the_third_attempt_with_growing_delays()
    {
        Mock.Then(_ => Status(HttpStatusCode.ServiceUnavailable))
            .Then(_ => Status(HttpStatusCode.ServiceUnavailable))
            .ThenData(SeedWire);
        using var client = Client();

        var session = await Mock.Drive(client.Products.Sessions.FetchAsync("session_name"));

        Assert.That(session.Tag, Is.EqualTo("session_name"));
        Assert.That(Mock.Requests, Has.Count.EqualTo(3));
        var delays = ChosenDelays();
        // Equal jitter on a 200 ms base: the first wait is in [100, 200] ms, the second in [200, 400] ms.
        Assert.That(delays, Has.Length.EqualTo(2));
        Assert.That(delays[0], Is.InRange(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200)));
        Assert.That(delays[1], Is.InRange(TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400)));
        Assert.That(delays[1], Is.GreaterThanOrEqualTo(delays[0]));
        Assert.That(Gaps()[0], Is.GreaterThanOrEqualTo(delays[0]), "no attempt before its delay has passed");
        Assert.That(Gaps()[1], Is.GreaterThanOrEqualTo(delays[1]));

        var warnings = _logs.Entries.Where(e => e.Level == LogLevel.Warning).ToList();
        Assert.That(warnings, Has.Count.EqualTo(2));
        Assert.That(warnings[0].Category, Is.EqualTo("Ductape.Sdk"));
        Assert.That(warnings[0].Message, Does.Match(@"^Ductape call 'fetch' attempt 1 failed \(503\); retrying in \d+ ms$"));
        Assert.That(warnings[1].Message, Does.StartWith("Ductape call 'fetch' attempt 2 failed (503)"));
    }

    [TestCase(HttpStatusCode.RequestTimeout)]
    [TestCase(HttpStatusCode.TooManyRequests)]
    [TestCase(HttpStatusCode.InternalServerError)]
    [TestCase(HttpStatusCode.BadGateway)]
    [TestCase(HttpStatusCode.ServiceUnavailable)]
    [TestCase(HttpStatusCode.GatewayTimeout)]
    public async Task Transient_statuses_are_retried(HttpStatusCode status)
    {
        Mock.Then(_ => Status(status)).ThenData(SeedWire);
        using var client = Client();
        await Mock.Drive(client.Products.Sessions.FetchAsync("session_name"));
        Assert.That(Mock.Requests, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task A_429_with_retry_after_seconds_waits_exactly_that_long()
    {
        Mock.Then(_ =>
        {
            var response = Status(HttpStatusCode.TooManyRequests);
            response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(2));
            return response;
        }).ThenData(SeedWire);
        using var client = Client();
        var start = Mock.Time.GetUtcNow();

        await Mock.Drive(client.Products.Sessions.FetchAsync("session_name"));

        Assert.That(ChosenDelays(), Is.EqualTo(new[] { TimeSpan.FromSeconds(2) }));
        Assert.That(Mock.Requests[1].At, Is.GreaterThanOrEqualTo(start + TimeSpan.FromSeconds(2)));
    }

    [Test]
    public async Task A_retry_after_http_date_is_honoured()
    {
        var retryAt = Mock.Time.GetUtcNow() + TimeSpan.FromSeconds(5);
        Mock.Then(_ =>
        {
            var response = Status(HttpStatusCode.ServiceUnavailable);
            response.Headers.RetryAfter = new RetryConditionHeaderValue(retryAt);
            return response;
        }).ThenData(SeedWire);
        using var client = Client();

        await Mock.Drive(client.Products.Sessions.FetchAsync("session_name"));

        // The wait is measured from when the answer is read, so it is at most 5 s, and the retry is not before the date.
        Assert.That(ChosenDelays().Single(), Is.InRange(TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(5)));
        Assert.That(Mock.Requests[1].At, Is.GreaterThanOrEqualTo(retryAt));
    }

    [Test]
    public void A_retry_after_beyond_the_cap_fails_at_once_and_says_how_long()
    {
        Mock.Then(_ =>
        {
            var response = ProxyMock.Response(HttpStatusCode.TooManyRequests, ProxyMock.Failure("RATE_LIMITED", "slow down"));
            response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(120));
            return response;
        });
        using var client = Client();

        var ex = Assert.ThrowsAsync<DuctapeApiException>(() => client.Products.Sessions.FetchAsync("session_name"));

        Assert.That(ex!.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(120)));
        Assert.That(ex.Code, Is.EqualTo("RATE_LIMITED"));
        Assert.That(Mock.Requests, Has.Count.EqualTo(1));
    }

    [TestCase(HttpStatusCode.BadRequest)]
    [TestCase(HttpStatusCode.Unauthorized)]
    [TestCase(HttpStatusCode.Forbidden)]
    [TestCase(HttpStatusCode.NotFound)]
    [TestCase(HttpStatusCode.Conflict)]
    [TestCase(HttpStatusCode.UnprocessableEntity)]
    public void Other_4xx_are_never_retried(HttpStatusCode status)
    {
        Mock.Then(_ => Status(status));
        using var client = Client();
        var ex = Assert.ThrowsAsync<DuctapeApiException>(() => client.Products.Sessions.CreateAsync(ProductSessionsClientTests.Seed()));
        Assert.That(ex!.StatusCode, Is.EqualTo(status));
        Assert.That(Mock.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_connection_failure_on_create_is_retried_with_the_same_idempotency_key()
    {
        Mock.ThenThrow(new HttpRequestException("Connection refused"))
            .ThenThrow(new IOException("reset"))
            .ThenData(SeedWire);
        using var client = Client();

        await Mock.Drive(client.Products.Sessions.CreateAsync(ProductSessionsClientTests.Seed()));
        await client.Products.Sessions.CreateAsync(ProductSessionsClientTests.Seed());

        var keys = Mock.Requests.Select(r => r.Header("Idempotency-Key")).ToList();
        Assert.That(keys, Has.Count.EqualTo(4));
        Assert.That(keys[0], Is.Not.Null);
        Assert.That(keys[1], Is.EqualTo(keys[0]));
        Assert.That(keys[2], Is.EqualTo(keys[0]));
        Assert.That(keys[3], Is.Not.EqualTo(keys[0]), "the next create is a new call with a new key");
        Assert.That(Mock.Requests.Select(r => r.Body.GetRawText()).Distinct().Count(), Is.EqualTo(1), "the same body each time");
    }

    [Test]
    public async Task A_caller_idempotency_key_is_kept_on_every_attempt()
    {
        Mock.Then(_ => Status(HttpStatusCode.BadGateway)).ThenData("null");
        using var client = Client();
        await Mock.Drive(client.Products.Sessions.DeleteAsync("a", new DuctapeRequestOptions { IdempotencyKey = "k-1" }));
        Assert.That(Mock.Requests.Select(r => r.Header("Idempotency-Key")), Is.EqualTo(new[] { "k-1", "k-1" }));
    }
}
