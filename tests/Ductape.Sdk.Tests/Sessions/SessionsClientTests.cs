using System.Net;
using Ductape.Sdk.Sessions;
using Ductape.Sdk.Tests.Tokens;

namespace Ductape.Sdk.Tests.Sessions;

public class SessionsClientTests : ProxyMockTest
{
    private const string Tokens = """
        {"token":"session_name:eyJ.x","refreshToken":"rt_abc","sessionId":"ses_1","expiresAt":"2026-11-27T16:00:00.000Z"}
        """;

    private RecordedRequest Single() => Mock.Requests.Single();

    [Test]
    public async Task Start_sends_product_env_tag_data_and_expiry_with_an_idempotency_key()
    {
        Mock.ThenData(Tokens);
        using var client = Mock.Client();

        var tokens = await client.Sessions.StartAsync("session_name", TokenTestKit.SeedData, TimeSpan.FromMinutes(30));

        Json.AssertEquivalent(Single().Body, $$"""
            {"module":"sessions","method":"start","params":[{"product":"acme:shop","env":"prd","tag":"session_name",
             "data":{{TokenTestKit.SeedData.GetRawText()}},"expiresIn":1800}]}
            """);
        Assert.That(Guid.TryParse(Single().Header("Idempotency-Key"), out _), Is.True);
        Assert.That(tokens.Token, Is.EqualTo("session_name:eyJ.x"));
        Assert.That(tokens.RefreshToken, Is.EqualTo("rt_abc"));
        Assert.That(tokens.SessionId, Is.EqualTo("ses_1"));
        Assert.That(tokens.ExpiresAt, Is.EqualTo(new DateTimeOffset(2026, 11, 27, 16, 0, 0, TimeSpan.Zero)));
        Assert.That(tokens.ToString(), Does.Not.Contain("eyJ").And.Not.Contain("rt_abc"));
    }

    [Test]
    public async Task Start_without_expiry_omits_it_and_reads_unix_millisecond_times()
    {
        Mock.ThenData("""{"token":"t","refreshToken":"r","sessionId":"s","expiresAt":1795795200000}""");
        using var client = Mock.Client();

        var tokens = await client.Sessions.StartAsync("session_name", TokenTestKit.SeedData,
            options: new DuctapeRequestOptions { Product = "other", Env = "dev" });

        var param = Single().Params[0];
        Assert.That(param.TryGetProperty("expiresIn", out _), Is.False);
        Assert.That(param.GetProperty("product").GetString(), Is.EqualTo("other"));
        Assert.That(param.GetProperty("env").GetString(), Is.EqualTo("dev"));
        Assert.That(tokens.ExpiresAt, Is.EqualTo(DateTimeOffset.FromUnixTimeMilliseconds(1795795200000)));
    }

    [Test]
    public async Task Verify_asks_the_server_when_no_keys_are_configured()
    {
        Mock.ThenData("""{"valid":true,"data":{"userId":"42"},"sessionId":"ses_1","expiresAt":"2026-11-27T16:00:00Z","extra":1}""");
        using var client = Mock.Client();

        var verification = await client.Sessions.VerifyAsync("session_name", "session_name:tok");

        Json.AssertEquivalent(Single().Body, """
            {"module":"sessions","method":"verify","params":[{"product":"acme:shop","env":"prd","tag":"session_name","token":"session_name:tok"}]}
            """);
        Assert.That(Single().Header("Idempotency-Key"), Is.Null);
        Assert.That(verification.IsValid, Is.True);
        Assert.That(verification.SessionId, Is.EqualTo("ses_1"));
        Json.AssertEquivalent(verification.Data!.Value, """{"userId":"42"}""");
    }

    [Test]
    public async Task Server_verify_of_an_invalid_token_is_not_an_error()
    {
        Mock.ThenData("""{"valid":false}""")
            .ThenStatus(HttpStatusCode.BadRequest, ProxyMock.Failure("VALIDATION_FAILED", "not a token"));
        using var client = Mock.Client();

        Assert.That((await client.Sessions.VerifyAsync("session_name", "garbage")).IsValid, Is.False);
        Assert.That((await client.Sessions.VerifyAsync("session_name", "garbage")).IsValid, Is.False);
    }

