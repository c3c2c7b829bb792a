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
}
