using System.Text.Json;
using System.Text.Json.Serialization;
using Ductape.Sdk.Products;
using Ductape.Sdk.Sessions;

namespace Ductape.Sdk;

/// <summary>The one source-generated JSON context: every type the SDK reads or writes is listed here (no reflection).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(ProductSession))]
[JsonSerializable(typeof(ProductSessionUpdate))]
[JsonSerializable(typeof(List<ProductSession>))]
[JsonSerializable(typeof(SessionTokens))]
[JsonSerializable(typeof(SessionVerification))]
[JsonSerializable(typeof(RevokedCount))]
[JsonSerializable(typeof(ActiveSessionListing))]
[JsonSerializable(typeof(SessionUserListing))]
[JsonSerializable(typeof(SessionUserDetails))]
[JsonSerializable(typeof(SessionDashboard))]
internal sealed partial class DuctapeJsonContext : JsonSerializerContext;
