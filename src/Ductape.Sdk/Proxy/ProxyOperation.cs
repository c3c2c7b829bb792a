using System.Text.Json.Serialization.Metadata;

namespace Ductape.Sdk.Proxy;

/// <summary>One row of the SDK proxy's operation table: what an operation is called and how the send path treats it.</summary>
internal class ProxyOperation
{
    public ProxyOperation(string module, string method, bool changesState, bool resultHoldsSecrets, string parameters, string result)
    {
        Module = module;
        Method = method;
        ChangesState = changesState;
        ResultHoldsSecrets = resultHoldsSecrets;
        Parameters = parameters;
        Result = result;
    }

    /// <summary>The proxy module, such as <c>sessions</c>.</summary>
    public string Module { get; }

    /// <summary>The method, such as <c>create</c>.</summary>
    public string Method { get; }

    /// <summary>
    /// Whether the operation changes state. Such calls carry one <c>Idempotency-Key</c>, the same on every retry, so a
    /// repeat after a lost answer is applied once.
    /// </summary>
    public bool ChangesState { get; }

    /// <summary>Whether a successful answer holds tokens or session data, so no part of it may reach an exception.</summary>
    public bool ResultHoldsSecrets { get; }

    /// <summary>The positional parameters, as the contract writes them (for docs and tests).</summary>
    public string Parameters { get; }

    /// <summary>The result, as the contract writes it (for docs and tests).</summary>
    public string Result { get; }

    /// <summary>The <c>ductape {module}.{method}</c> span name.</summary>
    public string SpanName => $"ductape {Module}.{Method}";

    /// <inheritdoc/>
    public override string ToString() => $"{Module}.{Method}";
}

/// <summary>An operation whose result the SDK reads, with the metadata that reads (and shape-checks) it.</summary>
/// <typeparam name="T">The result type.</typeparam>
internal sealed class ProxyOperation<T> : ProxyOperation
{
    public ProxyOperation(
        string module, string method, bool changesState, bool resultHoldsSecrets, string parameters, string result,
        JsonTypeInfo<T> resultType)
        : base(module, method, changesState, resultHoldsSecrets, parameters, result)
    {
        ResultType = resultType;
    }

    public JsonTypeInfo<T> ResultType { get; }
}
