using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Ductape.Sdk.Tokens;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Ductape.Sdk.Testing;

/// <summary>
/// A local Ductape server on 127.0.0.1 that implements the SDK proxy's sessions module in memory, for samples and for
/// testing your code without a Ductape account. Thread-safe; dispose it to stop.
/// </summary>
/// <example>
/// <code>
/// await using var server = await DuctapeLocalServer.StartAsync();
/// using var client = server.CreateClient();
/// </code>
/// </example>
public sealed partial class DuctapeLocalServer : IAsyncDisposable
{
    private const int MaxBodyBytes = 1024 * 1024;

    private readonly WebApplication _app;
    private readonly LocalSessions _sessions;
    private readonly byte[] _accessKey;
    private readonly ConcurrentDictionary<string, IdempotentCall> _replays = new();
    private readonly Queue<(string Key, IdempotentCall Call)> _replayOrder = new(); // oldest first, under _boundsGate
    private readonly object _boundsGate = new();
    private long _replayBytes;
    private readonly TimeSpan _idempotencyRetention;
    private readonly int _maxIdempotencyEntries;
    private const long MaxIdempotencyBytes = 16 * 1024 * 1024;
    private const int JournalLimit = 10_000;
    private const long JournalBudgetBytes = 8 * 1024 * 1024;
    private const int JournalParamsLimit = 4 * 1024;
    private long _journalBytes;

    private readonly TimeProvider _time;

    private readonly List<(HttpStatusCode Status, TimeSpan? RetryAfter, string? Method)> _faults = [];
    private readonly ConcurrentQueue<LocalServerCall> _journal = new();
    private int _abortsAfterProcessing;
    private long _latencyTicks;
    private long _requestCount;

    private DuctapeLocalServer(WebApplication app, string accessKey, SessionKeyRing keys, TimeProvider time, DuctapeLocalServerOptions options)
    {
        _time = time;
        _idempotencyRetention = options.IdempotencyRetention;
        _maxIdempotencyEntries = options.MaxIdempotencyEntries;
        _app = app;
        AccessKey = accessKey;
        SessionKeys = keys;
        _accessKey = Encoding.UTF8.GetBytes(accessKey);
        _sessions = new LocalSessions(
            new SessionTokenIssuer(keys, new SessionTokenIssuerOptions { TimeProvider = time }),
            // One server serves every product and env: each verification names its own audience (ValidateFor).
            new SessionTokenValidator(new SessionTokenValidationOptions { Keys = keys, TimeProvider = time, ValidateAudience = false }),
            time, options.MaxSessions, options.ExpiredSessionRetention);
    }

    /// <summary>The server's root, to use as <see cref="DuctapeClientOptions.BaseUrl"/>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The access key clients must send.</summary>
    public string AccessKey { get; }

    /// <summary>The keys the server issues session tokens with, for offline validation in tests.</summary>
    public SessionKeyRing SessionKeys { get; }

    /// <summary>How many requests reached the proxy endpoint.</summary>
    public long RequestCount => Interlocked.Read(ref _requestCount);

