using System.Net;
using System.Text;
using Ductape.Sdk.Products;
using Ductape.Sdk.Testing;
using Ductape.Sdk.Tokens;

namespace Ductape.Sdk.IntegrationTests;

/// <summary>The real client against the real local server, over loopback sockets.</summary>
public class LocalServerTests
{
    private const string SeedData = """{"userId":"191010192-19198829819","details":{"username":"ductape-user"}}""";

    private DuctapeLocalServer _server = null!;

    [SetUp]
    public async Task SetUp() => _server = await DuctapeLocalServer.StartAsync();

    [TearDown]
    public async Task TearDown() => await _server.DisposeAsync();

    private static ProductSession Seed(string tag = "session_name") => new()
    {
        Name = "Session Name",
        Tag = tag,
        Description = "Session Description Here",
        Schema = SessionJson.Parse(SeedData),
        Selector = "$Session{userId}",
        Expiry = 7,
        Period = TokenPeriod.Hours,
    };

    [Test]
    public async Task Every_method_works_end_to_end()
    {
        using var client = _server.CreateClient();
        var types = client.Products.Sessions;

        await types.CreateAsync(Seed());
        await types.CreateAsync(Seed("admin"));
        var updated = await types.UpdateAsync(new ProductSessionUpdate("session_name") { Expiry = 14, Period = TokenPeriod.Days });
        Assert.That((updated.Expiry, updated.Period), Is.EqualTo((14, TokenPeriod.Days)));
        Assert.That((await types.FetchAllAsync()).Select(t => t.Tag), Is.EqualTo(new[] { "admin", "session_name" }));
        Assert.That((await types.FetchAsync("session_name")).Expiry, Is.EqualTo(14));
        await types.DeleteAsync("admin");
        Assert.That(Assert.ThrowsAsync<DuctapeApiException>(() => types.FetchAsync("admin"))!.Code, Is.EqualTo("SESSION_NOT_FOUND"));
        Assert.That(Assert.ThrowsAsync<DuctapeApiException>(() => types.CreateAsync(Seed()))!.Code, Is.EqualTo("SESSION_EXISTS"));

        var tokens = await client.Sessions.StartAsync("session_name", SessionJson.Parse(SeedData));
        var offline = new SessionTokenValidator(new SessionTokenValidationOptions { Keys = _server.SessionKeys, Product = "local:demo", Env = "dev" }).Validate(tokens.Token, "session_name");
        Assert.That(offline.IsValid, Is.True);
        Assert.That(offline.Session!.Identifier, Is.EqualTo("191010192-19198829819"));
        Assert.That(offline.Session.ExpiresAt, Is.EqualTo(tokens.ExpiresAt));
        Assert.That((await client.Sessions.VerifyAsync("session_name", tokens.Token)).IsValid, Is.True);

        var refreshed = await client.Sessions.RefreshAsync("session_name", tokens.RefreshToken);
        Assert.That(refreshed.SessionId, Is.EqualTo(tokens.SessionId));
        var reuse = Assert.ThrowsAsync<DuctapeApiException>(() => client.Sessions.RefreshAsync("session_name", tokens.RefreshToken));
        Assert.That(reuse!.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "a used refresh token fails");

        var second = await client.Sessions.StartAsync("session_name", SessionJson.Parse(SeedData));
        Assert.That((await client.Sessions.ListActiveAsync("session_name")).Total, Is.EqualTo(2));
        Assert.That(await client.Sessions.RevokeAllAsync("session_name", "191010192-19198829819", excludeSessionId: second.SessionId), Is.EqualTo(1));
        Assert.That((await client.Sessions.VerifyAsync("session_name", refreshed.Token)).IsValid, Is.False, "a revoked session fails server verify");
        Assert.That(await client.Sessions.RevokeAsync("session_name", sessionId: second.SessionId), Is.EqualTo(1));

        var users = await client.Sessions.FetchUsersAsync("session_name");
        Assert.That(users.Items.Single().Identifier, Is.EqualTo("191010192-19198829819"));
        var details = await client.Sessions.FetchUserDetailsAsync("session_name", "191010192-19198829819");
        Assert.That((details.TotalSessions, details.ActiveSessionsCount), Is.EqualTo((2, 0)));
        var dashboard = await client.Sessions.FetchDashboardAsync("session_name");
        Assert.That((dashboard.TotalUsers, dashboard.TotalSessions, dashboard.ActiveSessions), Is.EqualTo((1, 2, 0)));
    }

    [Test]
    public async Task Two_503s_then_success_is_retried_over_real_sockets()
    {
        using var client = _server.CreateClient(configure: o => o.Retry.BaseDelay = TimeSpan.FromMilliseconds(10));
        _server.FailNext(2, HttpStatusCode.ServiceUnavailable);
        Assert.That(await client.Products.Sessions.FetchAllAsync(), Is.Empty);
        Assert.That(_server.RequestCount, Is.EqualTo(3));
    }

    [Test]
    public async Task A_429_with_retry_after_zero_is_retried()
    {
        using var client = _server.CreateClient();
        _server.FailNext(1, HttpStatusCode.TooManyRequests, TimeSpan.Zero);
        await client.Products.Sessions.FetchAllAsync();
        Assert.That(_server.RequestCount, Is.EqualTo(2));
    }

