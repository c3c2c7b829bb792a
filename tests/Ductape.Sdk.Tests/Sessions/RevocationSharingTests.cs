using Ductape.Sdk.Sessions;
using Ductape.Sdk.Tests.Tokens;
using Ductape.Sdk.Tokens;

namespace Ductape.Sdk.Tests.Sessions;

/// <summary>
/// One home for "valid and not revoked": offline verification asks the validator, which alone asks the store; a store that
/// fails never escapes as its own exception.
/// </summary>
public class RevocationSharingTests : ProxyMockTest
{
    private TokenTestKit _kit = null!;

    [SetUp]
    public void SetUp()
    {
        _kit = new TokenTestKit();
    }

    private DuctapeClient Client(ISessionRevocationStore store) => Mock.Client(o =>
    {
        o.SessionKeys = _kit.Ring;
        o.TimeProvider = _kit.Time;
        o.RevocationStore = store;
    });

    private string Token() => _kit.Issuer().Issue(SessionTokenValidatorTests.Descriptor() with { SessionId = "ses_1" }).Token;

    [Test]
    public async Task A_store_that_throws_makes_offline_verification_answer_RevocationUnknown_not_throw()
    {
        using var client = Client(new FailingStore(checkFailure: new InvalidOperationException("store bug")));

        var withRevocations = await client.Sessions.VerifyAsync("session_name", Token());
        var keysOnly = await client.Sessions.VerifyAsync("session_name", Token(), SessionVerificationMode.Offline);

        Assert.That((withRevocations.IsValid, withRevocations.Failure), Is.EqualTo((false, SessionTokenFailure.RevocationUnknown)));
        Assert.That(keysOnly.IsValid, Is.True, "Offline asks for the token checks alone");
    }

    [Test]
    public async Task A_store_that_answers_unknown_is_what_offline_verification_and_the_validator_both_say()
    {
        var store = new FailingStore(state: SessionRevocationState.Unknown);
        using var client = Client(store);
        var validator = _kit.Validator(o => o.RevocationStore = store);

        var verified = await client.Sessions.VerifyAsync("session_name", Token());

        Assert.That(verified.Failure, Is.EqualTo(validator.Validate(Token()).Failure).And.EqualTo(SessionTokenFailure.RevocationUnknown));
    }

    [Test]
    public void A_revocation_the_store_cannot_share_reaches_the_caller_saying_Ductape_revoked_it()
    {
        Mock.ThenData("""{"revoked":1}""");
        var cause = new DuctapeRevocationNotSharedException("not confirmed by Redis in time");
        using var client = Client(new FailingStore(writeFailure: cause));

        var ex = Assert.ThrowsAsync<DuctapeRevocationNotSharedException>(() => client.Sessions.RevokeAsync("session_name", sessionId: "ses_1"));

        Assert.That(ex!.Message, Does.StartWith("Ductape has revoked the session, but the revocation store could not share it"));
        Assert.That(ex.Message, Does.Contain("Retrying the revocation is safe").And.Contain("keeps trying in the background"));
        Assert.That(ex.InnerException, Is.SameAs(cause));
        Assert.That(Mock.Requests.Select(r => r.Method_), Is.EqualTo(new[] { "revoke" }), "Ductape was asked once");
    }

    [Test]
    public void Any_failure_of_a_store_after_RevokeAll_is_the_SDKs_own_exception()
    {
        Mock.ThenData("""{"revoked":2}""");
        using var client = Client(new FailingStore(writeFailure: new TimeoutException("custom store")));

        var ex = Assert.ThrowsAsync<DuctapeRevocationNotSharedException>(
            () => client.Sessions.RevokeAllAsync("session_name", "191010192-19198829819"));

        Assert.That(ex!.Message, Does.StartWith("Ductape has revoked the user's sessions").And.Contain("(TimeoutException)"));
        Assert.That(ex.Message, Does.Not.Contain("191010192"), "no identifier in a message");
        Assert.That(ex.InnerException, Is.TypeOf<TimeoutException>());
    }

    [Test]
    public async Task The_clients_validator_refuses_a_session_revoked_through_the_client()
    {
        Mock.ThenData("""{"revoked":1}""");
        using var client = Mock.Client(o =>
        {
            o.SessionKeys = _kit.Ring;
            o.TimeProvider = _kit.Time;
        });
        var validator = client.Sessions.GetValidator();
        Assert.That(validator.Validate(Token()).IsValid, Is.True);

        await client.Sessions.RevokeAsync("session_name", sessionId: "ses_1");

        Assert.That(validator.Validate(Token()).Failure, Is.EqualTo(SessionTokenFailure.Revoked));
        Assert.That(client.Sessions.GetValidator().Validate(Token()).Failure, Is.EqualTo(SessionTokenFailure.Revoked));
    }

    [Test]
    public void The_clients_validator_needs_session_keys_and_an_audience_and_says_which()
    {
        using var withoutKeys = Mock.Client();
        using var withoutEnv = Mock.Client(o =>
        {
            o.SessionKeys = _kit.Ring;
            o.Env = null;
        });

        Assert.That(Assert.Throws<InvalidOperationException>(() => withoutKeys.Sessions.GetValidator())!.Message,
            Does.Contain("DuctapeClientOptions.SessionKeys"));
        Assert.That(Assert.Throws<InvalidOperationException>(() => withoutEnv.Sessions.GetValidator())!.Message,
            Does.Contain("DuctapeClientOptions.Product and Env"));
    }

    /// <summary>A store whose checks answer a fixed state (or throw), and whose writes fail (or succeed).</summary>
    private sealed class FailingStore(
        SessionRevocationState state = SessionRevocationState.Active, Exception? checkFailure = null, Exception? writeFailure = null)
        : ISessionRevocationStore
    {
        public SessionRevocationState Check(ValidatedSession session) => checkFailure is null ? state : throw checkFailure;

        public Task RevokeSessionAsync(string sessionId, CancellationToken cancellationToken = default) =>
            writeFailure is null ? Task.CompletedTask : Task.FromException(writeFailure);

        public Task RevokeIdentifierAsync(SessionScope scope, string identifier, string? exceptSessionId, CancellationToken cancellationToken = default) =>
            writeFailure is null ? Task.CompletedTask : Task.FromException(writeFailure);
    }
}
