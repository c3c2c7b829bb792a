using Microsoft.CodeAnalysis;

namespace Ductape.Sdk.Tests.Typed;

/// <summary>Each diagnostic at its exact place, with its message; silence on valid code.</summary>
public class AnalyzerTests
{
    private static List<Diagnostic> Diagnostics(string body)
    {
        var source = $$"""
            using Ductape.Sdk;
            using Ductape.Sdk.Products;

            namespace App;

            public static class Code
            {
                public static void Run()
                {
            {{body}}
                }
            }
            """;
        var result = Roslyn.Run(source);
        return result.AnalyzerDiagnostics.Concat(result.GeneratorDiagnostics).OrderBy(d => d.Location.SourceSpan.Start).ToList();
    }

    private static (string Id, string Text, string Message) Describe(Diagnostic diagnostic) =>
        (diagnostic.Id, diagnostic.Location.SourceTree!.ToString().Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length), diagnostic.GetMessage());

    [Test]
    public void Valid_code_is_silent()
    {
        var diagnostics = Diagnostics("""
                    var type = new ProductSession { Tag = "session_name", Selector = "$Session{details}{username}", Expiry = 100, Period = TokenPeriod.Years };
                    var update = new ProductSessionUpdate("session_name") { Selector = "$Session{userId}" };
                    var selector = SessionSelector.Parse("$Session{a}{b}");
            """);

        Assert.That(diagnostics, Is.Empty);
        Assert.That(Roslyn.Run(TypedSessionSources.Seed, TypedSessionSources.SeedContext).AnalyzerDiagnostics, Is.Empty);
    }

    // The messages are the runtime's own (one grammar, Internal/SessionGrammar.cs, linked into the analyzer).
    [TestCase("""new ProductSession { Selector = "$Session{user Id}}" }""", "}", 17, "unexpected '}' without a matching '{'")]
    [TestCase("""new ProductSessionUpdate("t") { Selector = "$Session{}" }""", "}", 9, "the segment name is empty")]
    [TestCase("""SessionSelector.Parse("$Sesion{userId}")""", "i", 4, "a selector must start with $Session, for example $Session{userId}")]
    [TestCase("""SessionSelector.TryParse("$Session{ userId}", out _)""", " ", 9, "the segment name starts with white space")]
    public void A_selector_literal_with_a_syntax_error_is_an_error_at_the_offending_character(string expression, string text, int position, string reason)
    {
        var diagnostic = Diagnostics($"        _ = {expression};").Single();

        Assert.That(Describe(diagnostic).Id, Is.EqualTo("DUCT001"));
        Assert.That(Describe(diagnostic).Text, Is.EqualTo(text));
        Assert.That(diagnostic.GetMessage(), Is.EqualTo($"The selector is not valid at character {position}: {reason}"));
    }

    [Test]
    public void A_plain_name_is_told_how_to_write_a_selector()
    {
        var diagnostic = Diagnostics("""        _ = new ProductSession { Selector = "userId" };""").Single();

        Assert.That(diagnostic.GetMessage(), Does.EndWith("did you mean $Session{userId}?"));
    }

    [TestCase("""new ProductSession { Tag = "bad tag" }""", "\"bad tag\"")]
    [TestCase("""new ProductSessionUpdate("x") { Tag = "-starts-with-dash" }""", "\"-starts-with-dash\"")]
    public void A_tag_literal_outside_the_grammar_is_an_error(string expression, string text)
    {
        var diagnostic = Diagnostics($"        _ = {expression};").Single();

        Assert.That((Describe(diagnostic).Id, Describe(diagnostic).Text), Is.EqualTo(("DUCT004", text)));
    }

    [TestCase("Expiry = 101, Period = TokenPeriod.Years", "101", "An expiry of 101 Years is beyond 100 years from some start dates (at most 100)")]
    [TestCase("Expiry = 5218, Period = TokenPeriod.Weeks", "5218", "An expiry of 5218 Weeks is beyond 100 years from some start dates (at most 5217)")]
    [TestCase("Expiry = 36525, Period = TokenPeriod.Days", "36525", "An expiry of 36525 Days is beyond 100 years from some start dates (at most 36524)")]
    [TestCase("Expiry = int.MaxValue, Period = (TokenPeriod)42", "int.MaxValue", "An expiry of 2147483647 (TokenPeriod)42 is in a period that is not defined")]
    [TestCase("Expiry = 0, Period = TokenPeriod.Hours", "0", "An expiry of 0 Hours is below 1")]
    public void A_literal_lifetime_out_of_range_is_an_error(string initializer, string text, string message)
    {
        var diagnostic = Diagnostics($"        _ = new ProductSession {{ {initializer} }};").Single();

        Assert.That(Describe(diagnostic), Is.EqualTo(("DUCT005", text, message)));
    }

    private static List<Diagnostic> TypedDiagnostics(string attribute, string members) =>
        Roslyn.Run($$"""
            using Ductape.Sdk;

            namespace App;

            {{attribute}}
            public partial record Typed({{members}});

            public sealed record Inner(string Username, Inner2 Deeper);

            public sealed record Inner2(int Level);
            """, TypedSessionSources.Context("[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]\n[JsonSerializable(typeof(Typed))]"))
            .AnalyzerDiagnostics.OrderBy(d => d.Location.SourceSpan.Start).ToList();

    [Test]
    public void A_selector_naming_a_missing_member_is_an_error_that_offers_the_nearest_name()
    {
        var diagnostic = TypedDiagnostics("""[DuctapeSession("t", Selector = "$Session{details}{usename}")]""", "string UserId, Inner Details").Single();

        Assert.That(Describe(diagnostic), Is.EqualTo(("DUCT002", "\"$Session{details}{usename}\"", "'Inner' has no JSON member 'usename'; did you mean 'username'?")));
    }

    [Test]
    public void A_selector_reaching_an_object_is_an_error()
    {
        var diagnostic = TypedDiagnostics("""[DuctapeSession("t", Selector = "$Session{details}{deeper}")]""", "string UserId, Inner Details").Single();

        Assert.That((diagnostic.Id, diagnostic.GetMessage()),
            Is.EqualTo(("DUCT003", "The selector reaches '$Session{details}{deeper}', an object; the identifier must be a string, number or boolean")));
    }

    [Test]
    public void An_identifier_on_an_object_member_is_an_error_at_the_member()
    {
        var diagnostic = TypedDiagnostics("""[DuctapeSession("t")]""", "string UserId, [property: SessionIdentifier] Inner Details").Single();

        Assert.That((diagnostic.Id, Describe(diagnostic).Text), Is.EqualTo(("DUCT003", "Details")));
    }

    [Test]
    public void A_typed_session_without_an_identifier_or_with_two_is_an_error()
    {
        Assert.That(TypedDiagnostics("""[DuctapeSession("t")]""", "string UserId").Single().GetMessage(), Does.EndWith("none is marked"));
        Assert.That(TypedDiagnostics("""[DuctapeSession("t")]""", "[property: SessionIdentifier] string A, [property: SessionIdentifier] string B")
            .Single().GetMessage(), Does.EndWith("2 are marked"));
    }

    [Test]
    public void Attribute_tag_and_lifetime_literals_are_checked()
    {
        var diagnostics = TypedDiagnostics("""[DuctapeSession("bad tag!", Expiry = 200, Period = TokenPeriod.Years)]""", "[property: SessionIdentifier] string UserId");

        Assert.That(diagnostics.Select(d => (d.Id, Describe(d).Text)), Is.EqualTo(new[] { ("DUCT004", "\"bad tag!\""), ("DUCT005", "200") }));
    }

    [Test]
    public void A_second_type_with_the_same_tag_is_an_error_at_the_second()
    {
        var result = Roslyn.Run("""
            using Ductape.Sdk;

            namespace App;

            [DuctapeSession("same")]
            public partial record First([property: SessionIdentifier] string Id);

            [DuctapeSession("same")]
            public partial record Second([property: SessionIdentifier] string Id);
            """, TypedSessionSources.Context("[JsonSerializable(typeof(First))]\n[JsonSerializable(typeof(Second))]"));

        var diagnostic = result.AnalyzerDiagnostics.Single();
        Assert.That((diagnostic.Id, diagnostic.Location.GetLineSpan().StartLinePosition.Line, diagnostic.GetMessage()),
            Is.EqualTo(("DUCT006", 7, "Another [DuctapeSession] type already uses the tag 'same' (see the additional location)")));
        Assert.That(diagnostic.AdditionalLocations.Single().GetLineSpan().StartLinePosition.Line, Is.EqualTo(4), "and at the first declaration");
    }

    [Test]
    public void A_null_tag_is_an_error()
    {
        var diagnostic = TypedDiagnostics("""[DuctapeSession(null!)]""", "[property: SessionIdentifier] string UserId").Single();

        Assert.That(diagnostic.Id, Is.EqualTo("DUCT004"));
    }

    [Test]
    public void Every_diagnostic_links_to_its_section_of_the_diagnostics_page()
    {
        var analyzer = new Ductape.Sdk.Generators.DuctapeSessionAnalyzer();
        var page = Repository.ReadAllText("docs", "diagnostics.md");

        foreach (var descriptor in analyzer.SupportedDiagnostics)
        {
            Assert.That(descriptor.HelpLinkUri, Does.EndWith("docs/diagnostics.md#" + descriptor.Id.ToLowerInvariant()));
            Assert.That(page, Does.Contain($"<a id=\"{descriptor.Id.ToLowerInvariant()}\"></a>"), descriptor.Id + " has a section");
        }
    }
}
