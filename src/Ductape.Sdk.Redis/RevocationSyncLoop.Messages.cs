using StackExchange.Redis;

namespace Ductape.Sdk.Redis;

// Pub/sub: subscribing, reading each message defensively, noticing connection gaps.
internal sealed partial class RevocationSyncLoop
{
    private async Task SubscribeAsync()
    {
        if (Interlocked.Exchange(ref _subscribed, 1) == 1)
        {
            return;
        }

        try
        {
            await _redis.GetSubscriber().SubscribeAsync(_keys.Channel, (_, message) => OnMessage(message)).ConfigureAwait(false);
        }
        catch
        {
            Interlocked.Exchange(ref _subscribed, 0);
            throw;
        }
    }

    /// <summary>Runs on StackExchange.Redis's thread for every message: never throws, never blocks.</summary>
    private void OnMessage(RedisValue message)
    {
        try
        {
            if (!HasGap)
            {
                // A message proves the channel works, but after a gap only a completed resync proves the replica is whole.
                Heard();
            }

            switch (RevocationCodec.Decode(message.IsNull ? default : (ReadOnlySpan<byte>)(byte[])message!, out var revocation))
            {
                case RevocationMessage.Revocation:
                    _replica.Apply(revocation!);
                    break;
                case RevocationMessage.Unreadable:
                    Interlocked.Increment(ref _unreadableMessages);
                    _metrics.Skipped.Add(1, new KeyValuePair<string, object?>("ductape.source", "message"));
                    break;
            }
        }
        catch (Exception)
        {
            // Nothing a message holds may take the subscription down.
            Interlocked.Increment(ref _unreadableMessages);
            _metrics.Skipped.Add(1, new KeyValuePair<string, object?>("ductape.source", "message"));
        }
    }

    private void ReportUnreadableMessages()
    {
        // Once per round at most, with a count: a flood of garbage on the channel must not flood the log too.
        if (Interlocked.Exchange(ref _unreadableMessages, 0) is var count and > 0)
        {
            RedisSessionRevocationStore.LogUnreadableMessages(_logger, count);
        }
    }
}