    [Test]
    public async Task Verify_with_session_keys_is_offline()
    {
        var kit = new TokenTestKit();
        using var client = Mock.Client(o =>
        {
            o.SessionKeys = kit.Ring;
            o.TimeProvider = kit.Time;
        });
        var valid = kit.Issuer().Issue(SessionTokenValidatorTests.Descriptor()).Token;
        var otherProduct = kit.Issuer().Issue(SessionTokenValidatorTests.Descriptor() with { Product = "x" }).Token;

        var ok = await client.Sessions.VerifyAsync("session_name", valid);
        var wrongTag = await client.Sessions.VerifyAsync("admin", valid);
        var tampered = await client.Sessions.VerifyAsync("session_name", valid[..^3] + "AAA");
        var foreign = await client.Sessions.VerifyAsync("session_name", otherProduct);

        Assert.That(ok.IsValid, Is.True);
        Assert.That(ok.Data!.Value.GetProperty("userId").GetString(), Is.EqualTo("191010192-19198829819"));
        Assert.That(wrongTag.IsValid, Is.False);
        Assert.That(tampered.IsValid, Is.False);
        Assert.That(foreign.IsValid, Is.False, "a token of another product is not ours");

        // Another environment is refused too, and a call that names its own product/env is checked against those.
        var staging = kit.Issuer().Issue(SessionTokenValidatorTests.Descriptor() with { Env = "stg" }).Token;
        Assert.That((await client.Sessions.VerifyAsync("session_name", staging)).IsValid, Is.False);
        var forStaging = new DuctapeRequestOptions { Env = "stg" };
        Assert.That((await client.Sessions.VerifyAsync("session_name", staging, forStaging)).IsValid, Is.True);
        Assert.That((await client.Sessions.VerifyAsync("session_name", valid, forStaging)).IsValid, Is.False);
        Assert.That((await client.Sessions.VerifyAsync("session_name", otherProduct, new DuctapeRequestOptions { Product = "x" })).IsValid,
            Is.True);
        Assert.That(Mock.Requests, Is.Empty, "offline verify makes no request");
    }

    [Test]
    public async Task Refresh_sends_the_refresh_token()
    {
        Mock.ThenData(Tokens);
        using var client = Mock.Client();
        await client.Sessions.RefreshAsync("session_name", "rt_old");
        Json.AssertEquivalent(Single().Params, """[{"product":"acme:shop","env":"prd","tag":"session_name","refreshToken":"rt_old"}]""");
        Assert.That(Single().Header("Idempotency-Key"), Is.Not.Null);
    }

    [Test]
    public async Task Revoke_sends_exactly_one_of_session_id_and_identifier()
    {
        Mock.ThenData("""{"revoked":1}""").ThenData("""{"revoked":3}""");
        using var client = Mock.Client();

        Assert.That(await client.Sessions.RevokeAsync("session_name", sessionId: "ses_1"), Is.EqualTo(1));
        Assert.That(await client.Sessions.RevokeAsync("session_name", identifier: "user-1"), Is.EqualTo(3));

        Json.AssertEquivalent(Mock.Requests[0].Params, """[{"product":"acme:shop","env":"prd","tag":"session_name","sessionId":"ses_1"}]""");
        Json.AssertEquivalent(Mock.Requests[1].Params, """[{"product":"acme:shop","env":"prd","tag":"session_name","identifier":"user-1"}]""");
    }

    [Test]
    public async Task RevokeAll_sends_the_identifier_and_the_session_to_keep()
    {
        Mock.ThenData("""{"revoked":2}""");
        using var client = Mock.Client();
        Assert.That(await client.Sessions.RevokeAllAsync("session_name", "user-1", excludeSessionId: "ses_9"), Is.EqualTo(2));
        Assert.That(await client.Sessions.RevokeAllAsync("session_name", "user-1"), Is.EqualTo(2));
        Json.AssertEquivalent(Mock.Requests[0].Params,
            """[{"product":"acme:shop","env":"prd","tag":"session_name","identifier":"user-1","excludeSessionId":"ses_9"}]""");
        Json.AssertEquivalent(Mock.Requests[1].Params, """[{"product":"acme:shop","env":"prd","tag":"session_name","identifier":"user-1"}]""");
    }

