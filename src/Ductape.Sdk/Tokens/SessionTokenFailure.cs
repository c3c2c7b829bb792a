namespace Ductape.Sdk.Tokens;

/// <summary>Why a session token was rejected, in the order the checks run.</summary>
public enum SessionTokenFailure
{
    /// <summary>The token is valid.</summary>
    None = 0,

    /// <summary>Longer than <see cref="SessionTokenValidationOptions.MaxTokenLength"/>; nothing else was looked at.</summary>
    TooLarge,

    /// <summary>Not <c>tag:JWE</c> with five base64url segments and a well-formed header (empty, bad tag, bad base64url, …).</summary>
    Malformed,

    /// <summary>The header names an <c>alg</c> other than <c>dir</c>, an <c>enc</c> not allowed, <c>zip</c> or <c>crit</c>.</summary>
    UnsupportedAlgorithm,

    /// <summary>The header's <c>kid</c> is not in the key ring.</summary>
    UnknownKey,

    /// <summary>Authenticated decryption failed: the token was altered, or made with another key.</summary>
    DecryptionFailed,

    /// <summary>The decrypted claims are not the expected JSON (missing or mistyped claims, too deep, …).</summary>
    InvalidClaims,

    /// <summary>The <c>iss</c> claim is not the expected issuer.</summary>
    IssuerMismatch,

    /// <summary>The <c>tag</c> claim differs from the token's prefix or from the expected session tag.</summary>
    TagMismatch,

    /// <summary>The token expired (beyond the allowed clock skew).</summary>
    Expired,

    /// <summary>The token's <c>nbf</c> is in the future (beyond the allowed clock skew).</summary>
    NotYetValid,

    /// <summary>
    /// The token's <c>prd</c> or <c>env</c> claim differs from the product or environment the validator expects: a token of
    /// another product or environment made with the same keys.
    /// </summary>
    AudienceMismatch,

    /// <summary>
    /// The session was revoked (by id, or by its user's "not before" instant) according to
    /// <see cref="SessionTokenValidationOptions.RevocationStore"/>.
    /// </summary>
    Revoked,

    /// <summary>
    /// The revocation store could not vouch for its knowledge (a replica that has not heard from its source for longer than
    /// its staleness limit, failing closed), so the token is not accepted.
    /// </summary>
    RevocationUnknown,
}
