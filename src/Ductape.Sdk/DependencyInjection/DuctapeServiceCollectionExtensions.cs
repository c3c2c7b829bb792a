using System.Diagnostics.Metrics;
using Ductape.Sdk;
using Ductape.Sdk.Tokens;
using Ductape.Sdk.Proxy;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Ductape.Sdk in a host's service collection.</summary>
public static class DuctapeServiceCollectionExtensions
{
    private const string HttpClientPrefix = "Ductape.Sdk";

    /// <summary>
    /// Registers <see cref="DuctapeClient"/> as a singleton on a named <see cref="HttpClient"/> from
    /// <see cref="IHttpClientFactory"/> with the SDK's retry and timeout handler, validates the options at start-up, and
    /// registers <see cref="SessionTokenValidator"/> for the configured <see cref="DuctapeClientOptions.SessionKeys"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The HTTP client builder, to add your own handlers.</returns>
    public static IHttpClientBuilder AddDuctape(this IServiceCollection services, Action<DuctapeClientOptions> configure) =>
        AddDuctape(services, Options.Options.DefaultName, configure);

    /// <summary>
    /// Like <see cref="AddDuctape(IServiceCollection, Action{DuctapeClientOptions})"/>, with the options read from a
    /// configuration section (by convention <c>Ductape</c>): <c>AccessKey</c>, <c>PublishableKey</c>, <c>BaseUrl</c>,
    /// <c>Product</c>, <c>Env</c>, <c>Timeout</c>, <c>Retry:*</c>, and <c>SessionKeys</c> as <c>kid:base64url</c> strings.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="section">The configuration section, such as <c>builder.Configuration.GetSection("Ductape")</c>.</param>
    /// <returns>The HTTP client builder, to add your own handlers.</returns>
    /// <remarks>Adjust further with <c>services.PostConfigure&lt;DuctapeClientOptions&gt;(…)</c>.</remarks>
    public static IHttpClientBuilder AddDuctape(this IServiceCollection services, Configuration.IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        return AddDuctape(services, Options.Options.DefaultName, section);
    }

    /// <summary>
    /// Registers a named Ductape client read from a configuration section, as
    /// <see cref="AddDuctape(IServiceCollection, Configuration.IConfiguration)"/> does for the default one.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The registration's name and service key.</param>
    /// <param name="section">The configuration section, such as <c>builder.Configuration.GetSection("Ductape:Shop")</c>.</param>
    /// <returns>The HTTP client builder, to add your own handlers.</returns>
    public static IHttpClientBuilder AddDuctape(this IServiceCollection services, string name, Configuration.IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        // A reload of the section (a rotated access key or session key) reaches IOptionsMonitor, which the client follows.
        services.AddSingleton<IOptionsChangeTokenSource<DuctapeClientOptions>>(new SectionChangeTokenSource(name, section));
        return AddDuctape(services, name, options => DuctapeConfiguration.Apply(section, options));
    }

