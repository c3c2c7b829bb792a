using System.Security.Claims;
using System.Text.Encodings.Web;
using Ductape.Sdk.Tokens;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ductape.Sdk.AspNetCore;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;session token&gt;</c> by validating the token offline. The identifier becomes
/// <see cref="ClaimTypes.NameIdentifier"/>; session id, tag, product and env become claims; the session is available through
/// <see cref="DuctapeHttpContextExtensions.GetDuctapeSession"/>. Failures answer 401 with a <c>WWW-Authenticate</c> error
/// description naming the reason, never echoing the token.
/// </summary>
internal sealed class DuctapeSessionAuthenticationHandler(
    IOptionsMonitor<DuctapeSessionAuthenticationOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<DuctapeSessionAuthenticationOptions>(options, logger, encoder)
{
    private const string FailureKey = "Ductape.SessionFailure";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var validator = Options.Validator ?? Context.RequestServices.GetService<SessionTokenValidator>()
            ?? throw new InvalidOperationException(
                "No SessionTokenValidator: set DuctapeSessionAuthenticationOptions.Validator, or DuctapeClientOptions.SessionKeys in AddDuctape.");
        var result = validator.Validate(header.AsSpan(7).Trim(), Options.SessionTag);
        if (result.Session is not { } session)
        {
            Context.Items[FailureKey] = result.Failure;
            return Task.FromResult(AuthenticateResult.Fail($"Session token rejected: {result.Failure}."));
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, session.Identifier),
                new Claim(DuctapeClaimTypes.SessionId, session.SessionId),
                new Claim(DuctapeClaimTypes.SessionTag, session.Tag),
                new Claim(DuctapeClaimTypes.Product, session.Product),
                new Claim(DuctapeClaimTypes.Env, session.Env),
            ],
            Scheme.Name,
            nameType: ClaimTypes.NameIdentifier, // User.Identity.Name is the user's identifier
            roleType: ClaimTypes.Role);
        Context.Items[DuctapeHttpContextExtensions.SessionKey] = session;
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items.TryGetValue(FailureKey, out var unknown) && unknown is SessionTokenFailure.RevocationUnknown
            && Options.RevocationUnknownResponse == DuctapeRevocationUnknownResponse.ServiceUnavailable)
        {
            // Our outage, not the client's token: a 401 would make clients drop a good session.
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            Response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(Options.RevocationUnknownRetryAfter.TotalSeconds))
                .ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        }

        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = Context.Items.TryGetValue(FailureKey, out var failure) && failure is SessionTokenFailure reason
            ? $"Bearer error=\"invalid_token\", error_description=\"{Describe(reason)}\""
            : "Bearer";
        return Task.CompletedTask;
    }

    private static string Describe(SessionTokenFailure failure) => failure switch
    {
        SessionTokenFailure.Expired => "The session token expired",
        SessionTokenFailure.NotYetValid => "The session token is not valid yet",
        SessionTokenFailure.DecryptionFailed => "The session token was tampered with or made with another key",
        SessionTokenFailure.UnknownKey => "The session token names an unknown key",
        SessionTokenFailure.TagMismatch => "The session token is for another session type",
        SessionTokenFailure.IssuerMismatch => "The session token has another issuer",
        SessionTokenFailure.UnsupportedAlgorithm => "The session token uses an unsupported algorithm",
        SessionTokenFailure.TooLarge => "The session token is too large",
        SessionTokenFailure.InvalidClaims => "The session token's claims are invalid",
        SessionTokenFailure.AudienceMismatch => "The session token is for another product or environment",
        SessionTokenFailure.Revoked => "The session was revoked",
        SessionTokenFailure.RevocationUnknown => "The session's revocation state is unknown; try again shortly",
        _ => "The session token is malformed",
    };
}
