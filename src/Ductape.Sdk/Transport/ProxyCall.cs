using System.Text.Json;

namespace Ductape.Sdk.Transport;

/// <summary>One call of Ductape's SDK proxy: <c>{"module":…,"method":…,"params":[…]}</c>.</summary>
/// <param name="Module">The proxy module, such as <c>sessions</c>.</param>
/// <param name="Method">The method, such as <c>create</c>.</param>
/// <param name="ChangesState">Whether the call changes state, so it carries an <c>Idempotency-Key</c>.</param>
/// <param name="WriteParams">Writes the positional parameters, in order, inside the <c>params</c> array.</param>
/// <param name="Options">The caller's per-call options, if any.</param>
/// <param name="Product">The product, for traces only.</param>
/// <param name="SessionTag">The session tag, for traces only.</param>
internal readonly record struct ProxyCall(
    string Module,
    string Method,
    bool ChangesState,
    Action<Utf8JsonWriter> WriteParams,
    DuctapeRequestOptions? Options,
    string? Product = null,
    string? SessionTag = null);
