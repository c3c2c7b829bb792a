using System.Text.Json.Serialization;
using System.Text.Json;
using Ductape.Sdk.Json;
using Ductape.Sdk.Tokens;

namespace Ductape.Sdk.Sessions;

/// <summary>How many sessions a revocation ended.</summary>
internal sealed record RevokedCount([property: JsonPropertyName("revoked"), JsonRequired] int Revoked);
