using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ductape.Sdk.Tests.Proxy;

/// <summary>What the SDK refuses before sending, the operation table, and what reaches the caller when the wire fails.</summary>
public class RequestChecksTests : ProxyMockTest
{

    [TestCase("https://api.ductape.app/?x=1", "must not have a query or a fragment")]
    [TestCase("https://api.ductape.app/api#part", "must not have a query or a fragment")]
    [TestCase("https://api.ductape.app/api?", "must not have a query or a fragment")]
    [TestCase("https://user:pass@api.ductape.app/", "must not hold credentials")]
    [TestCase("ftp://api.ductape.app/", "must be an absolute http or https URL")]
    public void A_base_url_that_would_misroute_the_call_is_refused(string url, string problem)
    {
        var ex = Assert.Throws<ArgumentException>(() => Mock.Client(o => o.BaseUrl = new Uri(url)));
        Assert.That(ex!.Message, Does.Contain("DuctapeClientOptions.BaseUrl " + problem));
        Assert.That(ex.Message, Does.Not.Contain("pass"), "credentials are never echoed");
    }

    [TestCase(nameof(DuctapeClientOptions.AccessKey), "ak\r\nX-Injected: 1", "contains a line break at position 2")]
    [TestCase(nameof(DuctapeClientOptions.AccessKey), "ak_from_a_file\n", "contains a line break at position 14")]
    [TestCase(nameof(DuctapeClientOptions.AccessKey), "ak\tx", "contains a control character at position 2")]
    [TestCase(nameof(DuctapeClientOptions.AccessKey), "ak_ключ", "contains a non-ASCII character at position 3")]
    [TestCase(nameof(DuctapeClientOptions.AccessKey), " ak", "must not start or end with a space")]
    [TestCase(nameof(DuctapeClientOptions.PublishableKey), "pk\r\n", "contains a line break at position 2")]
    public void A_key_that_is_not_a_clean_header_value_is_refused_by_name(string setting, string value, string problem)
    {
        var ex = Assert.Throws<ArgumentException>(() => Mock.Client(o =>
        {
            if (setting == nameof(DuctapeClientOptions.AccessKey))
            {
                o.AccessKey = value;
            }
            else
            {
                o.PublishableKey = value;
            }
        }));

        Assert.That(ex!.Message, Does.Contain($"DuctapeClientOptions.{setting} {problem}"));
        Assert.That(Mock.Requests, Is.Empty);
    }

    [TestCase(0)]
    [TestCase(-1)]
    [TestCase(-5000)]
    public void A_per_call_timeout_must_be_positive(int milliseconds)
    {
        var ex = Assert.ThrowsAsync<DuctapeValidationException>(() => Mock.Client().Products.Sessions.FetchAsync(
            "session_name", new DuctapeRequestOptions { Timeout = TimeSpan.FromMilliseconds(milliseconds) }));

        Assert.That(ex!.Errors.Single(), Is.EqualTo(new DuctapeValidationError("Timeout", "must be positive and at most 24 days")));
        Assert.That(Mock.Requests, Is.Empty);
    }

    [Test]
    public void An_idempotency_key_longer_than_255_characters_is_refused()
    {
        var ex = Assert.ThrowsAsync<DuctapeValidationException>(() => Mock.Client().Products.Sessions.DeleteAsync(
            "session_name", new DuctapeRequestOptions { IdempotencyKey = new string('k', 256) }));
        Assert.That(ex!.Errors.Single().Field, Is.EqualTo("IdempotencyKey"));
        Assert.That(Mock.Requests, Is.Empty);
    }

    [TestCase(0)]
    [TestCase(1023)]
    [TestCase(256 * 1024 * 1024 + 1)]
    public void MaxResponseBytes_must_be_between_one_kibibyte_and_256_mebibytes(int bytes)
    {
        var ex = Assert.Throws<ArgumentException>(() => Mock.Client(o => o.MaxResponseBytes = bytes));
        Assert.That(ex!.Message, Does.Contain("DuctapeClientOptions.MaxResponseBytes must be between 1024"));
    }

