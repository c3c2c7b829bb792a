using Ductape.Sdk.Tokens;

namespace Ductape.Sdk;

/// <summary>
/// What a client works with that a configuration reload may replace: valid options, the validator built from them and the
/// revocation store. Immutable; a reload builds a new one (<see cref="ClientSettingsSource"/>), so a call sees one whole set.
/// </summary>
internal sealed class ClientSettings
{
    private readonly Lazy<SessionTokenValidator?> _validator;

    private ClientSettings(DuctapeClientOptions options, ISessionRevocationStore? revocations, Func<SessionTokenValidator?> validator)
    {
        Options = options;
        Revocations = revocations;
        // Built on first use: options are validated more often than they are used (an IOptionsSnapshot per request).
        _validator = new Lazy<SessionTokenValidator?>(validator, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The options; valid.</summary>
    public DuctapeClientOptions Options { get; }

    /// <summary>
    /// The validator of this client's session keys (null without keys), honouring its revocation store. Its audience is the
    /// options' product and env when both are set; a client's verification names the call's own (<c>ValidateFor</c>).
    /// </summary>
    public SessionTokenValidator? Validator => _validator.Value;

    /// <summary>Where the client records its revocations and its validator looks them up; null for none.</summary>
    public ISessionRevocationStore? Revocations { get; }

    /// <summary>The access key, or null when the client holds only a publishable key.</summary>
    public string? AccessKey => string.IsNullOrWhiteSpace(Options.AccessKey) ? null : Options.AccessKey;

    /// <summary>
    /// The one validator factory of the SDK (clients and DI alike). <paramref name="options"/> must be valid;
    /// <paramref name="revocations"/> is the store its validator consults.
    /// </summary>
    public static ClientSettings Create(DuctapeClientOptions options, ISessionRevocationStore? revocations) =>
        new(options, revocations, () => options.ResolveSessionKeys() is { } keys
            ? new SessionTokenValidator(new SessionTokenValidationOptions
            {
                Keys = keys,
                Product = options.Product,
                Env = options.Env,
                ValidateAudience = HasAudience(options),
                TimeProvider = options.TimeProvider,
                RevocationStore = revocations,
                Metrics = options.ResolveMetrics(),
            })
            : null);

    /// <summary>Whether the options name a product and an environment, the audience a registered validator checks.</summary>
    public static bool HasAudience(DuctapeClientOptions options) =>
        !string.IsNullOrWhiteSpace(options.Product) && !string.IsNullOrWhiteSpace(options.Env);
}

/// <summary>
/// Where a client reads its current <see cref="ClientSettings"/>: fixed for a client built by hand; replaced by the
/// options gate of <c>AddDuctape</c> when a reload is valid, and only then.
/// </summary>
internal sealed class ClientSettingsSource(ClientSettings initial)
{
    private volatile ClientSettings _current = initial;

    public ClientSettings Current
    {
        get => _current;
        set => _current = value;
    }
}
