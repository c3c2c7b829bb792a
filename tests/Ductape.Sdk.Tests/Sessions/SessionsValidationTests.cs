using Ductape.Sdk.Tests.Tokens;

namespace Ductape.Sdk.Tests.Sessions;

public class SessionsValidationTests : ProxyMockTest
{
    private DuctapeClient _client = null!;

    [SetUp]
    public void SetUp()
    {
        Mock.ThenData("{}");
        _client = Mock.Client();
    }

    [TearDown]
    public void TearDown()
    {
        _client.Dispose();
        Assert.That(Mock.Requests, Is.Empty, "validation must fail before any request");
    }

    private static void Fails(Func<Task> call, string field, string problem)
    {
        var ex = Assert.ThrowsAsync<DuctapeValidationException>(() => call());
        Assert.That(ex!.Errors.Select(e => e.Field), Does.Contain(field));
        Assert.That(ex.Errors.First(e => e.Field == field).Problem, Does.Contain(problem));
    }

    [TestCase("")]
    [TestCase(" ")]
    [TestCase("bad tag")]
    public void A_bad_tag_is_rejected_everywhere(string tag)
    {
        var s = _client.Sessions;
        Fails(() => s.StartAsync(tag, TokenTestKit.SeedData), "tag", "");
        Fails(() => s.VerifyAsync(tag, "t"), "tag", "");
        Fails(() => s.RefreshAsync(tag, "r"), "tag", "");
        Fails(() => s.RevokeAsync(tag, sessionId: "x"), "tag", "");
        Fails(() => s.RevokeAllAsync(tag, "u"), "tag", "");
        Fails(() => s.ListActiveAsync(tag), "tag", "");
        Fails(() => s.FetchUsersAsync(tag), "session", "");
        Fails(() => s.FetchUserDetailsAsync(tag, "u"), "session", "");
        Fails(() => s.FetchDashboardAsync(tag), "session", "");
    }

    [TestCase("")]
    [TestCase("  ")]
    public void Blank_tokens_and_identifiers_are_rejected(string blank)
    {
        var s = _client.Sessions;
        Fails(() => s.VerifyAsync("t", blank), "token", "");
        Fails(() => s.RefreshAsync("t", blank), "refreshToken", "");
        Fails(() => s.RevokeAllAsync("t", blank), "identifier", "");
        Fails(() => s.FetchUserDetailsAsync("t", blank), "identifier", "");
    }

    [Test]
    public void Revoke_needs_exactly_one_target()
    {
        Fails(() => _client.Sessions.RevokeAsync("t"), "sessionId", "exactly one");
        Fails(() => _client.Sessions.RevokeAsync("t", sessionId: "s", identifier: "u"), "sessionId", "exactly one");
    }

    [TestCase(0, 20, "page", "at least 1")]
    [TestCase(1, 0, "limit", "between 1 and 100")]
    [TestCase(1, 101, "limit", "between 1 and 100")]
    public void Paging_is_checked(int page, int limit, string field, string problem)
    {
        Fails(() => _client.Sessions.ListActiveAsync("t", page: page, limit: limit), field, problem);
        Fails(() => _client.Sessions.FetchUsersAsync("t", page, limit), field, problem);
    }

    [Test]
    public void Start_data_must_be_an_object_and_expiry_positive()
    {
        Fails(() => _client.Sessions.StartAsync("t", Json.Parse("[1]")), "data", "must be a JSON object");
        Fails(() => _client.Sessions.StartAsync("t", default), "data", "must be a JSON object");
        Fails(() => _client.Sessions.StartAsync("t", TokenTestKit.SeedData, TimeSpan.Zero), "expiresIn", "at least one second");
    }
}