    [Test]
    public void Timeouts_a_timer_cannot_hold_are_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => Mock.Client(o =>
        {
            o.Timeout = TimeSpan.MaxValue;
            o.Retry.AttemptTimeout = TimeSpan.FromDays(30);
        }));
        Assert.That(ex!.Message, Does.Contain("DuctapeClientOptions.Timeout must be positive and at most 24 days")
            .And.Contain("DuctapeClientOptions.Retry.AttemptTimeout must be positive and at most 24 days"));
    }

    [Test]
    public void The_operation_table_has_the_contracts_fourteen_rows_and_decides_idempotency()
    {
        Assert.That(DuctapeOperations.All.Select(o => o.Method), Is.EqualTo(new[]
        {
            "create", "update", "fetch", "delete", "list", "start", "verify", "refresh", "revoke", "revokeAll", "listActive",
            "fetchUsers", "fetchUserDetails", "fetchDashboard",
        }));
        Assert.That(DuctapeOperations.All.Where(o => o.ChangesState).Select(o => o.Method),
            Is.EquivalentTo(new[] { "create", "update", "delete", "start", "refresh", "revoke", "revokeAll" }));
        Assert.That(DuctapeOperations.All.Where(o => o.ResultHoldsSecrets).Select(o => o.Method),
            Is.EquivalentTo(new[] { "start", "verify", "refresh" }));
        Assert.That(DuctapeOperations.All.Select(o => o.Module).Distinct(), Is.EqualTo(new[] { "sessions" }));
    }

    [Test]
    public void The_wire_protocol_doc_describes_every_operation_of_the_table()
    {
        var doc = Repository.ReadAllText("docs", "wire-protocol.md");
        foreach (var operation in DuctapeOperations.All)
        {
            Assert.That(doc, Does.Contain($"| `{operation.Method}` | {(operation.ChangesState ? "yes" : "no")} | `{operation.Parameters}`"),
                operation.Method);
        }
    }

    [TestCaseSource(typeof(ResultShapeTests), nameof(ResultShapeTests.Operations))]
    public async Task Exactly_the_calls_that_change_state_carry_an_idempotency_key(ResultShapeTests.Operation operation)
    {
        Mock.ThenData(operation.Result);
        using var client = Mock.Client();
        await operation.Call(client);

        var changesState = DuctapeOperations.All.Single(o => o.Method == operation.Method).ChangesState;
        var key = Mock.Requests.Single().Header("Idempotency-Key");
        Assert.That(key is not null, Is.EqualTo(changesState));
    }

    [Test]
    public void A_network_failure_after_the_last_retry_is_a_connection_exception()
    {
        Mock.ThenThrow(new HttpRequestException("Connection refused (api.ductape.test:443)"));
        using var client = Mock.Client(o => o.Retry.MaxRetries = 2);

        var ex = Assert.ThrowsAsync<DuctapeConnectionException>(() => Mock.Drive(client.Products.Sessions.FetchAsync("session_name")));

        Assert.That(ex!.Host, Is.EqualTo("api.ductape.test"));
        Assert.That(ex.Attempts, Is.EqualTo(3));
        Assert.That(ex.InnerException, Is.TypeOf<HttpRequestException>());
        Assert.That(ex.Message, Does.Contain("after 3 attempt(s)"));
    }

    [Test]
    public void An_unexpected_failure_of_a_handler_is_still_the_sdks_own_exception()
    {
        Mock.ThenThrow(new NotSupportedException("a handler bug"));
        using var client = Mock.Client();

        var ex = Assert.ThrowsAsync<DuctapeConnectionException>(() => client.Products.Sessions.FetchAsync("session_name"));

        Assert.That(ex!.Attempts, Is.EqualTo(1), "only network failures are retried");
        Assert.That(ex.InnerException, Is.TypeOf<NotSupportedException>());
    }

    [Test]
    public void A_redirect_is_an_error_naming_status_and_target_and_is_not_retried()
    {
        Mock.Then(_ =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.Found);
            response.Headers.Location = new Uri("https://evil.example:8443/steal?k=1");
            return response;
        });
        using var client = Mock.Client();

        var ex = Assert.ThrowsAsync<DuctapeApiException>(() => client.Products.Sessions.FetchAsync("session_name"));

        Assert.That(ex!.StatusCode, Is.EqualTo(HttpStatusCode.Found));
        Assert.That(ex.Code, Is.EqualTo(DuctapeApiException.InvalidResponseCode));
        Assert.That(ex.Message, Does.Contain("redirect (302) to evil.example:8443").And.Not.Contain("steal"));
        Assert.That(Mock.Requests, Has.Count.EqualTo(1));
    }

    [Test]
    public void An_answer_over_the_declared_limit_is_refused_unread()
    {
        Mock.Then(_ => ProxyMock.Response(HttpStatusCode.OK, new string(' ', 5000)));
        using var client = Mock.Client(o => o.MaxResponseBytes = 4096);

        var ex = Assert.ThrowsAsync<DuctapeApiException>(() => client.Products.Sessions.FetchAsync("session_name"));

        Assert.That(ex!.Message, Does.Contain("larger than DuctapeClientOptions.MaxResponseBytes (4096 bytes)"));
        Assert.That(Mock.Requests, Has.Count.EqualTo(1), "a too-large answer is not retried");
    }

    [Test]
    public async Task AddDuctape_logs_requests_without_any_header_value()
    {
        Mock.ThenData(ResultShapeTests.Operations[0].Result);
        var logs = new CapturingLoggerFactory();
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(logs);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddDuctape(o =>
        {
            o.AccessKey = ProxyMock.AccessKey;
            o.BaseUrl = new Uri(ProxyMock.BaseUrl);
            o.Product = ProxyMock.Product;
        }).ConfigurePrimaryHttpMessageHandler(() => Mock.Network);
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<DuctapeClient>().Products.Sessions.DeleteAsync(
            "session_name", new DuctapeRequestOptions { IdempotencyKey = "idem-secret-1" });

        Assert.That(logs.Entries.Select(e => e.Message), Has.Some.EqualTo("Sending Ductape request POST api.ductape.test/proxy/v1/sdk-proxy/execute"),
            "the Ductape client's own request log (the factory's, which carries header values in its state, is taken out)");
        Assert.That(logs.Entries.Select(e => e.Message), Has.None.Contain("x-access-key"));
        foreach (var entry in logs.Entries)
        {
            Assert.That(entry.Message + entry.State, Does.Not.Contain(ProxyMock.AccessKey).And.Not.Contain("idem-secret-1"));
        }
    }
}
