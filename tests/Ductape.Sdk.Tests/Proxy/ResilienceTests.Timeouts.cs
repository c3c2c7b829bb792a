using System.Net;
using System.Net.Http.Headers;

namespace Ductape.Sdk.Tests.Proxy;

// Timeouts and cancellation: per attempt, overall, per call, and the caller's token.
public partial class ResilienceTests
{
    [Test]
    public async Task A_slow_attempt_times_out_and_the_retry_succeeds()
    {
        Mock.ThenHang().ThenData(SeedWire);
        using var client = Client();
        var start = Mock.Time.GetUtcNow();

        await Mock.Drive(client.Products.Sessions.FetchAsync("session_name"));

        Assert.That(Mock.Requests, Has.Count.EqualTo(2));
        Assert.That(Mock.Requests[1].At, Is.GreaterThanOrEqualTo(start + TimeSpan.FromSeconds(10) + ChosenDelays().Single()));
        Assert.That(_logs.Entries.Single().Message, Does.Contain("(TimeoutRejectedException)"));
    }

    [Test]
    public void The_overall_timeout_names_itself_and_the_attempts()
    {
        Mock.ThenHang();
        using var client = Client(o => o.Timeout = TimeSpan.FromSeconds(15));

        var call = client.Products.Sessions.FetchAsync("session_name");
        var ex = Assert.ThrowsAsync<DuctapeTimeoutException>(() => Mock.Drive(call));

        Assert.That(ex!.Limit, Is.EqualTo(DuctapeTimeoutLimit.Overall));
        Assert.That(ex.Timeout, Is.EqualTo(TimeSpan.FromSeconds(15)));
        Assert.That(ex.Attempts, Is.EqualTo(2));
        Assert.That(ex.Message, Does.Contain("overall timeout of 15 s (2 attempt(s))"));
        // When the last attempt was cancelled (exact: recorded inside the cancellation), not when the test saw the failure.
        Assert.That(Mock.AttemptsCancelledAt.Last() - Mock.Requests[0].At, Is.LessThanOrEqualTo(TimeSpan.FromSeconds(15)));
    }

    [Test]
    public void A_per_call_timeout_replaces_the_client_one()
    {
        Mock.ThenHang();
        using var client = Client();

        var call = client.Products.Sessions.FetchAsync("session_name", new DuctapeRequestOptions { Timeout = TimeSpan.FromSeconds(3) });
        var ex = Assert.ThrowsAsync<DuctapeTimeoutException>(() => Mock.Drive(call));

        Assert.That(ex!.Limit, Is.EqualTo(DuctapeTimeoutLimit.Overall));
        Assert.That(ex.Timeout, Is.EqualTo(TimeSpan.FromSeconds(3)));
        Assert.That(ex.Attempts, Is.EqualTo(1));
    }

