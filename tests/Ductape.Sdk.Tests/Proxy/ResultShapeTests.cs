using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Ductape.Sdk.Products;

namespace Ductape.Sdk.Tests.Proxy;

/// <summary>
/// Every operation's result is checked against the contract's shape: a member it requires that is missing, null or of the
/// wrong JSON type is <c>INVALID_RESPONSE</c>, never a half-filled result, and the error quotes no token or session data.
/// </summary>
public class ResultShapeTests
{
    internal const string Token = "session_name:eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..bm9uY2Vub25jZQ.Y2lwaGVydGV4dA.dGFndGFndGFn";
    internal const string RefreshToken = "rt_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-AbCd";
    internal const string UserData = "191010192-19198829819";

    private const string SessionType = """
        {"tag":"session_name","name":"Session Name","description":"d","expiry":7,"period":"hours","selector":"$Session{userId}","schema":{"userId":"1"}}
        """;

    private const string User = """
        {"_id":"66","ductape_user_id":"du_1","product_tag":"acme:shop","session_tag":"session_name","identifier":"u1","env":"prd","first_seen":"2026-11-01T00:00:00Z","last_seen":0,"createdAt":0,"updatedAt":0}
        """;

    /// <summary>One row per operation that returns something: how to call it, a whole result, and its optional members.</summary>
    public sealed record Operation(string Method, Func<DuctapeClient, Task> Call, string Result, params string[] Optional)
    {
        public override string ToString() => Method;
    }

    public static readonly Operation[] Operations =
    [
        new("create", c => c.Products.Sessions.CreateAsync(Seed()), SessionType),
        new("update", c => c.Products.Sessions.UpdateAsync(new ProductSessionUpdate("session_name") { Expiry = 14 }), SessionType),
        new("fetch", c => c.Products.Sessions.FetchAsync("session_name"), SessionType),
        new("list", c => c.Products.Sessions.FetchAllAsync(), $"[{SessionType}]"),
        new("start", c => c.Sessions.StartAsync("session_name", SessionJson.Parse($$"""{"userId":"{{UserData}}"}""")),
            $$"""{"token":"{{Token}}","refreshToken":"{{RefreshToken}}","sessionId":"ses_1","expiresAt":"2026-11-27T16:00:00Z"}"""),
        new("verify", c => c.Sessions.VerifyAsync("session_name", Token),
            $$"""{"valid":true,"data":{"userId":"{{UserData}}"},"sessionId":"ses_1","expiresAt":"2026-11-27T16:00:00Z"}""",
            "data", "sessionId", "expiresAt"),
        new("refresh", c => c.Sessions.RefreshAsync("session_name", RefreshToken),
            $$"""{"token":"{{Token}}","refreshToken":"{{RefreshToken}}","sessionId":"ses_1","expiresAt":1795795200000}"""),
        new("revoke", c => c.Sessions.RevokeAsync("session_name", sessionId: "ses_1"), """{"revoked":1}"""),
        new("revokeAll", c => c.Sessions.RevokeAllAsync("session_name", "u1"), """{"revoked":2}"""),
        new("listActive", c => c.Sessions.ListActiveAsync("session_name"),
            """{"total":1,"page":1,"limit":20,"sessions":[{"sessionId":"s1","identifier":"u1","startAt":0,"endAt":"2026-11-28T00:00:00Z","active":true}]}"""),
        new("fetchUsers", c => c.Sessions.FetchUsersAsync("session_name"),
            $$"""{"users":[{{User}}],"total":1,"page":1,"limit":20,"totalPages":1}"""),
        new("fetchUserDetails", c => c.Sessions.FetchUserDetailsAsync("session_name", "u1"),
            User.TrimEnd()[..^1] + ""","sessions":[{"session_id":"s1","start_at":0,"end_at":0,"active":false}],"totalSessions":1,"activeSessionsCount":0}"""),
        new("fetchDashboard", c => c.Sessions.FetchDashboardAsync("session_name"),
            """{"totalUsers":10,"activeUsers":4,"inactiveUsers":6,"expiredUsers":3,"newUsersToday":1,"newUsersThisWeek":2,"totalSessions":25,"activeSessions":5,"averageSessionsPerUser":2.5}"""),
    ];

