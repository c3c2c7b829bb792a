namespace Ductape.Sdk.Tokens;

/// <summary>Settings of a <see cref="SessionTokenValidator"/>; copied when the validator is built.</summary>
public sealed class SessionTokenValidationOptions
{
    /// <summary>The keys tokens may be encrypted with. Required.</summary>
    public SessionKeyRing? Keys { get; set; }

    /// <summary>
    /// The product tokens must belong to (their <c>prd</c> claim). Required unless <see cref="ValidateAudience"/> is false;
    /// <c>AddDuctape</c> sets it from <see cref="DuctapeClientOptions.Product"/>.
    /// </summary>
    public string? Product { get; set; }

    /// <summary>
    /// The environment tokens must belong to (their <c>env</c> claim). Required unless <see cref="ValidateAudience"/> is
    /// false; <c>AddDuctape</c> sets it from <see cref="DuctapeClientOptions.Env"/>.
    /// </summary>
    public string? Env { get; set; }

    /// <summary>
    /// Whether a token must belong to <see cref="Product"/> and <see cref="Env"/> (failure
    /// <see cref="SessionTokenFailure.AudienceMismatch"/> otherwise). Default true. Set it to false only when one validator
    /// serves several products or environments and you check the session's <c>Product</c> and <c>Env</c> yourself:
    /// without it, a token made with the same keys for another product or environment is valid here.
    /// </summary>
    public bool ValidateAudience { get; set; } = true;

    /// <summary>
    /// Revocations to honour, checked in memory after every other check (failures <see cref="SessionTokenFailure.Revoked"/>
    /// and <see cref="SessionTokenFailure.RevocationUnknown"/>). Null: revocations are not checked, and a revoked session's
    /// token stays valid until it expires. <c>AddDuctape</c> sets the client's store.
    /// </summary>
    public ISessionRevocationStore? RevocationStore { get; set; }

    /// <summary>The expected <c>iss</c> claim. Default <c>ductape</c>.</summary>
    public string Issuer { get; set; } = "ductape";

    /// <summary>How far the clocks of issuer and validator may disagree when checking <c>exp</c> and <c>nbf</c>. Default 30 s.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Where the validation counter is created (meter <see cref="DuctapeDiagnostics.MeterName"/>). Null (default): one
    /// process-wide meter; under <c>AddDuctape</c>, the host's <see cref="System.Diagnostics.Metrics.IMeterFactory"/>.
    /// </summary>
    public System.Diagnostics.Metrics.IMeterFactory? MeterFactory { get; set; }

    /// <summary>Instruments shared with the client (set by <c>AddDuctape</c>); wins over <see cref="MeterFactory"/>.</summary>
    internal DuctapeMetrics? Metrics { get; set; }

    /// <summary>The clock. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Longer tokens are rejected before anything else is done. Default 16 KiB (16,384 characters).</summary>
    public int MaxTokenLength { get; set; } = 16 * 1024;

    /// <summary>The content encryptions accepted. Default <see cref="SessionTokenEncryption.Aes256Gcm"/> only.</summary>
    public SessionTokenEncryption AllowedEncryptions { get; set; } = SessionTokenEncryption.Aes256Gcm;
}
