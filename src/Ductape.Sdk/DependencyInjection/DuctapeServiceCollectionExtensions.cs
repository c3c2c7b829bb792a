using System.Collections.Concurrent;
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
            })
            .ValidateOnStart();
        // One revocation store for the process unless the app registers its own (Ductape.Sdk.Redis does): clients record
        // into it and the registered validators read from it, so a revocation is honoured by the auth handler at once.
        services.TryAddSingleton<ISessionRevocationStore>(sp => new InMemorySessionRevocationStore(
            new SessionRevocationStoreOptions { TimeProvider = sp.GetService<TimeProvider>() ?? TimeProvider.System }));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DuctapeClientOptions>, DuctapeClientOptionsValidator>());
        services.TryAddSingleton(sp => DuctapeMetrics.For(sp.GetService<IMeterFactory>()));

        var httpClientName = name.Length == 0 ? HttpClientPrefix : $"{HttpClientPrefix}:{name}";
        var builder = services.AddHttpClient(httpClientName)
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(DuctapeHttp.CreatePrimaryHandler)
            .AddHttpMessageHandler(sp => new DuctapeResilienceHandler(Resolve(sp, name)))
            // The factory's logging writes header values at Trace: only harmless ones keep theirs (never the access key).
            .RedactLoggedHeaders(header => !DuctapeHttp.LoggableHeaders.Contains(header));

        // Runs after every other configuration of this client, the host's defaults included: whatever primary handler
        // ends up in place, it does not follow redirects (the access key must never travel to another host).
        // Likewise for retries: they live in the SDK's handler only, so resilience handlers the host adds to every client
        // (ConfigureHttpClientDefaults(b => b.AddStandardResilienceHandler()), as Aspire's service defaults do) or to this
        // builder are taken out of this client's chain; otherwise attempts multiply (4 × 4 = 16 for one call).
        services.PostConfigure<HttpClientFactoryOptions>(httpClientName, factory =>
            factory.HttpMessageHandlerBuilderActions.Add(handlers =>
            {
                DuctapeHttp.DisableRedirects(handlers.PrimaryHandler);
                DuctapeHttp.RemoveOtherRetryLayers(handlers.AdditionalHandlers, handlers.Services.GetService<ILoggerFactory>());
            }));

        object? key = name.Length == 0 ? null : name;
        Func<IServiceProvider, DuctapeClient> client = sp =>
        {
            var factory = sp.GetRequiredService<IHttpClientFactory>();
            var monitor = sp.GetRequiredService<IOptionsMonitor<DuctapeClientOptions>>();
            var created = new DuctapeClient(() => factory.CreateClient(httpClientName), monitor.Get(name));
            created.FollowChanges(monitor, name);
            return created;
        };
        // Transient over a per-registration cache: the same validator until the options change (rotated session keys), then
        // a new one, so the authentication handler, which resolves it per request, follows a reload.
        var sourceKey = new ValidatorSourceKey(name);
        services.TryAddKeyedSingleton(sourceKey, (sp, _) => new ValidatorSource(sp.GetRequiredService<IOptionsMonitor<DuctapeClientOptions>>(), name));
        Func<IServiceProvider, SessionTokenValidator> validator = sp => sp.GetRequiredKeyedService<ValidatorSource>(sourceKey).Current;

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

    private static DuctapeClientOptions Resolve(IServiceProvider services, string name)
    {
        return services.GetRequiredService<IOptionsMonitor<DuctapeClientOptions>>().Get(name);
    }

    private sealed class SectionChangeTokenSource(string name, Configuration.IConfiguration section) : IOptionsChangeTokenSource<DuctapeClientOptions>
    {
        public string Name => name;

        public Primitives.IChangeToken GetChangeToken() => section.GetReloadToken();
    }

    private sealed record ValidatorSourceKey(string Name);

    /// <summary>The validator for one registration's current options; rebuilt only when the monitor hands out new options.</summary>
    private sealed class ValidatorSource(IOptionsMonitor<DuctapeClientOptions> monitor, string name)
    {
        private volatile Built? _built;

        public SessionTokenValidator Current
        {
            get
            {
                var options = monitor.Get(name); // the same instance until the options change
                if (_built is { } built)
                {
                    if (ReferenceEquals(built.Options, options))
                    {
                        return built.Validator;
                    }

                    if (options.Validate().Count > 0)
                    {
                        // An invalid reload keeps the last valid keys; remember these options so it is checked once, not per request.
                        _built = built with { Options = options };
                        return built.Validator;
                    }
                }

                var validator = Create(options);
                _built = new Built(options, validator);
                return validator;
            }
        }

        private static SessionTokenValidator Create(DuctapeClientOptions options) => new(new SessionTokenValidationOptions
        {
            Keys = options.ResolveSessionKeys() ?? throw new InvalidOperationException(
                "SessionTokenValidator needs DuctapeClientOptions.SessionKeys: set them in AddDuctape(...) (configuration: Ductape:SessionKeys)."),
            // Tokens are accepted only for the client's own product and environment.
            Product = !string.IsNullOrWhiteSpace(options.Product) ? options.Product : throw new InvalidOperationException(
                "SessionTokenValidator needs DuctapeClientOptions.Product and Env: tokens are accepted only for that product and environment."),
            Env = !string.IsNullOrWhiteSpace(options.Env) ? options.Env : throw new InvalidOperationException(
                "SessionTokenValidator needs DuctapeClientOptions.Product and Env: tokens are accepted only for that product and environment."),
            TimeProvider = options.TimeProvider,
            RevocationStore = options.RevocationStore,
            Metrics = options.ResolveMetrics(),
        });

        private sealed record Built(DuctapeClientOptions Options, SessionTokenValidator Validator);
    }

    /// <summary>
    /// Fails start-up on invalid options. Once a registration's options were valid, a later invalid reload is let through
    /// here — the monitor would otherwise throw into the configuration reload — and the client and validator keep their
    /// last valid settings and log why.
    /// </summary>
    private sealed class DuctapeClientOptionsValidator : IValidateOptions<DuctapeClientOptions>
    {
        private readonly ConcurrentDictionary<string, bool> _wereValid = new(StringComparer.Ordinal);

        public ValidateOptionsResult Validate(string? name, DuctapeClientOptions options)
        {
            var problems = options.Validate();
            if (problems.Count == 0)
            {
                _wereValid[name ?? Options.Options.DefaultName] = true;
            }

            return problems.Count == 0 || _wereValid.ContainsKey(name ?? Options.Options.DefaultName)
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail($"Ductape client options{(string.IsNullOrEmpty(name) ? "" : $" '{name}'")} are invalid: " +
                    string.Join(" ", problems));
        }
    }
}