    [Test]
    public void When_every_attempt_times_out_the_attempt_limit_is_named()
    {
        Mock.ThenHang();
        using var client = Client(o =>
        {
            o.Timeout = Timeout.InfiniteTimeSpan;
            o.Retry.MaxRetries = 1;
            o.Retry.AttemptTimeout = TimeSpan.FromSeconds(2);
        });

        var ex = Assert.ThrowsAsync<DuctapeTimeoutException>(() => Mock.Drive(client.Products.Sessions.FetchAsync("s")));

        Assert.That(ex!.Limit, Is.EqualTo(DuctapeTimeoutLimit.Attempt));
        Assert.That(ex.Timeout, Is.EqualTo(TimeSpan.FromSeconds(2)));
        Assert.That(ex.Attempts, Is.EqualTo(2));
        Assert.That(Mock.Requests, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Cancelling_during_a_backoff_stops_at_once_with_the_callers_token()
    {
        Mock.Then(_ =>
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

        Mock.Time.Advance(TimeSpan.FromSeconds(1)); // well inside the 20 s back-off
        await cts.CancelAsync();

        // No more fake time passes: the call must end on the cancellation alone (the real-time guard only catches a hang).
        var ex = Assert.ThrowsAsync<TaskCanceledException>(() => call.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.That(ex!.CancellationToken, Is.EqualTo(cts.Token));
        Assert.That(Mock.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public void A_call_cancelled_before_it_starts_sends_nothing()
    {
        Mock.ThenData(SeedWire);
        using var client = Client();
        var ex = Assert.CatchAsync<OperationCanceledException>(
            () => client.Products.Sessions.FetchAsync("session_name", cancellationToken: new CancellationToken(true)));
        Assert.That(ex!.CancellationToken.IsCancellationRequested, Is.True);
        Assert.That(Mock.Requests, Is.Empty);
    }

    [Test]
    public void MaxRetries_zero_makes_one_attempt()
    {
        Mock.Then(_ => Status(HttpStatusCode.ServiceUnavailable));
        using var client = Client(o => o.Retry.MaxRetries = 0);
        var ex = Assert.ThrowsAsync<DuctapeApiException>(() => client.Products.Sessions.FetchAsync("s"));
        Assert.That(ex!.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(Mock.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_per_call_retry_limit_replaces_the_clients_both_ways()
    {
        Mock.Then(_ => Status(HttpStatusCode.ServiceUnavailable));
        using var client = Client(o => o.Retry.MaxRetries = 1);

        Assert.ThrowsAsync<DuctapeApiException>(() =>
            Mock.Drive(client.Products.Sessions.FetchAsync("s", new DuctapeRequestOptions { MaxRetries = 0 })));
        Assert.That(Mock.Requests, Has.Count.EqualTo(1), "0: one attempt");

        Assert.ThrowsAsync<DuctapeApiException>(() =>
            Mock.Drive(client.Products.Sessions.FetchAsync("s", new DuctapeRequestOptions { MaxRetries = 3 })));
        Assert.That(Mock.Requests, Has.Count.EqualTo(1 + 4), "3: four attempts, more than the client's own 1");
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
        Assert.That(Mock.Requests, Is.Empty);
    }

    [Test]
    public void After_the_last_retry_the_last_answer_is_reported()
    {
        Mock.Then(_ => Status(HttpStatusCode.BadGateway));
        using var client = Client(o => o.Retry.MaxRetries = 2);
        var ex = Assert.ThrowsAsync<DuctapeApiException>(() => Mock.Drive(client.Products.Sessions.FetchAsync("s")));
        Assert.That(ex!.StatusCode, Is.EqualTo(HttpStatusCode.BadGateway));
        Assert.That(Mock.Requests, Has.Count.EqualTo(3));
    }

    [Test]
    public async Task Backoff_is_capped_by_MaxDelay()
    {
        Mock.Then(_ => Status(HttpStatusCode.ServiceUnavailable));
        using var client = Client(o =>
        {
            o.Retry.MaxRetries = 5;
            o.Retry.BaseDelay = TimeSpan.FromSeconds(1);
            o.Retry.MaxDelay = TimeSpan.FromSeconds(2);
            o.Timeout = Timeout.InfiniteTimeSpan;
        });

        Assert.ThrowsAsync<DuctapeApiException>(() => Mock.Drive(client.Products.Sessions.FetchAsync("s")));

        var delays = ChosenDelays();
        Assert.That(delays, Has.Length.EqualTo(5));
        Assert.That(delays, Has.All.LessThanOrEqualTo(TimeSpan.FromSeconds(2)));
        Assert.That(delays.Skip(1), Has.All.GreaterThanOrEqualTo(TimeSpan.FromSeconds(1)), "capped at 2 s, half of it fixed");
        await Task.CompletedTask;
    }

    [Test]
    public void Invalid_retry_options_are_rejected_with_a_clear_message()
    {
        var options = Mock.Options(o =>
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
        var options = Mock.Options(o =>
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
