using System.Collections.Immutable;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Ductape.Sdk.Generators;

/// <summary>
/// Implements <c>IDuctapeSession&lt;T&gt;</c> on every partial type marked <c>[DuctapeSession]</c>: the session type's
/// definition (schema sample from the type's shape, selector from the <c>[SessionIdentifier]</c> member's JSON path) and the
/// JSON metadata from the app's <c>JsonSerializerContext</c>. Models are plain equatable data, so unrelated edits reuse the
/// last output.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class DuctapeSessionGenerator : IIncrementalGenerator
{
    internal const string SessionAttribute = "Ductape.Sdk.DuctapeSessionAttribute";
    private const string JsonSerializable = "System.Text.Json.Serialization.JsonSerializableAttribute";
    private const string JsonOptions = "System.Text.Json.Serialization.JsonSourceGenerationOptionsAttribute";
    private const int Policies = 6; // JsonKnownNamingPolicy: Unspecified, CamelCase, SnakeCaseLower/Upper, KebabCaseLower/Upper

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var contexts = context.SyntaxProvider.ForAttributeWithMetadataName(
                JsonSerializable,
                static (node, _) => node is ClassDeclarationSyntax,
                static (ctx, _) => ReadContext((INamedTypeSymbol)ctx.TargetSymbol))
            .Collect();

        var sessions = context.SyntaxProvider.ForAttributeWithMetadataName(
            SessionAttribute,
            static (node, _) => node is TypeDeclarationSyntax,
            static (ctx, _) => ReadSession((INamedTypeSymbol)ctx.TargetSymbol, (TypeDeclarationSyntax)ctx.TargetNode, ctx.Attributes[0]));

        // One output per type, however many partial declarations carry the attribute (the compiler reports the duplicate).
        var distinct = sessions.Collect().Select(static (all, _) => new EquatableArray<SessionModel>(
            all.GroupBy(s => s.FullName).Select(g => g.First()).ToImmutableArray()));
        context.RegisterSourceOutput(distinct.Combine(contexts), static (output, pair) =>
        {
            foreach (var session in pair.Left)
            {
                Emit(output, session, pair.Right);
            }
        });
    }

    private static JsonContextModel ReadContext(INamedTypeSymbol symbol)
    {
        var types = symbol.GetAttributes()
            .Where(a => TypeShape.Is(a, JsonSerializable) && a.ConstructorArguments.Length == 1 && a.ConstructorArguments[0].Value is ITypeSymbol)
            .Select(a => ((ITypeSymbol)a.ConstructorArguments[0].Value!).ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat))
            .ToImmutableArray();
        var policy = symbol.GetAttributes().FirstOrDefault(a => TypeShape.Is(a, JsonOptions))?.NamedArguments
            .FirstOrDefault(n => n.Key == "PropertyNamingPolicy").Value.Value is int p ? p : 0;
        return new JsonContextModel(symbol.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), new EquatableArray<string>(types), policy);
    }

    private static SessionModel ReadSession(INamedTypeSymbol type, TypeDeclarationSyntax syntax, AttributeData attribute)
    {
        string? Named(string name) => attribute.NamedArguments.FirstOrDefault(a => a.Key == name).Value.Value as string;
        int? Number(string name) => attribute.NamedArguments.FirstOrDefault(a => a.Key == name).Value.Value is int n ? n : null;

        var tag = attribute.ConstructorArguments.FirstOrDefault().Value as string ?? "";
        var displayName = Named("Name") ?? type.Name;
        var explicitSelector = Named("Selector");
        var schemas = ImmutableArray.CreateBuilder<string>(Policies);
        var selectors = ImmutableArray.CreateBuilder<string>(Policies);
        for (var policy = 0; policy < Policies; policy++)
        {
            // "" for a type too large to sample (DUCT011) or without one writable identifier (DUCT009, DUCT010): no output.
            schemas.Add(TypeShape.Sample(type, policy) ?? "");
            selectors.Add(explicitSelector ?? IdentifierPath(type, policy) ?? "");
        }

        var partial = true;
        for (SyntaxNode? node = syntax; node is TypeDeclarationSyntax declaration; node = node.Parent)
        {
            partial &= declaration.Modifiers.Any(SyntaxKind.PartialKeyword);
        }

        var containing = ImmutableArray.CreateBuilder<string>();
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            partial &= outer.TypeParameters.Length == 0;
            containing.Insert(0, $"partial {Keyword(outer)} {outer.Name}");
        }

        return new SessionModel(
            type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString(),
            new EquatableArray<string>(containing.ToImmutable()),
            Keyword(type),
            type.Name,
            type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            type.ToDisplayString(),
            partial && type.TypeParameters.Length == 0,
            tag,
            displayName,
            Named("Description") ?? displayName,
            Number("Expiry") ?? 1,
            Number("Period") ?? 3,
            new EquatableArray<string>(schemas.MoveToImmutable()),
            new EquatableArray<string>(selectors.MoveToImmutable()),
            LocationModel.From(syntax.Identifier.GetLocation()));
    }

    /// <summary>The JSON path of the one <c>[SessionIdentifier]</c> member, as a selector; null when none or several (DUCT009).</summary>
    internal static string? IdentifierPath(ITypeSymbol type, int policy) =>
        TypeShape.Identifiers(type, policy) is { Count: 1 } found && SessionGrammar.NameProblem(found[0].Member.JsonName) is null
            ? found[0].Path
            : null;

    private static string Keyword(INamedTypeSymbol type) =>
        (type.IsRecord, type.IsValueType) switch
        {
            (true, true) => "record struct",
            (true, false) => "record",
            (false, true) => "struct",
            _ => "class",
        };

    private static void Emit(SourceProductionContext output, SessionModel session, ImmutableArray<JsonContextModel> contexts)
    {
        if (!session.IsPartial)
        {
            output.ReportDiagnostic(Diagnostic.Create(Diagnostics.NotPartial, session.Location.ToLocation(), session.Name));
            return;
        }

        var json = contexts.Where(c => c.Types.Contains(session.FullName)).OrderBy(c => c.Name, System.StringComparer.Ordinal).FirstOrDefault();
        if (json is null)
        {
            output.ReportDiagnostic(Diagnostic.Create(Diagnostics.NoJsonContext, session.Location.ToLocation(), session.Name));
            return;
        }

        var policy = json.NamingPolicy is >= 0 and < Policies ? json.NamingPolicy : 0;
        var selector = session.Selectors.Items[policy];
        if (session.Schemas.Items[policy].Length == 0)
        {
            output.ReportDiagnostic(Diagnostic.Create(Diagnostics.ShapeTooLarge, session.Location.ToLocation(), session.Name, TypeShape.MaxMembers));
            return;
        }

        if (selector.Length == 0)
        {
            return; // DUCT009 or DUCT010 comes from the analyzer, at the attribute or the member.
        }

        var code = new StringBuilder();
        code.AppendLine("// <auto-generated>Ductape.Sdk typed session</auto-generated>");
        code.AppendLine("#nullable enable");
        if (session.Namespace is not null)
        {
            code.AppendLine($"namespace {session.Namespace};");
        }

        foreach (var outer in session.ContainingTypes)
        {
            code.AppendLine($"{outer} {{");
        }

        var self = session.Name;
        code.AppendLine($"partial {session.Keyword} {self} : global::Ductape.Sdk.IDuctapeSession<{self}>");
        code.AppendLine("{");
        code.AppendLine($"    /// <summary>The session type '{Escape(session.Tag)}', as declared by [DuctapeSession] on {self}.</summary>");
        code.AppendLine("    public static global::Ductape.Sdk.Products.ProductSession Definition { get; } = new()");
        code.AppendLine("    {");
        code.AppendLine($"        Name = {Literal(session.DisplayName)},");
        code.AppendLine($"        Tag = {Literal(session.Tag)},");
        code.AppendLine($"        Description = {Literal(session.Description)},");
        code.AppendLine($"        Schema = global::Ductape.Sdk.SessionJson.Parse({Literal(session.Schemas.Items[policy])}),");
        code.AppendLine($"        Selector = {Literal(selector)},");
        code.AppendLine($"        Expiry = {session.Expiry},");
        code.AppendLine(session.Period is >= 1 and <= 7
            ? $"        Period = global::Ductape.Sdk.TokenPeriod.{Lifetimes.PeriodName(session.Period)},"
            : $"        Period = (global::Ductape.Sdk.TokenPeriod){session.Period},");
        code.AppendLine("    };");
        code.AppendLine();
        code.AppendLine($"    /// <summary>The JSON metadata of {self}, from {json.Name.Replace("global::", "")}.</summary>");
        code.AppendLine($"    public static global::System.Text.Json.Serialization.Metadata.JsonTypeInfo<{self}> JsonTypeInfo =>");
        code.AppendLine($"        (global::System.Text.Json.Serialization.Metadata.JsonTypeInfo<{self}>){json.Name}.Default.GetTypeInfo(typeof({self}))!;");
        code.AppendLine("}");
        foreach (var _ in session.ContainingTypes)
        {
            code.AppendLine("}");
        }

        output.AddSource($"{session.MetadataName.Replace('<', '_').Replace('>', '_')}.DuctapeSession.g.cs", SourceText.From(code.ToString(), Encoding.UTF8));
    }

    private static string Literal(string text) => SymbolDisplay.FormatLiteral(text, quote: true);

    private static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}

internal sealed record JsonContextModel(string Name, EquatableArray<string> Types, int NamingPolicy);

internal sealed record SessionModel(
    string? Namespace, EquatableArray<string> ContainingTypes, string Keyword, string Name, string FullName, string MetadataName,
    bool IsPartial, string Tag, string DisplayName, string Description, int Expiry, int Period,
    EquatableArray<string> Schemas, EquatableArray<string> Selectors, LocationModel Location);

/// <summary>A location as plain data (a <see cref="Location"/> holds the syntax tree, which would defeat caching).</summary>
internal sealed record LocationModel(string Path, TextSpan Span, LinePositionSpan Lines)
{
    public static LocationModel From(Location location) =>
        new(location.SourceTree?.FilePath ?? "", location.SourceSpan, location.GetLineSpan().Span);

    public Location ToLocation() => Location.Create(Path, Span, Lines);
}
