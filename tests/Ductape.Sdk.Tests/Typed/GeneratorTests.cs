using System.Reflection;
using System.Text.Json;
using Ductape.Sdk.Products;
using Microsoft.CodeAnalysis;

namespace Ductape.Sdk.Tests.Typed;

/// <summary>The typed-session generator: what it defines, compared with hand-written definitions, and when it runs again.</summary>
public class GeneratorTests
{
    private static ProductSession Definition(Roslyn.Result result, string type = "App.UserSession")
    {
        Assert.That(result.Errors, Is.Empty, result.Generated);
        var definition = result.Load().GetType(type, throwOnError: true)!
            .GetProperty("Definition", BindingFlags.Public | BindingFlags.Static)!.GetValue(null);
        return (ProductSession)definition!;
    }

    [Test]
    public void The_seed_example_generates_the_hand_written_definition()
    {
        var generated = Definition(Roslyn.Run(TypedSessionSources.Seed, TypedSessionSources.SeedContext));

        var handWritten = new ProductSession
        {
            Name = "Session Name",
            Tag = "session_name",
            Description = "Session Description Here",
            Schema = SessionJson.Parse("""
                {"userId":"191010192-19198829819","details":{"username":"ductape-user","email":"santos@ductape.app"}}
                """),
            Selector = "$Session{userId}",
            Expiry = 7,
            Period = TokenPeriod.Hours,
        };
        Assert.That(generated with { Schema = default }, Is.EqualTo(handWritten with { Schema = default }));
        Assert.That(JsonSerializer.Serialize(generated.Schema), Is.EqualTo(JsonSerializer.Serialize(handWritten.Schema)));
    }

    [Test]
    public void A_nested_identifier_becomes_a_nested_selector()
    {
        var source = TypedSessionSources.Seed
            .Replace("[property: SessionIdentifier, SessionSample(\"191010192-19198829819\")]", "[property: SessionSample(\"191010192-19198829819\")]")
            .Replace("[property: SessionSample(\"ductape-user\")]", "[property: SessionIdentifier, SessionSample(\"ductape-user\")]");

        Assert.That(Definition(Roslyn.Run(source, TypedSessionSources.SeedContext)).Selector, Is.EqualTo("$Session{details}{username}"));
    }

    [Test]
    public void Renamed_json_properties_and_the_contexts_naming_policy_shape_schema_and_selector()
    {
        var source = """
            using System.Text.Json.Serialization;
            using Ductape.Sdk;

            namespace App;

            [DuctapeSession("admin", Expiry = 2, Period = TokenPeriod.Days)]
            public partial class AdminSession
            {
                [JsonPropertyName("uid")]
                [SessionIdentifier]
                public long AccountId { get; init; }

                public bool IsOwner { get; init; }

                [JsonIgnore]
                public string? Secret { get; init; }

                public string[] Roles { get; init; } = [];
            }
            """;
        var context = TypedSessionSources.Context(
            "[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]\n[JsonSerializable(typeof(AdminSession))]");

        var definition = Definition(Roslyn.Run(source, context), "App.AdminSession");

        Assert.That(definition.Selector, Is.EqualTo("$Session{uid}"));
        Assert.That(JsonSerializer.Serialize(definition.Schema), Is.EqualTo("""{"uid":1,"is_owner":false,"roles":["sample"]}"""));
        Assert.That((definition.Name, definition.Description, definition.Expiry, definition.Period),
            Is.EqualTo(("AdminSession", "AdminSession", 2, TokenPeriod.Days)));
    }

    [Test]
    public void The_generated_json_type_info_comes_from_the_apps_context()
    {
        var result = Roslyn.Run(TypedSessionSources.Seed, TypedSessionSources.SeedContext);

        Assert.That(result.Generated, Does.Contain("global::App.AppJson.Default.GetTypeInfo(typeof(UserSession))"));
        Assert.That(result.Generated, Does.Contain("partial record UserSession : global::Ductape.Sdk.IDuctapeSession<UserSession>"));
    }

