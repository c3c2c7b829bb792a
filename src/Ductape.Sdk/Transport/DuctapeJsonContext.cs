using System.Text.Json;
using System.Text.Json.Serialization;
using Ductape.Sdk.Products;

namespace Ductape.Sdk.Transport;

/// <summary>The one source-generated JSON context: every type the SDK reads or writes is listed here (no reflection).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(ProductSession))]
[JsonSerializable(typeof(ProductSessionUpdate))]
[JsonSerializable(typeof(List<ProductSession>))]
internal sealed partial class DuctapeJsonContext : JsonSerializerContext;
