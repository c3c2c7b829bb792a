using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace Ductape.Sdk;

/// <summary>
/// Builds the JSON objects the SDK sends as a session schema or session data, from JSON text, a <see cref="JsonNode"/>,
/// a <see cref="JsonElement"/>, or a typed value and its source-generated <see cref="JsonTypeInfo{T}"/> (no reflection).
/// </summary>
/// <remarks>Every method returns a <see cref="JsonElement"/> that owns its memory, so it stays valid as long as you keep it.</remarks>
public static class SessionJson
{
    /// <summary>Parses JSON text that must hold one JSON object.</summary>
    /// <param name="json">The JSON text, for example <c>{"userId":"42"}</c>.</param>
    /// <returns>The object.</returns>
    /// <exception cref="ArgumentException">The text is not JSON, or not a JSON object.</exception>
    public static JsonElement Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            return RequireObject(document.RootElement.Clone(), nameof(json));
        }
        catch (JsonException ex)
        {
            // The reader's message names the line and byte position, never the content.
            throw new ArgumentException($"The text is not valid JSON: {ex.Message}", nameof(json), ex);
        }
    }

    /// <summary>Copies a JSON object held in a <see cref="JsonNode"/>.</summary>
    /// <param name="node">The object.</param>
    /// <returns>The object.</returns>
    /// <exception cref="ArgumentException"><paramref name="node"/> is not a JSON object.</exception>
    public static JsonElement From(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (node is not JsonObject)
        {
            throw new ArgumentException("Expected a JSON object.", nameof(node));
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            node.WriteTo(writer);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    /// <summary>Copies a JSON object, so it no longer depends on the <see cref="JsonDocument"/> it came from.</summary>
    /// <param name="element">The object.</param>
    /// <returns>A copy that owns its memory.</returns>
    /// <exception cref="ArgumentException"><paramref name="element"/> is not a JSON object.</exception>
    public static JsonElement From(JsonElement element) => RequireObject(element, nameof(element)).Clone();

    /// <summary>Serializes a typed value, which must serialize to a JSON object, with its source-generated metadata.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="value">The value, for example a record of sample session data.</param>
    /// <param name="typeInfo">Its metadata from your <c>JsonSerializerContext</c>.</param>
    /// <returns>The object.</returns>
    /// <exception cref="ArgumentException"><paramref name="value"/> does not serialize to a JSON object.</exception>
    public static JsonElement From<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        return RequireObject(JsonSerializer.SerializeToElement(value, typeInfo), nameof(value));
    }

    private static JsonElement RequireObject(JsonElement element, string parameterName) =>
        element.ValueKind == JsonValueKind.Object
            ? element
            : throw new ArgumentException($"Expected a JSON object, not {element.ValueKind}.", parameterName);
}
