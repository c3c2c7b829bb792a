using System.Security.Claims;
using Ductape.Sdk.Sessions;
using Microsoft.AspNetCore.Http;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The outgoing session handler in a web app (a backend-for-frontend).</summary>
public static class DuctapeSessionHandlerOptionsExtensions
{
    /// <summary>
    /// Each request carries the held session of the signed-in user: the one stored under the value of their
    /// <paramref name="claimType"/> claim (<c>ClaimTypes.NameIdentifier</c> by default) — store it under that key when they sign
    /// in. Needs <c>services.AddHttpContextAccessor()</c>. A request without a signed-in user fails with
    /// <c>DuctapeSessionUnavailableException</c>.
    /// </summary>
    /// <param name="options">The handler's options.</param>
    /// <param name="claimType">The claim whose value is the session's key.</param>
    /// <returns>The options.</returns>
    public static DuctapeSessionHandlerOptions UseSignedInUser(this DuctapeSessionHandlerOptions options, string claimType = ClaimTypes.NameIdentifier)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(claimType);
        options.SessionKeySelector = (_, services) =>
            (services.GetService<IHttpContextAccessor>() ?? throw new InvalidOperationException(
                "UseSignedInUser needs the current request: call services.AddHttpContextAccessor()."))
            .HttpContext?.User.FindFirst(claimType)?.Value;
        return options;
    }
}
