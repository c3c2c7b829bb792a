using System.Net;
using System.Text.Json;

namespace Ductape.Sdk.Testing;

// Faults, latency and the journal tests assert on.
public sealed partial class DuctapeLocalServer
{
    /// <summary>Makes the next <paramref name="count"/> requests fail with <paramref name="status"/> (for resilience tests).</summary>
    /// <param name="count">How many requests.</param>
    /// <param name="status">The status to answer with.</param>
    /// <param name="retryAfter">A <c>Retry-After</c> to send, if any.</param>
    /// <param name="method">Only calls of this proxy method (such as <c>refresh</c>) fail; null: any call.</param>
    public void FailNext(int count, HttpStatusCode status, TimeSpan? retryAfter = null, string? method = null)
    {
        lock (_faults)
        {
            for (var i = 0; i < count; i++)
            {
                _faults.Add((status, retryAfter, method));
            }
        }
    }

    /// <summary>
    /// The calls the server received, oldest first (the last 10,000): method, parameters, idempotency key, and the status and
    /// code it answered with (status 0: the connection was aborted on purpose).
    /// </summary>
    public IReadOnlyList<LocalServerCall> Journal => [.. _journal];

    /// <summary>
    /// Forgets everything — session types, sessions, users, idempotency keys, pending faults and aborts, latency, the
    /// journal — so one server can serve many tests. Keys and the access key stay.
    /// </summary>
    public void Reset()
    {
        _sessions.Reset();
        lock (_boundsGate)
        {
            _replays.Clear();
            _replayOrder.Clear();
            _replayBytes = 0;
            _journal.Clear();
            _journalBytes = 0;
        }

        lock (_faults)
        {
            _faults.Clear();
        }

        Interlocked.Exchange(ref _abortsAfterProcessing, 0);
        Interlocked.Exchange(ref _latencyTicks, 0);
    }

    /// <summary>
    /// Makes the next <paramref name="count"/> requests be processed, then have their connection aborted before the answer is
    /// sent: the client sees a network failure although the server acted (what idempotency keys exist for).
    /// </summary>
    /// <param name="count">How many requests.</param>
    public void AbortNextAfterProcessing(int count) => Interlocked.Add(ref _abortsAfterProcessing, count);

    /// <summary>Delays every answer by <paramref name="latency"/> (zero turns it off).</summary>
    /// <param name="latency">The added latency.</param>
    public void SetLatency(TimeSpan latency) => Interlocked.Exchange(ref _latencyTicks, latency.Ticks);

    private (HttpStatusCode Status, TimeSpan? RetryAfter, string? Method)? TakeFault(string? method)
    {
        lock (_faults)
        {
            var index = _faults.FindIndex(f => f.Method is null || string.Equals(f.Method, method, StringComparison.Ordinal));
            if (index < 0)
            {
                return null;
            }

            var fault = _faults[index];
            _faults.RemoveAt(index);
            return fault;
        }
    }

    private void AddToJournal(LocalServerCall call, long bytes)
    {
        lock (_boundsGate)
        {
            _journal.Enqueue(call);
            _journalBytes += bytes;
            while ((_journal.Count > JournalLimit || _journalBytes > JournalBudgetBytes) && _journal.TryDequeue(out var old))
            {
                _journalBytes -= 256 + (old.RequestBytes <= JournalParamsLimit ? old.RequestBytes : 0)
                                 + 2 * ((old.IdempotencyKey?.Length ?? 0) + (old.Tag?.Length ?? 0));
            }
        }
    }

    /// <summary>The tag a call's parameters name (runtime calls: <c>tag</c> or <c>session</c>; session types: the second parameter or the object's <c>tag</c>).</summary>
    private static string? TagOf(JsonElement parameters)
    {
        if (parameters.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var item in parameters.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Object
                && (item.TryGetProperty("tag", out var tag) || item.TryGetProperty("session", out tag)) && tag.ValueKind == JsonValueKind.String)
            {
                return tag.GetString();
            }
        }

        return parameters.GetArrayLength() > 1 && parameters[1].ValueKind == JsonValueKind.String ? parameters[1].GetString() : null;
    }
}
