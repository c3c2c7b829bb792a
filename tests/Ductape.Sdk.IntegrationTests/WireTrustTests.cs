using System.Diagnostics;
using System.Text;
using Ductape.Sdk.IntegrationTests.TestSupport;
using Ductape.Sdk.Products;
using Microsoft.Extensions.DependencyInjection;

namespace Ductape.Sdk.IntegrationTests;

/// <summary>The client against hostile answers on real loopback sockets: huge, endless, slow, reset and redirected.</summary>
public class WireTrustTests
{
    private const string AccessKey = "ak_wire_trust_5e1f";
    private const string SeedResult = """
        {"tag":"session_name","name":"Session Name","description":"d","expiry":7,"period":"hours","selector":"$Session{userId}","schema":{"userId":"1"}}
        """;

    private static string Envelope(string result) =>
        $$$"""{"status":true,"data":{"data":{{{result}}},"execution_time_ms":1,"request_id":"req_1"}}""";

    private static DuctapeClient Client(Uri baseUrl, Action<DuctapeClientOptions>? configure = null)
    {
        var options = new DuctapeClientOptions { AccessKey = AccessKey, BaseUrl = baseUrl, Product = "acme:shop", Env = "dev" };
        options.Retry.BaseDelay = TimeSpan.FromMilliseconds(1);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(5);
        configure?.Invoke(options);
        return new DuctapeClient(options);
    }

    private static ProductSession Seed() => new()
    {
        Name = "Session Name", Tag = "session_name", Description = "d", Schema = SessionJson.Parse("""{"userId":"1"}"""),
        Selector = "$Session{userId}", Expiry = 7, Period = TokenPeriod.Hours,
    };

    [Test]
    public async Task A_one_gibibyte_body_stops_at_the_cap_with_bounded_memory()
    {
        await using var server = new RawHttpServer(async (_, _, stream, ct) =>
        {
            await stream.WriteAsync(RawHttpServer.Head(200, "OK", "Content-Type: application/json", "Content-Length: 1073741824"), ct);
            var chunk = new byte[64 * 1024];
            chunk.AsSpan().Fill((byte)' ');
            for (long sent = 0; sent < 1L << 30; sent += chunk.Length)
            {
                await stream.WriteAsync(chunk, ct);
            }
        });
        using var client = Client(server.BaseUrl, o => o.Retry.MaxRetries = 0);
        var before = GC.GetTotalAllocatedBytes(precise: true);

        var ex = Assert.ThrowsAsync<DuctapeApiException>(() => client.Products.Sessions.FetchAsync("session_name"));

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.That(ex!.Code, Is.EqualTo(DuctapeApiException.InvalidResponseCode));
        Assert.That(ex.Message, Does.Contain("MaxResponseBytes").And.Contain("4194304 bytes"));
        Assert.That(allocated, Is.LessThan(32L * 1024 * 1024), "a declared 1 GiB answer is refused without reading it");
    }

    [Test]
    public async Task An_endless_chunked_body_stops_at_the_cap_with_bounded_memory()
    {
        await using var server = new RawHttpServer(async (_, _, stream, ct) =>
        {
            await stream.WriteAsync(RawHttpServer.Head(200, "OK", "Content-Type: application/json", "Transfer-Encoding: chunked"), ct);
            var chunk = Encoding.ASCII.GetBytes($"{16 * 1024:x}\r\n" + new string(' ', 16 * 1024) + "\r\n");
            while (!ct.IsCancellationRequested)
            {
                await stream.WriteAsync(chunk, ct);
            }
        });
        using var client = Client(server.BaseUrl, o =>
        {
            o.Retry.MaxRetries = 0;
            o.MaxResponseBytes = 1024 * 1024;
        });
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();

        var ex = Assert.ThrowsAsync<DuctapeApiException>(() => client.Products.Sessions.FetchAsync("session_name"));

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.That(ex!.Message, Does.Contain("MaxResponseBytes (1048576 bytes)"));
        Assert.That(allocated, Is.LessThan(16L * 1024 * 1024), "memory stays near the 1 MiB cap");
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
    }

