using System.Text.Json.Nodes;
using Ductape.Sdk.Products;

namespace Ductape.Sdk.Tests.Products;

public class ProductSessionsClientTests : ProxyMockTest
{
    internal const string SeedSchemaJson =
        """{"userId":"191010192-19198829819","details":{"username":"ductape-user","email":"santos@ductape.app"}}""";

    internal static ProductSession Seed() => new()
    {
        Name = "Session Name",
        Tag = "session_name",
        Description = "Session Description Here",
        Schema = SessionJson.Parse(SeedSchemaJson),
        Selector = "$Session{userId}",
        Expiry = 7,
        Period = TokenPeriod.Hours,
    };

    private const string SeedWireJson = """
        {"tag":"session_name","name":"Session Name","description":"Session Description Here","expiry":7,"period":"hours",
         "selector":"$Session{userId}","schema":{"userId":"191010192-19198829819","details":{"username":"ductape-user","email":"santos@ductape.app"}}}
        """;

    [Test]
    public async Task Create_posts_the_seed_to_the_proxy_with_every_header()
    {
        Mock.ThenData(SeedWireJson);
        using var client = Mock.Client();

        var created = await client.Products.Sessions.CreateAsync(Seed());

        var request = Mock.Requests.Single();
        Assert.That(request.Method, Is.EqualTo(HttpMethod.Post));
        Assert.That(request.Uri, Is.EqualTo(new Uri(ProxyMock.Endpoint)));
        Assert.That(request.Header("x-access-key"), Is.EqualTo(ProxyMock.AccessKey));
        Assert.That(request.Header("Accept"), Is.EqualTo("application/json"));
        Assert.That(request.Header("User-Agent"), Does.Match(@"^Ductape\.Sdk/\d+\.\d+\.\d+\S* \(\.NET \d+\.\d+\.\d+\)$"));
        Assert.That(Guid.TryParse(request.Header("Idempotency-Key"), out _), Is.True);
        Assert.That(request.ContentType, Is.EqualTo("application/json; charset=utf-8"));
        Json.AssertEquivalent(request.Body,
            $$"""{"module":"sessions","method":"create","params":["acme:shop",{{SeedWireJson}}]}""");

        AssertIsSeed(created, expiry: 7, period: TokenPeriod.Hours);
    }

    [Test]
    public async Task Each_create_gets_its_own_idempotency_key_unless_the_caller_brings_one()
    {
        Mock.ThenData(SeedWireJson);
        using var client = Mock.Client();

        await client.Products.Sessions.CreateAsync(Seed());
        await client.Products.Sessions.CreateAsync(Seed());
        await client.Products.Sessions.CreateAsync(Seed(), new DuctapeRequestOptions { IdempotencyKey = "my-key-1" });

        var keys = Mock.Requests.Select(r => r.Header("Idempotency-Key")).ToList();
        Assert.That(keys[0], Is.Not.EqualTo(keys[1]));
        Assert.That(keys[2], Is.EqualTo("my-key-1"));
    }

    [Test]
    public async Task Update_sends_only_the_fields_that_are_set()
    {
        Mock.ThenData(SeedWireJson.Replace("\"expiry\":7,\"period\":\"hours\"", "\"expiry\":14,\"period\":\"days\""));
        using var client = Mock.Client();

        var updated = await client.Products.Sessions.UpdateAsync(
            new ProductSessionUpdate("session_name") { Expiry = 14, Period = TokenPeriod.Days });

        var request = Mock.Requests.Single();
        Json.AssertEquivalent(request.Body,
            """{"module":"sessions","method":"update","params":["acme:shop","session_name",{"expiry":14,"period":"days"}]}""");
        var changes = request.Params[2];
        foreach (var absent in new[] { "name", "description", "selector", "schema", "tag" })
        {
            Assert.That(changes.TryGetProperty(absent, out _), Is.False, $"'{absent}' must be absent, not null");
        }

        Assert.That(Guid.TryParse(request.Header("Idempotency-Key"), out _), Is.True);
        AssertIsSeed(updated, expiry: 14, period: TokenPeriod.Days);
    }

