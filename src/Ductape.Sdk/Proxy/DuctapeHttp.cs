using System.Net;

namespace Ductape.Sdk.Proxy;

/// <summary>The wire protocol: the endpoint, header names and the readers of what comes back, shared by the transport and the resilience handler.</summary>
internal static class DuctapeHttp
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