    [Test]
    public async Task A_dripping_body_is_cut_by_the_attempt_timeout()
    {
        await using var server = new RawHttpServer(async (_, _, stream, ct) =>
        {
            await stream.WriteAsync(RawHttpServer.Head(200, "OK", "Content-Type: application/json", "Content-Length: 1000"), ct);
            for (var i = 0; i < 1000; i++)
            {
                await stream.WriteAsync(" "u8.ToArray(), ct);
                await stream.FlushAsync(ct);
                await Task.Delay(500, ct);
            }
        });
        using var client = Client(server.BaseUrl, o =>
        {
            o.Retry.MaxRetries = 0;
            o.Retry.AttemptTimeout = TimeSpan.FromSeconds(2);
        });
        var clock = Stopwatch.StartNew();

        var ex = Assert.ThrowsAsync<DuctapeTimeoutException>(() => client.Products.Sessions.FetchAsync("session_name"));

        Assert.That(ex!.Limit, Is.EqualTo(DuctapeTimeoutLimit.Attempt));
        Assert.That(clock.Elapsed, Is.InRange(TimeSpan.FromSeconds(1.8), TimeSpan.FromSeconds(2.2)), "within 10 % of the limit");
    }

    [Test]
    public async Task A_dripping_body_is_cut_by_the_overall_timeout_across_retries()
    {
        await using var server = new RawHttpServer(async (_, _, stream, ct) =>
        {
            await stream.WriteAsync(RawHttpServer.Head(200, "OK", "Content-Type: application/json", "Content-Length: 1000"), ct);
            for (var i = 0; i < 1000; i++)
            {
                await stream.WriteAsync(" "u8.ToArray(), ct);
                await Task.Delay(500, ct);
            }
        });
        using var client = Client(server.BaseUrl, o =>
        {
            o.Timeout = TimeSpan.FromSeconds(2);
            o.Retry.AttemptTimeout = TimeSpan.FromSeconds(1);
        });
        var clock = Stopwatch.StartNew();

        var ex = Assert.ThrowsAsync<DuctapeTimeoutException>(() => client.Products.Sessions.FetchAsync("session_name"));

        Assert.That(ex!.Limit, Is.EqualTo(DuctapeTimeoutLimit.Overall));
        Assert.That(clock.Elapsed, Is.InRange(TimeSpan.FromSeconds(1.8), TimeSpan.FromSeconds(2.2)));
        Assert.That(server.Requests, Has.Count.GreaterThanOrEqualTo(2), "the slow attempt was retried within the overall limit");
    }

    /// <summary>A server whose first answer is cut by a TCP reset after 20 bytes of the body; later answers are whole.</summary>
    private static RawHttpServer ResetsTheFirstAnswerMidBody()
    {
        var answer = Encoding.UTF8.GetBytes(Envelope(SeedResult));
        return new RawHttpServer(async (_, n, stream, ct) =>
        {
            await stream.WriteAsync(RawHttpServer.Head(200, "OK", "Content-Type: application/json", $"Content-Length: {answer.Length}",
                "Connection: close"), ct);
            if (n == 1)
            {
                await stream.WriteAsync(answer.AsMemory(0, 20), ct);
                await stream.FlushAsync(ct);
                throw new RawHttpServer.ResetConnection();
            }

            await stream.WriteAsync(answer, ct);
        });
    }

