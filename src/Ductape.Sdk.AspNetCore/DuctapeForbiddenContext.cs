using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Ductape.Sdk.AspNetCore;

/// <summary>What <see cref="DuctapeSessionEvents.OnForbidden"/> sees when authorization refuses an authenticated request (403).</summary>
/// <param name="context">The request's context.</param>
/// <param name="scheme">The scheme.</param>
/// <param name="options">The scheme's options.</param>
public sealed class DuctapeForbiddenContext(HttpContext context, AuthenticationScheme scheme, DuctapeSessionAuthenticationOptions options)
    : ResultContext<DuctapeSessionAuthenticationOptions>(context, scheme, options);
