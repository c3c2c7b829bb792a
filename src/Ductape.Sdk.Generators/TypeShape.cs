using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;

namespace Ductape.Sdk.Generators;

/// <summary>How System.Text.Json writes a type, as far as a session's schema and selector need it.</summary>
internal static class TypeShape
{
    public const string IdentifierAttribute = "Ductape.Sdk.SessionIdentifierAttribute";
    public const string SampleAttribute = "Ductape.Sdk.SessionSampleAttribute";
    private const string JsonPropertyName = "System.Text.Json.Serialization.JsonPropertyNameAttribute";
    private const string JsonIgnore = "System.Text.Json.Serialization.JsonIgnoreAttribute";

    public enum Kind
    {
        Primitive,
        Object,
        Array,
    }

    /// <summary>One member as JSON sees it.</summary>
    public sealed class Member
    {
        public Member(string jsonName, ITypeSymbol type, IPropertySymbol property, IParameterSymbol? parameter)
        {
            JsonName = jsonName;
            Type = type;
            Property = property;
            Parameter = parameter;
        }

        public string JsonName { get; }

        public ITypeSymbol Type { get; }

        public IPropertySymbol Property { get; }

        public IParameterSymbol? Parameter { get; }

        public bool Has(string attribute) =>
            Property.GetAttributes().Any(a => Is(a, attribute)) || (Parameter?.GetAttributes().Any(a => Is(a, attribute)) ?? false);

        public AttributeData? Find(string attribute) =>
            Property.GetAttributes().FirstOrDefault(a => Is(a, attribute)) ?? Parameter?.GetAttributes().FirstOrDefault(a => Is(a, attribute));
    }

    public static bool Is(AttributeData attribute, string fullName) => attribute.AttributeClass?.ToDisplayString() == fullName;

    /// <summary>The members System.Text.Json serializes: public instance properties with a getter, not ignored.</summary>
    public static List<Member> Members(ITypeSymbol type, int namingPolicy)
    {
        var members = new List<Member>();
        var parameters = type is INamedTypeSymbol named && named.IsRecord
            ? named.InstanceConstructors.OrderByDescending(c => c.Parameters.Length).FirstOrDefault()?.Parameters ?? default
            : default;
        var seen = new HashSet<string>();
        for (var current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
        {
            foreach (var property in current.GetMembers().OfType<IPropertySymbol>())
            {
                if (property.IsStatic || property.IsIndexer || property.DeclaredAccessibility != Accessibility.Public ||
                    property.GetMethod is null || property.Name == "EqualityContract" || !seen.Add(property.Name) ||
                    property.GetAttributes().Any(a => Is(a, JsonIgnore)))
                {
                    continue;
                }

                var parameter = parameters.IsDefault ? null : parameters.FirstOrDefault(p => p.Name == property.Name);
                var renamed = property.GetAttributes().FirstOrDefault(a => Is(a, JsonPropertyName))?.ConstructorArguments.FirstOrDefault().Value as string;
                members.Add(new Member(renamed ?? Apply(namingPolicy, property.Name), property.Type, property, parameter));
            }
        }

        return members;
    }

    /// <summary>
    /// Every member marked <c>[SessionIdentifier]</c>, depth-first through nested objects, with its selector path. A type
    /// already on the path is not entered again (a record that refers to itself has one identifier, not one per level), and
    /// the walk stops after <see cref="MaxMembers"/> members, so it is linear in the type graph whatever its shape.
    /// </summary>
    public static List<(Member Member, string Path)> Identifiers(ITypeSymbol type, int namingPolicy)
    {
        var found = new List<(Member, string)>();
        var onPath = new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default);
        var visited = 0;
        Walk(type, "$Session");
        return found;

        void Walk(ITypeSymbol current, string path)
        {
            if (!onPath.Add(current))
            {
                return;
            }

            foreach (var member in Members(current, namingPolicy))
            {
                if (++visited > MaxMembers)
                {
                    break;
                }

                var here = path + "{" + member.JsonName + "}";
                if (member.Has(IdentifierAttribute))
                {
                    found.Add((member, here));
                }
                else if (KindOf(member.Type) == Kind.Object)
                {
                    Walk(Unwrap(member.Type), here);
                }
            }

            onPath.Remove(current);
        }
    }

