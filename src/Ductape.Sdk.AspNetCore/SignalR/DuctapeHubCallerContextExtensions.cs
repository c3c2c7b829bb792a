using Ductape.Sdk.Tokens;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

// Beside HubCallerContext, so a hub finds it with its usual usings.
namespace Microsoft.AspNetCore.SignalR;

/// <summary>Keeps a hub connection's Ductape session current (with <c>AddDuctapeSessions()</c>).</summary>
public static class DuctapeHubCallerContextExtensions
{
    /// <summary>
    /// Replaces the connection's session with a refreshed token's, so the connection outlives the first token's expiry: call
    /// it from a hub method the client invokes after refreshing (<c>connection.InvokeAsync("RefreshSession", token)</c>).
    /// The token is validated as the connection's scheme validates (audience and revocations included) and must belong to
    /// the same user, product, environment and session type.
    /// </summary>
    /// <param name="context">The hub's caller context.</param>
    /// <param name="token">The refreshed session token.</param>
    /// <param name="failure">Why it was refused: the validator's reason, or <see cref="SessionTokenFailure.AudienceMismatch"/>
    /// for a token of another user, product, environment or session type.</param>
    /// <returns>Whether the connection now runs on the refreshed session.</returns>
    /// <exception cref="InvalidOperationException"><c>AddDuctapeSessions()</c> was not called on SignalR, or the connection was
    /// not opened with a Ductape session.</exception>
    public static bool TryRefreshDuctapeSession(this HubCallerContext context, string? token, out SessionTokenFailure failure)
    {
        ArgumentNullException.ThrowIfNull(context);
        var services = context.GetHttpContext()?.RequestServices
            ?? throw new InvalidOperationException("The hub connection has no HTTP context to resolve services from.");
        var tracker = services.GetService<Ductape.Sdk.AspNetCore.DuctapeConnectionTracker>()
            ?? throw new InvalidOperationException("Call AddSignalR().AddDuctapeSessions() to track Ductape sessions on hub connections.");
        var scheme = tracker.SchemeOf(context.ConnectionId)
            ?? throw new InvalidOperationException("This hub connection was not opened with a Ductape session.");
        var options = services.GetRequiredService<IOptionsMonitor<Ductape.Sdk.AspNetCore.DuctapeSessionAuthenticationOptions>>().Get(scheme);
        var validator = options.Validator ?? (options.ClientName is { } name
            ? services.GetRequiredKeyedService<SessionTokenValidator>(name)
            : services.GetRequiredService<SessionTokenValidator>());
        var result = validator.Validate(token, options.SessionTag);
        failure = result.Failure;
        if (result.Session is not { } session)
        {
            return false;
        }

        if (!tracker.Replace(context.ConnectionId, session))
        {
            failure = SessionTokenFailure.AudienceMismatch;
            return false;
        }

        return true;
    }
}
