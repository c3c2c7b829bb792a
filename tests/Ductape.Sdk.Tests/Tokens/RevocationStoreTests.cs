using Ductape.Sdk.Tokens;
using Ductape.Sdk.Tokens.Revocation;

namespace Ductape.Sdk.Tests.Tokens;

/// <summary>The in-memory revocation store, and the validator's last step that consults it (CONTRACT §7).</summary>
public class RevocationStoreTests
{
    private static readonly SessionScope Scope = new("acme:shop", "prd", "session_name");

    private TokenTestKit _kit = null!;
    private InMemorySessionRevocationStore _store = null!;
    private SessionTokenValidator _validator = null!;

    [SetUp]
    public void SetUp()
    {
        _kit = new TokenTestKit();
        _store = new InMemorySessionRevocationStore(new SessionRevocationStoreOptions
        {
            TimeProvider = _kit.Time,
            EntryLifetime = TimeSpan.FromDays(1),
        });
        _validator = _kit.Validator(o => o.RevocationStore = _store);
    }

    private string Token(string sessionId, string identifier = "191010192-19198829819") =>
        _kit.Issuer().Issue(SessionTokenValidatorTests.Descriptor() with
        {
            SessionId = sessionId,
            Data = SessionJson.Parse($$$"""{"userId":"{{{identifier}}}","details":{"username":"u"}}"""),
        }).Token;

    [Test]
    public async Task A_revoked_session_fails_as_revoked_and_others_stay_valid()
    {
        var revoked = Token("ses_a");
        var other = Token("ses_b");

        await _store.RevokeSessionAsync("ses_a");

        Assert.That(_validator.Validate(revoked).Failure, Is.EqualTo(SessionTokenFailure.Revoked));
        Assert.That(_validator.Validate(other).IsValid, Is.True);
    }

    [Test]
    public async Task Revoking_a_user_revokes_every_earlier_session_but_the_excluded_one_and_not_later_ones()
    {
        var first = Token("ses_1");
        var second = Token("ses_2");
        var current = Token("ses_current");
        var otherUser = Token("ses_x", identifier: "someone-else");
        _kit.Time.Advance(TimeSpan.FromSeconds(1));

        await _store.RevokeIdentifierAsync(Scope, "191010192-19198829819", exceptSessionId: "ses_current");
        _kit.Time.Advance(TimeSpan.FromSeconds(1));
        var later = Token("ses_later");

        Assert.That(_validator.Validate(first).Failure, Is.EqualTo(SessionTokenFailure.Revoked));
        Assert.That(_validator.Validate(second).Failure, Is.EqualTo(SessionTokenFailure.Revoked));
        Assert.That(_validator.Validate(current).IsValid, Is.True, "the excluded session survives");
        Assert.That(_validator.Validate(otherUser).IsValid, Is.True);
        Assert.That(_validator.Validate(later).IsValid, Is.True, "a session started after the revocation is not affected");
    }

    [Test]
    public async Task A_user_revocation_is_scoped_to_its_product_env_and_session_type()
    {
        var token = Token("ses_1");
        _kit.Time.Advance(TimeSpan.FromSeconds(1));

        await _store.RevokeIdentifierAsync(Scope with { Env = "stg" }, "191010192-19198829819", null);
        await _store.RevokeIdentifierAsync(Scope with { Tag = "admin" }, "191010192-19198829819", null);

        Assert.That(_validator.Validate(token).IsValid, Is.True);
    }

    [Test]
    public async Task A_later_revocation_without_an_exception_also_ends_the_session_spared_earlier()
    {
        var current = Token("ses_current");
        _kit.Time.Advance(TimeSpan.FromSeconds(1));
        await _store.RevokeIdentifierAsync(Scope, "191010192-19198829819", "ses_current");
        Assert.That(_validator.Validate(current).IsValid, Is.True);

        _kit.Time.Advance(TimeSpan.FromSeconds(1));
        await _store.RevokeIdentifierAsync(Scope, "191010192-19198829819", null);

        Assert.That(_validator.Validate(current).Failure, Is.EqualTo(SessionTokenFailure.Revoked));
    }

    [Test]
    public async Task A_session_revoked_earlier_stays_revoked_when_a_later_revocation_spares_it()
    {
        var current = Token("ses_current");
        _kit.Time.Advance(TimeSpan.FromSeconds(1));
        await _store.RevokeIdentifierAsync(Scope, "191010192-19198829819", null);
        _kit.Time.Advance(TimeSpan.FromSeconds(1));
        await _store.RevokeIdentifierAsync(Scope, "191010192-19198829819", "ses_current");

        Assert.That(_validator.Validate(current).Failure, Is.EqualTo(SessionTokenFailure.Revoked));
    }

    [Test]
    public void Replicas_that_hear_the_same_revocations_in_any_order_agree()
    {
        var random = new Random(20261129);
        var start = TokenTestKit.Now;
        for (var round = 0; round < 200; round++)
        {
            var revocations = Enumerable.Range(0, random.Next(1, 6)).Select(_ => new UserRevocation(
                Scope, "u",
                start.AddSeconds(random.Next(0, 5)),
                random.Next(3) switch { 0 => null, 1 => "ses_a", _ => "ses_b" },
                DateTimeOffset.MinValue,
                start.AddDays(1))).ToList();
            var forward = revocations.Aggregate((a, b) => a.MergeWith(b));
            var shuffled = revocations.OrderBy(_ => random.Next()).Aggregate((a, b) => a.MergeWith(b));

            foreach (var session in new[] { "ses_a", "ses_b", "ses_c" })
            {
                Assert.That(shuffled.CutoffFor(session), Is.EqualTo(forward.CutoffFor(session)), $"round {round}, {session}");

                // And the summary means what the revocations mean one by one.
                var expected = revocations.Where(r => r.ExceptSessionId != session).Select(r => r.NotBefore)
                    .DefaultIfEmpty(DateTimeOffset.MinValue).Max();
                Assert.That(forward.CutoffFor(session), Is.EqualTo(expected), $"round {round}, {session}");
            }
        }
    }

    [Test]
    public void Entries_are_forgotten_after_their_lifetime()
    {
        var set = new SessionRevocationSet(TimeSpan.FromDays(1), _kit.Time);
        set.Apply(set.CreateSessionRevocation("ses_old"));
        set.Apply(set.CreateUserRevocation(Scope, "u", null));
        Assert.That(set.Count, Is.EqualTo(2));

        _kit.Time.Advance(TimeSpan.FromDays(1));
        set.Sweep();

        Assert.That(set.Count, Is.Zero);
    }

    [Test]
    public void A_store_that_throws_fails_closed_without_throwing_from_the_validator()
    {
        var validator = _kit.Validator(o => o.RevocationStore = new ThrowingStore());
        SessionTokenValidationResult result = null!;
        Assert.DoesNotThrow(() => result = validator.Validate(Token("ses_1")));
        Assert.That(result.Failure, Is.EqualTo(SessionTokenFailure.RevocationUnknown));
    }

    [Test]
    public void Invalid_store_options_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new InMemorySessionRevocationStore(new() { EntryLifetime = TimeSpan.FromSeconds(5) }));
    }

    private sealed class ThrowingStore : ISessionRevocationStore
    {
        public SessionRevocationState Check(ValidatedSession session) => throw new InvalidOperationException("broken");

        public Task RevokeSessionAsync(string sessionId, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task RevokeIdentifierAsync(SessionScope scope, string identifier, string? exceptSessionId, CancellationToken cancellationToken = default) =>
            Task.CompletedTask;
    }
}
