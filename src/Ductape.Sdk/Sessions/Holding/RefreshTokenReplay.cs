namespace Ductape.Sdk.Sessions;

/// <summary>
/// Refresh-token replay detection (RFC 9700 §4.14.2), opt-in with <see cref="DuctapeClientOptions.RefreshTokenReplay"/>: the
/// fleet records a hash of every refresh token it exchanges, and refuses one presented again after
/// <see cref="GracePeriod"/> — raising <see cref="SessionsClient.RefreshTokenReplayed"/> and, by default, revoking the session.
/// Presentations within the grace period are the fleet's own concurrent callers: they get the same new pair (refreshes of
/// one refresh token share an idempotency key).
/// </summary>
public sealed class RefreshTokenReplayOptions
{
    /// <summary>Where exchanged refresh tokens are recorded: shared by the fleet (<c>Ductape.Sdk.Redis</c>), or this process's memory when null.</summary>
    public IRefreshTokenLedger? Ledger { get; set; }

    /// <summary>How long after an exchange the same refresh token is still a benign duplicate. Default 30 s; 1 s – 10 min.</summary>
    public TimeSpan GracePeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an exchange is remembered: your longest refresh-token lifetime. Default 30 days.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Whether a replay revokes the session (with <c>RevokeAsync</c>, so every instance sharing the revocation store refuses it). Default true.</summary>
    public bool RevokeSession { get; set; } = true;

    internal IEnumerable<string> Problems()
    {
        if (GracePeriod < TimeSpan.FromSeconds(1) || GracePeriod > TimeSpan.FromMinutes(10))
        {
            yield return "DuctapeClientOptions.RefreshTokenReplay.GracePeriod must be between one second and ten minutes.";
        }

        if (Retention < GracePeriod || Retention > TimeSpan.FromDays(36_525))
        {
            yield return "DuctapeClientOptions.RefreshTokenReplay.Retention must be at least GracePeriod and at most 36,525 days.";
        }
    }
}

/// <summary>One exchange of a refresh token, as the ledger remembers it (never the token).</summary>
/// <param name="SessionId">The session.</param>
/// <param name="Tag">The session type's tag.</param>
/// <param name="ExchangedAt">When it was exchanged.</param>
public sealed record RefreshTokenExchange(string SessionId, string Tag, DateTimeOffset ExchangedAt);

/// <summary>Where a fleet records the refresh tokens it exchanged, by their SHA-256 hash. Thread-safe.</summary>
public interface IRefreshTokenLedger
{
    /// <summary>The recorded exchange of a refresh token, or null.</summary>
    /// <param name="refreshTokenHash">The token's hash (base64url SHA-256).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The exchange, or null.</returns>
    ValueTask<RefreshTokenExchange?> GetAsync(string refreshTokenHash, CancellationToken cancellationToken = default);

    /// <summary>Records an exchange, keeping the first one when it is already recorded.</summary>
    /// <param name="refreshTokenHash">The token's hash (base64url SHA-256).</param>
    /// <param name="exchange">The exchange.</param>
    /// <param name="retention">How long to remember it.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when it is recorded.</returns>
    ValueTask RecordAsync(string refreshTokenHash, RefreshTokenExchange exchange, TimeSpan retention, CancellationToken cancellationToken = default);
}

/// <summary>Exchanged refresh tokens in this process's memory (one instance), forgotten after their retention.</summary>
/// <param name="timeProvider">The clock; null for the system's.</param>
public sealed class InMemoryRefreshTokenLedger(TimeProvider? timeProvider = null) : IRefreshTokenLedger
{
    private const int SweepEvery = 1024;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (RefreshTokenExchange Exchange, DateTimeOffset Until)> _exchanges =
        new(StringComparer.Ordinal);
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private int _writes;

    /// <inheritdoc/>
    public ValueTask<RefreshTokenExchange?> GetAsync(string refreshTokenHash, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_exchanges.TryGetValue(refreshTokenHash, out var entry) && entry.Until > _time.GetUtcNow() ? entry.Exchange : null);

    /// <inheritdoc/>
    public ValueTask RecordAsync(string refreshTokenHash, RefreshTokenExchange exchange, TimeSpan retention, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        _exchanges.TryAdd(refreshTokenHash, (exchange, _time.GetUtcNow() + retention));
        if (Interlocked.Increment(ref _writes) % SweepEvery == 0)
        {
            var now = _time.GetUtcNow();
            foreach (var entry in _exchanges)
            {
                if (entry.Value.Until <= now)
                {
                    _exchanges.TryRemove(entry);
                }
            }
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>What <see cref="SessionsClient.RefreshTokenReplayed"/> carries: the session and its type, never a token.</summary>
/// <param name="sessionId">The session the replayed refresh token belonged to.</param>
/// <param name="tag">The session type's tag.</param>
/// <param name="exchangedAt">When the fleet exchanged it.</param>
public sealed class RefreshTokenReplayedEventArgs(string sessionId, string tag, DateTimeOffset exchangedAt) : EventArgs
{
    /// <summary>The session.</summary>
    public string SessionId { get; } = sessionId;

    /// <summary>The session type's tag.</summary>
    public string Tag { get; } = tag;

    /// <summary>When the fleet exchanged the refresh token.</summary>
    public DateTimeOffset ExchangedAt { get; } = exchangedAt;
}
