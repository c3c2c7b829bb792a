using System.Text.Json;

namespace Ductape.Sdk.Tests.Selectors;

public class SessionSelectorTests
{
    private const string SeedSchema = """
        {"userId":"191010192-19198829819","details":{"username":"ductape-user","email":"santos@ductape.app"},
         "roles":["admin"],"age":42,"score":1.5,"active":true,"nothing":null,"deep":{"a":{"b":{"c":"found"}}}}
        """;

    private static readonly JsonElement Schema = Json.Parse(SeedSchema);

    [TestCase("$Session{userId}", new[] { "userId" })]
    [TestCase("$Session{details}{username}", new[] { "details", "username" })]
    [TestCase("$Session{deep}{a}{b}{c}", new[] { "deep", "a", "b", "c" })]
    [TestCase("$Session{first name}", new[] { "first name" })]
    [TestCase("$Session{$Session}", new[] { "$Session" })]
    [TestCase("$Session{naïve-ключ}", new[] { "naïve-ключ" })]
    public void Valid_selectors_parse_and_round_trip(string text, string[] segments)
    {
        var selector = SessionSelector.Parse(text);
        Assert.That(selector.Segments, Is.EqualTo(segments));
        Assert.That(selector.ToString(), Is.EqualTo(text));
        Assert.That(SessionSelector.Parse(selector.ToString()).Segments, Is.EqualTo(segments));
        Assert.That(SessionSelector.TryParse(text, out var again), Is.True);
        Assert.That(again!.Segments, Is.EqualTo(segments));
    }

    [Test]
    public void A_segment_of_128_characters_is_allowed_and_129_is_not()
    {
        Assert.That(SessionSelector.Parse($"$Session{{{new string('x', 128)}}}").Segments[0], Has.Length.EqualTo(128));
        var ex = Assert.Throws<SessionSelectorFormatException>(() => SessionSelector.Parse($"$Session{{{new string('x', 129)}}}"));
        Assert.That(ex!.Position, Is.EqualTo(9));
        Assert.That(ex.Reason, Does.Contain("129 characters").And.Contain("128"));
    }

    [TestCase(null, 0, "empty")]
    [TestCase("", 0, "empty")]
    [TestCase("userId", 0, "did you mean $Session{userId}?")]
    [TestCase("$session{userId}", 1, "capital S")]
    [TestCase("Session{userId}", 0, "must start with '$'")]
    [TestCase("{userId}", 0, "must start with $Session")]
    [TestCase("$$Session{userId}", 1, "must start with $Session")]
    [TestCase(" $Session{userId}", 0, "must start with $Session")]
    [TestCase("$Session", 8, "expected '{' after $Session")]
    [TestCase("$Session userId", 8, "expected '{' after $Session")]
    [TestCase("$Session.userId", 8, "expected '{' after $Session")]
    [TestCase("$Sessions{userId}", 8, "expected '{' after $Session")]
    [TestCase("$Session}", 8, "unexpected '}'")]
    [TestCase("$Session{}", 9, "empty")]
    [TestCase("$Session{userId", 15, "missing '}'")]
    [TestCase("$Session{a}{", 12, "missing '}'")]
    [TestCase("$Session{user{Id}", 13, "unexpected '{'")]
    [TestCase("$Session{userId}x", 16, "after the last '}'")]
    [TestCase("$Session{a} {b}", 11, "after the last '}'")]
    [TestCase("$Session{userId}}", 16, "unexpected '}'")]
    [TestCase("$Session{ userId}", 9, "starts with white space")]
    [TestCase("$Session{userId }", 15, "ends with white space")]
    [TestCase("$Session{a}{ }", 12, "starts with white space")]
    [TestCase("$Session{\tuserId}", 9, "starts with white space")]
    public void Malformed_selectors_fail_at_the_right_position(string? text, int position, string reason)
    {
        var ex = Assert.Throws<SessionSelectorFormatException>(() => SessionSelector.Parse(text));
        Assert.That(ex!.Position, Is.EqualTo(position), ex.Message);
        Assert.That(ex.Reason, Does.Contain(reason));
        Assert.That(ex.Message, Does.Contain($"position {position}"));
        Assert.That(SessionSelector.TryParse(text, out var selector), Is.False);
        Assert.That(selector, Is.Null);
        Assert.That(SessionSelector.TryParse(text, out _, out var error), Is.False);
        Assert.That(error!.Position, Is.EqualTo(position));
    }

