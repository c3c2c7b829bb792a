using System.Diagnostics;
using Ductape.Sdk.IntegrationTests.TestSupport.Redis;
using Ductape.Sdk.Redis;
using Ductape.Sdk.Tokens;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Ductape.Sdk.IntegrationTests.Redis;

/// <summary>
/// The base of the Redis tests: each test gets its own server of the fixture's kind (Garnet, and redis-server where it is
/// installed), and "instances" of an app — each a revocation store on its own connection, through its own link.
/// </summary>
[NonParallelizable]
[TestFixtureSource(typeof(RedisBackend), nameof(RedisBackend.Kinds))]
public abstract class RedisFleetTest(string kind)
{
    internal static readonly SessionKeyRing Keys = new(SessionKey.Generate("redis-test"));
    internal static readonly SessionScope Scope = new("acme:shop", "prd", "session_name");

    private readonly List<IAsyncDisposable> _owned = [];
    private RedisBackend? _redis;

    internal RedisBackend Redis => _redis ?? throw new InvalidOperationException("No server: SetUp did not run.");

    protected string Kind => kind;

    [SetUp]
    public async Task StartServer() => _redis = await RedisBackend.StartAsync(kind);

    [TearDown]
    public async Task StopServer()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            await owned.DisposeAsync();
        }

        _owned.Clear();
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
            _redis = null;
        }
    }

    internal static RedisSessionRevocationStoreOptions FastOptions(Action<RedisSessionRevocationStoreOptions>? configure = null)
    {
        var options = new RedisSessionRevocationStoreOptions
        {
            HeartbeatInterval = TimeSpan.FromMilliseconds(100),
            StalenessLimit = TimeSpan.FromSeconds(1),
            ResyncInterval = TimeSpan.FromSeconds(1),
            WriteTimeout = TimeSpan.FromSeconds(1),
        };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>One instance of the app: a started store on a connection of its own.</summary>
    internal async Task<Instance> StartInstance(Action<RedisSessionRevocationStoreOptions>? configure = null, ILoggerFactory? logs = null)
    {
        var (connection, link) = await Redis.ConnectAsync();
        var store = await RedisSessionRevocationStore.StartAsync(connection, FastOptions(configure), logs);
        _owned.Add(store);
        return new Instance(store, link, Validator(store));
    }

    /// <summary>Disposed with the test (in reverse order), before the server stops.</summary>
    internal T Own<T>(T owned)
        where T : IAsyncDisposable
    {
        _owned.Add(owned);
        return owned;
    }

    internal async Task<IDatabase> Direct() => (await Redis.ConnectDirectAsync()).GetDatabase();

    internal static SessionTokenValidator Validator(ISessionRevocationStore store) => new(new SessionTokenValidationOptions
    {
        Keys = Keys, Product = Scope.Product, Env = Scope.Env, RevocationStore = store,
    });

    internal static string Token(string sessionId, string identifier = "user-1") =>
        new SessionTokenIssuer(Keys).Issue(new SessionTokenDescriptor
        {
            Tag = Scope.Tag, Product = Scope.Product, Env = Scope.Env, Selector = "$Session{userId}",
            Data = SessionJson.Parse($$"""{"userId":"{{identifier}}"}"""), Expiry = 1, Period = TokenPeriod.Hours, SessionId = sessionId,
        }).Token;

    /// <summary>Polls a condition every millisecond; fails the test when it does not hold within the limit.</summary>
    internal static async Task<TimeSpan> Until(Func<bool> condition, TimeSpan limit, string? what = null)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > limit)
            {
                Assert.Fail($"{what ?? "condition"} not within {limit.TotalMilliseconds} ms");
            }

            await Task.Delay(1);
        }

        return clock.Elapsed;
    }

    internal sealed record Instance(RedisSessionRevocationStore Store, RedisLink Link, SessionTokenValidator Validator)
    {
        public SessionTokenFailure Check(string token) => Validator.Validate(token).Failure;
    }
}
