using System.Text.Json.Serialization;

namespace Ductape.Sdk.Sessions;

internal sealed record SessionUserListing
{
    [JsonPropertyName("users")]
    [JsonRequired]
    public List<SessionUser> Users { get; init; } = [];

    [JsonPropertyName("total")]
    [JsonRequired]
    public int Total { get; init; }

    [JsonPropertyName("page")]
    [JsonRequired]
    public int Page { get; init; }

    [JsonPropertyName("limit")]
    [JsonRequired]
    public int Limit { get; init; }

    [JsonPropertyName("totalPages")]
    [JsonRequired]
    public int TotalPages { get; init; }
}
