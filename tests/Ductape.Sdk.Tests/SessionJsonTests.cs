using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ductape.Sdk.Tests;

public class SessionJsonTests
{
    private const string Seed = """{"userId":"191010192-19198829819","details":{"username":"ductape-user","email":"santos@ductape.app"}}""";

    [Test]
    public void Builds_the_same_object_from_text_node_element_and_typed_value()
    {
        var fromText = SessionJson.Parse(Seed);
        var fromNode = SessionJson.From(JsonNode.Parse(Seed)!);
        JsonElement fromElement;
        using (var document = JsonDocument.Parse(Seed))
        {
            fromElement = SessionJson.From(document.RootElement);
        }

        var fromTyped = SessionJson.From(
            new SeedSchema("191010192-19198829819", new SeedDetails("ductape-user", "santos@ductape.app")), TestJson.Default.SeedSchema);

        foreach (var element in new[] { fromText, fromNode, fromElement, fromTyped })
        {
            Json.AssertEquivalent(element, Seed);
        }
    }

    [TestCase("[1]")]
    [TestCase("\"text\"")]
    [TestCase("42")]
    [TestCase("null")]
    public void Anything_but_an_object_is_rejected(string json)
    {
        var ex = Assert.Throws<ArgumentException>(() => SessionJson.Parse(json));
        Assert.That(ex!.ParamName, Is.EqualTo("json"));
        Assert.That(ex.Message, Does.StartWith("Expected a JSON object"));
        Assert.Throws<ArgumentException>(() => SessionJson.From(Json.Parse(json)));
        if (json != "null")
        {
            Assert.Throws<ArgumentException>(() => SessionJson.From(JsonNode.Parse(json)!));
        }
    }

    [Test]
    public void A_typed_value_that_is_not_an_object_is_rejected() =>
        Assert.Throws<ArgumentException>(() => SessionJson.From(new[] { "a" }, TestJson.Default.StringArray));

    [Test]
    public void Invalid_json_is_rejected_without_echoing_the_content()
    {
        var ex = Assert.Throws<ArgumentException>(() => SessionJson.Parse("""{"password":"hunter2" """));
        Assert.That(ex!.Message, Does.StartWith("The text is not valid JSON"));
        Assert.That(ex.Message, Does.Not.Contain("hunter2"));
    }
}