    /// <summary>
    /// Registers a named Ductape client (for several products or accounts): resolve it as a keyed service with
    /// <c>[FromKeyedServices("name")] DuctapeClient client</c>. Otherwise like <see cref="AddDuctape(IServiceCollection, Action{DuctapeClientOptions})"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The registration's name and service key.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The HTTP client builder, to add your own handlers.</returns>
    public static IHttpClientBuilder AddDuctape(this IServiceCollection services, string name, Action<DuctapeClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(configure);

        services.AddOptions<DuctapeClientOptions>(name).Configure(configure)
            // The host's services fill what the app left at its default: its clock (a FakeTimeProvider in tests), its
            // logging, and the process's revocation store.
            .PostConfigure<IServiceProvider>((options, sp) =>
            {
                if (ReferenceEquals(options.TimeProvider, TimeProvider.System) && sp.GetService<TimeProvider>() is { } time)
                {
                    options.TimeProvider = time;
                }

                options.LoggerFactory ??= sp.GetService<ILoggerFactory>();
                if (options.MeterFactory is null && sp.GetService<IMeterFactory>() is { } meters)
                {
                    // One set of instruments on the host's meter factory for every client and validator of this host.
                    options.MeterFactory = meters;
                    options.Metrics = sp.GetRequiredService<DuctapeMetrics>();
                }

                options.RevocationStore ??= sp.GetService<ISessionRevocationStore>();
                if (options.RefreshTokenReplay is { Ledger: null } replay)
                {
                    replay.Ledger = sp.GetService<Ductape.Sdk.Sessions.IRefreshTokenLedger>();
                }
            })
            .ValidateOnStart();
        // One revocation store for the process unless the app registers its own (Ductape.Sdk.Redis does): clients record
        // into it and the registered validators read from it, so a revocation is honoured by the auth handler at once.
        services.TryAddSingleton<ISessionRevocationStore>(sp => new InMemorySessionRevocationStore(
            new SessionRevocationStoreOptions { TimeProvider = sp.GetService<TimeProvider>() ?? TimeProvider.System }));
        // The one "last valid options" gate of every registration: it validates, and what it adopts is what runs.
        services.TryAddSingleton(sp => new DuctapeOptionsGate(sp.GetService<ILoggerFactory>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DuctapeClientOptions>, DuctapeOptionsGate>(
            sp => sp.GetRequiredService<DuctapeOptionsGate>()));
        services.TryAddSingleton(sp => DuctapeMetrics.For(sp.GetService<IMeterFactory>()));

        var httpClientName = name.Length == 0 ? HttpClientPrefix : $"{HttpClientPrefix}:{name}";
        var builder = services.AddHttpClient(httpClientName)
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(DuctapeHandlerChain.CreatePrimaryHandler)
            // Built from the settings the gate adopted: a handler built after an invalid reload still has the last valid ones.
            .AddHttpMessageHandler(sp => new DuctapeResilienceHandler(Settings(sp, name).Current.Options))
            // The factory's logging puts header values in its records' structured state even when it hides them in the
            // message: the Ductape client logs through its own logger instead, which never writes a header.
            .RemoveAllLoggers()
            .AddLogger(sp => new DuctapeHttpClientLogger(
                (sp.GetService<ILoggerFactory>() ?? Logging.Abstractions.NullLoggerFactory.Instance).CreateLogger(DuctapeHttpClientLogger.Category)))
            .RedactLoggedHeaders(header => !DuctapeHttp.LoggableHeaders.Contains(header));

        // Runs after every other configuration of this client, the host's defaults included: whatever primary handler
        // ends up in place, it does not follow redirects (the access key must never travel to another host).
        // Likewise for retries: they live in the SDK's handler only, so resilience handlers the host adds to every client
        // (ConfigureHttpClientDefaults(b => b.AddStandardResilienceHandler()), as Aspire's service defaults do) or to this
        // builder are taken out of this client's chain; otherwise attempts multiply (4 × 4 = 16 for one call).
        services.PostConfigure<HttpClientFactoryOptions>(httpClientName, factory =>
            factory.HttpMessageHandlerBuilderActions.Add(handlers =>
            {
                DuctapeHandlerChain.DisableRedirects(handlers.PrimaryHandler);
                DuctapeHandlerChain.RemoveOtherRetryLayers(handlers.AdditionalHandlers, handlers.Services.GetService<ILoggerFactory>());
            }));

        object? key = name.Length == 0 ? null : name;
        Func<IServiceProvider, DuctapeClient> client = sp =>
        {
            var factory = sp.GetRequiredService<IHttpClientFactory>();
            return new DuctapeClient(() => factory.CreateClient(httpClientName), Settings(sp, name));
        };
        // Transient over the gate: the same validator until a valid reload replaces the settings (rotated session keys),
        // so the authentication handler, which resolves it per request, follows a rotation and ignores an invalid reload.
        Func<IServiceProvider, SessionTokenValidator> validator = sp => RegisteredValidator(Settings(sp, name).Current);

        if (key is null)
        {
            services.TryAddSingleton(client);
            services.TryAddTransient(validator);
        }
        else
        {
            services.TryAddKeyedSingleton(key, (sp, _) => client(sp));
            services.TryAddKeyedTransient(key, (sp, _) => validator(sp));
        }

        return builder;
    }

    /// <summary>A registration's current settings, as the options gate adopted them.</summary>
    internal static ClientSettingsSource Settings(IServiceProvider services, string name) =>
        services.GetRequiredService<DuctapeOptionsGate>().For(services.GetRequiredService<IOptionsMonitor<DuctapeClientOptions>>(), name);

    /// <summary>The registered validator: the registration's own, which must check the audience of its product and env.</summary>
    private static SessionTokenValidator RegisteredValidator(ClientSettings settings) =>
        settings.Validator is not { } validator
            ? throw new InvalidOperationException(
                "SessionTokenValidator needs DuctapeClientOptions.SessionKeys: set them in AddDuctape(...) (configuration: Ductape:SessionKeys).")
            : !ClientSettings.HasAudience(settings.Options)
                ? throw new InvalidOperationException(
                    "SessionTokenValidator needs DuctapeClientOptions.Product and Env: tokens are accepted only for that product and environment.")
                : validator;

    private sealed class SectionChangeTokenSource(string name, Configuration.IConfiguration section) : IOptionsChangeTokenSource<DuctapeClientOptions>
    {
        public string Name => name;

        public Primitives.IChangeToken GetChangeToken() => section.GetReloadToken();
    }
}
