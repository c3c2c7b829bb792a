using System.Net;
using System.Net.Http.Headers;
using Ductape.Sdk.Tests.Products;
using Microsoft.Extensions.Logging;

namespace Ductape.Sdk.Tests.Proxy;

/// <summary>Retries, Retry-After, idempotency keys, timeouts and cancellation, on fake time.</summary>
public class ResilienceTests
{
    private const string SeedWire = """
        {"tag":"session_name","name":"n","description":"d","expiry":7,"period":"hours","selector":"$Session{userId}","schema":{"userId":"1"}}
        """;

    private ProxyMock _mock = null!;
    private CapturingLoggerFactory _logs = null!;

    [SetUp]
    public void SetUp()
    {
        _mock = new ProxyMock();
        _logs = new CapturingLoggerFactory();
    }

    [TearDown]
    public void TearDown()
    {
        _mock.Dispose();
        foreach (var entry in _logs.Entries)
        {
            Assert.That(entry.Message, Does.Not.Contain(ProxyMock.AccessKey));
            Assert.That(entry.Message, Does.Not.Contain("191010192"));
        }
    }

    private DuctapeClient Client(Action<DuctapeClientOptions>? configure = null) =>
        _mock.Client(o =>
        {
            o.LoggerFactory = _logs;
            configure?.Invoke(o);
        });

    private static HttpResponseMessage Status(HttpStatusCode status) =>
        ProxyMock.Response(status, ProxyMock.Failure(status.ToString(), "try again"));

    /// <summary>Fake time between attempts as the mock saw them (at least the chosen delay; the driver may overshoot).</summary>
    private TimeSpan[] Gaps() =>
        _mock.Requests.Zip(_mock.Requests.Skip(1), (a, b) => b.At - a.At).ToArray();

