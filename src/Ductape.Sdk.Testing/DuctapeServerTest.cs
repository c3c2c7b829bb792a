namespace Ductape.Sdk.Testing;

/// <summary>
/// A base for test classes that gives each test its own local server and client, for any test framework: derive from it,
/// and let the framework call <see cref="InitializeAsync"/> before each test and <see cref="DisposeAsync"/> after. With
/// xUnit v2, add <c>IAsyncLifetime</c> to the class (these two methods implement it); with NUnit, mark the class
/// <c>[FixtureLifeCycle(LifeCycle.InstancePerTestCase)]</c> and call them from <c>[SetUp]</c> and <c>[TearDown]</c>. One
/// instance per test is what makes it safe under NUnit's <c>ParallelScope.All</c> and xUnit's parallel collections: no test
/// sees another's server, sessions, faults, journal or clock.
/// </summary>
public abstract class DuctapeServerTest
{
    private DuctapeLocalServer? _server;
    private DuctapeClient? _client;

    /// <summary>Builds the base; the server starts in <see cref="InitializeAsync"/>.</summary>
    /// <param name="product">The product the client calls for by default.</param>
    /// <param name="env">The environment the client calls for by default.</param>
    protected DuctapeServerTest(string product = "local:demo", string env = "test")
    {
        Product = product;
        Env = env;
    }

    /// <summary>The client's default product.</summary>
    protected string Product { get; }

    /// <summary>The client's default environment.</summary>
    protected string Env { get; }

    /// <summary>This test's server.</summary>
    /// <exception cref="InvalidOperationException"><see cref="InitializeAsync"/> has not run.</exception>
    public DuctapeLocalServer Server => _server ?? throw NotStarted();

    /// <summary>A client of this test's server, for <see cref="Product"/> and <see cref="Env"/>.</summary>
    /// <exception cref="InvalidOperationException"><see cref="InitializeAsync"/> has not run.</exception>
    public DuctapeClient Client => _client ?? throw NotStarted();

    /// <summary>Starts this test's server and client.</summary>
    /// <returns>A task that completes when the server listens.</returns>
    public virtual async Task InitializeAsync()
    {
        _server = await DuctapeLocalServer.StartAsync(ServerOptions()).ConfigureAwait(false);
        _client = _server.CreateClient(Product, Env, ConfigureClient);
    }

    /// <summary>Stops this test's client and server.</summary>
    /// <returns>A task that completes when the server has stopped.</returns>
    public virtual async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The server's settings (a fake clock, limits); override to change them.</summary>
    /// <returns>New options; the defaults unless overridden.</returns>
    protected virtual DuctapeLocalServerOptions ServerOptions() => new();

    /// <summary>Adjusts the client's options (quick retries, a revocation store); override to change them.</summary>
    /// <param name="options">The options, already pointed at the server.</param>
    protected virtual void ConfigureClient(DuctapeClientOptions options)
    {
    }

    private static InvalidOperationException NotStarted() =>
        new("The test's Ductape server is not started: call InitializeAsync before the test (from [SetUp] in NUnit; xUnit calls it through IAsyncLifetime).");
}
