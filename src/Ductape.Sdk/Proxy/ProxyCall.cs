using System.Text.Json;

namespace Ductape.Sdk.Proxy;

/// <summary>
/// The parts of one proxy call that vary per call, resolved by the client that owns it; the operation itself comes from that
/// client's operation table.
/// </summary>
/// <param name="WriteParams">Writes the positional parameters, in order, inside the <c>params</c> array.</param>
/// <param name="Options">The caller's per-call options, if any.</param>
/// <param name="AccessKey">The access key the call carries.</param>
/// <param name="Trace">The attributes the call's span and duration metric carry.</param>
internal readonly record struct ProxyCall(
    Action<Utf8JsonWriter> WriteParams,
    DuctapeRequestOptions? Options,
    string AccessKey,
    CallTrace Trace);

/// <summary>
/// A call's own trace data; the send path adds only what it knows itself (method, server, status, error). Two pairs, not
/// tag lists: the call is passed by value down the send path, so it stays a few words long.
/// </summary>
/// <param name="Dimension">The attribute of the span and of the duration metric (few values).</param>
/// <param name="Detail">An attribute of the span only; its value may be null (not set).</param>
internal readonly record struct CallTrace(KeyValuePair<string, object?> Dimension, KeyValuePair<string, object?> Detail);
