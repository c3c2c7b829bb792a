using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ductape.Sdk.Cli;

[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int))]
internal sealed partial class CliJson : JsonSerializerContext;
