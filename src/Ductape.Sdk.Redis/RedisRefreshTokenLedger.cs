using System.Buffers;
using System.Text.Json;
using Ductape.Sdk.Sessions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Ductape.Sdk.Redis;

/// <summary>
/// The refresh tokens a fleet exchanged, by hash, in Redis (first exchange kept; TTL = retention), for refresh-token replay
/// detection across instances. A value this ledger did not write reads as no record. Thread-safe.
/// </summary>
public sealed class RedisRefreshTokenLedger : IRefreshTokenLedger
{
    private readonly IConnectionMultiplexer _redis;
    private readonly string _prefix;

    /// <summary>Builds a ledger on a connection.</summary>
    /// <param name="redis">The connection (share one per process).</param>
    /// <param name="options">The settings (their key prefix).</param>
    public RedisRefreshTokenLedger(IConnectionMultiplexer redis, IOptions<RedisSessionTokenStoreOptions> options)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(options);
        _redis = redis;
        _prefix = options.Value.KeyPrefix + "rt:";
    }

    /// <inheritdoc/>
    public async ValueTask<RefreshTokenExchange?> GetAsync(string refreshTokenHash, CancellationToken cancellationToken = default)
    {
        var value = await _redis.GetDatabase().StringGetAsync(_prefix + refreshTokenHash).ConfigureAwait(false);
        return value.IsNull ? null : Read((byte[])value!);
    }

    /// <inheritdoc/>
    public async ValueTask RecordAsync(string refreshTokenHash, RefreshTokenExchange exchange, TimeSpan retention, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("sid"u8, exchange.SessionId);
            w.WriteString("tag"u8, exchange.Tag);
            w.WriteNumber("at"u8, exchange.ExchangedAt.UtcTicks);
            w.WriteEndObject();
        }

        await _redis.GetDatabase().StringSetAsync(_prefix + refreshTokenHash, buffer.WrittenSpan.ToArray(), retention, When.NotExists)
            .ConfigureAwait(false);
    }

    private static RefreshTokenExchange? Read(byte[] json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 2 });
            var root = document.RootElement;
            var ticks = root.GetProperty("at").GetInt64();
            return root.GetProperty("sid").GetString() is { Length: > 0 } sid && root.GetProperty("tag").GetString() is { Length: > 0 } tag
                   && ticks is >= 0 and <= 3155378975999999999
                ? new RefreshTokenExchange(sid, tag, new DateTimeOffset(ticks, TimeSpan.Zero))
                : null;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }
}
