using System.Diagnostics;

namespace Ductape.Sdk.Tests.Typed;

/// <summary>
/// Unusual and hostile declarations: each compiles, or reports a DUCT diagnostic — never a crash of the generator (CS8785,
/// AD0001), never generated code that does not compile — and the whole corpus builds within a time bound (the generator
/// stays linear in the type graph).
/// </summary>
public class HostileCorpusTests
{
    private const string Json = "using System.Text.Json.Serialization;\n";

    private static IEnumerable<TestCaseData> Corpus()
    {
        yield return Case("seven self-references", """
            [DuctapeSession("node")]
            public partial record Node([property: SessionIdentifier] string Id, Node? A, Node? B, Node? C, Node? D, Node? E, Node? F, Node? G);
            """, "Node", expected: null, schemaContains: "\"A\":null");
        yield return Case("mutual recursion", """
            [DuctapeSession("ping")]
            public partial record Ping([property: SessionIdentifier] string Id, Pong? Other);
            public sealed record Pong(Ping? Back, string Name);
            """, "Ping", expected: null, schemaContains: "\"Back\":null");
        yield return Case("ten levels deep, identifier at the bottom", """
            [DuctapeSession("deep")]
            public partial record Deep(L1 A);
            public sealed record L1(L2 B); public sealed record L2(L3 C); public sealed record L3(L4 D); public sealed record L4(L5 E);
            public sealed record L5(L6 F); public sealed record L6(L7 G); public sealed record L7(L8 H); public sealed record L8(L9 I);
            public sealed record L9(L10 J); public sealed record L10([property: SessionIdentifier] string Id);
            """, "Deep", expected: null, schemaContains: "\"Id\":\"sample\"");
        yield return Case("a list of itself", """
            [DuctapeSession("tree")]
            public partial record Tree([property: SessionIdentifier] string Id, System.Collections.Generic.List<Tree> Children);
            """, "Tree", expected: null, schemaContains: "\"Children\":[]");
        yield return Case("a generic type", """
            [DuctapeSession("gen")]
            public partial record Gen<T>([property: SessionIdentifier] string Id, T Value);
            """, "Gen<int>", expected: "DUCT008");
        yield return Case("an identifier whose JSON name has braces", """
            [DuctapeSession("odd")]
            public partial record Odd([property: SessionIdentifier, JsonPropertyName("a}{b")] string Id);
            """, "Odd", expected: "DUCT010");
        yield return Case("an identifier whose JSON name is padded", """
            [DuctapeSession("pad")]
            public partial record Pad([property: SessionIdentifier, JsonPropertyName(" padded ")] string Id);
            """, "Pad", expected: "DUCT010");
        yield return Case("an identifier whose JSON name is empty", """
            [DuctapeSession("empty")]
            public partial record Empty([property: SessionIdentifier, JsonPropertyName("")] string Id);
            """, "Empty", expected: "DUCT010");
        yield return Case("member names that need escaping", """
            [DuctapeSession("esc")]
            public partial record Esc([property: SessionIdentifier] string Id, [property: JsonPropertyName("q\"uote\\back\u0001")] string Other);
            """, "Esc", expected: null, schemaContains: "\"q\\\"uote\\\\back\\u0001\":\"sample\"");
        yield return Case("a huge record", "[DuctapeSession(\"huge\")]\npublic partial record Huge([property: SessionIdentifier] string Id, "
            + string.Join(", ", Enumerable.Range(0, 300).Select(i => $"int M{i}")) + ");", "Huge", expected: null, schemaContains: "\"M299\":1");
        yield return Case("a shape too wide and deep to sample", "[DuctapeSession(\"wide\")]\npublic partial record Wide([property: SessionIdentifier] string Id, "
            + string.Join(", ", Enumerable.Range(0, 12).Select(i => $"W1 A{i}")) + ");\n"
            + string.Join("\n", Enumerable.Range(1, 4).Select(level => $"public sealed record W{level}("
                + string.Join(", ", Enumerable.Range(0, 12).Select(i => level < 4 ? $"W{level + 1} B{i}" : $"int B{i}")) + ");")),
            "Wide", expected: "DUCT011");
    }

    private static TestCaseData Case(string name, string declarations, string type, string? expected, string? schemaContains = null) =>
        new TestCaseData(declarations, type, expected, schemaContains).SetName("Hostile: " + name);

    [TestCaseSource(nameof(Corpus))]
    public void Compiles_or_reports_a_DUCT_diagnostic_and_never_crashes(string declarations, string type, string? expected, string? schemaContains)
    {
        var clock = Stopwatch.StartNew();
        var result = Roslyn.Run(Json + "using Ductape.Sdk;\n\nnamespace App;\n\n" + declarations,
            TypedSessionSources.Context($"[JsonSerializable(typeof({type}))]"));
        var elapsed = clock.Elapsed;

        var errors = result.Errors.ToList();
        Assert.That(errors.Where(e => e.Id is "CS8785" or "AD0001" or "CS8103"), Is.Empty, "the generator never crashes nor explodes");
        Assert.That(elapsed, Is.LessThan(TimeSpan.FromSeconds(20)), "linear in the type graph");
        if (expected is null)
        {
            Assert.That(errors.Select(e => $"{e.Id}: {e.GetMessage()}"), Is.Empty);
            Assert.That(result.Generated.Length, Is.LessThan(200_000), "output grows with the type graph, not exponentially");
            // The schema is a C# string literal in the generated code: its quotes and backslashes are escaped there.
            Assert.That(result.Generated, Does.Contain(schemaContains!.Replace("\\", "\\\\").Replace("\"", "\\\"")));
        }
        else
        {
            Assert.That(errors.Select(e => e.Id), Does.Contain(expected));
            Assert.That(errors.Where(e => e.Id.StartsWith("CS", StringComparison.Ordinal) && e.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true),
                Is.Empty, "nothing generated that does not compile");
        }
    }

    [Test]
    public void Two_partial_declarations_with_the_attribute_generate_once()
    {
        var result = Roslyn.Run(Json + """
            using Ductape.Sdk;

            namespace App;

            [DuctapeSession("twice")]
            public partial record Twice([property: SessionIdentifier] string Id);

            [DuctapeSession("twice")]
            public partial record Twice;
            """, TypedSessionSources.Context("[JsonSerializable(typeof(Twice))]"));

        Assert.That(result.Errors.Select(e => e.Id), Does.Not.Contain("CS8785").And.Contain("CS0579"), "the compiler's duplicate attribute, not a crash");
        Assert.That(result.Driver.GetRunResult().GeneratedTrees, Has.Length.EqualTo(1));
    }
}
