using System.Text.Json;
using Ductape.Sdk.Proxy;

namespace Ductape.Sdk;

/// <summary>
/// Who a call is for and on whose key, resolved by the client that owns the call and handed to the send path as data: the
/// product and environment (the call's own, else the client's), the access key, the client's clock, and the call's trace data.
/// </summary>
internal sealed class CallScope
{
    private readonly string? _product;
    private readonly string? _env;
    // Read once per call: under a host, a valid reload may rotate the access key.
    private readonly Func<string?> _accessKey;

    public CallScope(DuctapeClientOptions options, Func<string?> accessKey)
    {
        _product = options.Product;
        _env = options.Env;
        _accessKey = accessKey;
        Time = options.TimeProvider;
    }

    /// <summary>The client's clock.</summary>
    public TimeProvider Time { get; }

    /// <summary>The product for a call: the call's own, else the client's; neither is a configuration error.</summary>
    public string Product(DuctapeRequestOptions? options) =>
        Resolve(options?.Product, _product)
        ?? throw new InvalidOperationException(
            "No product is set. Set DuctapeClientOptions.Product, or pass DuctapeRequestOptions.Product for this call.");

    /// <summary>The environment for a call: the call's own, else the client's; neither is a configuration error.</summary>
    public string Env(DuctapeRequestOptions? options) =>
        TryEnv(options)
        ?? throw new InvalidOperationException(
            "No environment is set. Set DuctapeClientOptions.Env, or pass DuctapeRequestOptions.Env for this call.");

    /// <summary>The environment for a call, or null when neither the call nor the client sets one.</summary>
    public string? TryEnv(DuctapeRequestOptions? options) => Resolve(options?.Env, _env);

    /// <summary>The access key every call to Ductape carries; a publishable key alone is a configuration error.</summary>
    public string AccessKey() => _accessKey() ?? throw new InvalidOperationException(
        "This call needs DuctapeClientOptions.AccessKey: sessions and session types are managed on your backend only " +
        "(a publishable key is for browsers and cannot call the Ductape API).");

    /// <summary>A call of this client: its parameters, options, key, and the attributes its span and metrics carry.</summary>
    public ProxyCall Call(Action<Utf8JsonWriter> writeParams, DuctapeRequestOptions? options, string product, string? sessionTag) =>
        new(writeParams, options, AccessKey(), new CallTrace(new("ductape.product", product), new("ductape.session_tag", sessionTag)));

    private static string? Resolve(string? perCall, string? fallback) =>
        !string.IsNullOrWhiteSpace(perCall) ? perCall : !string.IsNullOrWhiteSpace(fallback) ? fallback : null;
}