    private static ProductSession Seed() => new()
    {
        Name = "Session Name", Tag = "session_name", Description = "d", Schema = SessionJson.Parse("""{"userId":"1"}"""),
        Selector = "$Session{userId}", Expiry = 7, Period = TokenPeriod.Hours,
    };

    /// <summary>For every required member of every result: the member removed, set to null, and given a wrong JSON type.</summary>
    public static IEnumerable<TestCaseData> BrokenResults()
    {
        foreach (var operation in Operations)
        {
            foreach (var (path, json) in Mutations(JsonNode.Parse(operation.Result)!, "data", operation.Optional))
            {
                yield return new TestCaseData(operation, json).SetArgDisplayNames(operation.Method, path);
            }
        }
    }

    [TestCaseSource(nameof(Operations))]
    public async Task A_whole_result_is_accepted(Operation operation)
    {
        using var mock = new ProxyMock();
        mock.ThenData(operation.Result);
        using var client = mock.Client();
        await operation.Call(client);
        Assert.That(mock.Requests.Single().Method_, Is.EqualTo(operation.Method));
    }

    [TestCaseSource(nameof(BrokenResults))]
    public void A_broken_result_is_an_invalid_response_that_quotes_no_secret(Operation operation, string result)
    {
        using var mock = new ProxyMock();
        mock.ThenData(result);
        using var client = mock.Client();

        var ex = Assert.ThrowsAsync<DuctapeApiException>(() => operation.Call(client));

        Assert.That(ex!.Code, Is.EqualTo(DuctapeApiException.InvalidResponseCode));
        Assert.That(ex.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(ex.RequestId, Is.Null.Or.EqualTo("req_ok_1"));
        foreach (var text in new[] { ex.Message, ex.ResponseBody ?? "", ex.ToString() })
        {
            Assert.That(text, Does.Not.Contain("eyJhbGciOiJkaXIi").And.Not.Contain(RefreshToken[..10]).And.Not.Contain(UserData));
        }
    }

    [TestCase("""{"token":"t","refreshToken":"r","sessionId":"s","expiresAt":253402300800000}""")]
    [TestCase("""{"token":"t","refreshToken":"r","sessionId":"s","expiresAt":-62135596800001}""")]
    [TestCase("""{"token":"t","refreshToken":"r","sessionId":"s","expiresAt":"the day after tomorrow"}""")]
    [TestCase("""{"token":"t","refreshToken":"r","sessionId":"s","expiresAt":1e400}""")]
    public void An_out_of_range_time_is_an_invalid_response(string result)
    {
        using var mock = new ProxyMock();
        mock.ThenData(result);
        using var client = mock.Client();

        var ex = Assert.ThrowsAsync<DuctapeApiException>(() => client.Sessions.RefreshAsync("session_name", RefreshToken));

        Assert.That(ex!.Code, Is.EqualTo(DuctapeApiException.InvalidResponseCode));
    }

    [Test]
    public void Invalid_utf8_in_an_error_envelope_is_an_invalid_response_not_a_crash()
    {
        using var mock = new ProxyMock();
        var body = Encoding.UTF8.GetBytes("""{"status":false,"code":"X","message":"bad """).Concat(new byte[] { 0xC3, 0x28 })
            .Concat("\"}"u8.ToArray()).ToArray();
        mock.Then(_ => new HttpResponseMessage(HttpStatusCode.BadRequest) { Content = new ByteArrayContent(body) });
        using var client = mock.Client();

        var ex = Assert.ThrowsAsync<DuctapeApiException>(() => client.Products.Sessions.FetchAsync("session_name"));

        Assert.That(ex!.Code, Is.EqualTo(DuctapeApiException.InvalidResponseCode));
        Assert.That(ex.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public void An_unreadable_start_answer_is_never_quoted_as_text()
    {
        using var mock = new ProxyMock();
        mock.ThenStatus(HttpStatusCode.OK, $"token={Token}&refresh={RefreshToken}", "text/plain");
        using var client = mock.Client();

        var ex = Assert.ThrowsAsync<DuctapeApiException>(() =>
            client.Sessions.StartAsync("session_name", SessionJson.Parse($$"""{"userId":"{{UserData}}"}""")));

        Assert.That(ex!.ResponseBody, Does.StartWith("[withheld"));
    }

    [Test]
    public void Tokens_in_a_plain_text_error_page_are_masked()
    {
        using var mock = new ProxyMock();
        mock.ThenStatus(HttpStatusCode.BadGateway, $"<html>upstream said {Token} and {RefreshToken}</html>", "text/html");
        using var client = mock.Client(o => o.Retry.MaxRetries = 0);

        var ex = Assert.ThrowsAsync<DuctapeApiException>(() => client.Products.Sessions.FetchAsync("session_name"));

        Assert.That(ex!.ResponseBody, Is.EqualTo("<html>upstream said session_name:*** and ***</html>"));
    }

    [Test]
    public void A_verification_prints_no_session_data()
    {
        var verification = new Ductape.Sdk.Sessions.SessionVerification
        {
            IsValid = true, Data = SessionJson.Parse($$"""{"userId":"{{UserData}}"}"""), SessionId = "ses_1",
        };
        Assert.That(verification.ToString(), Does.Not.Contain(UserData).And.Contain("ses_1"));
        Assert.That($"{new Ductape.Sdk.Sessions.SessionTokens { Token = Token, RefreshToken = RefreshToken }}",
            Does.Not.Contain("eyJ").And.Not.Contain("rt_"));
    }

    private static IEnumerable<(string Path, string Json)> Mutations(JsonNode root, string rootPath, string[] optional)
    {
        foreach (var (path, parent, key) in Members(root, rootPath))
        {
            if (optional.Contains(key) && parent.Parent is null)
            {
                continue;
            }

            var original = parent[key]!;
            var wrong = original.GetValueKind() switch
            {
                System.Text.Json.JsonValueKind.String => JsonValue.Create(true),
                System.Text.Json.JsonValueKind.Object or System.Text.Json.JsonValueKind.Array => JsonValue.Create("x"),
                _ => (JsonNode)JsonValue.Create("x"),
            };

            parent.Remove(key);
            yield return ($"{path} missing", root.ToJsonString());
            parent[key] = null;
            yield return ($"{path} null", root.ToJsonString());
            parent[key] = wrong;
            yield return ($"{path} {original.GetValueKind().ToString().ToLowerInvariant()} as {wrong.GetValueKind().ToString().ToLowerInvariant()}", root.ToJsonString());
            parent[key] = original; // the same node, so members found inside it stay attached
        }

        if (root is JsonArray array)
        {
            array.Add(null);
            yield return ($"{rootPath}[1] null", root.ToJsonString());
            array.RemoveAt(array.Count - 1);
        }
    }

    /// <summary>Every member of every object, depth first (inside arrays, the first element's), as (path, parent, name).</summary>
    private static List<(string Path, JsonObject Parent, string Key)> Members(JsonNode node, string path)
    {
        var found = new List<(string, JsonObject, string)>();
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    found.Add(($"{path}.{key}", obj, key));
                    if (value is JsonObject or JsonArray && key != "schema" && key != "data")
                    {
                        found.AddRange(Members(value, $"{path}.{key}"));
                    }
                }

                break;
            case JsonArray { Count: > 0 } array:
                found.AddRange(Members(array[0]!, $"{path}[0]"));
                break;
        }

        return found;
    }
}
