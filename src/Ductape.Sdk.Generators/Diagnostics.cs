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
        "Duplicate session tag", "Another [DuctapeSession] type already uses the tag '{0}' (see the additional location)", Category,
        DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLink("DUCT006"), customTags: WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor NoJsonContext = Error("DUCT007",
        "No JSON metadata for the typed session", "No JsonSerializerContext declares [JsonSerializable(typeof({0}))]: add it to your context so the session's data is serialized without reflection");

    public static readonly DiagnosticDescriptor NotPartial = Error("DUCT008",
        "Typed session must be a non-generic partial type", "'{0}' must be partial and not generic (nor nested in a type that is not partial or is generic) for the generator to implement IDuctapeSession<{0}>");

    public static readonly DiagnosticDescriptor NoIdentifier = Error("DUCT009",
        "Typed session has no identifier", "'{0}' needs exactly one member marked [SessionIdentifier], or a Selector on [DuctapeSession]; {1}");

    public static readonly DiagnosticDescriptor IdentifierName = Error("DUCT010",
        "The identifier's JSON name cannot be written in a selector", "The identifier's JSON name '{0}' cannot be a selector segment: {1}; rename it with [JsonPropertyName]");

    public static readonly DiagnosticDescriptor ShapeTooLarge = Error("DUCT011",
        "Session type too large to sample", "'{0}' expands to more than {1} JSON members when sampled; mark members that are not session data [JsonIgnore], or set a Selector and keep the session data small");

    /// <summary>Where each diagnostic is explained: its section of docs/diagnostics.md.</summary>
    public static string HelpLink(string id) => "https://github.com/ductape/Ductape.Sdk/blob/main/docs/diagnostics.md#" + id.ToLowerInvariant();

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLink(id));
}
