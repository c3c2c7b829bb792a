using System.Diagnostics.Metrics;
using Ductape.Sdk.Redis;
using Ductape.Sdk.Tokens;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Redis revocation store in a host's service collection.</summary>
public static class DuctapeRedisServiceCollectionExtensions
{
    /// <summary>
    /// Registers a <see cref="RedisSessionRevocationStore"/> as the process's <see cref="ISessionRevocationStore"/>, on the
    /// <see cref="IConnectionMultiplexer"/> the app registers (connect it with <c>abortConnect=false</c> so the app starts
    /// while Redis is down). <c>AddDuctape</c>'s clients record their revocations in it and its validators (and so the
    /// ASP.NET Core handler) consult it, whichever is registered first. Options come through
    /// <see cref="IOptions{TOptions}"/> (validated at start-up), logging, metrics and the clock from the host. The store
    /// starts when it is first resolved and loads in the background; until then checks follow its staleness policy (the
    /// <c>AddDuctapeRevocations</c> health check, tagged <c>ready</c>, keeps traffic away meanwhile).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Adjusts the settings, or null for the defaults.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddDuctapeRedisRevocations(
        this IServiceCollection services, Action<RedisSessionRevocationStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<RedisSessionRevocationStoreOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisSessionRevocationStoreOptions>, OptionsValidator>());
        options.ValidateOnStart();
        services.AddSingleton(sp => new RedisSessionRevocationStore(
            sp.GetRequiredService<IConnectionMultiplexer>(),
            sp.GetRequiredService<IOptions<RedisSessionRevocationStoreOptions>>(),
            sp.GetService<ILoggerFactory>(),
            sp.GetService<IMeterFactory>(),
            sp.GetService<TimeProvider>()));

        // Added, not tried: it replaces the in-memory store AddDuctape registers, in either order.
        services.AddSingleton<ISessionRevocationStore>(sp => sp.GetRequiredService<RedisSessionRevocationStore>());
        return services;
    }

    /// <summary>
    /// Registers a <see cref="RedisSessionTokenStore"/> as the process's <see cref="Ductape.Sdk.Sessions.ISessionTokenStore"/>
    /// (the outgoing session handler's: one refresh across the fleet) and a <see cref="RedisRefreshTokenLedger"/> as its
    /// <see cref="Ductape.Sdk.Sessions.IRefreshTokenLedger"/> (refresh-token replay detection across instances), on the
    /// <see cref="IConnectionMultiplexer"/> the app registers. Options are validated at start-up.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">The settings: at least <see cref="RedisSessionTokenStoreOptions.ProtectionKeys"/>.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddDuctapeRedisSessionTokens(
        this IServiceCollection services, Action<RedisSessionTokenStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<RedisSessionTokenStoreOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisSessionTokenStoreOptions>, TokenStoreOptionsValidator>());
        services.AddSingleton<Ductape.Sdk.Sessions.ISessionTokenStore>(sp => new RedisSessionTokenStore(
            sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<IOptions<RedisSessionTokenStoreOptions>>()));
        services.AddSingleton<Ductape.Sdk.Sessions.IRefreshTokenLedger>(sp => new RedisRefreshTokenLedger(
            sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<IOptions<RedisSessionTokenStoreOptions>>()));
        return services;
    }

    private sealed class TokenStoreOptionsValidator : IValidateOptions<RedisSessionTokenStoreOptions>
    {
        public ValidateOptionsResult Validate(string? name, RedisSessionTokenStoreOptions options) =>
            options.Validate() is { Count: > 0 } problems
                ? ValidateOptionsResult.Fail("The Redis session token store options are invalid: " + string.Join(" ", problems))
                : ValidateOptionsResult.Success;
    }

    private sealed class OptionsValidator : IValidateOptions<RedisSessionRevocationStoreOptions>
    {
        public ValidateOptionsResult Validate(string? name, RedisSessionRevocationStoreOptions options) =>
            options.Validate() is { Count: > 0 } problems
                ? ValidateOptionsResult.Fail("The Redis revocation store options are invalid: " + string.Join(" ", problems))
                : ValidateOptionsResult.Success;
    }
}