    [Test]
    public async Task ListActive_sends_paging_and_decodes_a_page()
    {
        Mock.ThenData("""
            {"total":3,"page":2,"limit":2,"sessions":[{"sessionId":"s3","identifier":"u","startAt":1795795200000,
             "endAt":"2026-11-28T00:00:00Z","active":true}]}
            """);
        using var client = Mock.Client();

        var page = await client.Sessions.ListActiveAsync("session_name", "u", page: 2, limit: 2);

        Json.AssertEquivalent(Single().Params,
            """[{"product":"acme:shop","env":"prd","tag":"session_name","identifier":"u","page":2,"limit":2}]""");
        Assert.That(page.Total, Is.EqualTo(3));
        Assert.That(page.HasMore, Is.False);
        var session = page.Items.Single();
        Assert.That(session.SessionId, Is.EqualTo("s3"));
        Assert.That(session.StartAt, Is.EqualTo(DateTimeOffset.FromUnixTimeMilliseconds(1795795200000)));
        Assert.That(session.EndAt, Is.EqualTo(new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero)));
        Assert.That(session.IsActive, Is.True);
    }

    /// <summary>A session user with every member the contract lists.</summary>
    private static string User(string id, string identifier) =>
        $$"""{"_id":"{{id}}","ductape_user_id":"du_{{id}}","product_tag":"acme:shop","session_tag":"session_name","identifier":"{{identifier}}","env":"prd","first_seen":0,"last_seen":0,"createdAt":0,"updatedAt":0}""";

    [Test]
    public async Task Walking_fetches_every_page_lazily_until_an_empty_one()
    {
        Mock.Then(r => ProxyMock.Success(r.Params[0].GetProperty("page").GetInt32() switch
        {
            1 => $$$"""{"users":[{{{User("1", "a")}}},{{{User("2", "b")}}}],"total":7,"page":1,"limit":2,"totalPages":4}""",
            2 => $$$"""{"users":[{{{User("3", "c")}}},{{{User("4", "d")}}}],"total":7,"page":2,"limit":2,"totalPages":4}""",
            3 => $$$"""{"users":[{{{User("5", "e")}}}],"total":7,"page":3,"limit":2,"totalPages":4}""",
            _ => """{"users":[],"total":7,"page":4,"limit":2,"totalPages":4}""",
        }));
        using var client = Mock.Client();

        var identifiers = new List<string>();
        await foreach (var user in client.Sessions.EnumerateUsersAsync("session_name", limit: 2))
        {
            identifiers.Add(user.Identifier);
            if (identifiers.Count == 1)
            {
                Assert.That(Mock.Requests, Has.Count.EqualTo(1), "pages are fetched as they are needed");
            }
        }

        Assert.That(identifiers, Is.EqualTo(new[] { "a", "b", "c", "d", "e" }));
        Assert.That(Mock.Requests.Select(r => r.Params[0].GetProperty("page").GetInt32()), Is.EqualTo(new[] { 1, 2, 3, 4 }));
    }

    [Test]
    public async Task Walking_stops_when_cancelled()
    {
        Mock.Then(r => ProxyMock.Success(
            """{"total":100,"page":1,"limit":2,"sessions":[{"sessionId":"a","identifier":"u","startAt":0,"endAt":0,"active":true},{"sessionId":"b","identifier":"u","startAt":0,"endAt":0,"active":true}]}"""));
        using var client = Mock.Client();
        using var cts = new CancellationTokenSource();
        var seen = 0;

        Assert.CatchAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in client.Sessions.EnumerateActiveAsync("session_name", limit: 2, cancellationToken: cts.Token))
            {
                if (++seen == 3)
                {
                    await cts.CancelAsync();
                }
            }
        });

        Assert.That(seen, Is.EqualTo(4), "the page in hand finishes, no further page is fetched");
        Assert.That(Mock.Requests, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task FetchUsers_sends_session_env_and_paging()
    {
        Mock.ThenData("""
            {"users":[{"_id":"66","ductape_user_id":"du_1","product_tag":"acme:shop","session_tag":"session_name","identifier":"u1",
              "env":"prd","first_seen":"2026-11-01T00:00:00Z","last_seen":1795795200000,"createdAt":"2026-11-01T00:00:00Z",
              "updatedAt":"2026-11-02T00:00:00Z"}],"total":1,"page":1,"limit":20,"totalPages":1}
            """);
        using var client = Mock.Client();

        var page = await client.Sessions.FetchUsersAsync("session_name");

        Json.AssertEquivalent(Single().Params, """[{"product":"acme:shop","session":"session_name","env":"prd","page":1,"limit":20}]""");
        var user = page.Items.Single();
        Assert.That(user.Id, Is.EqualTo("66"));
        Assert.That(user.DuctapeUserId, Is.EqualTo("du_1"));
        Assert.That(user.ProductTag, Is.EqualTo("acme:shop"));
        Assert.That(user.SessionTag, Is.EqualTo("session_name"));
        Assert.That(user.Identifier, Is.EqualTo("u1"));
        Assert.That(user.FirstSeen, Is.EqualTo(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero)));
        Assert.That(user.LastSeen, Is.EqualTo(DateTimeOffset.FromUnixTimeMilliseconds(1795795200000)));
        Assert.That(user.UpdatedAt, Is.EqualTo(new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero)));
    }

    [Test]
    public async Task Analytics_omit_env_when_none_is_set()
    {
        Mock.ThenData("""
            {"totalUsers":1,"activeUsers":1,"inactiveUsers":0,"expiredUsers":0,"newUsersToday":1,"newUsersThisWeek":1,
             "totalSessions":1,"activeSessions":1,"averageSessionsPerUser":1}
            """);
        using var client = Mock.Client(o => o.Env = null);
        await client.Sessions.FetchDashboardAsync("session_name");
        Json.AssertEquivalent(Single().Params, """[{"product":"acme:shop","session":"session_name"}]""");
    }

    [Test]
    public async Task FetchUserDetails_decodes_snake_case_sessions_and_camel_case_totals()
    {
        Mock.ThenData("""
            {"_id":"66","ductape_user_id":"du_1","product_tag":"acme:shop","session_tag":"session_name","identifier":"u1",
             "env":"prd","first_seen":0,"last_seen":0,"createdAt":0,"updatedAt":0,"sessions":[{"session_id":"s1","start_at":"2026-11-27T09:00:00Z",
             "end_at":1795795200000,"active":false}],"totalSessions":5,"activeSessionsCount":2}
            """);
        using var client = Mock.Client();

        var details = await client.Sessions.FetchUserDetailsAsync("session_name", "u1");

        Json.AssertEquivalent(Single().Params, """[{"product":"acme:shop","session":"session_name","env":"prd","identifier":"u1"}]""");
        Assert.That(details.Identifier, Is.EqualTo("u1"));
        Assert.That(details.TotalSessions, Is.EqualTo(5));
        Assert.That(details.ActiveSessionsCount, Is.EqualTo(2));
        var session = details.Sessions.Single();
        Assert.That(session.SessionId, Is.EqualTo("s1"));
        Assert.That(session.StartAt, Is.EqualTo(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero)));
        Assert.That(session.EndAt, Is.EqualTo(DateTimeOffset.FromUnixTimeMilliseconds(1795795200000)));
        Assert.That(session.IsActive, Is.False);
    }

    [Test]
    public async Task FetchDashboard_decodes_every_metric()
    {
        Mock.ThenData("""
            {"totalUsers":10,"activeUsers":4,"inactiveUsers":6,"expiredUsers":3,"newUsersToday":1,"newUsersThisWeek":2,
             "totalSessions":25,"activeSessions":5,"averageSessionsPerUser":2.5}
            """);
        using var client = Mock.Client();

        var dashboard = await client.Sessions.FetchDashboardAsync("session_name");

        Assert.That(Single().Method_, Is.EqualTo("fetchDashboard"));
        Assert.That(dashboard, Is.EqualTo(new SessionDashboard
        {
            TotalUsers = 10, ActiveUsers = 4, InactiveUsers = 6, ExpiredUsers = 3, NewUsersToday = 1, NewUsersThisWeek = 2,
            TotalSessions = 25, ActiveSessions = 5, AverageSessionsPerUser = 2.5,
        }));
    }

    [Test]
    public void A_publishable_key_alone_cannot_manage_sessions()
    {
        using var client = Mock.Client(o =>
        {
            o.AccessKey = null;
            o.PublishableKey = "pk_live_123";
        });
        var calls = new Func<Task>[]
        {
            () => client.Sessions.StartAsync("s", TokenTestKit.SeedData),
            () => client.Sessions.VerifyAsync("s", "t"),
            () => client.Sessions.RefreshAsync("s", "r"),
            () => client.Sessions.RevokeAsync("s", sessionId: "x"),
            () => client.Sessions.RevokeAllAsync("s", "u"),
            () => client.Sessions.ListActiveAsync("s"),
        };
        foreach (var call in calls)
        {
            var ex = Assert.ThrowsAsync<InvalidOperationException>(() => call());
            Assert.That(ex!.Message, Does.Contain("backend only").And.Not.Contain("pk_live_123"));
        }

        Assert.ThrowsAsync<InvalidOperationException>(() => client.Products.Sessions.FetchAllAsync());
        Assert.That(Mock.Requests, Is.Empty);
    }

    [Test]
    public void A_missing_env_names_the_setting()
    {
        using var client = Mock.Client(o => o.Env = null);
        var ex = Assert.ThrowsAsync<InvalidOperationException>(() => client.Sessions.StartAsync("s", TokenTestKit.SeedData));
        Assert.That(ex!.Message, Does.Contain("DuctapeClientOptions.Env").And.Contain("DuctapeRequestOptions.Env"));
        Assert.That(Mock.Requests, Is.Empty);
    }
}
