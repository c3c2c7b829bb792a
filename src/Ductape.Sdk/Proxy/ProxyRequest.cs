namespace Ductape.Sdk.Proxy;

/// <summary>
/// The HTTP request of one proxy call, carrying what the resilience handler needs to know about it. A subclass instead of
/// <see cref="HttpRequestMessage.Options"/>, whose dictionary would cost an allocation on every call.
/// </summary>
internal sealed class ProxyRequest(Uri endpoint, string operation, TimeSpan? timeout, int? maxRetries)
    : HttpRequestMessage(HttpMethod.Post, endpoint)
{
    /// <summary>The proxy method, for logs and metrics (never parameters).</summary>
    public string Operation { get; } = operation;

    /// <summary>A per-call overall timeout that replaces the client's.</summary>
    public TimeSpan? Timeout { get; } = timeout;

    /// <summary>A per-call retry limit that replaces the client's.</summary>
    public int? MaxRetries { get; } = maxRetries;

    /// <summary>How many attempts the resilience handler made (0 when no SDK handler is in the chain).</summary>
    public int Attempts { get; set; }
}
