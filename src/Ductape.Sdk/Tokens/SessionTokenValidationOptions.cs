namespace Ductape.Sdk.Tokens;

/// <summary>Settings of a <see cref="SessionTokenValidator"/>; copied when the validator is built.</summary>
public sealed class SessionTokenValidationOptions
{
    /// <summary>The keys tokens may be encrypted with. Required.</summary>
    public SessionKeyRing? Keys { get; set; }

    /// <summary>The expected <c>iss</c> claim. Default <c>ductape</c>.</summary>
    public string Issuer { get; set; } = "ductape";

    /// <summary>How far the clocks of issuer and validator may disagree when checking <c>exp</c> and <c>nbf</c>. Default 30 s.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The clock. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Longer tokens are rejected before anything else is done. Default 16 KiB (16,384 characters).</summary>
    public int MaxTokenLength { get; set; } = 16 * 1024;

    /// <summary>The content encryptions accepted. Default <see cref="SessionTokenEncryption.Aes256Gcm"/> only.</summary>
    public SessionTokenEncryption AllowedEncryptions { get; set; } = SessionTokenEncryption.Aes256Gcm;
}
