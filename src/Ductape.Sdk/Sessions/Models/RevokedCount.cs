using System.Text.Json.Serialization;

namespace Ductape.Sdk.Sessions;

/// <summary>How many sessions a revocation ended.</summary>
internal sealed record RevokedCount([property: JsonPropertyName("revoked"), JsonRequired] int Revoked);
