using Ductape.Sdk.Tokens;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Ductape.Sdk.AspNetCore;

/// <summary>
/// What <see cref="DuctapeSessionEvents.OnSessionValidated"/> sees: the session and the principal about to be signed in
/// (<c>Principal</c>: add claims to it, or replace it); <c>Fail(…)</c> refuses the request.
/// </summary>
/// <param name="context">The request's context.</param>
/// <param name="scheme">The scheme.</param>
/// <param name="options">The scheme's options.</param>
/// <param name="session">The validated session.</param>
public sealed class DuctapeSessionValidatedContext(
    HttpContext context, AuthenticationScheme scheme, DuctapeSessionAuthenticationOptions options, ValidatedSession session)
    : ResultContext<DuctapeSessionAuthenticationOptions>(context, scheme, options)
{
    /// <summary>The session the token carries.</summary>
    public ValidatedSession Session { get; } = session;
}
