using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Ductape.Sdk.Sessions;

/// <summary>
/// Keeps held sessions current for one outgoing handler registration: an in-process copy of each session for the hot path,
/// one refresh in flight per session per process (callers await it), and across instances a lease in the shared store — the
/// holder refreshes and publishes the new pair, the others wait for it and take it. With the store down, each instance
/// refreshes on its own, at most once at a time; every refresh of one refresh token shares an idempotency key, so the
/// instances still get one new pair and no user is logged out.
/// </summary>
internal sealed partial class SessionRefresher(
    Func<SessionsClient> sessions, ISessionTokenStore store, DuctapeSessionHandlerOptions options, TimeProvider time, ILogger logger)
{
    private const int MaxCachedSessions = 100_000;
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(25);

    private readonly ConcurrentDictionary<string, Cached> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<Cached>>> _inFlight = new(StringComparer.Ordinal);
    private readonly string _instance = Guid.NewGuid().ToString("N");

    /// <summary>The session a request should carry: the cached one unless it is due (the fast path allocates nothing).</summary>
    public ValueTask<Cached> CurrentAsync(string key, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(key, out var cached) && time.GetUtcNow() < cached.RefreshAt)
        {
            return ValueTask.FromResult(cached);
        }

        return new ValueTask<Cached>(RenewAsync(key, cached?.Session, force: false, cancellationToken));
    }

    /// <summary>A newer session than <paramref name="rejected"/>, whose token the API refused (refreshed if nobody has).</summary>
    public Task<Cached> RenewAfterRejectionAsync(string key, HeldSession rejected, CancellationToken cancellationToken) =>
        RenewAsync(key, rejected, force: true, cancellationToken);

    private async Task<Cached> RenewAsync(string key, HeldSession? seen, bool force, CancellationToken cancellationToken)
    {
        var run = new Lazy<Task<Cached>>(() => RunAsync(key, seen, force), LazyThreadSafetyMode.ExecutionAndPublication);
        var current = _inFlight.GetOrAdd(key, run);
        try
        {
            return await current.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (current.Value.IsCompleted)
            {
                _inFlight.TryRemove(new KeyValuePair<string, Lazy<Task<Cached>>>(key, current));
            }
        }
    }

    /// <summary>One renewal, shared by every caller of this process; runs to its own limits whatever one caller cancels.</summary>
    private async Task<Cached> RunAsync(string key, HeldSession? seen, bool force)
    {
        try
        {
            var session = await RenewFromStoreAsync(key, seen, force).ConfigureAwait(false);
            return Remember(key, session);
        }
        finally
        {
            // Later callers start a new renewal; this one's result is in the cache.
            _inFlight.TryRemove(key, out _);
        }
    }

    private async Task<HeldSession> RenewFromStoreAsync(string key, HeldSession? seen, bool force)
    {
        var holder = _instance + ":" + Guid.NewGuid().ToString("N");
        while (true)
        {
            HeldSession? latest;
            bool leased;
            try
            {
                latest = await store.GetAsync(key).ConfigureAwait(false);
                if (latest is null)
                {
                    _cache.TryRemove(key, out _);
                    throw new DuctapeSessionUnavailableException(
                        "No session is held for this request (signed out, or never signed in): sign the user in again.");
                }

                if (Usable(latest, seen, force))
                {
                    return latest; // another instance (or a sign-in) has a current pair
                }

                leased = await store.TryAcquireRefreshLeaseAsync(key, holder, options.LeaseDuration).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not DuctapeException)
            {
                // The shared store is away: refresh what this instance has (one refresh at a time here; the shared
                // idempotency key gives every instance the same pair), and keep it locally.
                LogStoreUnavailable(logger, ex.GetType().Name);
                return await RefreshAsync(seen ?? throw new DuctapeSessionUnavailableException(
                    "The session store is unavailable and this instance holds no copy of the session: try again shortly.", ex)).ConfigureAwait(false);
            }

            if (!leased)
            {
                // Another instance refreshes: wait for its pair rather than spend the refresh token a second time. Each round
                // reads the store (its pair, once published, is usable) and tries the lease (free again if it crashed).
                await Task.Delay(Poll, time).ConfigureAwait(false);
                continue;
            }

            try
            {
                var current = await store.GetAsync(key).ConfigureAwait(false) ?? latest;
                if (Usable(current, seen, force))
                {
                    return current; // refreshed by another instance just before the lease was ours
                }

                var refreshed = await RefreshAsync(current).ConfigureAwait(false);
                return await store.TryUpdateAsync(key, refreshed, current.Version).ConfigureAwait(false)
                    ? refreshed
                    : await store.GetAsync(key).ConfigureAwait(false) ?? refreshed;
            }
            finally
            {
                await ReleaseAsync(key, holder).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Whether a stored session can be used as it is: newer than the one seen, and not due (or the seen one was refused).</summary>
    private bool Usable(HeldSession stored, HeldSession? seen, bool force) =>
        seen is null ? !Due(stored) : stored.Version > seen.Version && (force || !Due(stored));

    private bool Due(HeldSession session) => time.GetUtcNow() >= session.ExpiresAt - options.RefreshAhead;

    private async Task<HeldSession> RefreshAsync(HeldSession current)
    {
        try
        {
            // Every refresh of one held refresh token carries the same key (the token never leaves the fleet): a takeover
            // after a crash, a lost answer or instances refreshing on their own get the one new pair, never a spent token.
            var tokens = await sessions().RefreshAsync(current.Tag, current.RefreshToken,
                new DuctapeRequestOptions { IdempotencyKey = RefreshTokens.IdempotencyKey(current.RefreshToken) }, CancellationToken.None)
                .ConfigureAwait(false);
            return HeldSession.From(current.Tag, tokens, current.Version + 1);
        }
        catch (DuctapeApiException ex) when ((int)ex.StatusCode is >= 400 and < 500 and not 408 and not 429)
        {
            throw new DuctapeSessionUnavailableException(
                $"The session could not be refreshed: Ductape refused its refresh token ({ex.Code ?? ((int)ex.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture)}). Sign the user in again.", ex);
        }
    }

    private async Task ReleaseAsync(string key, string holder)
    {
        try
        {
            await store.ReleaseRefreshLeaseAsync(key, holder).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The lease expires on its own.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private Cached Remember(string key, HeldSession session)
    {
        if (_cache.Count >= MaxCachedSessions)
        {
            _cache.Clear(); // bounded: a session not in the cache is read from the store again
        }

        var cached = new Cached(session, "Bearer " + session.Token, session.ExpiresAt - options.RefreshAhead);
        _cache[key] = cached;
        return cached;
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Warning,
        Message = "The session token store could not be reached ({Failure}); this instance refreshes on its own until it returns")]
    private static partial void LogStoreUnavailable(ILogger logger, string failure);

    /// <summary>A session as the handler uses it: its <c>Authorization</c> value built once.</summary>
    internal sealed record Cached(HeldSession Session, string Authorization, DateTimeOffset RefreshAt);
}
