using System.Text.Json.Serialization;

namespace Ductape.Sdk.Sessions;

internal sealed record ActiveSessionListing
{
    [JsonPropertyName("total")]
    [JsonRequired]
    public int Total { get; init; }

    [JsonPropertyName("page")]
    [JsonRequired]
    public int Page { get; init; }

    [JsonPropertyName("limit")]
    [JsonRequired]
    public int Limit { get; init; }

    [JsonPropertyName("sessions")]
    [JsonRequired]
    public List<ActiveSession> Sessions { get; init; } = [];
}
