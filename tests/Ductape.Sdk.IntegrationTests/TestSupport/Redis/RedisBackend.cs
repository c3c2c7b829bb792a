using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace Ductape.Sdk.IntegrationTests.TestSupport.Redis;

/// <summary>
/// A real Redis-compatible server on 127.0.0.1 owned by one test, which it may kill, restart (empty: persistence is off) and
/// pause. Two kinds: <c>garnet</c> (Microsoft Garnet, embedded in the test process: runs on any machine with the .NET SDK)
/// and <c>redis-server</c> (the OS package, which .ci/run installs). Instances of the app under test reach it through
/// <see cref="RedisLink"/>s, so one instance's link can be cut or paused while the others stay connected.
/// </summary>
internal abstract class RedisBackend : IAsyncDisposable
{
    public const string Garnet = "garnet";
    public const string RedisServer = "redis-server";

    private readonly List<RedisLink> _links = [];

    protected RedisBackend(int port) => Port = port;

    /// <summary>The kinds this machine can run: Garnet always, redis-server when installed (and under CI, where it must be).</summary>
    public static IEnumerable<string> Kinds
    {
        get
        {
            yield return Garnet;
            if (RedisServerBackend.Binary is not null
                || string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                yield return RedisServer;
            }
        }
    }

    public int Port { get; }

    public static async Task<RedisBackend> StartAsync(string kind)
    {
        RedisBackend backend = kind switch
        {
            Garnet => new GarnetBackend(FreePort()),
            RedisServer => new RedisServerBackend(RedisServerBackend.Binary
                ?? throw new InvalidOperationException("redis-server is not installed; .ci/run installs it from the OS packages."), FreePort()),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "garnet or redis-server"),
        };
        await backend.StartServerAsync();
        return backend;
    }

    /// <summary>A new link to the server for one instance of the app.</summary>
    public RedisLink Link()
    {
        var link = new RedisLink(Port);
        _links.Add(link);
        return link;
    }

    /// <summary>A connection for one instance, through a link of its own; the multiplexer is disposed with the backend.</summary>
    public async Task<(ConnectionMultiplexer Connection, RedisLink Link)> ConnectAsync()
    {
        var link = Link();
        var options = ConfigurationOptions.Parse(Configuration(link.Port));
        options.ReconnectRetryPolicy = new LinearRetry(250); // as the docs advise: reconnect promptly once the link is back
        var connection = await ConnectionMultiplexer.ConnectAsync(options);
        _connections.Add(connection);
        return (connection, link);
    }

    /// <summary>A connection straight to the server (no link), for the test itself: poisoning entries, reading keys.</summary>
    public async Task<ConnectionMultiplexer> ConnectDirectAsync()
    {
        var connection = await ConnectionMultiplexer.ConnectAsync(Configuration(Port));
        _connections.Add(connection);
        return connection;
    }

    private readonly List<ConnectionMultiplexer> _connections = [];

    /// <summary>As the docs advise: the app starts while Redis is down (abortConnect=false); short timeouts for tests.</summary>
    public static string Configuration(int port) =>
        $"127.0.0.1:{port},abortConnect=false,connectTimeout=1000,syncTimeout=1000,asyncTimeout=1000,connectRetry=1";

    /// <summary>Kills the server: every key is gone, every connection drops.</summary>
    public abstract Task KillAsync();

    /// <summary>Starts the server again on the same port, empty.</summary>
    public Task RestartAsync() => StartServerAsync();

    /// <summary>Freezes the server: connections stay open, nothing is answered (SIGSTOP for redis-server).</summary>
    public virtual Task PauseAsync()
    {
        foreach (var link in _links)
        {
            link.Pause();
        }

        return Task.CompletedTask;
    }

    public virtual Task ResumeAsync()
    {
        foreach (var link in _links)
        {
            link.Resume();
        }

        return Task.CompletedTask;
    }

    protected abstract Task StartServerAsync();

    protected abstract Task StopServerAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }

        foreach (var link in _links)
        {
            await link.DisposeAsync();
        }

        await StopServerAsync();
    }

    protected static async Task WaitUntilListeningAsync(int port)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (clock.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(20);
            }
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
