using Ductape.Sdk.Tokens;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Ductape.Sdk.AspNetCore;

/// <summary>What <see cref="DuctapeSessionEvents.OnAuthenticationFailed"/> sees: why the token was rejected (never the token).</summary>
/// <param name="context">The request's context.</param>
/// <param name="scheme">The scheme.</param>
/// <param name="options">The scheme's options.</param>
/// <param name="failure">Why the token was rejected.</param>
public sealed class DuctapeAuthenticationFailedContext(
    HttpContext context, AuthenticationScheme scheme, DuctapeSessionAuthenticationOptions options, SessionTokenFailure failure)
    : ResultContext<DuctapeSessionAuthenticationOptions>(context, scheme, options)
{
    /// <summary>Why the token was rejected.</summary>
    public SessionTokenFailure Failure { get; } = failure;
}