    [Test]
    public void Without_a_json_context_or_partial_the_generator_says_what_is_missing()
    {
        var missingContext = Roslyn.Run(TypedSessionSources.Seed);
        Assert.That(missingContext.GeneratorDiagnostics.Select(d => d.Id), Is.EqualTo(new[] { "DUCT007" }));
        Assert.That(missingContext.GeneratorDiagnostics[0].GetMessage(), Does.Contain("[JsonSerializable(typeof(UserSession))]"));

        var notPartial = Roslyn.Run(TypedSessionSources.Seed.Replace("public partial record UserSession", "public record UserSession"),
            TypedSessionSources.SeedContext);
        var diagnostic = notPartial.GeneratorDiagnostics.Single();
        Assert.That((diagnostic.Id, diagnostic.Location.GetLineSpan().StartLinePosition.Line), Is.EqualTo(("DUCT008", 5)));

        var nestedInGeneric = Roslyn.Run(
            TypedSessionSources.Seed.Replace("public partial record UserSession(", "public partial class Outer<T> { public partial record UserSession(").Replace("UserDetails Details);", "UserDetails Details); }"),
            TypedSessionSources.SeedContext.Replace("typeof(UserSession)", "typeof(Outer<int>.UserSession)"));
        Assert.That(nestedInGeneric.GeneratorDiagnostics.Select(d => d.Id), Is.EqualTo(new[] { "DUCT008" }));
        Assert.That(nestedInGeneric.Errors.Where(d => d.Id.StartsWith("CS", StringComparison.Ordinal)), Is.Empty, "nothing generated that does not compile");
    }

    [Test]
    public void Editing_an_unrelated_file_reuses_the_generated_output()
    {
        var first = Roslyn.Run(TypedSessionSources.Seed, TypedSessionSources.SeedContext, "namespace App; public static class Other { public const int A = 1; }");
        var edited = first.Output.ReplaceSyntaxTree(
            first.Output.SyntaxTrees.Single(t => t.FilePath == "File2.cs"),
            Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText("namespace App; public static class Other { public const int A = 2; }", Roslyn.ParseOptions, "File2.cs"));
        // The driver's input is the compilation without generated trees: take them out again.
        var input = edited.RemoveSyntaxTrees(edited.SyntaxTrees.Where(t => t.FilePath.EndsWith(".g.cs", StringComparison.Ordinal)));

        var again = first.Driver.RunGenerators(input).GetRunResult().Results.Single();

        var outputs = again.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
        Assert.That(outputs, Is.Not.Empty);
        Assert.That(outputs, Is.All.EqualTo(IncrementalStepRunReason.Cached).Or.EqualTo(IncrementalStepRunReason.Unchanged));
    }

    [Test]
    public void The_seed_examples_generated_source_is_the_snapshot()
    {
        var generated = Roslyn.Run(TypedSessionSources.Seed, TypedSessionSources.SeedContext).Generated.ReplaceLineEndings("\n");

        Assert.That(generated, Is.EqualTo(""""
            // <auto-generated>Ductape.Sdk typed session</auto-generated>
            #nullable enable
            namespace App;
            partial record UserSession : global::Ductape.Sdk.IDuctapeSession<UserSession>
            {
                /// <summary>The session type 'session_name', as declared by [DuctapeSession] on UserSession.</summary>
                public static global::Ductape.Sdk.Products.ProductSession Definition { get; } = new()
                {
                    Name = "Session Name",
                    Tag = "session_name",
                    Description = "Session Description Here",
                    Schema = global::Ductape.Sdk.SessionJson.Parse("{\"userId\":\"191010192-19198829819\",\"details\":{\"username\":\"ductape-user\",\"email\":\"santos@ductape.app\"}}"),
                    Selector = "$Session{userId}",
                    Expiry = 7,
                    Period = global::Ductape.Sdk.TokenPeriod.Hours,
                };

                /// <summary>The JSON metadata of UserSession, from App.AppJson.</summary>
                public static global::System.Text.Json.Serialization.Metadata.JsonTypeInfo<UserSession> JsonTypeInfo =>
                    (global::System.Text.Json.Serialization.Metadata.JsonTypeInfo<UserSession>)global::App.AppJson.Default.GetTypeInfo(typeof(UserSession))!;
            }

            """"));
    }
}
