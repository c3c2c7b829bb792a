using Microsoft.Extensions.Http.Logging;
using Microsoft.Extensions.Logging;

namespace Ductape.Sdk;

/// <summary>
/// The request log of a Ductape <c>HttpClient</c>, instead of the factory's: method, host, path, status and duration — never a
/// header. The factory's own records hide header values in their message but carry them raw in their structured state,
/// which Serilog and OpenTelemetry export, so they are taken out of the Ductape client.
/// </summary>
internal sealed partial class DuctapeHttpClientLogger(ILogger logger) : IHttpClientLogger
{
    public const string Category = "Ductape.Sdk.Http";

    public object? LogRequestStart(HttpRequestMessage request)
    {
        if (logger.IsEnabled(LogLevel.Debug))
        {
            var uri = request.RequestUri;
            LogSending(logger, request.Method.Method, uri?.Host, uri?.AbsolutePath);
        }

        return null;
    }

    public void LogRequestStop(object? context, HttpRequestMessage request, HttpResponseMessage response, TimeSpan elapsed) =>
        LogReceived(logger, (int)response.StatusCode, elapsed.TotalMilliseconds);

    public void LogRequestFailed(object? context, HttpRequestMessage request, HttpResponseMessage? response, Exception exception, TimeSpan elapsed)
    {
        if (logger.IsEnabled(LogLevel.Debug))
        {
            // The type only: an exception's message may quote what was sent.
            var failure = exception.GetType().Name;
            LogFailed(logger, failure, elapsed.TotalMilliseconds);
        }
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Debug, Message = "Sending Ductape request {HttpMethod} {Host}{Path}")]
    private static partial void LogSending(ILogger logger, string httpMethod, string? host, string? path);

    [LoggerMessage(EventId = 101, Level = LogLevel.Debug, Message = "Received Ductape response {StatusCode} after {ElapsedMs:0.0} ms")]
    private static partial void LogReceived(ILogger logger, int statusCode, double elapsedMs);

    [LoggerMessage(EventId = 102, Level = LogLevel.Debug, Message = "Ductape request failed ({Failure}) after {ElapsedMs:0.0} ms")]
    private static partial void LogFailed(ILogger logger, string failure, double elapsedMs);
}
