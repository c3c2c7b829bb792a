using Ductape.Sdk.Proxy;
using Microsoft.Extensions.Logging;

namespace Ductape.Sdk;

/// <summary>
/// The Ductape <see cref="HttpClient"/>'s handler chain, as the SDK builds or repairs it: its own network handler, redirects off,
/// and no retry layer but its own.
/// </summary>
internal static partial class DuctapeHandlerChain
{
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
            var logger = loggers.CreateLogger("Ductape.Sdk");
            LogRemovedRetryLayers(logger, removed);
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
}
