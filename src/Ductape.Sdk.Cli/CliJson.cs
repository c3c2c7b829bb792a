using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ductape.Sdk.Cli;

[JsonSerializable(typeof(JsonElement))]
internal sealed partial class CliJson : JsonSerializerContext;
