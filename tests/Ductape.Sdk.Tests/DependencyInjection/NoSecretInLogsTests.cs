using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ductape.Sdk.Tests.DependencyInjection;

/// <summary>
/// No access key, token, refresh token or session data in any log record a host exports — formatted message, every
/// key/value of its state, every scope, the exception — at Trace, on success and on failure (net8.0 and net10.0), nor in
/// the exceptions the caller gets, even from a server or a handler that echoes what it was sent.
/// </summary>
public class NoSecretInLogsTests
{
    private const string Token = "session_name:eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..SECRET_TOKEN_iv.SECRET_TOKEN_body.SECRET_TOKEN_tag";
    private const string RefreshToken = "rt_SECRET_REFRESH_0123456789abcdefghijklmnopqrstu";
    private const string UserData = "SECRET_USER_DATA";

    private static readonly string[] Secrets = [ProxyMock.AccessKey, "SECRET_TOKEN", "SECRET_REFRESH", UserData];

    [Test]
    public async Task Every_record_of_a_host_at_Trace_is_free_of_secrets_on_success_and_failure()
    {
        using var mock = new ProxyMock();
        var records = new RecordingProvider();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(records));
        services.AddDuctape(o =>
        {
            o.AccessKey = ProxyMock.AccessKey;
            o.BaseUrl = new Uri(ProxyMock.BaseUrl);
            o.Product = ProxyMock.Product;
            o.Env = ProxyMock.Env;
            o.Retry.BaseDelay = TimeSpan.Zero;
            o.Retry.MaxDelay = TimeSpan.Zero;
        }).ConfigurePrimaryHttpMessageHandler(() => mock.Network);
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<DuctapeClient>();
        var tokens = $$"""{"token":"{{Token}}","refreshToken":"{{RefreshToken}}","sessionId":"ses_1","expiresAt":"2026-12-02T10:00:00Z"}""";
        mock.ThenData(tokens) // start
            .ThenData(tokens) // refresh
            .ThenData($$"""{"valid":true,"data":{"name":"{{UserData}}"},"sessionId":"ses_1"}""") // verify
            .Then(_ => ProxyMock.Response(HttpStatusCode.Unauthorized,
                ProxyMock.Failure("UNAUTHORIZED", $"bad key {ProxyMock.AccessKey} for token {Token}"))) // echoing server
            .ThenStatus(HttpStatusCode.ServiceUnavailable, ProxyMock.Failure("UNAVAILABLE", $"down {RefreshToken}"))
            .ThenThrow(new HttpRequestException($"connection reset while sending {ProxyMock.AccessKey}"));

        await client.Sessions.StartAsync("session_name", SessionJson.Parse($$"""{"userId":"u","name":"{{UserData}}"}"""));
        await client.Sessions.RefreshAsync("session_name", RefreshToken);
        await client.Sessions.VerifyAsync("session_name", Token, Ductape.Sdk.Sessions.SessionVerificationMode.Server);
        var failures = Enumerable.Range(0, 3)
            .Select(_ => Assert.CatchAsync<DuctapeException>(() => client.Products.Sessions.FetchAllAsync())!.ToString())
            .ToList();

        Assert.That(records.All, Is.Not.Empty);
        Assert.That(failures, Has.Count.EqualTo(3));
        foreach (var record in records.All.Concat(failures))
        {
            foreach (var secret in Secrets)
            {
                Assert.That(record, Does.Not.Contain(secret));
            }
        }
    }

    /// <summary>Flattens every record as an exporter would see it: message, state key/values, scopes and exception.</summary>
    private sealed class RecordingProvider : ILoggerProvider, ISupportExternalScope
    {
        private readonly List<string> _records = [];
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

        public IReadOnlyList<string> All
        {
            get
            {
                lock (_records)
                {
                    return [.. _records];
                }
            }
        }

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private static string Flatten(object? state) => state switch
        {
            null => "",
            IEnumerable<KeyValuePair<string, object?>> pairs => string.Join("; ", pairs.Select(p => $"{p.Key}={Flatten(p.Value)}")),
            System.Collections.IEnumerable items and not string => string.Join(",", items.Cast<object?>().Select(Flatten)),
            _ => state.ToString() ?? "",
        };

        private sealed class Logger(RecordingProvider owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => owner._scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var scopes = new List<string>();
                owner._scopes.ForEachScope((scope, list) => list.Add(Flatten(scope)), scopes);
                var record = $"{category} [{logLevel}] {formatter(state, exception)} | state: {Flatten(state)} | scopes: {string.Join(" / ", scopes)} | exception: {exception}";
                lock (owner._records)
                {
                    owner._records.Add(record);
                }
            }
        }
    }
}
