using System.Globalization;
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
/// Authenticates a session token (<c>Authorization: Bearer</c>, or what <see cref="DuctapeSessionEvents.OnMessageReceived"/>
/// supplies) by validating it offline with the scheme's client's validator, resolved per request. The identifier becomes
/// <see cref="ClaimTypes.NameIdentifier"/>; session id, tag, product and env become claims; the session is available through
/// <see cref="DuctapeHttpContextExtensions.GetDuctapeSession"/>. Failures answer 401 with a <c>WWW-Authenticate</c> error
/// description naming the reason, never echoing the token; an unknown revocation state answers 503 (by default).
/// </summary>
internal sealed class DuctapeSessionAuthenticationHandler(
    IOptionsMonitor<DuctapeSessionAuthenticationOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<DuctapeSessionAuthenticationOptions>(options, logger, encoder)
{
    private const string FailureKey = "Ductape.SessionFailure";

    private new DuctapeSessionEvents Events
    {
        get => (DuctapeSessionEvents)base.Events!;
        set => base.Events = value;
    }

    protected override Task<object> CreateEventsAsync() => Task.FromResult<object>(new DuctapeSessionEvents());

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var received = new DuctapeMessageReceivedContext(Context, Scheme, Options);
        await Events.MessageReceived(received).ConfigureAwait(false);
        if (received.Result is { } decided)
        {
            return decided;
        }

        var token = received.Token ?? BearerToken();
        if (string.IsNullOrEmpty(token))
        {
            return AuthenticateResult.NoResult();
        }

        var result = Validator().Validate(token, Options.SessionTag);
        if (result.Session is not { } session)
        {
            Context.Items[FailureKey] = result.Failure;
            var failed = new DuctapeAuthenticationFailedContext(Context, Scheme, Options, result.Failure);
            await Events.AuthenticationFailed(failed).ConfigureAwait(false);
            return failed.Result ?? AuthenticateResult.Fail($"Session token rejected: {result.Failure}.");
        }

        var validated = new DuctapeSessionValidatedContext(Context, Scheme, Options, session) { Principal = Principal(session) };
        await Events.SessionValidated(validated).ConfigureAwait(false);
        if (validated.Result is { } overridden)
        {
            return overridden;
        }

        Context.Items[DuctapeHttpContextExtensions.SessionKey] = session;
        validated.Success();
        return validated.Result!;
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        SessionTokenFailure? failure = Context.Items.TryGetValue(FailureKey, out var item) && item is SessionTokenFailure reason ? reason : null;
        var challenge = new DuctapeChallengeContext(Context, Scheme, Options, properties)
        {
            Failure = failure,
            Error = failure is null ? null : "invalid_token",
            ErrorDescription = failure is { } f ? Describe(f) : null,
        };
        await Events.Challenge(challenge).ConfigureAwait(false);
        if (challenge.Handled)
        {
            return;
        }

        if (failure == SessionTokenFailure.RevocationUnknown
            && Options.RevocationUnknownResponse == DuctapeRevocationUnknownResponse.ServiceUnavailable)
        {
            // Our outage, not the client's token: a 401 would make clients drop a good session.
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            Response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(Options.RevocationUnknownRetryAfter.TotalSeconds))
                .ToString(CultureInfo.InvariantCulture);
            return;
        }

        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = challenge.Error is null
            ? "Bearer"
            : challenge.ErrorDescription is null
                ? $"Bearer error=\"{challenge.Error}\""
                : $"Bearer error=\"{challenge.Error}\", error_description=\"{challenge.ErrorDescription}\"";
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Events.Forbidden(new DuctapeForbiddenContext(Context, Scheme, Options));
    }

    private string? BearerToken()
    {
        var header = Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
    }

    /// <summary>Per request: the client's current validator (a rotated key takes effect at once), or the one set in the options.</summary>
    private SessionTokenValidator Validator() =>
        Options.Validator ?? (Options.ClientName is { } name
            ? Context.RequestServices.GetRequiredKeyedService<SessionTokenValidator>(name)
            : Context.RequestServices.GetRequiredService<SessionTokenValidator>());

    private ClaimsPrincipal Principal(ValidatedSession session) => new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, session.Identifier),
            new Claim(DuctapeClaimTypes.SessionId, session.SessionId),
            new Claim(DuctapeClaimTypes.SessionTag, session.Tag),
            new Claim(DuctapeClaimTypes.Product, session.Product),
            new Claim(DuctapeClaimTypes.Env, session.Env),
        ],
        Scheme.Name,
        nameType: ClaimTypes.NameIdentifier, // User.Identity.Name is the user's identifier
        roleType: ClaimTypes.Role));

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