    /// <summary>The most JSON members a sample (or an identifier walk) expands; beyond it, DUCT011.</summary>
    public const int MaxMembers = 2_000;

    public static Kind KindOf(ITypeSymbol type)
    {
        type = Unwrap(type);
        if (type.TypeKind == TypeKind.Enum)
        {
            return Kind.Primitive;
        }

        switch (type.SpecialType)
        {
            case SpecialType.System_String or SpecialType.System_Char or SpecialType.System_Boolean or SpecialType.System_Byte
                or SpecialType.System_SByte or SpecialType.System_Int16 or SpecialType.System_UInt16 or SpecialType.System_Int32
                or SpecialType.System_UInt32 or SpecialType.System_Int64 or SpecialType.System_UInt64 or SpecialType.System_Single
                or SpecialType.System_Double or SpecialType.System_Decimal or SpecialType.System_DateTime:
                return Kind.Primitive;
        }

        var name = type.ToDisplayString();
        if (name is "System.Guid" or "System.DateTimeOffset" or "System.TimeSpan" or "System.Uri" or "System.DateOnly" or "System.TimeOnly")
        {
            return Kind.Primitive;
        }

        if (type is IArrayTypeSymbol || (IsEnumerable(type) && !IsDictionary(type)))
        {
            return Kind.Array;
        }

        return Kind.Object;
    }

    public static ITypeSymbol Unwrap(ITypeSymbol type) =>
        type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable ? nullable.TypeArguments[0] : type;

    /// <summary>
    /// A sample JSON document for a type: members by their JSON names, primitives by a sample value (the
    /// <c>[SessionSample]</c> when given). A member whose type is already being written (a record that refers to itself) is
    /// <c>null</c>, so a recursive type gets a finite sample; writing stops after <see cref="MaxMembers"/> members.
    /// </summary>
    /// <returns>The sample, or null when the type is too large to sample (DUCT011).</returns>
    public static string? Sample(ITypeSymbol type, int namingPolicy)
    {
        var writer = new SampleWriter(namingPolicy);
        writer.Write(type, null);
        return writer.Members > MaxMembers ? null : writer.Json.ToString();
    }

    private sealed class SampleWriter(int namingPolicy)
    {
        private readonly HashSet<ITypeSymbol> _onPath = new(SymbolEqualityComparer.Default);

        public StringBuilder Json { get; } = new();

        public int Members { get; private set; }

        public void Write(ITypeSymbol type, AttributeData? sample)
        {
            if (sample is { ConstructorArguments.Length: 1 } && sample.ConstructorArguments[0].Value is { } value)
            {
                Json.Append(value switch
                {
                    string s => Quote(s),
                    bool b => b ? "true" : "false",
                    double d => d.ToString("R", CultureInfo.InvariantCulture),
                    _ => System.Convert.ToString(value, CultureInfo.InvariantCulture),
                });
                return;
            }

            type = Unwrap(type);
            if (Members > MaxMembers)
            {
                Json.Append("null");
                return;
            }

            switch (KindOf(type))
            {
                case Kind.Primitive:
                    Json.Append(PrimitiveSample(type));
                    return;
                case Kind.Array:
                    Json.Append('[');
                    if (ElementType(type) is { } element && !_onPath.Contains(Unwrap(element)))
                    {
                        Write(element, null);
                    }

                    Json.Append(']');
                    return;
                default:
                    if (!_onPath.Add(type))
                    {
                        Json.Append("null"); // recursion: the sample stops here
                        return;
                    }

                    Json.Append('{');
                    if (!IsDictionary(type))
                    {
                        var first = true;
                        foreach (var member in Members(type, namingPolicy))
                        {
                            if (++Members > MaxMembers)
                            {
                                break;
                            }

                            Json.Append(first ? "" : ",").Append(Quote(member.JsonName)).Append(':');
                            Write(member.Type, member.Find(SampleAttribute));
                            first = false;
                        }
                    }

                    Json.Append('}');
                    _onPath.Remove(type);
                    return;
            }
        }
    }

