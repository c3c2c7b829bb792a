namespace Ductape.Sdk.Testing;

// Idempotency answers, kept for a retention and bounded in count and bytes.
public sealed partial class DuctapeLocalServer
{
    /// <summary>Keeps an answer for replay, within the retention, the count and the byte budget (oldest out first).</summary>
    private void Remember(string key, IdempotentCall call, int answerBytes)
    {
        lock (_boundsGate)
        {
            call.Bytes = answerBytes + key.Length * 2 + 128;
            _replayBytes += call.Bytes;
            _replayOrder.Enqueue((key, call));
            Trim();
        }
    }

    private void ForgetOldAnswers()
    {
        lock (_boundsGate)
        {
            Trim();
        }
    }

    private void Trim()
    {
        var oldest = _time.GetUtcNow() - _idempotencyRetention;
        while (_replayOrder.TryPeek(out var head)
               && (head.Call.StoredAt < oldest || _replayOrder.Count > _maxIdempotencyEntries || _replayBytes > MaxIdempotencyBytes))
        {
            _replayOrder.Dequeue();
            _replayBytes -= head.Call.Bytes;
            _replays.TryRemove(new KeyValuePair<string, IdempotentCall>(head.Key, head.Call));
        }
    }

    /// <summary>One idempotency key's call: the body it came with and, once processed, its answer.</summary>
    private sealed class IdempotentCall(byte[] bodyHash, DateTimeOffset storedAt)
    {
        public byte[] BodyHash { get; } = bodyHash;

        public DateTimeOffset StoredAt { get; } = storedAt;

        public long Bytes { get; set; }

        public TaskCompletionSource<(int Status, byte[] Response, string? Code)> Answer { get; } =
            new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
