using System.Diagnostics;
using System.Text.Json;

namespace Ductape.Sdk.Testing;

// Ductape's answer envelopes.
public sealed partial class DuctapeLocalServer
{
    private static byte[] Envelope(Action<Utf8JsonWriter> result, string requestId, long started)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteBoolean("status", true);
            w.WriteStartObject("data");
            w.WritePropertyName("data");
            result(w);
            w.WriteNumber("execution_time_ms", (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            w.WriteString("request_id", requestId);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static byte[] Failure(string code, string message, string requestId)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteBoolean("status", false);
            w.WriteString("message", message);
            w.WriteString("code", code);
            w.WriteString("request_id", requestId);
            w.WriteEndObject();
        }

        return stream.ToArray();
    }
}
