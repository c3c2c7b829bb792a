using StackExchange.Redis;

namespace Ductape.Sdk.Redis;

// Full reloads: the replica is in touch again only after one covers every gap.
internal sealed partial class RevocationSyncLoop
{
    /// <summary>Loads every revocation from Redis into the replica, then writes back what the replica knows and Redis lacks.</summary>
    private async Task ResyncAsync(CancellationToken cancellationToken)
    {
        var covers = Interlocked.Read(ref _gapsOpened); // a gap opened during this resync needs another one
        var database = _redis.GetDatabase();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var unreadable = new HashSet<string>(StringComparer.Ordinal);
        var primaries = 0;
        foreach (var endpoint in _redis.GetEndPoints())
        {
            var server = _redis.GetServer(endpoint);
            if (server.IsReplica)
            {
                continue;
            }

            // A primary out of reach fails the resync: a load that skipped one would look complete and vouch for nothing.
            primaries++;

            var batch = new List<RedisKey>(ReadBatch);
            await foreach (var key in server.KeysAsync(database.Database, _keys.Pattern, ReadBatch).WithCancellation(cancellationToken)
                               .ConfigureAwait(false))
            {
                batch.Add(key);
                if (batch.Count == ReadBatch)
                {
                    await LoadAsync(database, batch, seen, unreadable).ConfigureAwait(false);
                    batch.Clear();
                }
            }

            await LoadAsync(database, batch, seen, unreadable).ConfigureAwait(false);
        }

        if (primaries == 0)
        {
            throw new InvalidOperationException("No Redis primary to load the revocations from.");
        }

        var restored = 0;
        foreach (var revocation in _replica.Snapshot())
        {
            var key = _keys.KeyFor(revocation);
            var ttl = revocation.Until - _time.GetUtcNow();
            if (ttl <= TimeSpan.Zero || (seen.Contains(key) && !unreadable.Contains(key)))
            {
                continue;
            }

            // A key Redis lost is added back; one holding garbage is overwritten with what the replica knows.
            if (await database.StringSetAsync(key, RevocationCodec.Encode(revocation), ttl,
                    unreadable.Contains(key) ? When.Always : When.NotExists).ConfigureAwait(false))
            {
                restored++;
            }
        }

        if (restored > 0)
        {
            RedisSessionRevocationStore.LogRestored(_logger, restored);
        }

        CloseGapsUpTo(covers);
        Heard();
        _loaded.TrySetResult();
    }

    private void CloseGapsUpTo(long covered)
    {
        var closed = Interlocked.Read(ref _gapsClosed);
        while (closed < covered && Interlocked.CompareExchange(ref _gapsClosed, covered, closed) is var seen && seen != closed)
        {
            closed = seen;
        }
    }

    private async Task LoadAsync(IDatabase database, List<RedisKey> keys, HashSet<string> seen, HashSet<string> unreadable)
    {
        if (keys.Count == 0)
        {
            return;
        }

        var values = await database.StringGetAsync([.. keys]).ConfigureAwait(false);
        for (var i = 0; i < keys.Count; i++)
        {
            var key = keys[i].ToString();
            seen.Add(key);
            if (values[i].IsNull)
            {
                // Expired between SCAN and GET, or not a string at all (MGET answers nil for other types). Either way, if the
                // replica knows a revocation for this key, it is written back over whatever is there.
                unreadable.Add(key);
                if (await database.KeyTypeAsync(keys[i]).ConfigureAwait(false) == RedisType.None)
                {
                    continue;
                }
            }
            else if (RevocationCodec.Decode((byte[])values[i]!, out var revocation) == RevocationMessage.Revocation)
            {
                _replica.Apply(revocation!);
                continue;
            }

            unreadable.Add(key);
            _metrics.Skipped.Add(1, new KeyValuePair<string, object?>("ductape.source", "stored"));
            if (_reportedKeys.Count < MaxReportedKeys && _reportedKeys.Add(key))
            {
                RedisSessionRevocationStore.LogUnreadableEntry(_logger, RevocationKeys.Printable(key));
            }
        }
    }
}