    /// <summary>The exact back-off the pipeline chose before each retry, from its Warning log lines.</summary>
    private TimeSpan[] ChosenDelays() => _logs.Entries
        .Select(e => System.Text.RegularExpressions.Regex.Match(e.Message, @"retrying in (\d+) ms$"))
        .Where(m => m.Success)
        .Select(m => TimeSpan.FromMilliseconds(long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)))
        .ToArray();

    [Test]
    public async Task Two_503s_then_200_succeeds_on_the_third_attempt_with_growing_delays()
    {
        _mock.Then(_ => Status(HttpStatusCode.ServiceUnavailable))
            .Then(_ => Status(HttpStatusCode.ServiceUnavailable))
            .ThenData(SeedWire);
        using var client = Client();

        var session = await _mock.Drive(client.Products.Sessions.FetchAsync("session_name"));

        Assert.That(session.Tag, Is.EqualTo("session_name"));
        Assert.That(_mock.Requests, Has.Count.EqualTo(3));
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
        _mock.Then(_ => Status(status)).ThenData(SeedWire);
        using var client = Client();
        await _mock.Drive(client.Products.Sessions.FetchAsync("session_name"));
        Assert.That(_mock.Requests, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task A_429_with_retry_after_seconds_waits_exactly_that_long()
    {
        _mock.Then(_ =>
        {
            var response = Status(HttpStatusCode.TooManyRequests);
            response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(2));
            return response;
        }).ThenData(SeedWire);
        using var client = Client();
        var start = _mock.Time.GetUtcNow();

        await _mock.Drive(client.Products.Sessions.FetchAsync("session_name"));

        Assert.That(ChosenDelays(), Is.EqualTo(new[] { TimeSpan.FromSeconds(2) }));
        Assert.That(_mock.Requests[1].At, Is.GreaterThanOrEqualTo(start + TimeSpan.FromSeconds(2)));
    }

    [Test]
    public async Task A_retry_after_http_date_is_honoured()
    {
        var retryAt = _mock.Time.GetUtcNow() + TimeSpan.FromSeconds(5);
        _mock.Then(_ =>
        {
            var response = Status(HttpStatusCode.ServiceUnavailable);
            response.Headers.RetryAfter = new RetryConditionHeaderValue(retryAt);
            return response;
        }).ThenData(SeedWire);
        using var client = Client();

        await _mock.Drive(client.Products.Sessions.FetchAsync("session_name"));

        // The wait is measured from when the answer is read, so it is at most 5 s, and the retry is not before the date.
        Assert.That(ChosenDelays().Single(), Is.InRange(TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(5)));
        Assert.That(_mock.Requests[1].At, Is.GreaterThanOrEqualTo(retryAt));
    }

    [Test]
    public void A_retry_after_beyond_the_cap_fails_at_once_and_says_how_long()
    {
        _mock.Then(_ =>
        {
            var response = ProxyMock.Response(HttpStatusCode.TooManyRequests, ProxyMock.Failure("RATE_LIMITED", "slow down"));
            response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(120));
            return response;
        });
        using var client = Client();

        var ex = Assert.ThrowsAsync<DuctapeApiException>(() => client.Products.Sessions.FetchAsync("session_name"));

        Assert.That(ex!.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(120)));
        Assert.That(ex.Code, Is.EqualTo("RATE_LIMITED"));
        Assert.That(_mock.Requests, Has.Count.EqualTo(1));
    }

    [TestCase(HttpStatusCode.BadRequest)]
    [TestCase(HttpStatusCode.Unauthorized)]
    [TestCase(HttpStatusCode.Forbidden)]
    [TestCase(HttpStatusCode.NotFound)]
    [TestCase(HttpStatusCode.Conflict)]
    [TestCase(HttpStatusCode.UnprocessableEntity)]
    public void Other_4xx_are_never_retried(HttpStatusCode status)
    {
        _mock.Then(_ => Status(status));
        using var client = Client();
        var ex = Assert.ThrowsAsync<DuctapeApiException>(() => client.Products.Sessions.CreateAsync(ProductSessionsClientTests.Seed()));
        Assert.That(ex!.StatusCode, Is.EqualTo(status));
        Assert.That(_mock.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_connection_failure_on_create_is_retried_with_the_same_idempotency_key()
    {
        _mock.ThenThrow(new HttpRequestException("Connection refused"))
            .ThenThrow(new IOException("reset"))
            .ThenData(SeedWire);
        using var client = Client();

        await _mock.Drive(client.Products.Sessions.CreateAsync(ProductSessionsClientTests.Seed()));
        await client.Products.Sessions.CreateAsync(ProductSessionsClientTests.Seed());

        var keys = _mock.Requests.Select(r => r.Header("Idempotency-Key")).ToList();
        Assert.That(keys, Has.Count.EqualTo(4));
        Assert.That(keys[0], Is.Not.Null);
        Assert.That(keys[1], Is.EqualTo(keys[0]));
        Assert.That(keys[2], Is.EqualTo(keys[0]));
        Assert.That(keys[3], Is.Not.EqualTo(keys[0]), "the next create is a new call with a new key");
        Assert.That(_mock.Requests.Select(r => r.Body.GetRawText()).Distinct().Count(), Is.EqualTo(1), "the same body each time");
    }

    [Test]
    public async Task A_caller_idempotency_key_is_kept_on_every_attempt()
    {
        _mock.Then(_ => Status(HttpStatusCode.BadGateway)).ThenData("null");
        using var client = Client();
        await _mock.Drive(client.Products.Sessions.DeleteAsync("a", new DuctapeRequestOptions { IdempotencyKey = "k-1" }));
        Assert.That(_mock.Requests.Select(r => r.Header("Idempotency-Key")), Is.EqualTo(new[] { "k-1", "k-1" }));
    }

    [Test]
    public async Task A_slow_attempt_times_out_and_the_retry_succeeds()
    {
        _mock.ThenHang().ThenData(SeedWire);
        using var client = Client();
        var start = _mock.Time.GetUtcNow();

        await _mock.Drive(client.Products.Sessions.FetchAsync("session_name"));

        Assert.That(_mock.Requests, Has.Count.EqualTo(2));
        Assert.That(_mock.Requests[1].At, Is.GreaterThanOrEqualTo(start + TimeSpan.FromSeconds(10) + ChosenDelays().Single()));
        Assert.That(_logs.Entries.Single().Message, Does.Contain("(TimeoutRejectedException)"));
    }

    [Test]
    public void The_overall_timeout_names_itself_and_the_attempts()
    {
        _mock.ThenHang();
        using var client = Client(o => o.Timeout = TimeSpan.FromSeconds(15));

        var call = client.Products.Sessions.FetchAsync("session_name");
        var ex = Assert.ThrowsAsync<DuctapeTimeoutException>(() => _mock.Drive(call));

        Assert.That(ex!.Limit, Is.EqualTo(DuctapeTimeoutLimit.Overall));
        Assert.That(ex.Timeout, Is.EqualTo(TimeSpan.FromSeconds(15)));
        Assert.That(ex.Attempts, Is.EqualTo(2));
        Assert.That(ex.Message, Does.Contain("overall timeout of 15 s (2 attempt(s))"));
        // When the last attempt was cancelled (exact: recorded inside the cancellation), not when the test saw the failure.
        Assert.That(_mock.AttemptsCancelledAt.Last() - _mock.Requests[0].At, Is.LessThanOrEqualTo(TimeSpan.FromSeconds(15)));
    }

    [Test]
    public void A_per_call_timeout_replaces_the_client_one()
    {
        _mock.ThenHang();
        using var client = Client();

        var call = client.Products.Sessions.FetchAsync("session_name", new DuctapeRequestOptions { Timeout = TimeSpan.FromSeconds(3) });
        var ex = Assert.ThrowsAsync<DuctapeTimeoutException>(() => _mock.Drive(call));

        Assert.That(ex!.Limit, Is.EqualTo(DuctapeTimeoutLimit.Overall));
        Assert.That(ex.Timeout, Is.EqualTo(TimeSpan.FromSeconds(3)));
        Assert.That(ex.Attempts, Is.EqualTo(1));
    }

    [Test]
    public void When_every_attempt_times_out_the_attempt_limit_is_named()
    {
        _mock.ThenHang();
        using var client = Client(o =>
        {
            o.Timeout = Timeout.InfiniteTimeSpan;
            o.Retry.MaxRetries = 1;
            o.Retry.AttemptTimeout = TimeSpan.FromSeconds(2);
        });

        var ex = Assert.ThrowsAsync<DuctapeTimeoutException>(() => _mock.Drive(client.Products.Sessions.FetchAsync("s")));

        Assert.That(ex!.Limit, Is.EqualTo(DuctapeTimeoutLimit.Attempt));
        Assert.That(ex.Timeout, Is.EqualTo(TimeSpan.FromSeconds(2)));
        Assert.That(ex.Attempts, Is.EqualTo(2));
        Assert.That(_mock.Requests, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Cancelling_during_a_backoff_stops_at_once_with_the_callers_token()
    {
        _mock.Then(_ =>
        {
            var response = Status(HttpStatusCode.ServiceUnavailable);
            response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(20));
            return response;
        });
        using var client = Client();
        using var cts = new CancellationTokenSource();

        var call = client.Products.Sessions.FetchAsync("session_name", cancellationToken: cts.Token);
        while (_logs.Entries.Count == 0) // the retry is logged just before its back-off starts
        {
            await Task.Yield();
        }

        _mock.Time.Advance(TimeSpan.FromSeconds(1)); // well inside the 20 s back-off
        await cts.CancelAsync();

        // No more fake time passes: the call must end on the cancellation alone (the real-time guard only catches a hang).
        var ex = Assert.ThrowsAsync<TaskCanceledException>(() => call.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.That(ex!.CancellationToken, Is.EqualTo(cts.Token));
        Assert.That(_mock.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public void A_call_cancelled_before_it_starts_sends_nothing()
    {
        _mock.ThenData(SeedWire);
        using var client = Client();
        var ex = Assert.CatchAsync<OperationCanceledException>(
            () => client.Products.Sessions.FetchAsync("session_name", cancellationToken: new CancellationToken(true)));
        Assert.That(ex!.CancellationToken.IsCancellationRequested, Is.True);
        Assert.That(_mock.Requests, Is.Empty);
    }

    [Test]
    public void MaxRetries_zero_makes_one_attempt()
    {
        _mock.Then(_ => Status(HttpStatusCode.ServiceUnavailable));
        using var client = Client(o => o.Retry.MaxRetries = 0);
        var ex = Assert.ThrowsAsync<DuctapeApiException>(() => client.Products.Sessions.FetchAsync("s"));
        Assert.That(ex!.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(_mock.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_per_call_retry_limit_replaces_the_clients_both_ways()
    {
        _mock.Then(_ => Status(HttpStatusCode.ServiceUnavailable));
        using var client = Client(o => o.Retry.MaxRetries = 1);

        Assert.ThrowsAsync<DuctapeApiException>(() =>
            _mock.Drive(client.Products.Sessions.FetchAsync("s", new DuctapeRequestOptions { MaxRetries = 0 })));
        Assert.That(_mock.Requests, Has.Count.EqualTo(1), "0: one attempt");

        Assert.ThrowsAsync<DuctapeApiException>(() =>
            _mock.Drive(client.Products.Sessions.FetchAsync("s", new DuctapeRequestOptions { MaxRetries = 3 })));
        Assert.That(_mock.Requests, Has.Count.EqualTo(1 + 4), "3: four attempts, more than the client's own 1");
        await Task.CompletedTask;
    }

    [TestCase(-1)]
    [TestCase(11)]
    public void A_per_call_retry_limit_out_of_range_is_refused_before_sending(int maxRetries)
    {
        using var client = Client();

        var ex = Assert.ThrowsAsync<DuctapeValidationException>(() =>
            client.Products.Sessions.FetchAsync("s", new DuctapeRequestOptions { MaxRetries = maxRetries }));

        Assert.That(ex!.Errors.Single().Field, Is.EqualTo("MaxRetries"));
        Assert.That(ex.Message, Does.Contain("must be between 0 and 10"));
        Assert.That(_mock.Requests, Is.Empty);
    }

    [Test]
    public void After_the_last_retry_the_last_answer_is_reported()
    {
        _mock.Then(_ => Status(HttpStatusCode.BadGateway));
        using var client = Client(o => o.Retry.MaxRetries = 2);
        var ex = Assert.ThrowsAsync<DuctapeApiException>(() => _mock.Drive(client.Products.Sessions.FetchAsync("s")));
        Assert.That(ex!.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
        Assert.That(_mock.Requests, Has.Count.EqualTo(3));
    }

    [Test]
    public async Task Backoff_is_capped_by_MaxDelay()
    {
        _mock.Then(_ => Status(HttpStatusCode.ServiceUnavailable));
        using var client = Client(o =>
        {
            o.Retry.MaxRetries = 5;
            o.Retry.BaseDelay = TimeSpan.FromSeconds(1);
            o.Retry.MaxDelay = TimeSpan.FromSeconds(2);
            o.Timeout = Timeout.InfiniteTimeSpan;
        });

        Assert.ThrowsAsync<DuctapeApiException>(() => _mock.Drive(client.Products.Sessions.FetchAsync("s")));

        var delays = ChosenDelays();
        Assert.That(delays, Has.Length.EqualTo(5));
        Assert.That(delays, Has.All.LessThanOrEqualTo(TimeSpan.FromSeconds(2)));
        Assert.That(delays.Skip(1), Has.All.GreaterThanOrEqualTo(TimeSpan.FromSeconds(1)), "capped at 2 s, half of it fixed");
        await Task.CompletedTask;
    }

    [Test]
    public void Invalid_retry_options_are_rejected_with_a_clear_message()
    {
        var options = _mock.Options(o =>
        {
            o.Retry.MaxRetries = -1;
            o.Retry.BaseDelay = TimeSpan.FromSeconds(-1);
            o.Retry.MaxDelay = TimeSpan.FromSeconds(-2);
            o.Retry.MaxRetryAfter = TimeSpan.FromSeconds(-1);
            o.Retry.AttemptTimeout = TimeSpan.Zero;
        });

        var ex = Assert.Throws<ArgumentException>(() => new DuctapeClient(options));

        Assert.That(ex!.Message, Does.Contain("Retry.MaxRetries must be between 0 and 10")
            .And.Contain("Retry.BaseDelay must not be negative")
            .And.Contain("Retry.MaxDelay must be at least BaseDelay")
            .And.Contain("Retry.MaxRetryAfter must not be negative")
            .And.Contain("Retry.AttemptTimeout must be positive"));
        Assert.Throws<ArgumentException>(() => DuctapeClient.CreateHttpMessageHandler(options));
    }

    [Test]
    public void MaxDelay_below_BaseDelay_is_rejected()
    {
        var options = _mock.Options(o =>
        {
            o.Retry.BaseDelay = TimeSpan.FromSeconds(5);
            o.Retry.MaxDelay = TimeSpan.FromSeconds(1);
        });
        Assert.That(options.Validate().Single(), Is.EqualTo("DuctapeClientOptions.Retry.MaxDelay must be at least BaseDelay."));
    }

    [Test]
    public void Retry_defaults()
    {
        var retry = new DuctapeRetryOptions();
        Assert.That(retry.MaxRetries, Is.EqualTo(3));
        Assert.That(retry.BaseDelay, Is.EqualTo(TimeSpan.FromMilliseconds(200)));
        Assert.That(retry.MaxDelay, Is.EqualTo(TimeSpan.FromSeconds(8)));
        Assert.That(retry.MaxRetryAfter, Is.EqualTo(TimeSpan.FromSeconds(30)));
        Assert.That(retry.AttemptTimeout, Is.EqualTo(TimeSpan.FromSeconds(10)));
    }
}
