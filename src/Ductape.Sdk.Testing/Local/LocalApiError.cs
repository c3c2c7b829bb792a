using System.Net;

namespace Ductape.Sdk.Testing;

/// <summary>A failure the local server answers with, as Ductape would: status, code and message.</summary>
internal sealed class LocalApiError(HttpStatusCode status, string code, string message) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;

    public string Code { get; } = code;

    public static LocalApiError Invalid(string message) => new(HttpStatusCode.BadRequest, "VALIDATION_FAILED", message);

    public static LocalApiError NotFound(string message) => new(HttpStatusCode.NotFound, "SESSION_NOT_FOUND", message);
}
