using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ductape.Sdk.Tests.Tokens;

internal sealed record TokenSeedDetails([property: JsonPropertyName("username")] string Username);

internal sealed record TokenSeedData(
    [property: JsonPropertyName("userId")] string UserId,
    [property: JsonPropertyName("details")] TokenSeedDetails Details);

[JsonSerializable(typeof(TokenSeedData), TypeInfoPropertyName = "SeedData")]
[JsonSerializable(typeof(Dictionary<string, JsonElement>))]
internal sealed partial class TokenJson : JsonSerializerContext;
