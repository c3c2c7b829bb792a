using Ductape.Sdk.Tokens;
using Ductape.Sdk.Tokens.Revocation;

namespace Ductape.Sdk.Tests.Tokens;

/// <summary>The revocation set store writers build on: what it holds, what it refuses, and how long it keeps it.</summary>
public class RevocationSetTests
{
    private static readonly SessionScope Scope = new("acme:shop", "prd", "session_name");
    private TokenTestKit _kit = null!;
    private SessionRevocationSet _set = null!;

    [SetUp]
    public void SetUp()
    {
        _kit = new TokenTestKit();
        _set = new SessionRevocationSet(TimeSpan.FromDays(1), _kit.Time);
    }

    private static IEnumerable<TestCaseData> IllFormed()
    {
        var until = TokenTestKit.Now.AddHours(1);
        yield return new TestCaseData(new SessionIdRevocation("", until)).SetName("empty session id");
        yield return new TestCaseData(new SessionIdRevocation("   ", until)).SetName("blank session id");
        yield return new TestCaseData(new SessionIdRevocation(null!, until)).SetName("null session id");
        yield return new TestCaseData(new SessionIdRevocation(new string('s', SessionRevocation.MaxTextLength + 1), until)).SetName("session id too long");
        yield return new TestCaseData(new UserRevocation(Scope, " ", until, null, DateTimeOffset.MinValue, until)).SetName("blank identifier");
        yield return new TestCaseData(new UserRevocation(Scope with { Env = "" }, "u", until, null, DateTimeOffset.MinValue, until)).SetName("blank env");
        yield return new TestCaseData(new UserRevocation(default, "u", until, null, DateTimeOffset.MinValue, until)).SetName("default scope");
        yield return new TestCaseData(new UserRevocation(Scope, "u", until, "\t", DateTimeOffset.MinValue, until)).SetName("blank excepted session");
    }

    [TestCaseSource(nameof(IllFormed))]
    public void An_ill_formed_revocation_is_not_well_formed_and_is_refused_with_a_clear_error(SessionRevocation revocation)
    {
        Assert.That(revocation.IsWellFormed, Is.False);
        var ex = Assert.Throws<ArgumentException>(() => _set.Apply(revocation));
        Assert.That(ex!.Message, Does.StartWith("The revocation is not well formed"));
        Assert.That(_set.Count, Is.Zero);
    }

    [Test]
    public void An_entry_never_lives_longer_than_the_entry_lifetime_whatever_it_says()
    {
        var far = new SessionIdRevocation("ses_far", DateTimeOffset.MaxValue);
        Assert.That(_set.Apply(far), Is.True);

        Assert.That(_set.Snapshot().Single().Until, Is.EqualTo(TokenTestKit.Now + TimeSpan.FromDays(1)));
        _kit.Time.Advance(TimeSpan.FromDays(1));
        _set.Sweep();
        Assert.That(_set.Count, Is.Zero);
    }

    [Test]
    public void An_expired_revocation_teaches_nothing()
    {
        Assert.That(_set.Apply(new SessionIdRevocation("ses_old", TokenTestKit.Now)), Is.False);
        Assert.That(_set.Count, Is.Zero);
    }

    [Test]
    public void Applying_the_same_revocation_twice_changes_nothing_the_second_time()
    {
        var revocation = _set.CreateUserRevocation(Scope, "u", "ses_keep");
        Assert.That((_set.Apply(revocation), _set.Apply(revocation)), Is.EqualTo((true, false)));
    }

    [Test]
    public void Creating_a_revocation_checks_its_input()
    {
        Assert.Throws<ArgumentException>(() => _set.CreateSessionRevocation(" "));
        Assert.Throws<ArgumentException>(() => _set.CreateUserRevocation(Scope with { Tag = "" }, "u", null));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new SessionRevocationSet(TimeSpan.FromSeconds(59)));
    }
}
