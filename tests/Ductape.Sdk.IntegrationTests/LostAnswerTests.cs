using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Ductape.Sdk.Products;
using Ductape.Sdk.Sessions;
using Ductape.Sdk.Testing;
using Ductape.Sdk.Tokens;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Ductape.Sdk.IntegrationTests;

/// <summary>
/// A lost answer (the server acted, the connection died before the answer arrived) must not kill a session, and nothing that
/// happens under failure may leak a secret into logs, spans, metrics, exceptions or ToString().
/// </summary>
public class LostAnswerTests
{
    private const string SeedData = """{"userId":"191010192-19198829819","details":{"username":"ductape-user"}}""";

    private DuctapeLocalServer _server = null!;

    [SetUp]
    public async Task SetUp()
    {
        _server = await DuctapeLocalServer.StartAsync();
        using var client = _server.CreateClient();
        await client.Products.Sessions.CreateAsync(new ProductSession
        {
            Name = "Session Name", Tag = "session_name", Description = "d", Schema = SessionJson.Parse(SeedData),
            Selector = "$Session{userId}", Expiry = 7, Period = TokenPeriod.Hours,
        });
    }

    [TearDown]
    public async Task TearDown() => await _server.DisposeAsync();

    [Test]
    public async Task A_refresh_whose_answer_is_lost_is_replayed_and_the_session_survives()
    {
        using var client = _server.CreateClient(configure: o => o.Retry.BaseDelay = TimeSpan.FromMilliseconds(1));
        var tokens = await client.Sessions.StartAsync("session_name", SessionJson.Parse(SeedData));

        _server.AbortNextAfterProcessing(1);
        var refreshed = await client.Sessions.RefreshAsync("session_name", tokens.RefreshToken);

        // The server rotated once; the retry with the same key got that rotation's answer, so the new refresh token works.
        var again = await client.Sessions.RefreshAsync("session_name", refreshed.RefreshToken);
        Assert.That(again.SessionId, Is.EqualTo(tokens.SessionId));
        Assert.That((await client.Sessions.VerifyAsync("session_name", again.Token)).IsValid, Is.True);
    }

    [Test]
    public async Task The_auto_refresher_survives_a_lost_answer_by_repeating_with_the_same_key()
    {
        using var client = _server.CreateClient(configure: o => o.Retry.MaxRetries = 0);
        var tokens = await client.Sessions.StartAsync("session_name", SessionJson.Parse(SeedData));
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var failures = new ConcurrentQueue<Exception>();
        var failed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var refreshed = new TaskCompletionSource<SessionTokens>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var refresher = new SessionAutoRefresher(client.Sessions, "session_name",
            tokens with { ExpiresAt = time.GetUtcNow() + TimeSpan.FromMinutes(1) },
            new SessionAutoRefresherOptions { TimeProvider = time, RetryDelay = TimeSpan.FromSeconds(30) });
        refresher.RefreshFailed += (_, ex) =>
        {
            failures.Enqueue(ex);
            failed.TrySetResult();
        };
        refresher.Refreshed += (_, fresh) => refreshed.TrySetResult(fresh);

        _server.AbortNextAfterProcessing(1);
        refresher.Start();
        time.Advance(TimeSpan.Zero);
        await failed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(failures.Single(), Is.TypeOf<DuctapeConnectionException>());
        Assert.That(refresher.IsStopped, Is.False, "a lost answer is not final");

        time.Advance(TimeSpan.FromSeconds(30));
        var fresh = await refreshed.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(failures, Has.Count.EqualTo(1));
        Assert.That((await client.Sessions.VerifyAsync("session_name", fresh.Token)).IsValid, Is.True);
        var next = await client.Sessions.RefreshAsync("session_name", fresh.RefreshToken);
        Assert.That(next.SessionId, Is.EqualTo(tokens.SessionId), "the session lives on");
    }

