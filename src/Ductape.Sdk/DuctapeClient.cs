using Ductape.Sdk.Products;
using Ductape.Sdk.Sessions;
using Ductape.Sdk.Tokens;
using Ductape.Sdk.Proxy;

namespace Ductape.Sdk;

/// <summary>
/// The entry point to Ductape. Thread-safe and meant to live as long as the app: build one (or register it with
/// <c>AddDuctape</c>) and share it.
/// </summary>
/// <example>
/// <code>
/// using var client = new DuctapeClient(new DuctapeClientOptions { AccessKey = key, Product = "my-product", Env = "prd" });
/// var sessions = await client.Products.Sessions.FetchAllAsync();
/// </code>
/// </example>
public class DuctapeClient : IDisposable
{
    private readonly HttpClient? _ownedHttpClient;
    private volatile bool _disposed;

    /// <summary>For mocking frameworks only: a client built this way sends nothing.</summary>
    protected DuctapeClient()
    {
        Products = null!;
        Sessions = null!;
    }

    /// <summary>Builds a client that owns its <see cref="HttpClient"/>, with the SDK's retry and timeout handling.</summary>
    /// <param name="options">The settings; copied, so later changes have no effect.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public DuctapeClient(DuctapeClientOptions options)
        : this(CreateOwnedHttpClient(options), options, owned: true)
    {
    }

    /// <summary>
    /// Builds a client on an <see cref="HttpClient"/> you own, used as it is. To keep the SDK's retries and timeouts, build
    /// it on <see cref="CreateHttpMessageHandler"/> (as <c>AddDuctape</c> does). The client never disposes it.
    /// </summary>
    /// <param name="httpClient">The HTTP client. Its <see cref="HttpClient.BaseAddress"/> is not used.</param>
    /// <param name="options">The settings; copied, so later changes have no effect.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public DuctapeClient(HttpClient httpClient, DuctapeClientOptions options)
        : this(httpClient, options, owned: false)
    {
    }

    private DuctapeClient(HttpClient httpClient, DuctapeClientOptions options, bool owned)
        : this(ValidHttpClient(httpClient), FixedSettings(options))
    {
        _ownedHttpClient = owned ? httpClient : null;
    }

    /// <summary>
    /// Builds a client that takes an <see cref="HttpClient"/> from <paramref name="httpClients"/> for every call and reads its
    /// settings from <paramref name="settings"/> (under <c>AddDuctape</c>, replaced by each valid configuration reload).
    /// </summary>
    internal DuctapeClient(Func<HttpClient> httpClients, ClientSettingsSource settings)
    {
        var options = settings.Current.Options;
        var transport = new ProxySender(httpClients, options, () => _disposed);
        var scope = new CallScope(options, () => settings.Current.AccessKey);
        Products = new ProductsClient(transport, scope);
        Sessions = new SessionsClient(transport, scope, settings);
    }

    private static ClientSettingsSource FixedSettings(DuctapeClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        // A copy: later changes to the caller's object must not reach a running client.
        options = options.Clone();
        var revocations = options.RevocationStore ?? (options.ResolveSessionKeys() is null ? null
            : new InMemorySessionRevocationStore(new SessionRevocationStoreOptions { TimeProvider = options.TimeProvider }));
        return new ClientSettingsSource(ClientSettings.Create(options, revocations));
    }

    /// <summary>Product configuration: session types.</summary>
    public virtual ProductsClient Products { get; }

    /// <summary>Runtime sessions: start, verify, refresh, revoke, list, users and dashboard.</summary>
    public virtual SessionsClient Sessions { get; }

    /// <summary>
    /// The SDK's retry and timeout handler (see <see cref="DuctapeRetryOptions"/>) in front of <paramref name="innerHandler"/>,
    /// for building your own <see cref="HttpClient"/> with the SDK's behaviour. Set that client's
    /// <see cref="HttpClient.Timeout"/> to <see cref="Timeout.InfiniteTimeSpan"/>: the handler owns time.
    /// </summary>
    /// <param name="options">The settings whose <see cref="DuctapeClientOptions.Retry"/>, <see cref="DuctapeClientOptions.Timeout"/>,
    /// clock and logger the handler uses.</param>
    /// <param name="innerHandler">The handler that sends over the network; when null, a new <see cref="SocketsHttpHandler"/>
    /// that never follows redirects. A handler you pass should not follow them either (<c>AllowAutoRedirect = false</c>):
    /// the SDK refuses an answer that came from anywhere but its endpoint, but cannot unsend what a redirect sent.</param>
    /// <returns>The handler.</returns>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public static HttpMessageHandler CreateHttpMessageHandler(DuctapeClientOptions options, HttpMessageHandler? innerHandler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        return new DuctapeResilienceHandler(options)
        {
            InnerHandler = innerHandler ?? DuctapeHandlerChain.CreatePrimaryHandler(),
        };
    }

    /// <summary>
    /// Releases the <see cref="HttpClient"/> the client created (one passed in is left alone). Calls running meanwhile, and
    /// every call after, throw <see cref="ObjectDisposedException"/>.
    /// </summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases what the client created.</summary>
    /// <param name="disposing"><see langword="true"/> when called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _disposed = true;
            _ownedHttpClient?.Dispose();
        }
    }

    private static Func<HttpClient> ValidHttpClient(HttpClient httpClient)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        return () => httpClient;
    }

    private static HttpClient CreateOwnedHttpClient(DuctapeClientOptions options) =>
        new(CreateHttpMessageHandler(options), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
}
