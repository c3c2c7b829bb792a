using System.Text.Json;

namespace Ductape.Sdk.Proxy;

/// <summary>The parts of one proxy call that vary per call; the operation itself comes from <see cref="ProxyOperations"/>.</summary>
/// <param name="WriteParams">Writes the positional parameters, in order, inside the <c>params</c> array.</param>
/// <param name="Options">The caller's per-call options, if any.</param>
/// <param name="Product">The product, for traces only.</param>
/// <param name="SessionTag">The session tag, for traces only.</param>
internal readonly record struct ProxyCall(
    Action<Utf8JsonWriter> WriteParams,
    DuctapeRequestOptions? Options,
    string? Product = null,
    string? SessionTag = null);
