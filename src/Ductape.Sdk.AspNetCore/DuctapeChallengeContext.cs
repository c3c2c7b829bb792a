using Ductape.Sdk.Tokens;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Ductape.Sdk.AspNetCore;

/// <summary>
/// What <see cref="DuctapeSessionEvents.OnChallenge"/> sees before the handler answers 401 (or 503 when the revocation state
/// is unknown); <see cref="HandleResponse"/> leaves the response to you.
/// </summary>
/// <param name="context">The request's context.</param>
/// <param name="scheme">The scheme.</param>
/// <param name="options">The scheme's options.</param>
/// <param name="properties">The challenge's properties.</param>
public sealed class DuctapeChallengeContext(
    HttpContext context, AuthenticationScheme scheme, DuctapeSessionAuthenticationOptions options, AuthenticationProperties properties)
    : PropertiesContext<DuctapeSessionAuthenticationOptions>(context, scheme, options, properties)
{
    /// <summary>Why the token was rejected, when one was; null when the request carried none.</summary>
    public SessionTokenFailure? Failure { get; init; }

    /// <summary>The <c>error</c> of <c>WWW-Authenticate</c> (<c>invalid_token</c>), or null; change it to change the header.</summary>
    public string? Error { get; set; }

    /// <summary>The <c>error_description</c> of <c>WWW-Authenticate</c>, or null; never holds the token.</summary>
    public string? ErrorDescription { get; set; }

    /// <summary>Whether <see cref="HandleResponse"/> was called.</summary>
    public bool Handled { get; private set; }

    /// <summary>Skips the handler's own response: the event wrote it.</summary>
    public void HandleResponse() => Handled = true;
}
