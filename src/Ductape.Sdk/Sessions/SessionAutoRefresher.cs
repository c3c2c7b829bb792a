namespace Ductape.Sdk.Sessions;

/// <summary>Settings of a <see cref="SessionAutoRefresher"/>.</summary>
public sealed class SessionAutoRefresherOptions
{
    /// <summary>How long before the session token expires to refresh it. Default 5 minutes.</summary>
    public TimeSpan LeadTime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long to wait before trying again after a failed refresh. Default 30 seconds.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The clock for the timer. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Per-call settings for each refresh (product, env, timeout, retries), or null. Their
    /// <see cref="DuctapeRequestOptions.IdempotencyKey"/> is not used: every refresh of one refresh token carries a key derived
    /// from it, as the outgoing session handler's do.
    /// </summary>
    public DuctapeRequestOptions? RequestOptions { get; set; }
}

/// <summary>
/// Keeps a session's tokens fresh (Ductape's <c>enableAutoRefresh</c>): refreshes them <see cref="SessionAutoRefresherOptions.LeadTime"/>
/// before the session token expires, raises <see cref="Refreshed"/> with the new tokens, and reports failures through
/// <see cref="RefreshFailed"/> without throwing. A failure that may pass (network, timeout, 5xx, 408, 429) is tried again after
/// <see cref="SessionAutoRefresherOptions.RetryDelay"/>; every refresh of one refresh token carries the same idempotency key
/// (derived from the token, as the outgoing session handler's refreshes are), so a refresh whose answer was lost is replayed
/// by Ductape instead of rotating twice; a final one (the refresh token was refused: 401, 404 or another 4xx) is
/// reported once and stops the refresher (<see cref="IsStopped"/>). Subscribe to the events, then call <see cref="Start"/>.
/// Disposing stops it and cancels a refresh in flight.
/// </summary>
public sealed class SessionAutoRefresher : IDisposable
{
    private readonly SessionsClient _sessions;
    private readonly string _tag;
    private readonly SessionAutoRefresherOptions _options;
    private readonly CancellationTokenSource _stopping = new();
    private ITimer? _timer;
    private readonly object _gate = new();
    private SessionTokens _current;
    private bool _disposed;
    private bool _stopped;

    /// <summary>Prepares to refresh <paramref name="tokens"/>; nothing happens until <see cref="Start"/>.</summary>
    /// <param name="sessions">The client's sessions.</param>
    /// <param name="tag">The session type's tag.</param>
    /// <param name="tokens">The tokens from <see cref="SessionsClient.StartAsync(string, System.Text.Json.JsonElement, TimeSpan?, DuctapeRequestOptions?, CancellationToken)"/> or a previous refresh.</param>
    /// <param name="options">The settings, or null for the defaults.</param>
    /// <exception cref="ArgumentException">A negative lead time or a retry delay under one second.</exception>
    public SessionAutoRefresher(SessionsClient sessions, string tag, SessionTokens tokens, SessionAutoRefresherOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentException.ThrowIfNullOrWhiteSpace(tag);
        ArgumentNullException.ThrowIfNull(tokens);
        options ??= new SessionAutoRefresherOptions();
        if (options.LeadTime < TimeSpan.Zero || options.RetryDelay < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentException("LeadTime must not be negative and RetryDelay must be at least one second.", nameof(options));
        }

        _sessions = sessions;
        _tag = tag;
        _options = options;
        _current = tokens;
    }

    /// <summary>Raised with the new tokens after each successful refresh. Save the new refresh token: the old one no longer works.</summary>
    public event EventHandler<SessionTokens>? Refreshed;

    /// <summary>
    /// Raised when a refresh fails. The refresher tries again after the retry delay, unless the failure is final: then
    /// <see cref="IsStopped"/> is already true when this is raised, and it is raised no more.
    /// </summary>
    public event EventHandler<Exception>? RefreshFailed;

    /// <summary>Whether the refresher stopped for good after a final failure (the session can no longer be refreshed).</summary>
    public bool IsStopped
    {
        get
        {
            lock (_gate)
            {
                return _stopped;
            }
        }
    }