    [TestCase("$Session{userId}", "191010192-19198829819")]
    [TestCase("$Session{details}{username}", "ductape-user")]
    [TestCase("$Session{deep}{a}{b}{c}", "found")]
    [TestCase("$Session{age}", "42")]
    [TestCase("$Session{score}", "1.5")]
    [TestCase("$Session{active}", "true")]
    public void Resolves_the_identifier(string text, string identifier)
    {
        var selector = SessionSelector.Parse(text);
        Assert.That(selector.Resolve(Schema), Is.Not.Null);
        Assert.That(selector.TryResolveIdentifier(Schema, out var actual), Is.True);
        Assert.That(actual, Is.EqualTo(identifier));
        Assert.That(selector.ResolvesToPrimitive(Schema, out var problem), Is.True, problem);
    }

    [Test]
    public void Resolution_is_case_sensitive_and_missing_fields_resolve_to_nothing()
    {
        Assert.That(SessionSelector.Parse("$Session{UserId}").Resolve(Schema), Is.Null);
        Assert.That(SessionSelector.Parse("$Session{details}{phone}").Resolve(Schema), Is.Null);
        Assert.That(SessionSelector.Parse("$Session{userId}{x}").Resolve(Schema), Is.Null);
        Assert.That(SessionSelector.Parse("$Session{userId}").Resolve(Json.Parse("[1]")), Is.Null);
    }

    [Test]
    public void Resolve_returns_the_element_itself()
    {
        var details = SessionSelector.Parse("$Session{details}").Resolve(Schema);
        Assert.That(details!.Value.ValueKind, Is.EqualTo(JsonValueKind.Object));
        Assert.That(details.Value.GetProperty("email").GetString(), Is.EqualTo("santos@ductape.app"));
    }

    [TestCase("$Session{details}", "selects an object")]
    [TestCase("$Session{roles}", "selects an array")]
    [TestCase("$Session{nothing}", "selects null")]
    [TestCase("$Session{missing}", "the schema has no field 'missing'")]
    [TestCase("$Session{details}{phone}", "$Session{details} has no field 'phone'")]
    [TestCase("$Session{userId}{x}", "$Session{userId} is a string, not an object with the field 'x'")]
    [TestCase("$Session{roles}{0}", "$Session{roles} is an array")]
    public void Schema_check_says_why_a_selector_does_not_fit(string text, string reason)
    {
        var selector = SessionSelector.Parse(text);
        Assert.That(selector.ResolvesToPrimitive(Schema, out var problem), Is.False);
        Assert.That(problem, Does.Contain(reason));
        Assert.That(selector.TryResolveIdentifier(Schema, out var identifier), Is.False);
        Assert.That(identifier, Is.Null);
    }

    [Test]
    public void Schema_check_of_a_schema_that_is_not_an_object()
    {
        Assert.That(SessionSelector.Parse("$Session{userId}").ResolvesToPrimitive(Json.Parse("\"x\""), out var problem), Is.False);
        Assert.That(problem, Is.EqualTo("the schema is a string, not an object with the field 'userId'"));
    }

    [TestCase("\"abc\"", "abc")]
    [TestCase("12345678901234", "12345678901234")]
    [TestCase("-7", "-7")]
    [TestCase("2.25", "2.25")]
    [TestCase("1e3", "1e3")]
    [TestCase("1.50", "1.50")]
    [TestCase("12345678901234567890", "12345678901234567890")]
    [TestCase("123456789012345678901234567890", "123456789012345678901234567890")]
    [TestCase("true", "true")]
    [TestCase("false", "false")]
    public void Identifier_form_of_primitives(string json, string expected)
    {
        Assert.That(SessionSelector.TryGetIdentifier(Json.Parse(json), out var identifier), Is.True);
        Assert.That(identifier, Is.EqualTo(expected));
    }

    [Test]
    public void Identifier_numbers_ignore_the_current_culture()
    {
        var culture = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            Assert.That(SessionSelector.TryGetIdentifier(Json.Parse("2.25"), out var identifier), Is.True);
            Assert.That(identifier, Is.EqualTo("2.25"));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = culture;
        }
    }

    [TestCase("{}")]
    [TestCase("[]")]
    [TestCase("null")]
    public void Objects_arrays_and_null_have_no_identifier(string json) =>
        Assert.That(SessionSelector.TryGetIdentifier(Json.Parse(json), out _), Is.False);
}
