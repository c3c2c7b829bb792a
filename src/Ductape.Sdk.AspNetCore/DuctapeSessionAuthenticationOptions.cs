using Ductape.Sdk.Tokens;
using Microsoft.AspNetCore.Authentication;

namespace Ductape.Sdk.AspNetCore;

/// <summary>Settings of the Ductape session authentication handler.</summary>
public sealed class DuctapeSessionAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>The session type tokens must belong to. Set by <c>AddDuctapeSession(tag, …)</c>.</summary>
    public string SessionTag { get; set; } = string.Empty;

    /// <summary>
    /// The validator to use. When null, the <see cref="SessionTokenValidator"/> registered by <c>AddDuctape</c> (with
    /// <c>DuctapeClientOptions.SessionKeys</c>) is used.
    /// </summary>
    public SessionTokenValidator? Validator { get; set; }

    /// <summary>
    /// What a request gets when its token is valid but the revocation store cannot vouch for it (a shared store out of
    /// touch, failing closed). Default <see cref="DuctapeRevocationUnknownResponse.ServiceUnavailable"/>: 503 with
    /// <c>Retry-After</c>, so clients keep a good session through an outage instead of logging their users out.
    /// </summary>
    public DuctapeRevocationUnknownResponse RevocationUnknownResponse { get; set; } = DuctapeRevocationUnknownResponse.ServiceUnavailable;

    /// <summary>The <c>Retry-After</c> of that 503, in whole seconds (at least 1). Default 5 seconds.</summary>
    public TimeSpan RevocationUnknownRetryAfter { get; set; } = TimeSpan.FromSeconds(5);
}
