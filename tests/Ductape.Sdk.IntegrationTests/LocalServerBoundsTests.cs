using System.Diagnostics;
using System.Net;
using System.Text;
using Ductape.Sdk.Products;
using Ductape.Sdk.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Ductape.Sdk.IntegrationTests;

/// <summary>A local server kept up for a whole suite stays bounded in bytes: journal, idempotency answers, seeding errors.</summary>
public class LocalServerBoundsTests
{
    private static HttpRequestMessage Call(DuctapeLocalServer server, string method, string paramsJson, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseUrl, "proxy/v1/sdk-proxy/execute"))
        {
            Content = new StringContent($$"""{"module":"sessions","method":"{{method}}","params":{{paramsJson}}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-access-key", server.AccessKey);
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return request;
    }

    [Test]
    public async Task The_journal_keeps_what_tests_need_and_drops_large_parameters()
    {
        await using var server = await DuctapeLocalServer.StartAsync();
        using var http = new HttpClient();
        var large = new string('x', 10_000);

        using (var small = await http.SendAsync(Call(server, "fetch", """["acme:shop","session_name"]""", "k-small"))) { }
        using (var big = await http.SendAsync(Call(server, "list", $$"""["acme:shop",{"padding":"{{large}}"}]""", null))) { }

        var calls = server.Journal;
        Assert.That((calls[0].Method, calls[0].Tag, calls[0].IdempotencyKey, calls[0].StatusCode, calls[0].Code),
            Is.EqualTo(("fetch", "session_name", "k-small", 404, "SESSION_NOT_FOUND")));
        Assert.That(calls[0].Params.GetArrayLength(), Is.EqualTo(2));
        Assert.That((calls[1].Params.ValueKind, calls[1].RequestBytes > 10_000, calls[1].ResponseBytes > 0),
            Is.EqualTo((System.Text.Json.JsonValueKind.Undefined, true, true)), "a large body is measured, not kept");
    }

    [Test]
    public async Task Idempotency_answers_expire_after_the_retention_and_are_bounded_by_count()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await DuctapeLocalServer.StartAsync(new DuctapeLocalServerOptions
        {
            TimeProvider = time, IdempotencyRetention = TimeSpan.FromHours(1), MaxIdempotencyEntries = 3,
        });
        using var http = new HttpClient();
        async Task<HttpStatusCode> Send(string key, string tag)
        {
            using var response = await http.SendAsync(Call(server, "fetch", $$"""["acme:shop","{{tag}}"]""", key));
            return response.StatusCode;
        }

        Assert.That(await Send("k1", "a"), Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await Send("k1", "b"), Is.EqualTo(HttpStatusCode.Conflict), "the same key with another body, while kept");
        time.Advance(TimeSpan.FromHours(1.5));
        Assert.That(await Send("k1", "b"), Is.EqualTo(HttpStatusCode.NotFound), "past the retention the key is free again");

        foreach (var key in new[] { "k2", "k3", "k4", "k5" })
        {
            await Send(key, "a");
        }

        Assert.That(await Send("k2", "b"), Is.EqualTo(HttpStatusCode.NotFound), "the oldest answer left when a fourth came");
        Assert.That(await Send("k5", "b"), Is.EqualTo(HttpStatusCode.Conflict), "the newest is kept");
    }

    [Test]
    public async Task Seeding_errors_name_the_problem()
    {
        await using var server = await DuctapeLocalServer.StartAsync();
        server.SeedSessionType(new ProductSession
        {
            Name = "n", Tag = "t", Description = "d", Schema = SessionJson.Parse("""{"userId":"u"}"""), Selector = "$Session{userId}",
            Expiry = 1, Period = TokenPeriod.Hours,
        });
        using var document = System.Text.Json.JsonDocument.Parse(
            "{\"userId\":\"u\",\"x\":" + string.Concat(Enumerable.Repeat("{\"a\":", 200)) + "1" + new string('}', 200) + "}",
            new System.Text.Json.JsonDocumentOptions { MaxDepth = 512 });
        var deep = document.RootElement;

        var undefined = Assert.Throws<ArgumentException>(() => server.SeedSession("t", default));
        var tooDeep = Assert.Throws<ArgumentException>(() => server.SeedSession("t", deep));

        Assert.That(undefined!.Message, Does.StartWith("The session data is an undefined JsonElement (default(JsonElement))"));
        Assert.That(tooDeep!.Message, Does.StartWith("The seeded session data is nested deeper than 64 levels"));
    }

    [Test]
    public async Task Memory_stays_flat_over_a_hundred_thousand_calls()
    {
        await using var server = await DuctapeLocalServer.StartAsync();
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 16 });
        var padding = new string('p', 2_000);
        async Task Calls(int from, int count)
        {
            using var gate = new SemaphoreSlim(16);
            await Task.WhenAll(Enumerable.Range(from, count).Select(async i =>
            {
                await gate.WaitAsync();
                try
                {
                    using var response = await http.SendAsync(Call(server, "list", $$"""["acme:shop",{"pad":"{{padding}}"}]""", $"key-{i}"));
                }
                finally
                {
                    gate.Release();
                }
            }));
        }

        await Calls(0, 20_000);
        var afterFirst = Managed();
        var clock = Stopwatch.StartNew();
        await Calls(20_000, 80_000);
        var afterAll = Managed();

        TestContext.Out.WriteLine(
            $"100,000 calls (2 KB each, each with its own idempotency key): managed memory {afterFirst / 1048576.0:0.0} MiB after 20,000, " +
            $"{afterAll / 1048576.0:0.0} MiB after 100,000 (the last 80,000 in {clock.Elapsed.TotalSeconds:0.0} s)");
        Assert.That(afterAll - afterFirst, Is.LessThan(32L * 1024 * 1024));
        var journal = server.Journal;
        Assert.That(journal.Count, Is.InRange(1_000, 10_000), "the newest calls, within the count limit");
        Assert.That(journal.Sum(c => (long)c.RequestBytes), Is.LessThanOrEqualTo(8L * 1024 * 1024), "and within the byte budget");
    }

    private static long Managed()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