    /// <summary>Starts a server.</summary>
    /// <param name="options">The settings, or null for a free port and random keys.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server.</returns>
    public static async Task<DuctapeLocalServer> StartAsync(DuctapeLocalServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new DuctapeLocalServerOptions();
        // Isolated from the process it runs in: no configuration sources (no appsettings.json, no ASPNETCORE_*/DOTNET_*
        // variables, no command line), a fixed content root, loopback only whatever the environment says, and no host
        // lifetime that would take over the process's Ctrl+C/SIGTERM.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = "Production",
            ApplicationName = typeof(DuctapeLocalServer).Assembly.GetName().Name,
        });
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton<IHostLifetime, NoHostLifetime>();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            // Kestrel's own cap sits above ours, so an oversized body gets our envelope (413) rather than Kestrel's exception.
            k.Limits.MaxRequestBodySize = MaxBodyBytes * 2;
            k.Listen(IPAddress.Loopback, options.Port);
        });
        var app = builder.Build();
        var accessKey = options.AccessKey ?? "ak_local_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        var keys = new SessionKeyRing(options.SessionKey ?? SessionKey.Generate("local-1"));
        if (options.MaxSessions < 1 || options.ExpiredSessionRetention < TimeSpan.Zero)
        {
            throw new ArgumentException("DuctapeLocalServerOptions.MaxSessions must be at least 1 and ExpiredSessionRetention not negative.", nameof(options));
        }

        if (options.IdempotencyRetention <= TimeSpan.Zero || options.MaxIdempotencyEntries < 1)
        {
            throw new ArgumentException("DuctapeLocalServerOptions.IdempotencyRetention must be positive and MaxIdempotencyEntries at least 1.", nameof(options));
        }

        var server = new DuctapeLocalServer(app, accessKey, keys, options.TimeProvider, options);
        // At the root and under /api (CONTRACT §5), so Ductape's documented local URL, http://localhost:4311/api, works too.
        app.MapPost("/proxy/v1/sdk-proxy/execute", server.HandleAsync);
        app.MapPost("/api/proxy/v1/sdk-proxy/execute", server.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetServiceOrNull<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses.First()
            ?? throw new InvalidOperationException("The local server did not report its address.");
        server.BaseUrl = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        return server;
    }

    /// <summary>A client for this server.</summary>
    /// <param name="product">The default product tag.</param>
    /// <param name="env">The default environment.</param>
    /// <param name="configure">Further settings, such as retries.</param>
    /// <returns>The client; dispose it.</returns>
    public DuctapeClient CreateClient(string product = "local:demo", string env = "dev", Action<DuctapeClientOptions>? configure = null)
    {
        var options = new DuctapeClientOptions { AccessKey = AccessKey, BaseUrl = BaseUrl, Product = product, Env = env };
        configure?.Invoke(options);
        return new DuctapeClient(options);
    }

    /// <summary>
    /// Points options at this server in one call — access key, base URL, product, env and the session keys (for offline
    /// validation) — for example inside <c>AddDuctape(o => server.Configure(o))</c>.
    /// </summary>
    /// <param name="options">The options to fill.</param>
    /// <param name="product">The product tag.</param>
    /// <param name="env">The environment.</param>
    /// <returns>The same options.</returns>
    public DuctapeClientOptions Configure(DuctapeClientOptions options, string product = "local:demo", string env = "dev")
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AccessKey = AccessKey;
        options.BaseUrl = BaseUrl;
        options.Product = product;
        options.Env = env;
        options.SessionKeys = SessionKeys;
        return options;
    }

    /// <summary>
    /// This server as configuration values under <paramref name="section"/> (<c>Ductape:AccessKey</c>, <c>…:BaseUrl</c>,
    /// <c>…:Product</c>, <c>…:Env</c>, <c>…:SessionKeys:0</c>), for <c>AddInMemoryCollection</c> in a host or a
    /// <c>WebApplicationFactory</c>, read by <c>AddDuctape(configuration.GetSection("Ductape"))</c>.
    /// </summary>
    /// <param name="product">The product tag.</param>
    /// <param name="env">The environment.</param>
    /// <param name="section">The section name.</param>
    /// <returns>The values.</returns>
    public IReadOnlyDictionary<string, string?> ToConfiguration(string product = "local:demo", string env = "dev", string section = "Ductape") =>
        new Dictionary<string, string?>
        {
            [$"{section}:AccessKey"] = AccessKey,
            [$"{section}:BaseUrl"] = BaseUrl.AbsoluteUri,
            [$"{section}:Product"] = product,
            [$"{section}:Env"] = env,
            [$"{section}:SessionKeys:0"] = SessionKeys.Primary.ExportText(),
        };

    /// <summary>Stops the server.</summary>
    /// <returns>A task that completes when it has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
