using System.Net;

namespace Ductape.Sdk;

/// <summary>Ductape answered with an error, or with something the SDK could not read.</summary>
public sealed class DuctapeApiException : DuctapeException
{
    /// <summary>The <see cref="Code"/> the SDK uses when a response cannot be read as a Ductape response.</summary>
    public const string InvalidResponseCode = "INVALID_RESPONSE";

    /// <summary>Creates the exception. Public so tests of user code can build one.</summary>
    /// <param name="statusCode">The HTTP status of the response.</param>
    /// <param name="code">Ductape's error code, such as <c>SESSION_NOT_FOUND</c>.</param>
    /// <param name="message">Ductape's message, or the SDK's description of the problem.</param>
    /// <param name="requestId">Ductape's request id, when the response carried one.</param>
    /// <param name="retryAfter">How long the server asked the caller to wait, when it did.</param>
    /// <param name="responseBody">The first 1 KiB of a body that was not a Ductape response.</param>
    /// <param name="innerException">The underlying cause, if any.</param>
    public DuctapeApiException(
        HttpStatusCode statusCode,
        string? code,
        string message,
        string? requestId = null,
        TimeSpan? retryAfter = null,
        string? responseBody = null,
        Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        Code = code;
        RequestId = requestId;
        RetryAfter = retryAfter;
        ResponseBody = responseBody;
    }

    /// <summary>The HTTP status of the response (200 when the envelope itself said <c>status: false</c>).</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>
    /// Ductape's error code (<c>VALIDATION_FAILED</c>, <c>UNAUTHORIZED</c>, <c>FORBIDDEN</c>, <c>SESSION_NOT_FOUND</c>,
    /// <c>SESSION_EXISTS</c>, <c>RATE_LIMITED</c>, <c>INTERNAL</c>, <c>UNAVAILABLE</c>, …), <see cref="InvalidResponseCode"/>
    /// when the response could not be read, or <see langword="null"/> when the server gave none.
    /// </summary>
    public string? Code { get; }

    /// <summary>Ductape's request id; quote it when you contact Ductape support.</summary>
    public string? RequestId { get; }

    /// <summary>How long the server asked the caller to wait (<c>Retry-After</c>), when it did.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>The first 1 KiB of the body when it was not a Ductape response (an HTML error page, say); otherwise null.</summary>
    public string? ResponseBody { get; }
}
