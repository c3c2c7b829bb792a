using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ductape.Sdk.Sessions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Ductape.Sdk.Redis;

/// <summary>
/// Held sessions shared by a fleet through Redis, so every instance uses the current pair and one of them refreshes: each
/// session is a hash (version, encrypted pair) under a hash of its key (keys may be user ids: they never appear in Redis),
/// a refresh replaces it only over the version it started from, and the refresh lease is a Redis lock with a TTL. Tokens at
/// rest are encrypted with AES-256-GCM (<see cref="RedisSessionTokenStoreOptions.ProtectionKeys"/>). A value this store did
/// not write, or cannot decrypt, reads as no session. Thread-safe.
/// </summary>
public sealed class RedisSessionTokenStore : ISessionTokenStore
{
    private readonly IConnectionMultiplexer _redis;
    private readonly string _prefix;
    private readonly TimeSpan _lifetime;
    private readonly TokenProtector _protector;

    /// <summary>Builds a store on a connection.</summary>
    /// <param name="redis">The connection (share one per process).</param>
    /// <param name="options">The settings.</param>
    /// <exception cref="ArgumentException">The settings are invalid; the message lists every problem.</exception>
    public RedisSessionTokenStore(IConnectionMultiplexer redis, IOptions<RedisSessionTokenStoreOptions> options)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        settings.ThrowIfInvalid();
        _redis = redis;
        _prefix = settings.KeyPrefix;
        _lifetime = settings.EntryLifetime;
        _protector = new TokenProtector(settings.ProtectionKeys, settings.AllowUnprotected);
    }

    /// <inheritdoc/>
    public async ValueTask<HeldSession?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        var redisKey = SessionKey(key);
        var data = await _redis.GetDatabase().HashGetAsync(redisKey, "d").ConfigureAwait(false);
        return data.IsNull ? null : Read(_protector.Unprotect(data.ToString(), redisKey));
    }

    /// <inheritdoc/>
    public async ValueTask SetAsync(string key, HeldSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        var redisKey = SessionKey(key);
        var transaction = _redis.GetDatabase().CreateTransaction();
        _ = transaction.HashSetAsync(redisKey, Fields(session, redisKey));
        _ = transaction.KeyExpireAsync(redisKey, _lifetime);
        await transaction.ExecuteAsync().ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<bool> TryUpdateAsync(string key, HeldSession session, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        var redisKey = SessionKey(key);
        var transaction = _redis.GetDatabase().CreateTransaction();
        transaction.AddCondition(Condition.HashEqual(redisKey, "v", expectedVersion));
        _ = transaction.HashSetAsync(redisKey, Fields(session, redisKey));
        _ = transaction.KeyExpireAsync(redisKey, _lifetime);
        return await transaction.ExecuteAsync().ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default) =>
        await _redis.GetDatabase().KeyDeleteAsync(SessionKey(key)).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask<bool> TryAcquireRefreshLeaseAsync(string key, string holder, TimeSpan duration, CancellationToken cancellationToken = default) =>
        await _redis.GetDatabase().LockTakeAsync(LeaseKey(key), holder, duration).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask ReleaseRefreshLeaseAsync(string key, string holder, CancellationToken cancellationToken = default) =>
        await _redis.GetDatabase().LockReleaseAsync(LeaseKey(key), holder).ConfigureAwait(false);

    private string SessionKey(string key) => _prefix + "s:" + Hash(key);

    private string LeaseKey(string key) => _prefix + "l:" + Hash(key);

    private static string Hash(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }

    private HashEntry[] Fields(HeldSession session, string redisKey) =>
        [new("v", session.Version), new("d", _protector.Protect(Write(session), redisKey))];

    private static byte[] Write(HeldSession session)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("tag"u8, session.Tag);
            w.WriteString("token"u8, session.Token);
            w.WriteString("refreshToken"u8, session.RefreshToken);
            w.WriteString("sessionId"u8, session.SessionId);
            w.WriteNumber("expiresAt"u8, session.ExpiresAt.UtcTicks);
            w.WriteNumber("version"u8, session.Version);
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static HeldSession? Read(byte[]? json)
    {
        if (json is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 2 });
            var root = document.RootElement;
            var ticks = root.GetProperty("expiresAt").GetInt64();
            return new HeldSession
            {
                Tag = root.GetProperty("tag").GetString()!,
                Token = root.GetProperty("token").GetString()!,
                RefreshToken = root.GetProperty("refreshToken").GetString()!,
                SessionId = root.GetProperty("sessionId").GetString()!,
                ExpiresAt = ticks is >= 0 and <= 3155378975999999999 ? new DateTimeOffset(ticks, TimeSpan.Zero) : throw new FormatException(),
                Version = root.GetProperty("version").GetInt64(),
            };
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}
