using System.Text.Json;
using Ductape.Sdk.Tokens;

namespace Ductape.Sdk.Tests.Tokens;

public class SessionTokenIssuerTests
{
    private TokenTestKit _kit = null!;

    [SetUp]
    public void SetUp() => _kit = new TokenTestKit();

    [Test]
    public void An_issued_token_validates_with_the_selector_identifier_and_period_lifetime()
    {
        var issued = _kit.Issuer().Issue(SessionTokenValidatorTests.Descriptor());

        Assert.That(issued.Token, Does.StartWith("session_name:"));
        Assert.That(issued.Identifier, Is.EqualTo("191010192-19198829819"));
        Assert.That(issued.SessionId, Does.Match("^ses_[A-Za-z0-9_-]{22}$"));
        Assert.That(issued.IssuedAt, Is.EqualTo(TokenTestKit.Now));
        Assert.That(issued.ExpiresAt, Is.EqualTo(TokenTestKit.Now.AddHours(7)));
        Assert.That(issued.ToString(), Does.Not.Contain(issued.Token));

        var session = _kit.Validator().Validate(issued.Token, "session_name").Session!;
        Assert.That(session.SessionId, Is.EqualTo(issued.SessionId));
        Assert.That(session.Identifier, Is.EqualTo(issued.Identifier));
        Assert.That(session.ExpiresAt, Is.EqualTo(issued.ExpiresAt));
        Json.AssertEquivalent(session.Data, TokenTestKit.SeedData.GetRawText());
    }

    [Test]
    public void The_issuer_never_makes_a_token_its_validator_would_reject_as_too_large()
    {
        var issuer = _kit.Issuer();
        var validator = _kit.Validator();
        string Data(int padding) => $$"""{"userId":"191010192-19198829819","note":"{{new string('x', padding)}}"}""";

        // 14 KB of data would make a token over 19,000 characters: refused, clearly, before anything is encrypted.
        var ex = Assert.Throws<DuctapeValidationException>(() =>
            issuer.Issue(SessionTokenValidatorTests.Descriptor() with { Data = SessionJson.Parse(Data(14_000)) }));
        Assert.That(ex!.Errors.Single().Field, Is.EqualTo("data"));
        Assert.That(ex.Errors.Single().Problem, Does.Contain("the limit is 16384").And.Not.Contain("xxxx"));

        // Every size up to the limit is issued and validates; the predicted length is the real one.
        var largest = 0;
        for (var padding = 11_000; padding < 13_000; padding += 7)
        {
            try
            {
                var token = issuer.Issue(SessionTokenValidatorTests.Descriptor() with { Data = SessionJson.Parse(Data(padding)) }).Token;
                Assert.That(token.Length, Is.LessThanOrEqualTo(16 * 1024));
                Assert.That(validator.Validate(token).IsValid, Is.True, $"{padding} bytes of padding");
                largest = token.Length;
            }
            catch (DuctapeValidationException)
            {
                break;
            }
        }

        Assert.That(largest, Is.GreaterThan(16 * 1024 - 12), "refused only when the token would not fit");
    }

    [Test]
    public void The_header_is_the_contract_header()
    {
        var token = _kit.Issuer().Issue(SessionTokenValidatorTests.Descriptor()).Token;
        var header = token[(token.IndexOf(':') + 1)..].Split('.')[0];
        Json.AssertEquivalent(JsonDocument.Parse(Convert.FromBase64String(Pad(header))).RootElement,
            """{"alg":"dir","enc":"A256GCM","kid":"k1","typ":"JWT"}""");
        Assert.That(token.Split('.')[1], Is.Empty, "no encrypted key with dir");
        Assert.That(Convert.FromBase64String(Pad(token.Split('.')[2])), Has.Length.EqualTo(12));
        Assert.That(Convert.FromBase64String(Pad(token.Split('.')[4])), Has.Length.EqualTo(16));
    }