    [Test]
    public async Task Update_can_send_every_field()
    {
        Mock.ThenData(SeedWireJson);
        using var client = Mock.Client();

        await client.Products.Sessions.UpdateAsync(new ProductSessionUpdate("session_name")
        {
            Name = "New",
            Description = "Desc",
            Expiry = 2,
            Period = TokenPeriod.Weeks,
            Selector = "$Session{details}{username}",
            Schema = SessionJson.Parse(SeedSchemaJson),
        });

        Json.AssertEquivalent(Mock.Requests.Single().Params[2], $$"""
            {"name":"New","description":"Desc","expiry":2,"period":"weeks","selector":"$Session{details}{username}",
             "schema":{{SeedSchemaJson}}}
            """);
    }

    [Test]
    public async Task Fetch_sends_product_and_tag_without_an_idempotency_key()
    {
        Mock.ThenData(SeedWireJson);
        using var client = Mock.Client();

        var fetched = await client.Products.Sessions.FetchAsync("session_name");

        var request = Mock.Requests.Single();
        Json.AssertEquivalent(request.Body, """{"module":"sessions","method":"fetch","params":["acme:shop","session_name"]}""");
        Assert.That(request.Header("Idempotency-Key"), Is.Null);
        Assert.That(request.Header("x-access-key"), Is.EqualTo(ProxyMock.AccessKey));
        AssertIsSeed(fetched, expiry: 7, period: TokenPeriod.Hours);
    }

    [Test]
    public async Task FetchAll_lists_the_product_sessions()
    {
        var other = SeedWireJson.Replace("\"tag\":\"session_name\"", "\"tag\":\"admin\"").Replace("\"period\":\"hours\"", "\"period\":\"minutes\"");
        Mock.ThenData($"[{SeedWireJson},{other}]");
        using var client = Mock.Client();

        var all = await client.Products.Sessions.FetchAllAsync();

        Json.AssertEquivalent(Mock.Requests.Single().Body, """{"module":"sessions","method":"list","params":["acme:shop"]}""");
        Assert.That(Mock.Requests.Single().Header("Idempotency-Key"), Is.Null);
        Assert.That(all.Select(s => s.Tag), Is.EqualTo(new[] { "session_name", "admin" }));
        Assert.That(all[1].Period, Is.EqualTo(TokenPeriod.Minutes), "aliases are read");
    }

    [Test]
    public async Task FetchAll_of_a_product_without_sessions_is_empty()
    {
        Mock.ThenData("[]");
        using var client = Mock.Client();
        Assert.That(await client.Products.Sessions.FetchAllAsync(), Is.Empty);
    }

    [Test]
    public async Task Delete_sends_product_and_tag_with_an_idempotency_key()
    {
        Mock.ThenData("null");
        using var client = Mock.Client();

        await client.Products.Sessions.DeleteAsync("session_name");

        var request = Mock.Requests.Single();
        Json.AssertEquivalent(request.Body, """{"module":"sessions","method":"delete","params":["acme:shop","session_name"]}""");
        Assert.That(Guid.TryParse(request.Header("Idempotency-Key"), out _), Is.True);
    }

    [Test]
    public async Task Unknown_response_fields_are_ignored()
    {
        Mock.ThenData(SeedWireJson.Replace("{\"tag\"", "{\"_id\":\"66a1\",\"createdAt\":\"2026-01-01T00:00:00Z\",\"tag\""));
        using var client = Mock.Client();
        AssertIsSeed(await client.Products.Sessions.FetchAsync("session_name"), 7, TokenPeriod.Hours);
    }

