using System.Collections;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Ductape.Sdk.Proxy;

/// <summary>
/// Checks a result read from the wire against the contract's shape. The models declare it: every member the contract requires
/// carries <c>[JsonRequired]</c>, so System.Text.Json already refuses a missing one or one of the wrong JSON type; this adds
/// what it lets through — a required member present as <c>null</c>, a schema that is not an object — walking nested objects
/// and lists. It runs on every answer, so it allocates nothing unless it finds a problem.
/// </summary>
internal static class WireShape
{
    /// <summary>The JSON path (from <c>data</c>) of the first required member that is null or not of its kind, or null.</summary>
    public static string? FindMissing(object? value, JsonTypeInfo typeInfo) =>
        Find(value, typeInfo) is { } relative ? "data" + relative : null;

    /// <summary>The problem's path relative to <paramref name="value"/> ("" for the value itself), or null when it is whole.</summary>
    private static string? Find(object? value, JsonTypeInfo typeInfo)
    {
        if (IsNull(value))
        {
            return "";
        }

        switch (typeInfo.Kind)
        {
            case JsonTypeInfoKind.Object:
                var properties = typeInfo.Properties;
                for (var i = 0; i < properties.Count; i++)
                {
                    var property = properties[i];
                    var type = property.PropertyType;
                    if (property.Get is null || (type.IsValueType && type != typeof(JsonElement)) || (type == typeof(JsonElement) && !property.IsRequired))
                    {
                        // Value types cannot hold null, and System.Text.Json refuses null for them already.
                        continue;
                    }

                    var member = property.Get(value!);
                    if (IsNull(member))
                    {
                        if (property.IsRequired)
                        {
                            return "." + property.Name;
                        }

                        continue;
                    }

                    if (member is JsonElement element)
                    {
                        // The one required JSON value in the contract's results is a session type's schema: a JSON object.
                        if (element.ValueKind != JsonValueKind.Object)
                        {
                            return "." + property.Name + " (a JSON object)";
                        }

                        continue;
                    }

                    if (member is not string && Find(member, typeInfo.Options.GetTypeInfo(type)) is { } inner)
                    {
                        return "." + property.Name + inner;
                    }
                }

                return null;

            case JsonTypeInfoKind.Enumerable when value is IList items && ElementTypeOf(typeInfo) is { } elementType:
                if (elementType.IsValueType || elementType == typeof(string))
                {
                    return null;
                }

                var elementInfo = typeInfo.Options.GetTypeInfo(elementType);
                for (var i = 0; i < items.Count; i++)
                {
                    if (Find(items[i], elementInfo) is { } inner)
                    {
                        return $"[{i}]{inner}";
                    }
                }

                return null;

            default:
                return null;
        }
    }

    private static bool IsNull(object? value) =>
        value is null or JsonElement { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined };

#if NET9_0_OR_GREATER
    private static Type? ElementTypeOf(JsonTypeInfo typeInfo) => typeInfo.ElementType;
#else
    // JsonTypeInfo.ElementType is .NET 9+; the SDK's lists are arrays or one-argument generics (List<T>, IReadOnlyList<T>).
    private static Type? ElementTypeOf(JsonTypeInfo typeInfo) =>
        typeInfo.Type.IsArray ? typeInfo.Type.GetElementType()
        : typeInfo.Type.IsGenericType && typeInfo.Type.GetGenericArguments() is [var element] ? element : null;
#endif
}
