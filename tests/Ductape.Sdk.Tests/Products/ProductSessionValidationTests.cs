using Ductape.Sdk.Products;

namespace Ductape.Sdk.Tests.Products;

/// <summary>CONTRACT §2: every rule rejects bad input, names the field, and nothing is sent.</summary>
public class ProductSessionValidationTests : ProxyMockTest
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

    private static ProductSession Seed() => ProductSessionsClientTests.Seed();

    private DuctapeValidationException CreateFails(ProductSession session) =>
        Assert.ThrowsAsync<DuctapeValidationException>(() => _client.Products.Sessions.CreateAsync(session))!;

    private DuctapeValidationException UpdateFails(ProductSessionUpdate update) =>
        Assert.ThrowsAsync<DuctapeValidationException>(() => _client.Products.Sessions.UpdateAsync(update))!;

    private static void AssertSingle(DuctapeValidationException ex, string field, string problem)
    {
        Assert.That(ex.Errors, Has.Count.EqualTo(1), ex.Message);
        Assert.That(ex.Errors[0].Field, Is.EqualTo(field));
        Assert.That(ex.Errors[0].Problem, Does.Contain(problem));
        Assert.That(ex.Message, Does.Contain($"{field}: {ex.Errors[0].Problem}"));
    }

    [TestCase(null, "is required")]
    [TestCase("", "is required")]
    [TestCase("   ", "must not be blank")]
    public void Name_is_required(string? name, string problem) =>
        AssertSingle(CreateFails(Seed() with { Name = name! }), "name", problem);

    [TestCase(null, "is required")]
    [TestCase("\t", "must not be blank")]
    public void Description_is_required(string? description, string problem) =>
        AssertSingle(CreateFails(Seed() with { Description = description! }), "description", problem);

    [TestCase(null, "is required")]
    [TestCase(" ", "must not be blank")]
    [TestCase("_session", "must start with a letter or a digit")]
    [TestCase("-session", "must start with a letter or a digit")]
    [TestCase("session name", "only letters, digits, '_' and '-'")]
    [TestCase("session:name", "only letters, digits, '_' and '-'")]
    [TestCase("séance", "only letters, digits, '_' and '-'")]
    public void Tag_shape_is_enforced(string? tag, string problem) =>
        AssertSingle(CreateFails(Seed() with { Tag = tag! }), "tag", problem);

    [Test]
    public void Tag_length_is_at_most_128()
    {
        AssertSingle(CreateFails(Seed() with { Tag = new string('a', 129) }), "tag", "129 characters long; the limit is 128");
    }

    [Test]
    public async Task Tags_of_1_and_128_characters_with_every_allowed_character_are_accepted()
    {
        using var mock = new ProxyMock();
        mock.Then(r => ProxyMock.Success(r.Params[1].GetRawText()));
        using var client = mock.Client();
        await client.Products.Sessions.CreateAsync(Seed() with { Tag = "a" });
        await client.Products.Sessions.CreateAsync(Seed() with { Tag = "9Az_-" + new string('x', 123) });
        Assert.That(mock.Requests, Has.Count.EqualTo(2));
    }

    [Test]
    public void Schema_is_required() =>
        AssertSingle(CreateFails(Seed() with { Schema = default }), "schema", "is required");

    [TestCase("[1,2]", "Array")]
    [TestCase("\"text\"", "String")]
    [TestCase("null", "Null")]
    public void Schema_must_be_an_object(string json, string kind)
    {
        var ex = CreateFails(Seed() with { Schema = Json.Parse(json) });
        AssertSingle(ex, "schema", $"must be a JSON object of sample values, not {kind}");
    }

    [TestCase("userId", "did you mean $Session{userId}? (position 0)")]
    [TestCase("$Session{userId", "missing '}' to close the segment (position 15)")]
    [TestCase("$session{userId}", "(position 1)")]
    public void Selector_must_parse(string selector, string problem) =>
        AssertSingle(CreateFails(Seed() with { Selector = selector }), "selector", problem);

    [TestCase(null)]
    [TestCase("")]
    public void Selector_is_required(string? selector) =>
        AssertSingle(CreateFails(Seed() with { Selector = selector! }), "selector", "is required, for example $Session{userId}");

    [TestCase("$Session{details}", "$Session{details} selects an object; it must select a string, number or boolean")]
    [TestCase("$Session{email}", "the schema has no field 'email'")]
    [TestCase("$Session{details}{phone}", "$Session{details} has no field 'phone'")]
    public void Selector_must_resolve_to_a_primitive_in_the_schema(string selector, string problem) =>
        AssertSingle(CreateFails(Seed() with { Selector = selector }), "selector", "does not fit the schema: " + problem);

    [Test]
    public void Selector_into_an_array_is_rejected()
    {
        var schema = SessionJson.Parse("""{"ids":["a","b"]}""");
        AssertSingle(CreateFails(Seed() with { Schema = schema, Selector = "$Session{ids}" }), "selector", "selects an array");
    }

    [TestCase(0)]
    [TestCase(-5)]
    public void Expiry_is_at_least_1(int expiry) =>
        AssertSingle(CreateFails(Seed() with { Expiry = expiry }), "expiry", "must be at least 1");

    // From the mock's clock, 2026-11-27: 100 calendar years hold 24 leap days, so 36,524 days and not 36,525.
    [TestCase(TokenPeriod.Years, 101, "at most 100 years")]
    [TestCase(TokenPeriod.Months, 1201, "at most 1200 months")]
    [TestCase(TokenPeriod.Weeks, 5218, "at most 5217 weeks")]
    [TestCase(TokenPeriod.Days, 36525, "at most 36524 days")]
    [TestCase(TokenPeriod.Hours, 876577, "at most 876576 hours")]
    [TestCase(TokenPeriod.Minutes, 52594561, "at most 52594560 mins")]
    public void Lifetime_is_at_most_100_years(TokenPeriod period, int expiry, string problem) =>
        AssertSingle(CreateFails(Seed() with { Period = period, Expiry = expiry }), "expiry", problem);

    [Test]
    public void The_cap_is_100_calendar_years_from_now_not_365_25_day_years()
    {
        var now = new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
        Assert.DoesNotThrow(() => ProductSessionRules.ValidateCreate(Seed() with { Period = TokenPeriod.Days, Expiry = 36_524 }, now));
        var ex = Assert.Throws<DuctapeValidationException>(() =>
            ProductSessionRules.ValidateCreate(Seed() with { Period = TokenPeriod.Days, Expiry = 36_525 }, now));
        Assert.That(ex!.Errors.Single().Problem, Does.Contain("calendar years from now: at most 36524 days"));
        Assert.That(TokenPeriod.Days.AddTo(now, 36_525), Is.GreaterThan(now.AddYears(100)), "the contract's own formula agrees");

        // From a date whose next 100 years hold 25 leap days, 36,525 days fit exactly.
        var before = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.DoesNotThrow(() => ProductSessionRules.ValidateCreate(Seed() with { Period = TokenPeriod.Days, Expiry = 36_525 }, before));
    }

    [Test]
    public void Errors_name_the_json_field_and_the_csharp_member()
    {
        var error = CreateFails(Seed() with { Expiry = 0 }).Errors.Single();
        Assert.That((error.Field, error.Member), Is.EqualTo(("expiry", "Expiry")));
    }

    [Test]
    public void Period_is_required() =>
        AssertSingle(CreateFails(Seed() with { Period = default }), "period", "is required");

    [Test]
    public void Period_must_be_defined() =>
        AssertSingle(CreateFails(Seed() with { Period = (TokenPeriod)42 }), "period", "42 is not a defined TokenPeriod");

    [Test]
    public void Every_problem_is_reported_at_once()
    {
        var ex = CreateFails(new ProductSession());
        Assert.That(ex.Errors.Select(e => e.Field),
            Is.EquivalentTo(new[] { "tag", "name", "description", "period", "expiry", "schema", "selector" }));
        Assert.That(ex.Message, Does.StartWith("7 invalid values, nothing was sent:"));
    }

    [Test]
    public void Create_of_null_is_an_argument_error() =>
        Assert.ThrowsAsync<ArgumentNullException>(() => _client.Products.Sessions.CreateAsync(null!));

    [Test]
    public void Update_needs_a_valid_tag() =>
        AssertSingle(UpdateFails(new ProductSessionUpdate("bad tag") { Expiry = 3 }), "tag", "only letters");

    [Test]
    public void Update_that_changes_nothing_is_rejected() =>
        AssertSingle(UpdateFails(new ProductSessionUpdate("session_name")), "update", "sets nothing to change");

    [Test]
    public void Update_checks_each_field_it_sends()
    {
        var ex = UpdateFails(new ProductSessionUpdate("session_name")
        {
            Name = " ",
            Description = "",
            Expiry = 0,
            Period = (TokenPeriod)9,
            Selector = "userId",
            Schema = Json.Parse("[]"),
        });
        Assert.That(ex.Errors.Select(e => e.Field),
            Is.EquivalentTo(new[] { "name", "description", "period", "expiry", "schema", "selector" }));
    }

    [Test]
    public void Update_checks_a_new_selector_against_a_new_schema()
    {
        var ex = UpdateFails(new ProductSessionUpdate("session_name")
        {
            Selector = "$Session{userId}",
            Schema = SessionJson.Parse("""{"id":"x"}"""),
        });
        AssertSingle(ex, "selector", "the schema has no field 'userId'");
    }

    [Test]
    public void Update_checks_the_100_year_cap_when_both_halves_are_given() =>
        AssertSingle(UpdateFails(new ProductSessionUpdate("s") { Expiry = 101, Period = TokenPeriod.Years }), "expiry", "100 years");

    [TestCase("bad tag", "only letters")]
    [TestCase("", "is required")]
    public void Fetch_and_delete_check_the_tag(string tag, string problem)
    {
        AssertSingle(Assert.ThrowsAsync<DuctapeValidationException>(() => _client.Products.Sessions.FetchAsync(tag))!, "tag", problem);
        AssertSingle(Assert.ThrowsAsync<DuctapeValidationException>(() => _client.Products.Sessions.DeleteAsync(tag))!, "tag", problem);
    }

    [Test]
    public void Validation_messages_never_contain_schema_values()
    {
        var schema = SessionJson.Parse("""{"secretField":{"nested":"s3cr3t-value"}}""");
        var ex = CreateFails(Seed() with { Schema = schema, Selector = "$Session{secretField}" });
        Assert.That(ex.Message, Does.Not.Contain("s3cr3t-value"));
    }

    [Test]
    public void The_exception_requires_at_least_one_error() =>
        Assert.Throws<ArgumentException>(() => _ = new DuctapeValidationException([]));

    [Test]
    public void A_valid_session_is_not_rejected()
    {
        Assert.DoesNotThrow(() => ProductSessionRules.ValidateCreate(Seed(), DateTimeOffset.UtcNow));
        Assert.DoesNotThrow(() => ProductSessionRules.ValidateCreate(Seed() with { Selector = "$Session{details}{username}" }, DateTimeOffset.UtcNow));
        Assert.DoesNotThrow(() => ProductSessionRules.ValidateCreate(Seed() with { Expiry = 100, Period = TokenPeriod.Years }, DateTimeOffset.UtcNow));
    }
}
