using Microsoft.CodeAnalysis;

namespace Ductape.Sdk.Generators;

/// <summary>Every diagnostic of typed sessions; each is documented in docs/diagnostics.md.</summary>
internal static class Diagnostics
{
    private const string Category = "Ductape.Sessions";

    public static readonly DiagnosticDescriptor SelectorSyntax = Error("DUCT001",
        "Selector syntax error", "The selector is not valid at character {0}: {1}");

    public static readonly DiagnosticDescriptor SelectorMember = Error("DUCT002",
        "Selector names a missing member", "'{0}' has no JSON member '{1}'{2}");

    public static readonly DiagnosticDescriptor SelectorNotPrimitive = Error("DUCT003",
        "Selector does not reach a string, number or boolean", "The selector reaches '{0}', {1}; the identifier must be a string, number or boolean");

    public static readonly DiagnosticDescriptor TagGrammar = Error("DUCT004",
        "Invalid session tag", "'{0}' is not a session tag: 1-128 letters, digits, '_' or '-', starting with a letter or digit");

    public static readonly DiagnosticDescriptor Lifetime = Error("DUCT005",
        "Session lifetime out of range", "An expiry of {0} {1} is {2}");

    public static readonly DiagnosticDescriptor DuplicateTag = new("DUCT006",
        "Duplicate session tag", "Another [DuctapeSession] type already uses the tag '{0}'", Category, DiagnosticSeverity.Error,
        isEnabledByDefault: true, customTags: WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor NoJsonContext = Error("DUCT007",
        "No JSON metadata for the typed session", "No JsonSerializerContext declares [JsonSerializable(typeof({0}))]: add it to your context so the session's data is serialized without reflection");

    public static readonly DiagnosticDescriptor NotPartial = Error("DUCT008",
        "Typed session must be a non-generic partial type", "'{0}' must be partial and not generic (nor nested in a type that is not partial or is generic) for the generator to implement IDuctapeSession<{0}>");

    public static readonly DiagnosticDescriptor NoIdentifier = Error("DUCT009",
        "Typed session has no identifier", "'{0}' needs exactly one member marked [SessionIdentifier], or a Selector on [DuctapeSession]; {1}");

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
}
