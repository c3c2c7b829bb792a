using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Ductape.Sdk.Tests;

/// <summary>Source-generated metadata for values the tests serialize.</summary>
[JsonSerializable(typeof(TokenPeriod))]
[JsonSerializable(typeof(SeedSchema))]
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(Ductape.Sdk.Products.ProductSession))]
[JsonSerializable(typeof(Ductape.Sdk.Sessions.SessionTokens))]
internal sealed partial class TestJson : JsonSerializerContext;

internal sealed record SeedDetails(
    [property: JsonPropertyName("username")] string Username,
    [property: JsonPropertyName("email")] string Email);

internal sealed record SeedSchema(
    [property: JsonPropertyName("userId")] string UserId,
    [property: JsonPropertyName("details")] SeedDetails Details);

internal static class Json
{
    /// <summary>Parses JSON for a comparison of structure, not text.</summary>
    public static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();

    public static void AssertEquivalent(JsonElement actual, string expectedJson)
    {
        var expected = Parse(expectedJson);
        // JsonNode.DeepEquals, not JsonElement's (.NET 9+): the suite also runs on .NET 8.
        Assert.That(System.Text.Json.Nodes.JsonNode.DeepEquals(
                System.Text.Json.Nodes.JsonNode.Parse(actual.GetRawText()), System.Text.Json.Nodes.JsonNode.Parse(expected.GetRawText())), Is.True,
            $"Expected JSON {expected.GetRawText()} but was {actual.GetRawText()}");
    }
}
