using System.Net;
using Ductape.Sdk.Sessions;

namespace Ductape.Sdk.Tests.Sessions;

/// <summary>The auto-refresher on fake time: when it refreshes, what it raises, how it fails, and that it stops.</summary>
public class SessionAutoRefresherTests : ProxyMockTest
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(10); // real time, only to catch a hang

    private DuctapeClient _client = null!;

    [SetUp]
    public void SetUp()
    {
        _client = Mock.Client(o => o.Retry.MaxRetries = 0);
    }

    [TearDown]
    public void TearDown()
    {
        _client.Dispose();
    }

    private SessionTokens Tokens(string refresh, TimeSpan expiresIn) => new()
    {
        Token = "t-" + refresh,
        RefreshToken = refresh,
        SessionId = "ses_1",
        ExpiresAt = Mock.Time.GetUtcNow() + expiresIn,
    };

    private static string Wire(string refresh, DateTimeOffset expiresAt) =>
        $$"""{"token":"t-{{refresh}}","refreshToken":"{{refresh}}","sessionId":"ses_1","expiresAt":"{{expiresAt:O}}"}""";

    [Test]
    public async Task Refreshes_lead_time_before_expiry_raises_the_new_tokens_and_schedules_the_next()
    {
        var start = Mock.Time.GetUtcNow();
        Mock.Then(_ => ProxyMock.Success(Wire("rt_2", start + TimeSpan.FromMinutes(40))))
            .Then(_ => ProxyMock.Success(Wire("rt_3", start + TimeSpan.FromHours(10))));
        var refreshed = new TaskCompletionSource<SessionTokens>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var refresher = new SessionAutoRefresher(_client.Sessions, "session_name", Tokens("rt_1", TimeSpan.FromMinutes(10)),
            new SessionAutoRefresherOptions { TimeProvider = Mock.Time });
        refresher.Refreshed += (_, tokens) => refreshed.TrySetResult(tokens);
        refresher.Start();

        Mock.Time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        Assert.That(Mock.Requests, Is.Empty, "not before expiry minus the lead time");

        Mock.Time.Advance(TimeSpan.FromSeconds(1));
        var fresh = await refreshed.Task.WaitAsync(Guard);

        Assert.That(fresh.RefreshToken, Is.EqualTo("rt_2"));
        Assert.That(refresher.Current, Is.SameAs(fresh));
        Json.AssertEquivalent(Mock.Requests.Single().Params,
            """[{"product":"acme:shop","env":"prd","tag":"session_name","refreshToken":"rt_1"}]""");

        // The next refresh is due 5 minutes before the new expiry (40 min after start), i.e. 30 minutes from now.
        Mock.Time.Advance(TimeSpan.FromMinutes(30) - TimeSpan.FromSeconds(1));
        Assert.That(Mock.Requests, Has.Count.EqualTo(1));
        Mock.Time.Advance(TimeSpan.FromSeconds(1));
        await WaitFor(() => Mock.Requests.Count == 2);
        Assert.That(Mock.Requests[1].Params[0].GetProperty("refreshToken").GetString(), Is.EqualTo("rt_2"));
    }

    [Test]
    public async Task A_failed_refresh_is_reported_and_retried_with_the_same_idempotency_key_without_crashing()
    {
        var start = Mock.Time.GetUtcNow();
        Mock.ThenStatus(HttpStatusCode.ServiceUnavailable, ProxyMock.Failure("UNAVAILABLE", "down for a moment"))
            .Then(_ => ProxyMock.Success(Wire("rt_2", start + TimeSpan.FromHours(1))));
        var failed = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        var refreshed = new TaskCompletionSource<SessionTokens>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var refresher = new SessionAutoRefresher(_client.Sessions, "session_name", Tokens("rt_1", TimeSpan.FromMinutes(1)),
            new SessionAutoRefresherOptions { TimeProvider = Mock.Time, RetryDelay = TimeSpan.FromSeconds(30) });
        refresher.RefreshFailed += (_, ex) => failed.TrySetResult(ex);
        refresher.Refreshed += (_, _) => throw new InvalidOperationException("a subscriber's bug must not stop the refresher");
        refresher.Refreshed += (_, tokens) => refreshed.TrySetResult(tokens);
        refresher.Start();

        Mock.Time.Advance(TimeSpan.Zero); // expiry is within the lead time: due at once
        var error = await failed.Task.WaitAsync(Guard);
        Assert.That(error, Is.TypeOf<DuctapeApiException>());
        Assert.That(((DuctapeApiException)error).Code, Is.EqualTo("UNAVAILABLE"));
        Assert.That(refresher.Current.RefreshToken, Is.EqualTo("rt_1"));
        Assert.That(refresher.IsStopped, Is.False);

        Mock.Time.Advance(TimeSpan.FromSeconds(29));
        Assert.That(Mock.Requests, Has.Count.EqualTo(1));
        Mock.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.That((await refreshed.Task.WaitAsync(Guard)).RefreshToken, Is.EqualTo("rt_2"));
        Assert.That(refresher.Current.RefreshToken, Is.EqualTo("rt_2"));

        // The repeat of one refresh token's exchange carries the same key, so Ductape can replay an answer that was lost.
        var keys = Mock.Requests.Select(r => r.Header("Idempotency-Key")).ToList();
        Assert.That(keys[0], Is.Not.Null.And.Not.Empty);
        Assert.That(keys[1], Is.EqualTo(keys[0]));
    }

    [Test]
    public async Task Each_refresh_token_gets_its_own_idempotency_key()
    {
        var start = Mock.Time.GetUtcNow();
        Mock.Then(_ => ProxyMock.Success(Wire("rt_2", start + TimeSpan.FromMinutes(7))))
            .Then(_ => ProxyMock.Success(Wire("rt_3", start + TimeSpan.FromHours(10))));
        var refreshes = 0;
        using var refresher = new SessionAutoRefresher(_client.Sessions, "session_name", Tokens("rt_1", TimeSpan.FromMinutes(1)),
            new SessionAutoRefresherOptions { TimeProvider = Mock.Time, RetryDelay = TimeSpan.FromSeconds(30) });
        refresher.Refreshed += (_, _) => Interlocked.Increment(ref refreshes);
        refresher.Start();

        Mock.Time.Advance(TimeSpan.Zero);
        await WaitFor(() => Volatile.Read(ref refreshes) == 1);
        Mock.Time.Advance(TimeSpan.FromMinutes(2));
        await WaitFor(() => Volatile.Read(ref refreshes) == 2);

        var keys = Mock.Requests.Select(r => r.Header("Idempotency-Key")).ToList();
        Assert.That(keys, Has.Count.EqualTo(2));
        Assert.That(keys[1], Is.Not.EqualTo(keys[0]));
    }

    [TestCase(HttpStatusCode.Unauthorized, "UNAUTHORIZED")]
    [TestCase(HttpStatusCode.NotFound, "SESSION_NOT_FOUND")]
    public async Task A_refused_refresh_token_is_final_reported_once_and_stops_the_refresher(HttpStatusCode status, string code)
    {
        Mock.ThenStatus(status, ProxyMock.Failure(code, "refresh token reused"));
        var failures = new List<Exception>();
        var failed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var refresher = new SessionAutoRefresher(_client.Sessions, "session_name", Tokens("rt_1", TimeSpan.FromMinutes(1)),
            new SessionAutoRefresherOptions { TimeProvider = Mock.Time, RetryDelay = TimeSpan.FromSeconds(30) });
        refresher.RefreshFailed += (_, ex) =>
        {
            lock (failures)
            {
                failures.Add(ex);
            }

            failed.TrySetResult();
        };
        refresher.Start();

        Mock.Time.Advance(TimeSpan.Zero);
        await failed.Task.WaitAsync(Guard);
        Assert.That(refresher.IsStopped, Is.True);

        // A minute of fake time later: no second attempt, no second event.
        for (var i = 0; i < 6; i++)
        {
            Mock.Time.Advance(TimeSpan.FromSeconds(10));
        }

        Assert.That(Mock.Requests, Has.Count.EqualTo(1));
        Assert.That(failures, Has.Count.EqualTo(1));
        Assert.That(((DuctapeApiException)failures[0]).Code, Is.EqualTo(code));
    }

    [Test]
    public async Task Tokens_that_expire_within_the_lead_time_are_not_refreshed_in_a_loop()
    {
        Mock.Then(_ => ProxyMock.Success(Wire("rt_n", Mock.Time.GetUtcNow() + TimeSpan.FromMinutes(2))));
        var refreshes = 0;
        using var refresher = new SessionAutoRefresher(_client.Sessions, "session_name", Tokens("rt_1", TimeSpan.FromMinutes(2)),
            new SessionAutoRefresherOptions { TimeProvider = Mock.Time, RetryDelay = TimeSpan.FromSeconds(30) });
        refresher.Refreshed += (_, _) => Interlocked.Increment(ref refreshes);
        refresher.Start();

        Mock.Time.Advance(TimeSpan.Zero);
        await WaitFor(() => Volatile.Read(ref refreshes) == 1);
        Mock.Time.Advance(TimeSpan.FromSeconds(29));
        Assert.That(Mock.Requests, Has.Count.EqualTo(1), "the next refresh waits the retry delay");
        Mock.Time.Advance(TimeSpan.FromSeconds(1));
        await WaitFor(() => Volatile.Read(ref refreshes) == 2);
    }

    [Test]
    public void Dispose_stops_it()
    {
        Mock.Then(_ => ProxyMock.Success(Wire("rt_2", Mock.Time.GetUtcNow() + TimeSpan.FromHours(1))));
        var refresher = new SessionAutoRefresher(_client.Sessions, "session_name", Tokens("rt_1", TimeSpan.FromMinutes(10)),
            new SessionAutoRefresherOptions { TimeProvider = Mock.Time });
        refresher.Start();

        refresher.Dispose();
        refresher.Dispose();
        Mock.Time.Advance(TimeSpan.FromHours(2));

        Assert.That(Mock.Requests, Is.Empty);
    }

    [Test]
    public void Nothing_happens_before_Start_and_Start_after_Dispose_throws()
    {
        Mock.Then(_ => ProxyMock.Success(Wire("rt_2", Mock.Time.GetUtcNow() + TimeSpan.FromHours(1))));
        var refresher = new SessionAutoRefresher(_client.Sessions, "session_name", Tokens("rt_1", TimeSpan.FromMinutes(1)),
            new SessionAutoRefresherOptions { TimeProvider = Mock.Time });
        Mock.Time.Advance(TimeSpan.FromHours(1));
        Assert.That(Mock.Requests, Is.Empty);
        refresher.Dispose();
        Assert.Throws<ObjectDisposedException>(refresher.Start);
    }

    [Test]
    public void Bad_settings_are_rejected() =>
        Assert.Throws<ArgumentException>(() => _ = new SessionAutoRefresher(_client.Sessions, "s", Tokens("r", TimeSpan.FromHours(1)),
            new SessionAutoRefresherOptions { LeadTime = TimeSpan.FromSeconds(-1) }));

    private static async Task WaitFor(Func<bool> condition)
    {
        var until = DateTime.UtcNow + Guard;
        while (!condition() && DateTime.UtcNow < until)
        {
            await Task.Yield();
        }

        Assert.That(condition(), Is.True);
    }
}
