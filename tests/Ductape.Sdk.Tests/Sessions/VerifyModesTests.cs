using Ductape.Sdk.Sessions;
using Ductape.Sdk.Tests.Tokens;
using Ductape.Sdk.Tokens;

namespace Ductape.Sdk.Tests.Sessions;

/// <summary>VerifyAsync's explicit modes, the revocations the client records, and the optional server re-check.</summary>
public class VerifyModesTests : ProxyMockTest
{
    private TokenTestKit _kit = null!;

    [SetUp]
    public void SetUp()
    {
        _kit = new TokenTestKit();
    }

    private DuctapeClient Client(Action<DuctapeClientOptions>? configure = null) => Mock.Client(o =>
    {
        o.SessionKeys = _kit.Ring;
        o.TimeProvider = _kit.Time;
        configure?.Invoke(o);
    });

    private string Token(string sessionId = "ses_1") =>
        _kit.Issuer().Issue(SessionTokenValidatorTests.Descriptor() with { SessionId = sessionId }).Token;

    [Test]
    public async Task A_session_revoked_through_the_client_fails_offline_by_default_and_says_which_path_answered()
    {
        Mock.ThenData("""{"revoked":1}""");
        using var client = Client();
        var token = Token();

        var before = await client.Sessions.VerifyAsync("session_name", token);
        await client.Sessions.RevokeAsync("session_name", sessionId: "ses_1");
        var after = await client.Sessions.VerifyAsync("session_name", token);
        var keysOnly = await client.Sessions.VerifyAsync("session_name", token, SessionVerificationMode.Offline);

        Assert.That((before.IsValid, before.VerifiedBy), Is.EqualTo((true, SessionVerificationMode.OfflineWithRevocations)));
        Assert.That((after.IsValid, after.Failure, after.VerifiedBy),
            Is.EqualTo((false, SessionTokenFailure.Revoked, SessionVerificationMode.OfflineWithRevocations)));
        Assert.That((keysOnly.IsValid, keysOnly.VerifiedBy), Is.EqualTo((true, SessionVerificationMode.Offline)),
            "Offline consults no revocations, as documented");
        Assert.That(Mock.Requests.Select(r => r.Method_), Is.EqualTo(new[] { "revoke" }), "verification made no request");
    }

    [Test]
    public async Task RevokeAll_revokes_the_users_earlier_sessions_offline_but_the_excluded_one()
    {
        Mock.ThenData("""{"revoked":2}""");
        using var client = Client();
        var old = Token("ses_old");
        var current = Token("ses_current");
        _kit.Time.Advance(TimeSpan.FromSeconds(1));

        await client.Sessions.RevokeAllAsync("session_name", "191010192-19198829819", excludeSessionId: "ses_current");

        Assert.That((await client.Sessions.VerifyAsync("session_name", old)).Failure, Is.EqualTo(SessionTokenFailure.Revoked));
        Assert.That((await client.Sessions.VerifyAsync("session_name", current)).IsValid, Is.True);
    }

    [Test]
    public async Task A_shared_store_carries_a_revocation_from_one_client_to_another()
    {
        Mock.ThenData("""{"revoked":1}""");
        var store = new InMemorySessionRevocationStore(new SessionRevocationStoreOptions { TimeProvider = _kit.Time });
        using var one = Client(o => o.RevocationStore = store);
        using var two = Client(o => o.RevocationStore = store);
        var validator = _kit.Validator(o => o.RevocationStore = store);

        await one.Sessions.RevokeAsync("session_name", sessionId: "ses_1");

        Assert.That((await two.Sessions.VerifyAsync("session_name", Token())).Failure, Is.EqualTo(SessionTokenFailure.Revoked));
        Assert.That(validator.Validate(Token()).Failure, Is.EqualTo(SessionTokenFailure.Revoked));
    }

    [Test]
    public async Task A_failed_revocation_records_nothing()
    {
        Mock.ThenStatus(System.Net.HttpStatusCode.NotFound, ProxyMock.Failure("SESSION_NOT_FOUND", "no such session"));
        using var client = Client();

        Assert.ThrowsAsync<DuctapeApiException>(() => client.Sessions.RevokeAsync("session_name", sessionId: "ses_1"));

        Assert.That((await client.Sessions.VerifyAsync("session_name", Token())).IsValid, Is.True);
    }

    [Test]
    public async Task Server_mode_asks_Ductape_even_with_keys()
    {
        Mock.ThenData("""{"valid":false}""");
        using var client = Client();

        var result = await client.Sessions.VerifyAsync("session_name", Token(), SessionVerificationMode.Server);

        Assert.That((result.IsValid, result.VerifiedBy), Is.EqualTo((false, SessionVerificationMode.Server)));
        Assert.That(Mock.Requests.Single().Method_, Is.EqualTo("verify"));
    }

    [Test]
    public void Offline_modes_without_keys_are_a_configuration_error_before_any_request()
    {
        using var client = Mock.Client();
        var ex = Assert.ThrowsAsync<InvalidOperationException>(() =>
            client.Sessions.VerifyAsync("session_name", "session_name:x", SessionVerificationMode.OfflineWithRevocations));
        Assert.That(ex!.Message, Does.Contain("DuctapeClientOptions.SessionKeys"));
        Assert.That(Mock.Requests, Is.Empty);
    }

    [Test]
    public void An_undefined_mode_is_a_validation_error()
    {
        using var client = Client();
        var ex = Assert.ThrowsAsync<DuctapeValidationException>(() =>
            client.Sessions.VerifyAsync("session_name", Token(), (SessionVerificationMode)42));
        Assert.That(ex!.Errors.Single().Field, Is.EqualTo("mode"));
    }

    [Test]
    public async Task The_server_recheck_runs_at_most_once_per_interval_and_records_what_it_learns()
    {
        Mock.ThenData("""{"valid":true,"sessionId":"ses_1"}""").ThenData("""{"valid":false}""");
        using var client = Client(o => o.RevocationRecheckInterval = TimeSpan.FromMinutes(1));
        var token = Token();

        Assert.That((await client.Sessions.VerifyAsync("session_name", token)).IsValid, Is.True);
        Assert.That((await client.Sessions.VerifyAsync("session_name", token)).IsValid, Is.True);
        Assert.That(Mock.Requests, Has.Count.EqualTo(1), "the second verification is within the interval: no request");

        _kit.Time.Advance(TimeSpan.FromMinutes(1));
        var revokedElsewhere = await client.Sessions.VerifyAsync("session_name", token);
        Assert.That((revokedElsewhere.IsValid, revokedElsewhere.Failure), Is.EqualTo((false, SessionTokenFailure.Revoked)));
        Assert.That(Mock.Requests, Has.Count.EqualTo(2));

        // Learned: the store now knows, so no further request is needed to refuse it.
        Assert.That((await client.Sessions.VerifyAsync("session_name", token)).Failure, Is.EqualTo(SessionTokenFailure.Revoked));
        Assert.That(Mock.Requests, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task When_Ductape_cannot_be_reached_the_recheck_keeps_the_offline_answer()
    {
        Mock.ThenThrow(new HttpRequestException("down"));
        using var client = Client(o =>
        {
            o.RevocationRecheckInterval = TimeSpan.FromMinutes(1);
            o.Retry.MaxRetries = 0;
        });

        Assert.That((await client.Sessions.VerifyAsync("session_name", Token())).IsValid, Is.True);
    }
}
