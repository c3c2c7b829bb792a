using Ductape.Sdk.AspNetCore;
using Microsoft.AspNetCore.SignalR;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Revocation that reaches live SignalR connections (<c>services.AddSignalR().AddDuctapeSessions()</c>).</summary>
public static class DuctapeSignalRBuilderExtensions
{
    /// <summary>
    /// Tracks every hub connection opened with a Ductape session (validated by the session scheme on the connect request)
    /// and closes it when its session is revoked — at once, on every instance sharing the revocation store (its
    /// notifications), and within <see cref="DuctapeSignalROptions.CheckInterval"/> otherwise — or expires (unless the client
    /// sent a refreshed token: <c>Context.TryRefreshDuctapeSession(token, out _)</c>). Hub calls on such a connection are
    /// refused with a <see cref="HubException"/>.
    /// </summary>
    /// <param name="builder">The SignalR builder.</param>
    /// <param name="configure">Adjusts the settings, or null for the defaults.</param>
    /// <returns>The builder.</returns>
    public static ISignalRServerBuilder AddDuctapeSessions(this ISignalRServerBuilder builder, Action<DuctapeSignalROptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<DuctapeSignalROptions>()
            .Validate(o => o.CheckInterval >= TimeSpan.FromMilliseconds(100) && o.CheckInterval <= TimeSpan.FromMinutes(1),
                "DuctapeSignalROptions.CheckInterval must be between 100 ms and one minute.")
            .ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (builder.Services.Any(d => d.ServiceType == typeof(DuctapeConnectionTracker)))
        {
            return builder; // registered once: one filter, one tracker
        }

        builder.Services.AddSingleton<DuctapeConnectionTracker>();
        builder.Services.AddSingleton<DuctapeHubFilter>();
        builder.Services.Configure<HubOptions>(hub => hub.AddFilter<DuctapeHubFilter>());
        return builder;
    }
}
