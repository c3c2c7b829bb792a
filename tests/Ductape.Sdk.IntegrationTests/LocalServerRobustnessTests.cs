using System.Net;
using System.Text;
using System.Text.Json;
using Ductape.Sdk.Products;
using Ductape.Sdk.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Ductape.Sdk.IntegrationTests;

/// <summary>The local server as users' test suites push it: concurrent duplicates and malformed requests.</summary>
public class LocalServerRobustnessTests
{
    private DuctapeLocalServer _server = null!;
    private HttpClient _http = null!;

    [SetUp]
    public async Task SetUp()
    {
        _server = await DuctapeLocalServer.StartAsync();
        _http = new HttpClient { BaseAddress = _server.BaseUrl };
        using var client = _server.CreateClient();
        await client.Products.Sessions.CreateAsync(new ProductSession
        {
            Name = "n", Tag = "session_name", Description = "d", Schema = SessionJson.Parse("""{"userId":"u"}"""),
            Selector = "$Session{userId}", Expiry = 1, Period = TokenPeriod.Hours,
        });
    }

    [TearDown]
    public async Task TearDown()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    private HttpRequestMessage Call(string body, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "proxy/v1/sdk-proxy/execute")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-access-key", _server.AccessKey);
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return request;
    }

    [Test]
    [Repeat(50)]
    public async Task Eight_identical_concurrent_starts_with_one_key_take_effect_once_and_get_one_answer()
    {
        var identifier = "user-" + Guid.NewGuid().ToString("N");
        var key = Guid.NewGuid().ToString();
        var body = $$$"""{"module":"sessions","method":"start","params":[{"product":"local:demo","env":"dev","tag":"session_name","data":{"userId":"{{{identifier}}}"}}]}""";
        using var gate = new ManualResetEventSlim();

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            gate.Wait();
            using var request = Call(body, key);
            using var response = await _http.SendAsync(request);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        })).Concat([Task.Run(() => { gate.Set(); return (0, ""); })]));

        var real = answers.Where(a => a.Item1 != 0).ToList();
        Assert.That(real.Select(a => a.Item1), Is.All.EqualTo(200));
        Assert.That(real.Select(a => a.Item2).Distinct().Count(), Is.EqualTo(1), "every caller gets the one stored answer");
        using var client = _server.CreateClient();
        var active = await client.Sessions.ListActiveAsync("session_name", identifier);
        Assert.That(active.Total, Is.EqualTo(1), "one effect");
    }

    [Test]
    public async Task The_same_key_with_another_body_is_a_conflict_even_while_the_first_runs()
    {
        var first = """{"module":"sessions","method":"start","params":[{"product":"local:demo","env":"dev","tag":"session_name","data":{"userId":"a"}}]}""";
        var second = first.Replace("\"a\"", "\"b\"", StringComparison.Ordinal);
        using var one = await _http.SendAsync(Call(first, "key-1"));
        using var two = await _http.SendAsync(Call(second, "key-1"));
        Assert.That(one.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(two.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(await two.Content.ReadAsStringAsync(), Does.Contain("IDEMPOTENCY_KEY_REUSED"));
    }

    [Test]
    public async Task Random_malformed_requests_never_get_a_500()
    {
        var random = new Random(20261129);
        string[] methods = ["create", "update", "fetch", "list", "delete", "start", "verify", "refresh", "revoke", "revokeAll",
            "listActive", "fetchUsers", "fetchUserDetails", "fetchDashboard", "nope"];
        string[] values = ["1", "-1", "1.5", "1e400", "true", "null", "\"x\"", "\"\"", "[]", "{}", "[1,2]", "{\"a\":1}",
            "\"session_name\"", "\"local:demo\"", "99999999999999999999"];
        string[] names = ["product", "env", "tag", "token", "refreshToken", "data", "expiresIn", "sessionId", "identifier",
            "excludeSessionId", "page", "limit", "session", "name", "description", "expiry", "period", "selector", "schema"];

        for (var i = 0; i < 400; i++)
        {
            string Value() => random.Next(4) == 0
                ? "{" + string.Join(",", Enumerable.Range(0, random.Next(0, 6))
                    .Select(_ => $"\"{names[random.Next(names.Length)]}\":{values[random.Next(values.Length)]}")
                    .DistinctBy(m => m[..m.IndexOf(':')])) + "}"
                : values[random.Next(values.Length)];
            var parameters = string.Join(",", Enumerable.Range(0, random.Next(0, 4)).Select(_ => Value()));
            var body = $$"""{"module":"sessions","method":"{{methods[random.Next(methods.Length)]}}","params":[{{parameters}}]}""";
            using var response = await _http.SendAsync(Call(body, random.Next(3) == 0 ? Guid.NewGuid().ToString() : null));
            Assert.That((int)response.StatusCode, Is.LessThan(500), body);
            if (!response.IsSuccessStatusCode)
            {
                using var envelope = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                Assert.That(envelope.RootElement.GetProperty("status").GetBoolean(), Is.False, body);
                Assert.That(envelope.RootElement.GetProperty("code").GetString(), Is.Not.Empty, body);
            }
        }
    }

    /// <summary>Valid parameters of each call; every member in turn gets every wrong JSON type.</summary>
    private static readonly (string Method, string Params)[] ValidCalls =
    [
        ("update", """["local:demo","session_name",{"name":"n","description":"d","expiry":2,"period":"days","selector":"$Session{userId}","schema":{"userId":"u"}}]"""),
        ("start", """[{"product":"local:demo","env":"dev","tag":"session_name","data":{"userId":"u"},"expiresIn":60}]"""),
        ("verify", """[{"product":"local:demo","env":"dev","tag":"session_name","token":"session_name:x"}]"""),
        ("refresh", """[{"product":"local:demo","env":"dev","tag":"session_name","refreshToken":"rt_x"}]"""),
        ("revoke", """[{"product":"local:demo","env":"dev","tag":"session_name","sessionId":"ses_x"}]"""),
        ("revokeAll", """[{"product":"local:demo","env":"dev","tag":"session_name","identifier":"u","excludeSessionId":"ses_x"}]"""),
        ("listActive", """[{"product":"local:demo","env":"dev","tag":"session_name","identifier":"u","page":1,"limit":20}]"""),
        ("fetchUsers", """[{"product":"local:demo","session":"session_name","env":"dev","page":1,"limit":20}]"""),
        ("fetchUserDetails", """[{"product":"local:demo","session":"session_name","identifier":"u","env":"dev"}]"""),
        ("fetchDashboard", """[{"product":"local:demo","session":"session_name","env":"dev"}]"""),
    ];

    [Test]
    public async Task Every_member_of_every_call_with_a_wrong_json_type_is_a_4xx_envelope()
    {
        string[] wrong = ["1", "-1", "1.5", "1e400", "99999999999999999999", "true", "\"x\"", "[]", "{}"];
        foreach (var (method, parameters) in ValidCalls)
        {
            var array = System.Text.Json.Nodes.JsonNode.Parse(parameters)!.AsArray();
            var target = array[^1]!.AsObject();
            foreach (var member in target.Select(m => m.Key).ToList())
            {
                foreach (var value in wrong)
                {
                    var original = target[member]!.DeepClone();
                    target[member] = System.Text.Json.Nodes.JsonNode.Parse(value);
                    var body = $$"""{"module":"sessions","method":"{{method}}","params":{{array.ToJsonString()}}}""";
                    target[member] = original;
                    using var response = await _http.SendAsync(Call(body));
                    Assert.That((int)response.StatusCode, Is.LessThan(500), body);
                }
            }
        }
    }

    [Test]
    [NonParallelizable]
    public async Task The_server_ignores_the_hosts_configuration_and_binds_loopback_only()
    {
        var hostile = """{"Kestrel":{"Endpoints":{"Http":{"Url":"http://0.0.0.0:1"}}},"urls":"http://0.0.0.0:1"}""";
        var files = new[] { Path.Combine(AppContext.BaseDirectory, "appsettings.json"), Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json") }
            .Distinct().Where(f => !File.Exists(f)).ToList();
        var variables = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = "http://0.0.0.0:1",
            ["DOTNET_URLS"] = "http://0.0.0.0:1",
            ["ASPNETCORE_Kestrel__Endpoints__Http__Url"] = "http://0.0.0.0:1",
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
        };
        foreach (var file in files)
        {
            File.WriteAllText(file, hostile);
        }

        foreach (var (name, value) in variables)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        try
        {
            await using var first = await DuctapeLocalServer.StartAsync();
            await using var second = await DuctapeLocalServer.StartAsync();

            Assert.That(first.BaseUrl.Host, Is.EqualTo("127.0.0.1"));
            Assert.That(second.BaseUrl.Port, Is.Not.EqualTo(first.BaseUrl.Port), "each on its own free port");
            using var client = first.CreateClient();
            Assert.That(await client.Products.Sessions.FetchAllAsync(), Is.Empty);
        }
        finally
        {
            foreach (var name in variables.Keys)
            {
                Environment.SetEnvironmentVariable(name, null);
            }

            foreach (var file in files)
            {
                File.Delete(file);
            }
        }
    }

    [Test]
    public async Task The_server_answers_under_api_too()
    {
        using var client = _server.CreateClient(configure: o => o.BaseUrl = new Uri(_server.BaseUrl, "api"));
        Assert.That((await client.Products.Sessions.FetchAllAsync()).Select(t => t.Tag), Is.EqualTo(new[] { "session_name" }));
    }

    [Test]
    public async Task Faults_can_be_scoped_to_one_method_and_the_journal_shows_every_call()
    {
        using var client = _server.CreateClient(configure: o => o.Retry.MaxRetries = 0);
        _server.FailNext(1, HttpStatusCode.ServiceUnavailable, method: "refresh");

        var tokens = await client.Sessions.StartAsync("session_name", SessionJson.Parse("""{"userId":"u1"}"""));
        var ex = Assert.ThrowsAsync<DuctapeApiException>(() => client.Sessions.RefreshAsync("session_name", tokens.RefreshToken));
        var refreshed = await client.Sessions.RefreshAsync("session_name", tokens.RefreshToken);

        Assert.That(ex!.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "the start was not the one to fail");
        Assert.That(refreshed.SessionId, Is.EqualTo(tokens.SessionId));
        var calls = _server.Journal.Where(c => c.Method is "start" or "refresh").ToList();
        Assert.That(calls.Select(c => (c.Method, c.StatusCode, c.Code)), Is.EqualTo(new[]
        {
            ("start", 200, (string?)null), ("refresh", 503, "UNAVAILABLE"), ("refresh", 200, null),
        }));
        Assert.That(calls.All(c => c.IdempotencyKey is not null), Is.True);
        Assert.That(calls[0].Params[0].GetProperty("tag").GetString(), Is.EqualTo("session_name"));
        Assert.That(calls[1].ToString(), Is.EqualTo("refresh → 503 UNAVAILABLE"));
        Assert.That(calls[0].ToString(), Does.Not.Contain("u1"), "no session data in ToString()");
    }

    [Test]
    public async Task Reset_forgets_everything_but_the_keys()
    {
        using var client = _server.CreateClient();
        var tokens = await client.Sessions.StartAsync("session_name", SessionJson.Parse("""{"userId":"u1"}"""));
        _server.FailNext(5, HttpStatusCode.ServiceUnavailable, method: "list");

        _server.Reset();

        Assert.That(_server.Journal, Is.Empty);
        Assert.That(await client.Products.Sessions.FetchAllAsync(), Is.Empty, "no session type, and no fault left over");
        Assert.That(Assert.ThrowsAsync<DuctapeApiException>(() => client.Sessions.RefreshAsync("session_name", tokens.RefreshToken))!.StatusCode,
            Is.EqualTo(HttpStatusCode.Unauthorized), "the session is gone");
    }

    [TestCase("\"tag\":\"bad tag\"", "tag must be 1-128 characters")]
    [TestCase("\"tag\":\"trailing\\n\"", "tag must be 1-128 characters")]
    [TestCase("\"period\":\"fortnights\"", "period must be one of")]
    [TestCase("\"expiry\":0", "expiry must be at least 1")]
    [TestCase("\"expiry\":101,\"period\":\"years\"", "expiry x period must be at most 100 years")]
    [TestCase("\"selector\":\"$Session{details}\"", "selector")]
    [TestCase("\"schema\":[1]", "schema must be a JSON object")]
    [TestCase("\"name\":\" \"", "name is required")]
    public async Task The_server_checks_session_types_with_its_own_rules_whatever_a_client_sends(string change, string problem)
    {
        // Raw HTTP: the client's checks are not in the way, so these are the server's rules (written apart from the client's).
        var type = System.Text.Json.Nodes.JsonNode.Parse(
            """{"name":"n","tag":"t1","description":"d","schema":{"userId":"u","details":{"a":"b"}},"selector":"$Session{userId}","expiry":1,"period":"hours"}""")!.AsObject();
        foreach (var (key, value) in System.Text.Json.Nodes.JsonNode.Parse("{" + change + "}")!.AsObject().ToList())
        {
            type[key] = value?.DeepClone();
        }

        using var response = await _http.SendAsync(Call($$"""{"module":"sessions","method":"create","params":["rules:app",{{type.ToJsonString()}}]}"""));
        var body = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), body);
        Assert.That(body, Does.Contain("VALIDATION_FAILED").And.Contain(problem));
    }

    [Test]
    public async Task Seeding_arranges_types_and_sessions_without_requests_and_hosts_are_configured_in_one_call()
    {
        _server.Reset();
        _server.SeedSessionType(new ProductSession
        {
            Name = "Admin", Tag = "admin", Description = "d", Schema = SessionJson.Parse("""{"id":1}"""),
            Selector = "$Session{id}", Expiry = 1, Period = TokenPeriod.Hours,
        }, product: "seed:app");
        var tokens = _server.SeedSession("admin", SessionJson.Parse("""{"id":42}"""), product: "seed:app", env: "stg");
        Assert.That(_server.Journal, Is.Empty, "nothing went over HTTP");
        Assert.Throws<DuctapeValidationException>(() => _server.SeedSessionType(new ProductSession { Tag = "bad tag" }));
        Assert.Throws<InvalidOperationException>(() => _server.SeedSession("missing", SessionJson.Parse("""{"id":1}""")));

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(_server.ToConfiguration(product: "seed:app", env: "stg")).Build();
        var services = new ServiceCollection();
        services.AddDuctape(configuration.GetSection("Ductape"));
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<DuctapeClient>();

        var verification = await client.Sessions.VerifyAsync("admin", tokens.Token);
        Assert.That((verification.IsValid, verification.VerifiedBy), Is.EqualTo((true, Ductape.Sdk.Sessions.SessionVerificationMode.OfflineWithRevocations)));
        Assert.That((await client.Products.Sessions.FetchAsync("admin")).Name, Is.EqualTo("Admin"));

        using var direct = new DuctapeClient(_server.Configure(new DuctapeClientOptions(), "seed:app", "stg"));
        Assert.That((await direct.Sessions.VerifyAsync("admin", tokens.Token, Ductape.Sdk.Sessions.SessionVerificationMode.Server)).IsValid, Is.True);
    }

    [Test]
    public async Task State_is_bounded_expired_sessions_are_evicted_and_the_cap_is_named()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await DuctapeLocalServer.StartAsync(new DuctapeLocalServerOptions
        {
            TimeProvider = time, MaxSessions = 3, ExpiredSessionRetention = TimeSpan.FromHours(1),
        });
        server.SeedSessionType(new ProductSession
        {
            Name = "n", Tag = "session_name", Description = "d", Schema = SessionJson.Parse("""{"userId":"u"}"""),
            Selector = "$Session{userId}", Expiry = 1, Period = TokenPeriod.Hours,
        });
        using var client = server.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            await client.Sessions.StartAsync("session_name", SessionJson.Parse($$"""{"userId":"u{{i}}"}"""));
        }

        var full = Assert.ThrowsAsync<DuctapeApiException>(() => client.Sessions.StartAsync("session_name", SessionJson.Parse("""{"userId":"u3"}""")));
        Assert.That(full!.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(full.Message, Does.Contain("DuctapeLocalServerOptions.MaxSessions"));

        time.Advance(TimeSpan.FromHours(2) + TimeSpan.FromMinutes(1)); // expired an hour ago and more: evictable
        var fresh = await client.Sessions.StartAsync("session_name", SessionJson.Parse("""{"userId":"u3"}"""));
        Assert.That((await client.Sessions.ListActiveAsync("session_name")).Total, Is.EqualTo(1));
        Assert.That(fresh.SessionId, Is.Not.Empty);
    }
}
