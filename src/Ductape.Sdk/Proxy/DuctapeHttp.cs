using System.Net;
using Microsoft.Extensions.Logging;

namespace Ductape.Sdk.Proxy;

/// <summary>Header names, request option keys and header readers shared by the transport and the resilience handler.</summary>
internal static partial class DuctapeHttp
{
    public const string AccessKeyHeader = "x-access-key";
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const string RequestIdHeader = "x-request-id";
    public const string ExecutePath = "proxy/v1/sdk-proxy/execute";

    public static readonly string UserAgent = BuildUserAgent();

    /// <summary>Headers whose values may appear in HTTP logs; every other value is redacted (keys, idempotency keys, cookies).</summary>
    public static readonly IReadOnlySet<string> LoggableHeaders = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Accept", "User-Agent", "Content-Type", "Content-Length", "Date", "Retry-After", RequestIdHeader, "Server",
        "Transfer-Encoding", "Connection",
    };

    public static bool IsRedirect(HttpStatusCode status) => (int)status is >= 300 and <= 399;

    public static string? RequestId(HttpResponseMessage response) =>
        response.Headers.TryGetValues(RequestIdHeader, out var values) ? values.FirstOrDefault() : null;

    /// <summary>The network handler the SDK builds: redirects are never followed (the key must not travel elsewhere).</summary>
    public static SocketsHttpHandler CreatePrimaryHandler() => new()
    {
        AllowAutoRedirect = false,
        // Bounded connection lifetime so a long-lived singleton still follows DNS changes.
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
    };

    /// <summary>
    /// Takes retry layers other than the SDK's out of a Ductape client's chain, recognised by type name so the SDK need not
    /// reference their packages: every handler of Microsoft.Extensions.Http.Resilience (<c>AddStandardResilienceHandler</c>,
    /// <c>AddResilienceHandler</c>, hedging) and Microsoft.Extensions.Http.Polly's <c>PolicyHttpMessageHandler</c>
    /// (<c>AddTransientHttpErrorPolicy</c>, <c>AddPolicyHandler</c>). Says so in the log.
    /// </summary>
    public static void RemoveOtherRetryLayers(IList<DelegatingHandler> handlers, ILoggerFactory? loggers)
    {
        var removed = 0;
        for (var i = handlers.Count - 1; i >= 0; i--)
        {
            if (handlers[i] is not DuctapeResilienceHandler && IsRetryLayer(handlers[i].GetType().FullName))
            {
                handlers.RemoveAt(i);
                removed++;
            }
        }

        if (removed > 0 && loggers is not null)
        {
            LogRemovedRetryLayers(loggers.CreateLogger("Ductape.Sdk"), removed);
        }
    }

    private static bool IsRetryLayer(string? typeName) =>
        typeName is not null
        && (typeName.StartsWith("Microsoft.Extensions.Http.Resilience.", StringComparison.Ordinal)
            || typeName == "Microsoft.Extensions.Http.PolicyHttpMessageHandler");

    [LoggerMessage(EventId = 2, Level = LogLevel.Information,
        Message = "Took {Count} resilience handler(s) added by the host out of the Ductape HttpClient: its retries and timeouts live in the SDK's own pipeline (DuctapeClientOptions.Retry)")]
    private static partial void LogRemovedRetryLayers(ILogger logger, int count);

    /// <summary>
    /// Turns redirects off on a handler someone else configured, when it is of a kind that follows them. A shared handler
    /// that has already sent requests cannot be changed; the send path still refuses any answer that did not come from
    /// the endpoint.
    /// </summary>
    public static void DisableRedirects(HttpMessageHandler? handler)
    {
        try
        {
            switch (handler)
            {
                case SocketsHttpHandler { AllowAutoRedirect: true } sockets:
                    sockets.AllowAutoRedirect = false;
                    break;
                case HttpClientHandler { AllowAutoRedirect: true } client:
                    client.AllowAutoRedirect = false;
                    break;
            }
        }
        catch (InvalidOperationException)
        {
            // Already in use: see above.
        }
    }

    public static Uri ExecuteEndpoint(Uri baseUrl)
    {
        var root = baseUrl.AbsoluteUri;
        return new Uri(root.EndsWith('/') ? root + ExecutePath : root + "/" + ExecutePath);
    }

    /// <summary>The wait a response asks for in <c>Retry-After</c> (delta-seconds or HTTP-date), never negative.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    private static string BuildUserAgent() => $"Ductape.Sdk/{DuctapeTelemetry.Version} (.NET {Environment.Version})";

    /// <summary>
    /// Sets the SDK's headers. Values are added without parsing: the user-supplied ones were checked against
    /// <c>HeaderValue</c> when the options or the call were validated, the rest are constants.
    /// </summary>
    public static void SetHeaders(HttpRequestMessage request, string accessKey, string? idempotencyKey)
    {
        request.Headers.TryAddWithoutValidation(AccessKeyHeader, accessKey);
        request.Headers.TryAddWithoutValidation("Accept", "application/json");
        request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation(IdempotencyKeyHeader, idempotencyKey);
        }
    }
}
