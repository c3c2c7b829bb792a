using System.Collections.Concurrent;
using Ductape.Sdk.Tokens;
using Ductape.Sdk.Tokens.Revocation;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ductape.Sdk.AspNetCore;

/// <summary>
/// The hub connections opened with a Ductape session, and what ends them: the revocation store's notifications (a revoked
/// session's connections are aborted at once, on every instance sharing the store), and a periodic check for expiry and
/// revocation. A connection whose session ended is aborted and its hub calls refused.
/// </summary>
internal sealed partial class DuctapeConnectionTracker : IDisposable
{
    private readonly ConcurrentDictionary<string, Tracked> _connections = new(StringComparer.Ordinal);
    private readonly ISessionRevocationStore? _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ITimer _timer;

    public DuctapeConnectionTracker(IServiceProvider services, IOptions<DuctapeSignalROptions> options)
    {
        _store = services.GetService<ISessionRevocationStore>();
        _time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        _logger = services.GetService<ILoggerFactory>()?.CreateLogger("Ductape.Sdk.AspNetCore") ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        if (_store is not null)
        {
            _store.Revoked += OnRevoked;
        }

        var interval = options.Value.CheckInterval;
        _timer = _time.CreateTimer(_ => CheckAll(), null, interval, interval);
    }

    public int Count => _connections.Count;

    public void Track(HubCallerContext caller, ValidatedSession session, string? scheme) =>
        _connections[caller.ConnectionId] = new Tracked(caller, scheme) { Session = session };

    public void Untrack(string connectionId) => _connections.TryRemove(connectionId, out _);

    /// <summary>Why a connection's hub calls are refused now (its session ended), or null.</summary>
    public string? Refusal(string connectionId)
    {
        if (!_connections.TryGetValue(connectionId, out var tracked))
        {
            return null;
        }

        if (tracked.EndedBecause is { } already)
        {
            return already;
        }

        var ended = Ended(tracked.Session);
        if (ended is not null)
        {
            End(tracked, ended);
        }

        return ended;
    }

    /// <summary>Replaces a connection's session with a refreshed one of the same user (the caller validated it).</summary>
    public bool Replace(string connectionId, ValidatedSession session)
    {
        if (!_connections.TryGetValue(connectionId, out var tracked) || tracked.EndedBecause is not null)
        {
            return false;
        }

        var current = tracked.Session;
        if (!string.Equals(current.Identifier, session.Identifier, StringComparison.Ordinal)
            || !string.Equals(current.Product, session.Product, StringComparison.Ordinal)
            || !string.Equals(current.Env, session.Env, StringComparison.Ordinal)
            || !string.Equals(current.Tag, session.Tag, StringComparison.Ordinal))
        {
            return false;
        }

        tracked.Session = session;
        return true;
    }

    public string? SchemeOf(string connectionId) => _connections.TryGetValue(connectionId, out var tracked) ? tracked.Scheme : null;

    public void Dispose()
    {
        _timer.Dispose();
        if (_store is not null)
        {
            _store.Revoked -= OnRevoked;
        }
    }

    private void OnRevoked(object? sender, SessionRevokedEventArgs e)
    {
        // A session's connections by id; a user's, checked against the store (it knows the cut-off and the spared session).
        foreach (var tracked in _connections.Values)
        {
            var session = tracked.Session;
            var concerned = e.Revocation switch
            {
                SessionIdRevocation revoked => string.Equals(revoked.SessionId, session.SessionId, StringComparison.Ordinal),
                UserRevocation user => string.Equals(user.Identifier, session.Identifier, StringComparison.Ordinal),
                _ => true,
            };
            if (concerned && tracked.EndedBecause is null && Ended(session) is { } reason)
            {
                End(tracked, reason);
            }
        }
    }

    private void CheckAll()
    {
        foreach (var tracked in _connections.Values)
        {
            if (tracked.EndedBecause is null && Ended(tracked.Session) is { } reason)
            {
                End(tracked, reason);
            }
        }
    }

    /// <summary>Expired, or revoked as far as the store knows; a store that cannot vouch ends nothing (an outage is not a logout).</summary>
    private string? Ended(ValidatedSession session)
    {
        if (_time.GetUtcNow() >= session.ExpiresAt)
        {
            return "The session expired; reconnect with a refreshed token.";
        }

        SessionRevocationState state;
        try
        {
            state = _store?.Check(session) ?? SessionRevocationState.Active;
        }
#pragma warning disable CA1031 // A store's failure must not take the hub down; the next check asks again.
        catch (Exception)
#pragma warning restore CA1031
        {
            state = SessionRevocationState.Unknown;
        }

        return state == SessionRevocationState.Revoked ? "The session was revoked." : null;
    }

    /// <summary>Marks the connection ended (its calls are refused from now on) and aborts it, once.</summary>
    private void End(Tracked tracked, string reason)
    {
        if (tracked.TryEnd(reason))
        {
            LogEnded(_logger, tracked.Caller.ConnectionId, reason);
            tracked.Caller.Abort();
        }
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "Closed hub connection {ConnectionId}: {Reason}")]
    private static partial void LogEnded(ILogger logger, string connectionId, string reason);

    private sealed class Tracked(HubCallerContext caller, string? scheme)
    {
        private volatile ValidatedSession _session = null!;
        private string? _endedBecause;

        public string? EndedBecause => Volatile.Read(ref _endedBecause);

        public bool TryEnd(string reason) => Interlocked.CompareExchange(ref _endedBecause, reason, null) is null;

        public HubCallerContext Caller { get; } = caller;

        public string? Scheme { get; } = scheme;

        public ValidatedSession Session
        {
            get => _session;
            set => _session = value;
        }
    }
}
