using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ductape.Sdk.Products;

/// <summary>
/// A session type of a product (Ductape's <c>IProductSession</c>): what a session holds, how its user is identified and
/// how long it lasts.
/// </summary>
/// <remarks>
/// <see cref="JsonElement"/> compares by reference, so two records with equal but separately parsed schemas are not
/// <see cref="object.Equals(object?)"/>; compare schemas with <c>JsonElement.DeepEquals</c>.
/// </remarks>
public sealed record ProductSession
{
    /// <summary>The session type's unique tag within the product: 1–128 characters of A–Z, a–z, 0–9, '_' and '-'.</summary>
    [JsonPropertyName("tag")]
    [JsonRequired]
    public string Tag { get; init; } = string.Empty;

    /// <summary>The display name. Required.</summary>
    [JsonPropertyName("name")]
    [JsonRequired]
    public string Name { get; init; } = string.Empty;

    /// <summary>A short description of the session's purpose. Required.</summary>
    [JsonPropertyName("description")]
    [JsonRequired]
    public string Description { get; init; } = string.Empty;

    /// <summary>How many <see cref="Period"/> units a session lasts: at least 1, and at most 100 years in all.</summary>
    [JsonPropertyName("expiry")]
    [JsonRequired]
    public int Expiry { get; init; }

    /// <summary>The unit of <see cref="Expiry"/>.</summary>
    [JsonPropertyName("period")]
    [JsonRequired]
    public TokenPeriod Period { get; init; }

    /// <summary>Where the user's identifier sits in the session data, for example <c>$Session{details}{username}</c>.</summary>
    [JsonPropertyName("selector")]
    [JsonRequired]
    public string Selector { get; init; } = string.Empty;

    /// <summary>
    /// A JSON object of sample values (not types) showing what a session holds, for example
    /// <c>{"userId":"191010192-19198829819"}</c>. Build it with <see cref="SessionJson"/>.
    /// </summary>
    [JsonPropertyName("schema")]
    [JsonRequired]
    public JsonElement Schema { get; init; }

    /// <summary>
    /// Checks this session type against the contract's rules (CONTRACT §2) without sending anything — the checks
    /// <c>CreateAsync</c> runs first. Useful to validate session types kept as files or code.
    /// </summary>
    /// <param name="now">The instant the 100-year lifetime cap counts from; the current time when null.</param>
    /// <returns>Every problem, each naming its JSON field; empty when the session type is valid.</returns>
    public IReadOnlyList<DuctapeValidationError> Validate(DateTimeOffset? now = null) =>
        ProductSessionRules.Problems(this, now ?? DateTimeOffset.UtcNow);
}
