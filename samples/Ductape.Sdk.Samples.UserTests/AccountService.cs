using Ductape.Sdk.Sessions;
using Ductape.Sdk.Tokens;

namespace Ductape.Sdk.Samples.UserTests;

/// <summary>The code under test: an app's sign-in, sign-out and "who is this?" built on Ductape sessions.</summary>
public sealed class AccountService(DuctapeClient ductape, SessionTokenValidator validator)
{
    public const string SessionTag = "web_session";

    /// <summary>Signs a user in: a new session whose token the app hands to its front end.</summary>
    public Task<SessionTokens> SignInAsync(string userId, CancellationToken cancellationToken = default) =>
        ductape.Sessions.StartAsync(SessionTag, SessionJson.Parse($$"""{"userId":"{{userId}}"}"""), cancellationToken);

    /// <summary>Signs one device out.</summary>
    public Task SignOutAsync(string sessionId, CancellationToken cancellationToken = default) =>
        ductape.Sessions.RevokeAsync(SessionTag, sessionId: sessionId, cancellationToken: cancellationToken);

    /// <summary>Signs a user out everywhere.</summary>
    public Task<int> SignOutEverywhereAsync(string userId, CancellationToken cancellationToken = default) =>
        ductape.Sessions.RevokeAllAsync(SessionTag, userId, cancellationToken);

    /// <summary>The user a bearer token belongs to, or null: checked offline, revocations included.</summary>
    public string? WhoIs(string bearerToken) =>
        validator.Validate(bearerToken, SessionTag) is { IsValid: true, Session: { } session } ? session.Identifier : null;
}
