using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace Ductape.Sdk.Generators;

/// <summary>
/// Compile-time checks of session types: selector literals (syntax, and against a typed session's members), tag literals,
/// literal lifetimes, the identifier of a typed session, and tags declared twice.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DuctapeSessionAnalyzer : DiagnosticAnalyzer
{
    private const string JsonContextBase = "System.Text.Json.Serialization.JsonSerializerContext";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Diagnostics.SelectorSyntax, Diagnostics.SelectorMember, Diagnostics.SelectorNotPrimitive, Diagnostics.TagGrammar,
        Diagnostics.Lifetime, Diagnostics.DuplicateTag, Diagnostics.NoIdentifier, Diagnostics.IdentifierName, Diagnostics.ShapeTooLarge);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var compilation = start.Compilation;
            var sessionAttribute = compilation.GetTypeByMetadataName(DuctapeSessionGenerator.SessionAttribute);
            if (sessionAttribute is null)
            {
                return; // not a Ductape.Sdk user
            }

            var productSession = compilation.GetTypeByMetadataName("Ductape.Sdk.Products.ProductSession");
            var productSessionUpdate = compilation.GetTypeByMetadataName("Ductape.Sdk.Products.ProductSessionUpdate");
            var selector = compilation.GetTypeByMetadataName("Ductape.Sdk.SessionSelector");
            var policies = new Lazy<Dictionary<ITypeSymbol, int>>(() => NamingPolicies(compilation));
            var declared = new ConcurrentBag<(string Tag, Location Location)>();

            start.RegisterSymbolAction(
                c => AnalyzeType(c, (INamedTypeSymbol)c.Symbol, sessionAttribute, policies, declared), SymbolKind.NamedType);
            start.RegisterOperationAction(c => AnalyzeAssignment(c, productSession, productSessionUpdate), OperationKind.SimpleAssignment);
            start.RegisterOperationAction(c => AnalyzeInvocation(c, selector), OperationKind.Invocation);
            start.RegisterCompilationEndAction(end =>
            {
                foreach (var group in declared.GroupBy(d => d.Tag, StringComparer.Ordinal).Where(g => g.Count() > 1))
                {
                    var ordered = group.OrderBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal)
                        .ThenBy(d => d.Location.SourceSpan.Start).ToList();
                    foreach (var (tag, location) in ordered.Skip(1))
                    {
                        // At the duplicate, and pointing at the first declaration too (an additional location).
                        end.ReportDiagnostic(Diagnostic.Create(Diagnostics.DuplicateTag, location, new[] { ordered[0].Location }, tag));
                    }
                }
            });
        });
    }

    private static void AnalyzeType(
        SymbolAnalysisContext context, INamedTypeSymbol type, INamedTypeSymbol sessionAttribute,
        Lazy<Dictionary<ITypeSymbol, int>> policies, ConcurrentBag<(string, Location)> declared)
    {
        var attribute = type.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, sessionAttribute));
        if (attribute?.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken) is not AttributeSyntax syntax)
        {
            return;
        }

        var arguments = syntax.ArgumentList?.Arguments ?? default;
        var tagArgument = arguments.FirstOrDefault(a => a.NameEquals is null);
        ExpressionSyntax? Named(string name) => arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.Text == name)?.Expression;

        if (attribute.ConstructorArguments.FirstOrDefault() is { Kind: TypedConstantKind.Primitive, IsNull: true })
        {
            context.ReportDiagnostic(Diagnostic.Create(Diagnostics.TagGrammar, tagArgument?.GetLocation() ?? syntax.GetLocation(), "null"));
        }
        else if (attribute.ConstructorArguments.FirstOrDefault().Value is string tag)
        {
            if (SessionGrammar.TagProblem(tag) is not null)
            {
                context.ReportDiagnostic(Diagnostic.Create(Diagnostics.TagGrammar, tagArgument?.GetLocation() ?? syntax.GetLocation(), tag));
            }
            else
            {
                declared.Add((tag, tagArgument?.GetLocation() ?? syntax.GetLocation()));
            }
        }

        var expiry = attribute.NamedArguments.FirstOrDefault(a => a.Key == "Expiry").Value.Value is int e ? e : 1;
        var period = attribute.NamedArguments.FirstOrDefault(a => a.Key == "Period").Value.Value is int p ? p : 3;
        CheckLifetime(context.ReportDiagnostic, expiry, period, (Named("Expiry") ?? Named("Period") ?? (SyntaxNode)syntax).GetLocation());

        var policy = policies.Value.TryGetValue(type, out var known) ? known : 0;
        var explicitSelector = attribute.NamedArguments.FirstOrDefault(a => a.Key == "Selector").Value.Value as string;
        if (explicitSelector is not null)
        {
            var literal = Named("Selector");
            if (!SessionGrammar.TryParseSelector(explicitSelector, out var segments, out var position, out var reason))
            {
                context.ReportDiagnostic(Diagnostic.Create(Diagnostics.SelectorSyntax, CharacterLocation(literal, position), position, reason));
            }
            else
            {
                CheckPath(context.ReportDiagnostic, type, segments, policy, literal?.GetLocation() ?? syntax.GetLocation());
            }

            return;
        }

        var identifiers = TypeShape.Identifiers(type, policy).Select(i => i.Member).ToList();
        if (identifiers.Count != 1)
        {
            context.ReportDiagnostic(Diagnostic.Create(Diagnostics.NoIdentifier, syntax.GetLocation(), type.Name,
                identifiers.Count == 0 ? "none is marked" : $"{identifiers.Count} are marked"));
        }
        else if (SessionGrammar.NameProblem(identifiers[0].JsonName) is { } nameProblem)
        {
            var member = identifiers[0];
            var location = (member.Parameter ?? (ISymbol)member.Property).Locations.FirstOrDefault() ?? syntax.GetLocation();
            context.ReportDiagnostic(Diagnostic.Create(Diagnostics.IdentifierName, location, member.JsonName, nameProblem));
        }
        else if (TypeShape.KindOf(identifiers[0].Type) != TypeShape.Kind.Primitive)
        {
            var member = identifiers[0];
            var location = (member.Parameter ?? (ISymbol)member.Property).Locations.FirstOrDefault() ?? syntax.GetLocation();
            context.ReportDiagnostic(Diagnostic.Create(Diagnostics.SelectorNotPrimitive, location, member.JsonName,
                TypeShape.KindOf(member.Type) == TypeShape.Kind.Array ? "an array" : "an object"));
        }
    }

    private static void CheckPath(Action<Diagnostic> report, ITypeSymbol type, List<string> segments, int policy, Location location)
    {
        var current = type;
        var path = "$Session";
        for (var i = 0; i < segments.Count; i++)
        {
            if (TypeShape.KindOf(current) != TypeShape.Kind.Object)
            {
                report(Diagnostic.Create(Diagnostics.SelectorNotPrimitive, location, path, "which is not an object"));
                return;
            }

            var members = TypeShape.Members(TypeShape.Unwrap(current), policy);
            var member = members.FirstOrDefault(m => m.JsonName == segments[i]);
            if (member is null)
            {
                var nearest = Nearest(segments[i], members.Select(m => m.JsonName));
                report(Diagnostic.Create(Diagnostics.SelectorMember, location, TypeShape.Unwrap(current).Name, segments[i],
                    nearest is null ? "" : $"; did you mean '{nearest}'?"));
                return;
            }

            path += "{" + segments[i] + "}";
            current = member.Type;
        }

        var kind = TypeShape.KindOf(current);
        if (kind != TypeShape.Kind.Primitive)
        {
            report(Diagnostic.Create(Diagnostics.SelectorNotPrimitive, location, path, kind == TypeShape.Kind.Array ? "an array" : "an object"));
        }
    }

    private static void AnalyzeAssignment(OperationAnalysisContext context, INamedTypeSymbol? productSession, INamedTypeSymbol? update)
    {
        var assignment = (ISimpleAssignmentOperation)context.Operation;
        if (assignment.Target is not IPropertyReferenceOperation { Property: var property } ||
            !(SymbolEqualityComparer.Default.Equals(property.ContainingType, productSession) ||
              SymbolEqualityComparer.Default.Equals(property.ContainingType, update)))
        {
            return;
        }

        var value = assignment.Value.ConstantValue;
        switch (property.Name)
        {
            case "Selector" when value is { HasValue: true, Value: string selector }:
                if (!SessionGrammar.TryParseSelector(selector, out _, out var position, out var reason))
                {
                    context.ReportDiagnostic(Diagnostic.Create(Diagnostics.SelectorSyntax,
                        CharacterLocation(assignment.Value.Syntax as ExpressionSyntax, position), position, reason));
                }

                break;
            case "Tag" when value is { HasValue: true, Value: string tag } && SessionGrammar.TagProblem(tag) is not null:
                context.ReportDiagnostic(Diagnostic.Create(Diagnostics.TagGrammar, assignment.Value.Syntax.GetLocation(), tag));
                break;
            case "Expiry" when value is { HasValue: true, Value: int expiry } && assignment.Parent is IObjectOrCollectionInitializerOperation initializer:
                var period = initializer.Initializers.OfType<ISimpleAssignmentOperation>()
                    .FirstOrDefault(a => a.Target is IPropertyReferenceOperation { Property.Name: "Period" })?.Value.ConstantValue;
                if (period is { HasValue: true, Value: int p })
                {
                    CheckLifetime(context.ReportDiagnostic, expiry, p, assignment.Value.Syntax.GetLocation());
                }
                else if (expiry < 1)
                {
                    CheckLifetime(context.ReportDiagnostic, expiry, 3, assignment.Value.Syntax.GetLocation());
                }

                break;
        }
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, INamedTypeSymbol? selector)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (!SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, selector) ||
            invocation.TargetMethod.Name is not ("Parse" or "TryParse") || invocation.Arguments.Length == 0)
        {
            return;
        }

        var argument = invocation.Arguments[0].Value;
        if (argument.ConstantValue is { HasValue: true, Value: string text } &&
            !SessionGrammar.TryParseSelector(text, out _, out var position, out var reason))
        {
            context.ReportDiagnostic(Diagnostic.Create(Diagnostics.SelectorSyntax,
                CharacterLocation(argument.Syntax as ExpressionSyntax, position), position, reason));
        }
    }

    private static void CheckLifetime(Action<Diagnostic> report, int expiry, int period, Location location)
    {
        if (Lifetimes.MaxExpiry(period) is null)
        {
            report(Diagnostic.Create(Diagnostics.Lifetime, location, expiry, $"(TokenPeriod){period}", "in a period that is not defined"));
        }
        else if (expiry < 1)
        {
            report(Diagnostic.Create(Diagnostics.Lifetime, location, expiry, Lifetimes.PeriodName(period), "below 1"));
        }
        else if (Lifetimes.MaxExpiry(period) is { } max && expiry > max)
        {
            report(Diagnostic.Create(Diagnostics.Lifetime, location, expiry, Lifetimes.PeriodName(period),
                $"beyond 100 years from some start dates (at most {max})"));
        }
    }

    /// <summary>The offending character inside a plain or verbatim string literal; the whole expression otherwise.</summary>
    private static Location CharacterLocation(ExpressionSyntax? expression, int position)
    {
        if (expression is LiteralExpressionSyntax literal && literal.Token.IsKind(SyntaxKind.StringLiteralToken))
        {
            var text = literal.Token.Text;
            var open = text.StartsWith("@\"", StringComparison.Ordinal) ? 2 : text.StartsWith("\"", StringComparison.Ordinal) ? 1 : -1;
            var plain = open == 1 ? text.IndexOf('\\') < 0 : text.IndexOf("\"\"", 2, StringComparison.Ordinal) < 0;
            if (open > 0 && plain)
            {
                var start = literal.Token.SpanStart + open + position;
                return Location.Create(literal.SyntaxTree, new TextSpan(start, start < literal.Token.Span.End - 1 ? 1 : 0));
            }
        }

        return expression?.GetLocation() ?? Location.None;
    }

    private static string? Nearest(string name, IEnumerable<string> candidates) =>
        candidates.Select(c => (Name: c, Distance: Distance(name.ToLowerInvariant(), c.ToLowerInvariant())))
            .Where(c => c.Distance <= Math.Max(2, name.Length / 3))
            .OrderBy(c => c.Distance).ThenBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => c.Name).FirstOrDefault();

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }

    /// <summary>The naming policy of the JsonSerializerContext that declares each type (JsonKnownNamingPolicy as a number).</summary>
    private static Dictionary<ITypeSymbol, int> NamingPolicies(Compilation compilation)
    {
        var result = new Dictionary<ITypeSymbol, int>(SymbolEqualityComparer.Default);
        var contextBase = compilation.GetTypeByMetadataName(JsonContextBase);
        if (contextBase is null)
        {
            return result;
        }

        var pending = new Stack<INamespaceOrTypeSymbol>();
        pending.Push(compilation.Assembly.GlobalNamespace);
        while (pending.Count > 0)
        {
            foreach (var member in pending.Pop().GetMembers())
            {
                if (member is INamespaceSymbol ns)
                {
                    pending.Push(ns);
                }
                else if (member is INamedTypeSymbol type)
                {
                    pending.Push(type);
                    if (SymbolEqualityComparer.Default.Equals(type.BaseType, contextBase))
                    {
                        var policy = type.GetAttributes().FirstOrDefault(a => a.AttributeClass?.Name == "JsonSourceGenerationOptionsAttribute")?
                            .NamedArguments.FirstOrDefault(n => n.Key == "PropertyNamingPolicy").Value.Value is int p ? p : 0;
                        foreach (var serializable in type.GetAttributes().Where(a => a.AttributeClass?.Name == "JsonSerializableAttribute"))
                        {
                            if (serializable.ConstructorArguments.FirstOrDefault().Value is ITypeSymbol declared && !result.ContainsKey(declared))
                            {
                                result[declared] = policy;
                            }
                        }
                    }
                }
            }
        }

        return result;
    }
}