    /// <summary>The newest tokens.</summary>
    public SessionTokens Current
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    /// <summary>
    /// Arms the timer: the first refresh is due <see cref="SessionAutoRefresherOptions.LeadTime"/> before the current
    /// tokens expire (at once if that has passed). Call it after subscribing to the events; calling it again does nothing.
    /// </summary>
    public void Start()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_timer is not null)
            {
                return;
            }
        }

        Schedule(DueFor(Current));
    }

    /// <summary>Stops refreshing and cancels a refresh in flight.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        lock (_gate)
        {
            _timer?.Dispose();
        }

        _stopping.Cancel();
        _stopping.Dispose();
    }

    private TimeSpan DueFor(SessionTokens tokens)
    {
        var due = tokens.ExpiresAt - _options.LeadTime - _options.TimeProvider.GetUtcNow();
        return due < TimeSpan.Zero ? TimeSpan.Zero : due;
    }

    /// <summary>
    /// When to refresh tokens just received. Tokens that already expire within the lead time would otherwise be refreshed
    /// in a tight loop, so the wait is at least the retry delay (or half their remaining life, if that is shorter) and 1 s.
    /// </summary>
    private TimeSpan NextAfterRefresh(SessionTokens fresh)
    {
        var remaining = fresh.ExpiresAt - _options.TimeProvider.GetUtcNow();
        var floor = TimeSpan.FromTicks(Math.Min(_options.RetryDelay.Ticks, Math.Max(remaining.Ticks / 2, 0)));
        var due = DueFor(fresh);
        return TimeSpan.FromTicks(Math.Max(Math.Max(due.Ticks, floor.Ticks), TimeSpan.TicksPerSecond));
    }

    private void Schedule(TimeSpan due)
    {
        lock (_gate)
        {
            if (!_disposed && !_stopped)
            {
                // A fresh one-shot timer each time: re-arming a timer from a thread other than its callback's is not safe
                // with every TimeProvider.
                _timer?.Dispose();
                _timer = _options.TimeProvider.CreateTimer(static state => ((SessionAutoRefresher)state!).OnTimer(), this,
                    due, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private async void OnTimer()
    {
        // async void is the timer's entry point; every exception is caught below, so none can reach the thread pool.
        CancellationToken token;
        SessionTokens current;
        lock (_gate)
        {
            if (_disposed || _stopped)
            {
                return;
            }

            token = _stopping.Token;
            current = _current;
        }

        try
        {
            // One key per refresh token (derived from it), so a retry after a lost answer gets the pair Ductape already made.
            var callOptions = new DuctapeRequestOptions
            {
                Product = _options.RequestOptions?.Product,
                Env = _options.RequestOptions?.Env,
                Timeout = _options.RequestOptions?.Timeout,
                MaxRetries = _options.RequestOptions?.MaxRetries,
                IdempotencyKey = RefreshTokens.IdempotencyKey(current.RefreshToken),
            };
            var fresh = await _sessions.RefreshAsync(_tag, current.RefreshToken, callOptions, token).ConfigureAwait(false);
            lock (_gate)
            {
                _current = fresh;
            }

            Schedule(NextAfterRefresh(fresh));
            Raise(Refreshed, fresh);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Disposed while refreshing: stop quietly.
        }
        catch (Exception ex)
        {
            if (IsFinal(ex))
            {
                lock (_gate)
                {
                    _stopped = true;
                    _timer?.Dispose();
                }
            }
            else
            {
                Schedule(_options.RetryDelay);
            }

            Raise(RefreshFailed, ex);
        }
    }

    /// <summary>
    /// Whether trying again cannot help: Ductape refused the refresh token itself (401, 404 and other 4xx but 408 and 429),
    /// or the call is misconfigured. Network failures, timeouts and 5xx may pass.
    /// </summary>
    private static bool IsFinal(Exception exception) => exception switch
    {
        DuctapeApiException api => (int)api.StatusCode is >= 400 and < 500 and not 408 and not 429,
        DuctapeValidationException or InvalidOperationException => true,
        _ => false,
    };

    private void Raise<T>(EventHandler<T>? handlers, T value)
    {
        if (handlers is null)
        {
            return;
        }

        // Each subscriber on its own: one that throws must neither stop the refresher nor starve the others.
        foreach (var handler in handlers.GetInvocationList())
        {
            try
            {
                ((EventHandler<T>)handler)(this, value);
            }
            catch (Exception)
            {
                // Subscribers own their error handling.
            }
        }
    }
}
