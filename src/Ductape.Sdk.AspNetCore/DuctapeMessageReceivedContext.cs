using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Ductape.Sdk.AspNetCore;

/// <summary>What <see cref="DuctapeSessionEvents.OnMessageReceived"/> sees: set <see cref="Token"/> to supply the token.</summary>
/// <param name="context">The request's context.</param>
/// <param name="scheme">The scheme.</param>
/// <param name="options">The scheme's options.</param>
public sealed class DuctapeMessageReceivedContext(HttpContext context, AuthenticationScheme scheme, DuctapeSessionAuthenticationOptions options)
    : ResultContext<DuctapeSessionAuthenticationOptions>(context, scheme, options)
{
    /// <summary>The session token to validate; when left null, the handler reads <c>Authorization: Bearer</c>.</summary>
    public string? Token { get; set; }
}
