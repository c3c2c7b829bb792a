using Ductape.Sdk;
using Ductape.Sdk.Sessions;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the outgoing session handler to an <see cref="HttpClient"/> (an API protected by Ductape session tokens).</summary>
public static class DuctapeSessionHandlerExtensions
{
    /// <summary>
    /// Makes every request of this client carry <c>Authorization: Bearer &lt;session token&gt;</c> of a session the app holds
    /// in the registered <see cref="ISessionTokenStore"/> (in memory unless one is registered, such as
    /// <c>Ductape.Sdk.Redis</c>'s for a fleet): refreshed <see cref="DuctapeSessionHandlerOptions.RefreshAhead"/> before it
    /// expires, once across the fleet; on a 401 renewed once and the request sent again. A request whose session cannot be had
    /// fails with <see cref="DuctapeSessionUnavailableException"/>. Refreshes go through the Ductape client
    /// <see cref="DuctapeSessionHandlerOptions.ClientName"/> names (register it with <c>AddDuctape</c>).
    /// </summary>
    /// <param name="builder">The HTTP client builder of the protected API.</param>
    /// <param name="configure">Which session a request carries, and when to refresh it.</param>
    /// <returns>The builder.</returns>
    public static IHttpClientBuilder AddDuctapeSessionHandler(this IHttpClientBuilder builder, Action<DuctapeSessionHandlerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var name = builder.Name;
        builder.Services.AddOptions<DuctapeSessionHandlerOptions>(name).Configure(configure).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DuctapeSessionHandlerOptions>, HandlerOptionsValidator>());
        builder.Services.TryAddSingleton<ISessionTokenStore>(sp => new InMemorySessionTokenStore(sp.GetService<TimeProvider>()));
        var refresherKey = new RefresherKey(name);
        builder.Services.TryAddKeyedSingleton(refresherKey, (sp, _) =>
        {
            var options = sp.GetRequiredService<IOptionsMonitor<DuctapeSessionHandlerOptions>>().Get(name);
            return new SessionRefresher(
                () => (options.ClientName is { } client
                    ? sp.GetRequiredKeyedService<DuctapeClient>(client)
                    : sp.GetRequiredService<DuctapeClient>()).Sessions,
                sp.GetRequiredService<ISessionTokenStore>(),
                options,
                sp.GetService<TimeProvider>() ?? TimeProvider.System,
                sp.GetService<ILoggerFactory>()?.CreateLogger("Ductape.Sdk") ?? NullLogger.Instance);
        });
        builder.AddHttpMessageHandler(sp =>
        {
            var options = sp.GetRequiredService<IOptionsMonitor<DuctapeSessionHandlerOptions>>().Get(name);
            var selector = options.SessionKeySelector;
            var fixedKey = options.SessionKey;
            return new DuctapeSessionHandler(sp.GetRequiredKeyedService<SessionRefresher>(refresherKey),
                selector is null ? _ => fixedKey : request => selector(request, sp));
        });
        return builder;
    }

    private sealed record RefresherKey(string Name);

    private sealed class HandlerOptionsValidator : IValidateOptions<DuctapeSessionHandlerOptions>
    {
        public ValidateOptionsResult Validate(string? name, DuctapeSessionHandlerOptions options) =>
            options.Problems().ToList() is { Count: > 0 } problems
                ? ValidateOptionsResult.Fail($"The Ductape session handler of HttpClient '{name}' is invalid: " + string.Join(" ", problems))
                : ValidateOptionsResult.Success;
    }
}