    [Test]
    public async Task A_connection_aborted_after_a_create_is_retried_and_the_type_exists_once()
    {
        using var client = _server.CreateClient(configure: o => o.Retry.BaseDelay = TimeSpan.FromMilliseconds(10));
        _server.AbortNextAfterProcessing(1);

        var created = await client.Products.Sessions.CreateAsync(Seed());

        Assert.That(created.Tag, Is.EqualTo("session_name"));
        Assert.That(_server.RequestCount, Is.EqualTo(2), "the aborted attempt and its retry");
        Assert.That(await client.Products.Sessions.FetchAllAsync(), Has.Count.EqualTo(1), "the retry was replayed, not applied twice");
    }

    [Test]
    public void A_slow_server_hits_the_overall_timeout()
    {
        _server.SetLatency(TimeSpan.FromSeconds(5));
        using var client = _server.CreateClient(configure: o =>
        {
            o.Timeout = TimeSpan.FromMilliseconds(300);
            o.Retry.MaxRetries = 0;
        });
        var ex = Assert.ThrowsAsync<DuctapeTimeoutException>(() => client.Products.Sessions.FetchAllAsync());
        Assert.That(ex!.Limit, Is.EqualTo(DuctapeTimeoutLimit.Overall));
    }

    [Test]
    public async Task The_quick_start_runs_and_exits_0()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Ductape.Sdk.Samples.QuickStart.dll");
        var start = new System.Diagnostics.ProcessStartInfo("dotnet", ["exec", dll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment.Remove("DUCTAPE_ACCESS_KEY");
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.That(process.ExitCode, Is.EqualTo(0), await errors);
        var text = await output;
        Assert.That(text, Does.StartWith("Ductape quick start: no DUCTAPE_ACCESS_KEY set, so this run uses the embedded local server"));
        Assert.That(text, Does.Contain("5. Offline validation: valid; identifier 191010192-19198829819"));
        Assert.That(text, Does.Contain("the token now verifies as valid=False"));
        Assert.That(text.TrimEnd(), Does.EndWith("Done."));
    }

    [Test]
    public async Task A_wrong_access_key_is_401_and_never_retried()
    {
        using var client = _server.CreateClient(configure: o => o.AccessKey = "wrong");
        var ex = Assert.ThrowsAsync<DuctapeApiException>(() => client.Products.Sessions.FetchAllAsync());
        Assert.That((ex!.StatusCode, ex.Code), Is.EqualTo((HttpStatusCode.Unauthorized, "UNAUTHORIZED")));
        Assert.That(ex.RequestId, Does.StartWith("req_"));
        Assert.That(_server.RequestCount, Is.EqualTo(1));
        await Task.CompletedTask;
    }

    [Test]
    public async Task The_same_idempotency_key_replays_and_a_different_body_conflicts()
    {
        using var client = _server.CreateClient();
        var key = new DuctapeRequestOptions { IdempotencyKey = "create-once" };
        var first = await client.Products.Sessions.CreateAsync(Seed(), key);
        var replay = await client.Products.Sessions.CreateAsync(Seed(), key);
        Assert.That(replay.Tag, Is.EqualTo(first.Tag), "replayed, not SESSION_EXISTS");
        Assert.That(await client.Products.Sessions.FetchAllAsync(), Has.Count.EqualTo(1));
        var conflict = Assert.ThrowsAsync<DuctapeApiException>(() => client.Products.Sessions.CreateAsync(Seed("other"), key));
        Assert.That(conflict!.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
    }

    [Test]
    public async Task Bad_requests_get_a_clear_error_envelope_never_a_500()
    {
        using var http = new HttpClient();
        foreach (var body in new[] { "not json", """{"module":"nope","method":"list","params":["p"]}""",
                     """{"module":"sessions","method":"nope","params":[]}""", """{"module":"sessions","method":"fetch","params":["p"]}""",
                     """{"module":"sessions","method":"fetch","params":[1,2]}""" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_server.BaseUrl, "proxy/v1/sdk-proxy/execute"))
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("x-access-key", _server.AccessKey);
            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), body);
            Assert.That(text, Does.Contain("\"status\":false").And.Contain("\"code\":\"VALIDATION_FAILED\"").And.Contain("request_id"));
        }
    }

    [Test]
    public async Task A_body_over_one_mebibyte_is_refused_with_an_envelope()
    {
        using var http = new HttpClient();
        var huge = "{\"module\":\"sessions\",\"method\":\"list\",\"params\":[\"p\"],\"pad\":\"" + new string('x', 1024 * 1024) + "\"}";
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_server.BaseUrl, "proxy/v1/sdk-proxy/execute"))
        {
            Content = new StringContent(huge, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-access-key", _server.AccessKey);
        using var response = await http.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("larger than 1 MiB"));
    }

    [Test]
    public async Task Two_hundred_concurrent_starts_make_two_hundred_valid_sessions()
    {
        using var client = _server.CreateClient();
        await client.Products.Sessions.CreateAsync(Seed());
        var validator = new SessionTokenValidator(new SessionTokenValidationOptions { Keys = _server.SessionKeys, Product = "local:demo", Env = "dev" });

        var started = await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            client.Sessions.StartAsync("session_name", SessionJson.Parse($$"""{"userId":"user-{{i}}"}"""))));

        Assert.That(started.Select(t => t.SessionId).Distinct().Count(), Is.EqualTo(200));
        Assert.That(started.All(t => validator.Validate(t.Token, "session_name").IsValid), Is.True);
        Assert.That((await client.Sessions.ListActiveAsync("session_name", limit: 100)).Total, Is.EqualTo(200));
    }
}
