using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.SignalR;

namespace Ductape.Sdk.AspNetCore;

/// <summary>
/// Tracks every hub connection opened with a Ductape session (the one the scheme validated on the connect request) and
/// refuses hub calls once that session is revoked or expired; the tracker aborts such connections.
/// </summary>
internal sealed class DuctapeHubFilter(DuctapeConnectionTracker tracker) : IHubFilter
{
    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        if (context.Context.GetHttpContext()?.GetDuctapeSession() is { } session)
        {
            tracker.Track(context.Context, session, context.Context.User?.Identity?.AuthenticationType);
            if (tracker.Refusal(context.Context.ConnectionId) is { } reason)
            {
                throw new HubException(reason);
            }
        }

        await next(context).ConfigureAwait(false);
    }

    public ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        if (tracker.Refusal(invocationContext.Context.ConnectionId) is { } reason)
        {
            throw new HubException(reason);
        }

        return next(invocationContext);
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        tracker.Untrack(context.Context.ConnectionId);
        await next(context, exception).ConfigureAwait(false);
    }
}
