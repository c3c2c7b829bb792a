using System.Text.Json.Serialization;
using System.Text.Json;
using Ductape.Sdk.Tokens;

namespace Ductape.Sdk.Sessions;

/// <summary>The outcome of verifying a session token.</summary>
public sealed record SessionVerification
{
    /// <summary>Whether the token is valid.</summary>
    [JsonPropertyName("valid")]
    [JsonRequired]
    public bool IsValid { get; init; }

    /// <summary>The session data, when valid.</summary>
    [JsonPropertyName("data")]
    public JsonElement? Data { get; init; }

    /// <summary>The session id, when valid.</summary>
    [JsonPropertyName("sessionId")]
    public string? SessionId { get; init; }

    /// <summary>When the token expires, when valid.</summary>
    [JsonPropertyName("expiresAt")]
    [JsonConverter(typeof(FlexibleTimeConverter))]
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Which path answered: <see cref="SessionVerificationMode.Server"/>, <see cref="SessionVerificationMode.Offline"/> or <see cref="SessionVerificationMode.OfflineWithRevocations"/>.</summary>
    [JsonIgnore]
    public SessionVerificationMode VerifiedBy { get; init; } = SessionVerificationMode.Server;

    /// <summary>Why an offline verification failed (<see cref="SessionTokenFailure.None"/> when valid or answered by Ductape).</summary>
    [JsonIgnore]
    public SessionTokenFailure Failure { get; init; }

    /// <summary>Says whether it is valid and names the session, never its data.</summary>
    public override string ToString() =>
        IsValid ? $"Valid session {SessionId}, expires {ExpiresAt:u} ({VerifiedBy})"
            : Failure == SessionTokenFailure.None ? $"Invalid session token ({VerifiedBy})" : $"Invalid session token: {Failure} ({VerifiedBy})";
}