    [Test]
    public void Nested_selectors_numbers_explicit_lifetimes_and_session_ids_are_honoured()
    {
        var issued = _kit.Issuer().Issue(new SessionTokenDescriptor
        {
            Tag = "s",
            Selector = "$Session{details}{username}",
            Data = TokenTestKit.SeedData,
            Product = "p",
            Env = "dev",
            Lifetime = TimeSpan.FromMinutes(5),
            SessionId = "my-session",
        });
        Assert.That(issued.Identifier, Is.EqualTo("ductape-user"));
        Assert.That(issued.SessionId, Is.EqualTo("my-session"));
        Assert.That(issued.ExpiresAt, Is.EqualTo(TokenTestKit.Now.AddMinutes(5)));

        var numeric = _kit.Issuer().Issue(SessionTokenValidatorTests.Descriptor() with
        {
            Selector = "$Session{id}",
            Data = SessionJson.Parse("""{"id":42}"""),
        });
        Assert.That(numeric.Identifier, Is.EqualTo("42"));
    }

    [Test]
    public void Months_are_calendar_months()
    {
        _kit.Time.SetUtcNow(new DateTimeOffset(2027, 1, 31, 10, 0, 0, TimeSpan.Zero));
        var issued = _kit.Issuer().Issue(SessionTokenValidatorTests.Descriptor() with { Expiry = 1, Period = TokenPeriod.Months });
        Assert.That(issued.ExpiresAt, Is.EqualTo(new DateTimeOffset(2027, 2, 28, 10, 0, 0, TimeSpan.Zero)));
    }

    [TestCase("$Session{missing}", "Data", "has no identifier at $Session{missing}")]
    [TestCase("$Session{details}", "Data", "selects an object")]
    [TestCase("userId", "Selector", "did you mean $Session{userId}?")]
    public void Data_without_a_primitive_identifier_is_rejected(string selector, string field, string problem)
    {
        var ex = Assert.Throws<DuctapeValidationException>(
            () => _kit.Issuer().Issue(SessionTokenValidatorTests.Descriptor() with { Selector = selector }));
        Assert.That(ex!.Errors.Single().Field, Is.EqualTo(field));
        Assert.That(ex.Errors.Single().Problem, Does.Contain(problem));
        Assert.That(ex.Message, Does.Not.Contain("191010192").And.Not.Contain("santos@"));
    }

    [Test]
    public void Every_descriptor_problem_is_reported()
    {
        var ex = Assert.Throws<DuctapeValidationException>(() => _kit.Issuer().Issue(new SessionTokenDescriptor
        {
            Tag = "bad tag",
            Selector = "$Session{userId}",
            Data = Json.Parse("[]"),
            Product = "",
            Env = " ",
            SessionId = " ",
        }));
        Assert.That(ex!.Errors.Select(e => e.Field), Is.EquivalentTo(new[] { "Tag", "Product", "Env", "Expiry", "SessionId", "Data" }));
    }

    [Test]
    public void Each_token_has_a_fresh_iv()
    {
        var issuer = _kit.Issuer();
        var a = issuer.Issue(SessionTokenValidatorTests.Descriptor() with { SessionId = "same" }).Token;
        var b = issuer.Issue(SessionTokenValidatorTests.Descriptor() with { SessionId = "same" }).Token;
        Assert.That(a.Split('.')[2], Is.Not.EqualTo(b.Split('.')[2]));
    }

    [Test]
    public void Issuing_and_validating_are_thread_safe()
    {
        var issuer = _kit.Issuer();
        var validator = _kit.Validator();
        var failures = 0;
        Parallel.For(0, 2000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var issued = issuer.Issue(SessionTokenValidatorTests.Descriptor() with { SessionId = "s" + i });
            var result = validator.Validate(issued.Token);
            if (!result.IsValid || result.Session!.SessionId != "s" + i)
            {
                Interlocked.Increment(ref failures);
            }
        });
        Assert.That(failures, Is.Zero);
    }

    private static string Pad(string b64Url)
    {
        var s = b64Url.Replace('-', '+').Replace('_', '/');
        return s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');
    }
}
