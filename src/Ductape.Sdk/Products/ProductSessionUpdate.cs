using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ductape.Sdk.Products;

/// <summary>
/// A change to an existing session type (Ductape's <c>Partial&lt;IProductSession&gt;</c>). <see cref="Tag"/> locates it;
/// only the properties you set are sent, and Ductape merges them into the stored configuration.
/// </summary>
/// <param name="Tag">The tag of the session type to change.</param>
public sealed record ProductSessionUpdate([property: JsonIgnore] string Tag)
{
    /// <summary>A new display name, or <see langword="null"/> to keep the current one.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    /// <summary>A new description, or <see langword="null"/> to keep the current one.</summary>
    [JsonPropertyName("description")]
    public string? Description { get; init; }

    /// <summary>A new expiry, or <see langword="null"/> to keep the current one.</summary>
    [JsonPropertyName("expiry")]
    public int? Expiry { get; init; }

    /// <summary>A new expiry unit, or <see langword="null"/> to keep the current one.</summary>
    [JsonPropertyName("period")]
    public TokenPeriod? Period { get; init; }

    /// <summary>A new selector, or <see langword="null"/> to keep the current one.</summary>
    [JsonPropertyName("selector")]
    public string? Selector { get; init; }

    /// <summary>A new schema of sample values, or <see langword="null"/> to keep the current one.</summary>
    [JsonPropertyName("schema")]
    public JsonElement? Schema { get; init; }

    internal bool ChangesNothing =>
        Name is null && Description is null && Expiry is null && Period is null && Selector is null && Schema is null;
}
