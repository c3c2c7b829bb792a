using System.Collections;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Ductape.Sdk.Proxy;

/// <summary>
/// Checks a result read from the wire against the contract's shape. The models declare it: every member the contract requires
/// carries <c>[JsonRequired]</c>, so System.Text.Json already refuses a missing one or one of the wrong JSON type; this adds
/// what it lets through — a required member present as <c>null</c> — walking nested objects and lists.
/// </summary>
internal static class WireShape
{
    /// <summary>The JSON path of the first required member that is null, or null when the value is whole.</summary>
    public static string? FindMissing(object? value, JsonTypeInfo typeInfo, string path = "data")
    {
        if (value is null or JsonElement { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined })
        {
            return path;
        }

        switch (typeInfo.Kind)
        {
            case JsonTypeInfoKind.Object:
                foreach (var property in typeInfo.Properties)
                {
                    if (property.Get is null || (property.PropertyType.IsValueType && property.PropertyType != typeof(JsonElement)))
                    {
                        // Value types cannot hold null, and System.Text.Json refuses null for them already.
                        continue;
                    }

                    var member = property.Get(value);
                    var memberPath = path + "." + property.Name;
                    if (member is null || member is JsonElement { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined })
                    {
                        if (property.IsRequired)
                        {
                            return memberPath;
                        }

                        continue;
                    }

                    // The one required JSON value in the contract's results is a session type's schema: a JSON object.
                    if (property.IsRequired && member is JsonElement { ValueKind: not JsonValueKind.Object })
                    {
                        return memberPath + " (a JSON object)";
                    }

                    if (member is not (string or JsonElement)
                        && FindMissing(member, typeInfo.Options.GetTypeInfo(property.PropertyType), memberPath) is { } inner)
                    {
                        return inner;
                    }
                }

                return null;

            case JsonTypeInfoKind.Enumerable when value is IEnumerable items && ElementTypeOf(typeInfo.Type) is { } elementType:
                if (elementType.IsValueType || elementType == typeof(string))
                {
                    return null;
                }

                var elementInfo = typeInfo.Options.GetTypeInfo(elementType);
                var index = 0;
                foreach (var item in items)
                {
                    if (FindMissing(item, elementInfo, $"{path}[{index}]") is { } inner)
                    {
                        return inner;
                    }

                    index++;
                }

                return null;

            default:
                return null;
        }
    }

    // JsonTypeInfo.ElementType is .NET 9+; the SDK's lists are arrays or one-argument generics (List<T>, IReadOnlyList<T>).
    private static Type? ElementTypeOf(Type type) =>
        type.IsArray ? type.GetElementType() : type.IsGenericType && type.GetGenericArguments() is [var element] ? element : null;
}