    /// <summary>System.Text.Json's known naming policies (JsonKnownNamingPolicy: 1 camel, 2/3 snake, 4/5 kebab).</summary>
    public static string Apply(int policy, string name) => policy switch
    {
        1 => name.Length == 0 || !char.IsUpper(name[0]) ? name : CamelCase(name),
        2 => Separated(name, '_', upper: false),
        3 => Separated(name, '_', upper: true),
        4 => Separated(name, '-', upper: false),
        5 => Separated(name, '-', upper: true),
        _ => name,
    };

    public static string Quote(string text)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in text)
        {
            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                < ' ' => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        return builder.Append('"').ToString();
    }

    private static string PrimitiveSample(ITypeSymbol type)
    {
        if (type.TypeKind == TypeKind.Enum)
        {
            return "0";
        }

        return type.SpecialType switch
        {
            SpecialType.System_String => "\"sample\"",
            SpecialType.System_Char => "\"a\"",
            SpecialType.System_Boolean => "false",
            SpecialType.System_DateTime => "\"2026-01-01T00:00:00Z\"",
            SpecialType.System_Single or SpecialType.System_Double or SpecialType.System_Decimal => "0.5",
            SpecialType.None => type.ToDisplayString() switch
            {
                "System.Guid" => "\"00000000-0000-0000-0000-000000000001\"",
                "System.DateTimeOffset" => "\"2026-01-01T00:00:00+00:00\"",
                "System.TimeSpan" => "\"00:00:01\"",
                "System.Uri" => "\"https://example.com/\"",
                "System.DateOnly" => "\"2026-01-01\"",
                "System.TimeOnly" => "\"00:00:00\"",
                _ => "\"sample\"",
            },
            _ => "1",
        };
    }

    private static ITypeSymbol? ElementType(ITypeSymbol type) =>
        type is IArrayTypeSymbol array ? array.ElementType
        : type.AllInterfaces.Concat(type is INamedTypeSymbol n ? new[] { n } : System.Array.Empty<INamedTypeSymbol>())
            .FirstOrDefault(i => i.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T)?.TypeArguments[0];

    private static bool IsEnumerable(ITypeSymbol type) =>
        type.SpecialType != SpecialType.System_String &&
        (type.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T ||
         type.AllInterfaces.Any(i => i.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T));

    private static bool IsDictionary(ITypeSymbol type) =>
        type.AllInterfaces.Concat(type is INamedTypeSymbol n ? new[] { n } : System.Array.Empty<INamedTypeSymbol>())
            .Any(i => i.OriginalDefinition.ToDisplayString() is "System.Collections.Generic.IDictionary<TKey, TValue>"
                or "System.Collections.Generic.IReadOnlyDictionary<TKey, TValue>");

    private static string CamelCase(string name)
    {
        // As System.Text.Json: lower the leading run of capitals, keeping the last one of a run followed by lower case.
        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (i == 1 && !char.IsUpper(chars[i]))
            {
                break;
            }

            var hasNext = i + 1 < chars.Length;
            if (i > 0 && hasNext && !char.IsUpper(chars[i + 1]))
            {
                if (chars[i + 1] == ' ')
                {
                    chars[i] = char.ToLowerInvariant(chars[i]);
                }

                break;
            }

            chars[i] = char.ToLowerInvariant(chars[i]);
        }

        return new string(chars);
    }

    private static string Separated(string name, char separator, bool upper)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1]))))
            {
                builder.Append(separator);
            }

            builder.Append(upper ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }
}