    [Test]
    public async Task The_seed_example_round_trips_create_update_fetchAll_fetch()
    {
        // A tiny stateful stand-in for Ductape: stores what is created and merges what is updated.
        var store = new Dictionary<string, JsonObject>();
        Mock.Then(request =>
        {
            var p = request.Params;
            switch (request.Method_)
            {
                case "create":
                    var created = JsonNode.Parse(p[1].GetRawText())!.AsObject();
                    store[created["tag"]!.GetValue<string>()] = created;
                    return ProxyMock.Success(created.ToJsonString());
                case "update":
                    var stored = store[p[1].GetString()!];
                    foreach (var change in p[2].EnumerateObject())
                    {
                        stored[change.Name] = JsonNode.Parse(change.Value.GetRawText());
                    }

                    return ProxyMock.Success(stored.ToJsonString());
                case "list":
                    return ProxyMock.Success("[" + string.Join(",", store.Values.Select(v => v.ToJsonString())) + "]");
                default:
                    return ProxyMock.Success(store[p[1].GetString()!].ToJsonString());
            }
        });
        using var client = Mock.Client();
        var sessions = client.Products.Sessions;

        await sessions.CreateAsync(Seed());
        await sessions.UpdateAsync(new ProductSessionUpdate("session_name") { Expiry = 14, Period = TokenPeriod.Days });
        var all = await sessions.FetchAllAsync();
        var one = await sessions.FetchAsync("session_name");

        Assert.That(all, Has.Count.EqualTo(1));
        AssertIsSeed(all[0], 14, TokenPeriod.Days);
        AssertIsSeed(one, 14, TokenPeriod.Days);
        Assert.That(Mock.Requests.Select(r => r.Method_), Is.EqualTo(new[] { "create", "update", "list", "fetch" }));
    }

    [Test]
    public async Task A_per_call_product_overrides_the_default()
    {
        Mock.Then(r => ProxyMock.Success(r.Method_ == "list" ? "[]" : SeedWireJson));
        using var client = Mock.Client();
        var other = new DuctapeRequestOptions { Product = "other:product" };

        await client.Products.Sessions.FetchAsync("session_name", other);
        await client.Products.Sessions.CreateAsync(Seed(), other);
        await client.Products.Sessions.FetchAllAsync(other);
        await client.Products.Sessions.FetchAsync("session_name");

        Assert.That(Mock.Requests.Select(r => r.Params[0].GetString()),
            Is.EqualTo(new[] { "other:product", "other:product", "other:product", "acme:shop" }));
    }

    [Test]
    public void A_missing_product_names_the_setting_and_sends_nothing()
    {
        Mock.ThenData(SeedWireJson);
        using var client = Mock.Client(o => o.Product = null);
        var sessions = client.Products.Sessions;

        foreach (var call in new Func<Task>[]
                 {
                     () => sessions.CreateAsync(Seed()),
                     () => sessions.UpdateAsync(new ProductSessionUpdate("session_name") { Expiry = 1 }),
                     () => sessions.FetchAsync("session_name"),
                     () => sessions.FetchAllAsync(),
                     () => sessions.DeleteAsync("session_name"),
                 })
        {
            var ex = Assert.ThrowsAsync<InvalidOperationException>(() => call());
            Assert.That(ex!.Message, Does.Contain("DuctapeClientOptions.Product").And.Contain("DuctapeRequestOptions.Product"));
        }

        Assert.That(Mock.Requests, Is.Empty);
    }

    [Test]
    public async Task A_product_with_only_a_per_call_value_works()
    {
        Mock.ThenData("[]");
        using var client = Mock.Client(o => o.Product = null);
        await client.Products.Sessions.FetchAllAsync(new DuctapeRequestOptions { Product = "ws:p" });
        Assert.That(Mock.Requests.Single().Params[0].GetString(), Is.EqualTo("ws:p"));
    }

    [Test]
    public void A_base_url_with_a_path_keeps_it()
    {
        Mock.ThenData("[]");
        using var client = Mock.Client(o => o.BaseUrl = new Uri("http://localhost:4311/api"));
        Assert.DoesNotThrowAsync(() => client.Products.Sessions.FetchAllAsync());
        Assert.That(Mock.Requests.Single().Uri, Is.EqualTo(new Uri("http://localhost:4311/api/proxy/v1/sdk-proxy/execute")));
    }

    private static void AssertIsSeed(ProductSession session, int expiry, TokenPeriod period)
    {
        Assert.That(session.Tag, Is.EqualTo("session_name"));
        Assert.That(session.Name, Is.EqualTo("Session Name"));
        Assert.That(session.Description, Is.EqualTo("Session Description Here"));
        Assert.That(session.Selector, Is.EqualTo("$Session{userId}"));
        Assert.That(session.Expiry, Is.EqualTo(expiry));
        Assert.That(session.Period, Is.EqualTo(period));
        Json.AssertEquivalent(session.Schema, SeedSchemaJson);
    }
}
