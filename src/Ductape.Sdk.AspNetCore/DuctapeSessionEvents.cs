namespace Ductape.Sdk.AspNetCore;

/// <summary>
/// Hooks into the Ductape session handler, with the same meaning as <c>JwtBearerEvents</c>: set the delegates, or derive and
/// register the type with <c>EventsType</c>. Every hook may end authentication itself (<c>context.Success()</c>,
/// <c>Fail(…)</c>, <c>NoResult()</c>) or, for the challenge, write the response (<c>HandleResponse()</c>).
/// </summary>
public class DuctapeSessionEvents
{
    /// <summary>
    /// First, for every request: set <see cref="DuctapeMessageReceivedContext.Token"/> to take the token from somewhere else
    /// than <c>Authorization: Bearer</c> (a SignalR hub's <c>access_token</c> query parameter, a cookie).
    /// </summary>
    public Func<DuctapeMessageReceivedContext, Task> OnMessageReceived { get; set; } = _ => Task.CompletedTask;

    /// <summary>After a token was validated (audience and revocations included): add claims to the principal, or refuse it.</summary>
    public Func<DuctapeSessionValidatedContext, Task> OnSessionValidated { get; set; } = _ => Task.CompletedTask;

    /// <summary>When a token was rejected; <see cref="DuctapeAuthenticationFailedContext.Failure"/> says why.</summary>
    public Func<DuctapeAuthenticationFailedContext, Task> OnAuthenticationFailed { get; set; } = _ => Task.CompletedTask;

    /// <summary>Before the 401 (or 503) is written; call <c>HandleResponse()</c> to write your own.</summary>
    public Func<DuctapeChallengeContext, Task> OnChallenge { get; set; } = _ => Task.CompletedTask;

    /// <summary>When an authenticated request is refused by authorization (403).</summary>
    public Func<DuctapeForbiddenContext, Task> OnForbidden { get; set; } = _ => Task.CompletedTask;

    /// <summary>Invokes <see cref="OnMessageReceived"/>.</summary>
    /// <param name="context">The context.</param>
    /// <returns>A task.</returns>
    public virtual Task MessageReceived(DuctapeMessageReceivedContext context) => OnMessageReceived(context);

    /// <summary>Invokes <see cref="OnSessionValidated"/>.</summary>
    /// <param name="context">The context.</param>
    /// <returns>A task.</returns>
    public virtual Task SessionValidated(DuctapeSessionValidatedContext context) => OnSessionValidated(context);

    /// <summary>Invokes <see cref="OnAuthenticationFailed"/>.</summary>
    /// <param name="context">The context.</param>
    /// <returns>A task.</returns>
    public virtual Task AuthenticationFailed(DuctapeAuthenticationFailedContext context) => OnAuthenticationFailed(context);

    /// <summary>Invokes <see cref="OnChallenge"/>.</summary>
    /// <param name="context">The context.</param>
    /// <returns>A task.</returns>
    public virtual Task Challenge(DuctapeChallengeContext context) => OnChallenge(context);

    /// <summary>Invokes <see cref="OnForbidden"/>.</summary>
    /// <param name="context">The context.</param>
    /// <returns>A task.</returns>
    public virtual Task Forbidden(DuctapeForbiddenContext context) => OnForbidden(context);
}