    [Test]
    public async Task Under_failures_no_secret_reaches_logs_spans_metrics_exceptions_or_ToString()
    {
        var logs = new ConcurrentQueue<string>();
        using var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new QueueLoggerProvider(logs)));
        var spans = new ConcurrentQueue<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Ductape.Sdk",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => spans.Enqueue(activity.DisplayName + " " + string.Join(";", activity.TagObjects.Select(t => $"{t.Key}={t.Value}")) + " " + activity.StatusDescription),
        };
        ActivitySource.AddActivityListener(listener);
        var measurements = new ConcurrentQueue<string>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "Ductape.Sdk")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<double>((i, v, tags, _) => measurements.Enqueue(i.Name + string.Join(";", tags.ToArray().Select(t => $"{t.Key}={t.Value}"))));
        meters.SetMeasurementEventCallback<long>((i, v, tags, _) => measurements.Enqueue(i.Name + string.Join(";", tags.ToArray().Select(t => $"{t.Key}={t.Value}"))));
        meters.Start();

        using var client = _server.CreateClient(configure: o =>
        {
            o.LoggerFactory = loggerFactory;
            o.Retry.BaseDelay = TimeSpan.FromMilliseconds(1);
            o.Retry.MaxRetries = 1;
        });
        var texts = new List<string>();
        var tokens = await client.Sessions.StartAsync("session_name", SessionJson.Parse(SeedData));
        texts.Add(tokens.ToString());
        texts.Add((await client.Sessions.VerifyAsync("session_name", tokens.Token)).ToString());
        var offline = new SessionTokenValidator(new SessionTokenValidationOptions { Keys = _server.SessionKeys, Product = "local:demo", Env = "dev" }).Validate(tokens.Token);
        texts.Add(offline.ToString());
        texts.Add(offline.Session!.ToString());
        texts.Add(_server.SessionKeys.ToString()!);

        async Task Fails(Func<Task> call)
        {
            try
            {
                await call();
                Assert.Fail("expected a failure");
            }
            catch (DuctapeException ex)
            {
                texts.Add(ex.ToString());
                texts.Add((ex as DuctapeApiException)?.ResponseBody ?? "");
            }
        }

        _server.FailNext(2, System.Net.HttpStatusCode.ServiceUnavailable);
        await Fails(() => client.Sessions.RefreshAsync("session_name", tokens.RefreshToken));
        var refreshed = await client.Sessions.RefreshAsync("session_name", tokens.RefreshToken);
        await Fails(() => client.Sessions.RefreshAsync("session_name", tokens.RefreshToken)); // used: 401
        _server.AbortNextAfterProcessing(2); // a read is not replayed: both attempts lose their answer
        await Fails(() => client.Sessions.VerifyAsync("session_name", refreshed.Token));
        _server.FailNext(2, System.Net.HttpStatusCode.InternalServerError);
        await Fails(() => client.Sessions.StartAsync("session_name", SessionJson.Parse(SeedData)));
        await Fails(() => client.Sessions.StartAsync("unknown_type", SessionJson.Parse(SeedData)));

        var secrets = new[]
        {
            _server.AccessKey, tokens.Token, tokens.Token[(tokens.Token.IndexOf(':') + 1)..][..20], tokens.RefreshToken,
            refreshed.Token, refreshed.RefreshToken, "191010192-19198829819", "ductape-user",
        };
        var everything = texts.Concat(logs).Concat(spans).Concat(measurements).ToList();
        Assert.That(logs, Is.Not.Empty, "retries were logged");
        Assert.That(spans, Is.Not.Empty);
        foreach (var secret in secrets)
        {
            foreach (var text in everything)
            {
                Assert.That(text, Does.Not.Contain(secret));
            }
        }
    }

    private sealed class QueueLoggerProvider(ConcurrentQueue<string> sink) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new QueueLogger(sink);

        public void Dispose()
        {
        }

        private sealed class QueueLogger(ConcurrentQueue<string> sink) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
                Func<TState, Exception?, string> formatter) =>
                sink.Enqueue(formatter(state, exception) + " " + state + " " + exception);
        }
    }
}
