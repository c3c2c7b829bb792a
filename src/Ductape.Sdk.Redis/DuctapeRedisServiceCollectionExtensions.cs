using Ductape.Sdk.Redis;
using Ductape.Sdk.Tokens;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Redis revocation store in a host's service collection.</summary>
public static class DuctapeRedisServiceCollectionExtensions
{
    /// <summary>
    /// Registers a <see cref="RedisSessionRevocationStore"/> as the process's <see cref="ISessionRevocationStore"/>, on the
    /// <see cref="IConnectionMultiplexer"/> the app registers. <c>AddDuctape</c>'s clients record their revocations in it and
    /// its validators (and so the ASP.NET Core handler) consult it, whichever is registered first. The store starts when it
    /// is first resolved and loads in the background; until then checks follow its staleness policy.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Adjusts the settings, or null for the defaults.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddDuctapeRedisRevocations(
        this IServiceCollection services, Action<RedisSessionRevocationStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<RedisSessionRevocationStore>(sp =>
        {
            var options = new RedisSessionRevocationStoreOptions
            {
                TimeProvider = sp.GetService<TimeProvider>() ?? TimeProvider.System,
                LoggerFactory = sp.GetService<ILoggerFactory>(),
            };
            configure?.Invoke(options);
            return new RedisSessionRevocationStore(sp.GetRequiredService<IConnectionMultiplexer>(), options);
        });

        // Added, not tried: it replaces the in-memory store AddDuctape registers, in either order.
        services.AddSingleton<ISessionRevocationStore>(sp => sp.GetRequiredService<RedisSessionRevocationStore>());
        return services;
    }
}
