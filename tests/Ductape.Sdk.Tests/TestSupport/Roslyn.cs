using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using Ductape.Sdk.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Ductape.Sdk.Tests;

/// <summary>Compiles C# against the built Ductape.Sdk with the real compiler, its generator and analyzers; no network.</summary>
internal static class Roslyn
{
    private static readonly Lazy<MetadataReference[]> LazyReferences = new(() =>
    {
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return platform.Append(typeof(DuctapeClient).Assembly.Location)
            .Where(path => path.EndsWith(".dll", StringComparison.Ordinal))
            .DistinctBy(Path.GetFileName)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToArray();
    });

    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest);

    public static CSharpCompilation Compilation(params string[] sources) =>
        CSharpCompilation.Create(
            "UserApp",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"File{i}.cs")),
            LazyReferences.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    /// <summary>Runs the generator, then the analyzers, and returns everything a build would report.</summary>
    public static Result Run(params string[] sources)
    {
        var compilation = Compilation(sources);
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            [new DuctapeSessionGenerator().AsSourceGenerator()], parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        var analyzers = output.WithAnalyzers([new DuctapeSessionAnalyzer()]);
        var analyzerDiagnostics = analyzers.GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        return new Result(output, driver, generatorDiagnostics, analyzerDiagnostics);
    }

    public sealed record Result(
        Compilation Output, GeneratorDriver Driver, ImmutableArray<Diagnostic> GeneratorDiagnostics, ImmutableArray<Diagnostic> AnalyzerDiagnostics)
    {
        public IEnumerable<Diagnostic> Errors => Output.GetDiagnostics().Concat(GeneratorDiagnostics).Concat(AnalyzerDiagnostics)
            .Where(d => d.Severity == DiagnosticSeverity.Error);

        public string Generated => string.Join("\n", Driver.GetRunResult().GeneratedTrees.Select(t => t.ToString()));

        /// <summary>Emits and loads the compiled app in a collectible context, sharing Ductape.Sdk with the test.</summary>
        public Assembly Load()
        {
            using var image = new MemoryStream();
            var emitted = Output.Emit(image);
            Assert.That(emitted.Success, Is.True, string.Join("\n", emitted.Diagnostics));
            image.Position = 0;
            return new AssemblyLoadContext("UserApp", isCollectible: true).LoadFromStream(image);
        }
    }
}