    [Test]
    public async Task A_reset_mid_body_is_retried_for_a_read()
    {
        await using var server = ResetsTheFirstAnswerMidBody();
        using var client = Client(server.BaseUrl);

        var session = await client.Products.Sessions.FetchAsync("session_name");

        Assert.That(session.Tag, Is.EqualTo("session_name"));
        Assert.That(server.Requests, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task A_reset_mid_body_on_a_create_is_retried_with_the_same_idempotency_key()
    {
        await using var server = ResetsTheFirstAnswerMidBody();
        using var client = Client(server.BaseUrl);

        await client.Products.Sessions.CreateAsync(Seed());

        var keys = server.Requests.Select(r => r.Header("Idempotency-Key")).ToList();
        Assert.That(keys, Has.Count.EqualTo(2));
        Assert.That(keys[0], Is.Not.Null.And.Not.Empty);
        Assert.That(keys[1], Is.EqualTo(keys[0]), "one key, so Ductape applies the create once");
        Assert.That(server.Requests[1].BodyText, Is.EqualTo(server.Requests[0].BodyText));
    }

    [Test]
    public async Task Failures_after_the_last_retry_are_a_connection_exception_naming_host_and_attempts()
    {
        await using var server = new RawHttpServer((_, _, _, _) => throw new RawHttpServer.ResetConnection());
        using var client = Client(server.BaseUrl, o => o.Retry.MaxRetries = 2);

        var ex = Assert.ThrowsAsync<DuctapeConnectionException>(() => client.Products.Sessions.FetchAsync("session_name"));

        Assert.That(ex!.Host, Is.EqualTo($"127.0.0.1:{server.Port}"));
        Assert.That(ex.Attempts, Is.EqualTo(3));
        Assert.That(ex.InnerException, Is.InstanceOf<HttpRequestException>().Or.InstanceOf<IOException>());
        Assert.That(server.Requests, Has.Count.EqualTo(3));
    }

    [TestCase(301)]
    [TestCase(302)]
    [TestCase(303)]
    [TestCase(307)]
    [TestCase(308)]
    public async Task Redirects_are_never_followed_by_the_clients_own_handler(int status)
    {
        await using var elsewhere = new RawHttpServer((_, _, stream, ct) => RawHttpServer.WriteJson(stream, Envelope(SeedResult), 200, ct));
        await using var server = new RawHttpServer((_, _, stream, ct) => stream.WriteAsync(RawHttpServer.Head(status, "Moved",
            $"Location: http://127.0.0.1:{elsewhere.Port}/proxy/v1/sdk-proxy/execute", "Content-Length: 0", "Connection: close"), ct).AsTask());
        using var client = Client(server.BaseUrl);

        var ex = Assert.ThrowsAsync<DuctapeApiException>(() => client.Products.Sessions.CreateAsync(Seed()));

        Assert.That((int)ex!.StatusCode, Is.EqualTo(status));
        Assert.That(ex.Message, Does.Contain($"redirect ({status}) to 127.0.0.1:{elsewhere.Port}").And.Contain("never follows redirects"));
        Assert.That(elsewhere.Connections, Is.Zero, "nothing reached the redirect's target");
        Assert.That(server.Requests, Has.Count.EqualTo(1), "a redirect is not retried");
    }

    [Test]
    public async Task Redirects_are_never_followed_under_AddDuctape_even_when_the_host_sets_a_primary_handler()
    {
        await using var elsewhere = new RawHttpServer((_, _, stream, ct) => RawHttpServer.WriteJson(stream, Envelope(SeedResult), 200, ct));
        await using var server = new RawHttpServer((_, _, stream, ct) => stream.WriteAsync(RawHttpServer.Head(307, "Moved",
            $"Location: http://127.0.0.1:{elsewhere.Port}/proxy/v1/sdk-proxy/execute", "Content-Length: 0", "Connection: close"), ct).AsTask());
        var services = new ServiceCollection();
        // A host default that would follow redirects, as a careless ConfigureHttpClientDefaults might install.
        services.ConfigureHttpClientDefaults(b => b.ConfigurePrimaryHttpMessageHandler(() => new HttpClientHandler { AllowAutoRedirect = true }));
        services.AddDuctape(o =>
        {
            o.AccessKey = AccessKey;
            o.BaseUrl = server.BaseUrl;
            o.Product = "acme:shop";
        }).ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = true });
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<DuctapeClient>();

        var ex = Assert.ThrowsAsync<DuctapeApiException>(() => client.Products.Sessions.CreateAsync(Seed()));

        Assert.That((int)ex!.StatusCode, Is.EqualTo(307));
        Assert.That(elsewhere.Connections, Is.Zero, "the access key and the session type never reached another host");
    }

    [TestCase("ak_live\r\nX-Injected: 1")]
    [TestCase("ak_live\n")]
    [TestCase("ak_live\u0000x")]
    [TestCase("ak_lïve")]
    public async Task A_bad_access_key_is_refused_before_anything_reaches_the_wire(string accessKey)
    {
        await using var server = new RawHttpServer((_, _, stream, ct) => RawHttpServer.WriteJson(stream, Envelope(SeedResult), 200, ct));

        var ex = Assert.Throws<ArgumentException>(() => Client(server.BaseUrl, o => o.AccessKey = accessKey));

        Assert.That(ex!.Message, Does.Contain("DuctapeClientOptions.AccessKey"));
        Assert.That(ex.Message, Does.Not.Contain("ak_l"), "the message never quotes the key");
        Assert.That(server.Connections, Is.Zero);
    }

    [TestCase("key\r\nX-Injected: 1")]
    [TestCase("key\n")]
    [TestCase(" ")]
    [TestCase("")]
    [TestCase("kéy")]
    public async Task A_bad_idempotency_key_is_refused_before_anything_reaches_the_wire(string key)
    {
        await using var server = new RawHttpServer((_, _, stream, ct) => RawHttpServer.WriteJson(stream, Envelope(SeedResult), 200, ct));
        using var client = Client(server.BaseUrl);

        var ex = Assert.ThrowsAsync<DuctapeValidationException>(() =>
            client.Products.Sessions.CreateAsync(Seed(), new DuctapeRequestOptions { IdempotencyKey = key }));

        Assert.That(ex!.Errors.Single().Field, Is.EqualTo("IdempotencyKey"));
        Assert.That(server.Connections, Is.Zero);
    }
}
