using System.Collections.Concurrent;
using System.Text.Json;
using Ductape.Sdk.Proxy;

namespace Ductape.Sdk.Sessions;

/// <summary>
/// Runtime sessions (Ductape's <c>sessions</c>): start, verify, refresh and revoke sessions for your users, list them, and
/// read the session-user analytics. Thread-safe. Product and environment come from <see cref="DuctapeRequestOptions"/>,
/// else from <see cref="DuctapeClientOptions"/>; input is checked before anything is sent.
/// </summary>
public partial class SessionsClient
{
    private const int DefaultLimit = 20;
    private const int MaxLimit = 100;

    private const int MaxRecheckEntries = 100_000;

    private readonly ProxySender? _transport;
    private readonly CallScope? _scope;
    private readonly ClientSettingsSource? _settings;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _rechecked = new(StringComparer.Ordinal);

    /// <summary>For mocking frameworks only: a client built this way has no transport.</summary>
    protected SessionsClient()
    {
    }

    internal SessionsClient(ProxySender transport, CallScope scope, ClientSettingsSource settings)
    {
        _transport = transport;
        _scope = scope;
        _settings = settings;
        _localLedger = new InMemoryRefreshTokenLedger(scope.Time);
    }

    private readonly InMemoryRefreshTokenLedger? _localLedger;

    /// <summary>
    /// Raised when <see cref="RefreshAsync(string, string, DuctapeRequestOptions?, CancellationToken)"/> refuses a refresh token
    /// the fleet had already exchanged (with <see cref="DuctapeClientOptions.RefreshTokenReplay"/> on): the session and its
    /// type, never a token. Raised before the session is revoked; a handler that throws is ignored.
    /// </summary>
    public event EventHandler<RefreshTokenReplayedEventArgs>? RefreshTokenReplayed;

    // Read once per call: a valid configuration reload may replace the session keys.
    private ClientSettings Settings => _settings?.Current
        ?? throw new InvalidOperationException("This instance was built for mocking and cannot send requests.");

    private ProxySender Transport => _transport
        ?? throw new InvalidOperationException("This instance was built for mocking and cannot send requests.");

    private CallScope Scope => _scope
        ?? throw new InvalidOperationException("This instance was built for mocking and cannot send requests.");

    /// <summary>Starts a session for a user (Ductape's <c>sessions.start</c>).</summary>
    /// <param name="tag">The session type's tag.</param>
    /// <param name="data">The session data: a JSON object (see <see cref="SessionJson"/>) holding the selector's field.</param>
    /// <param name="expiresIn">A lifetime for this session instead of the session type's expiry.</param>
    /// <param name="options">Per-call settings, or null.</param>
    /// <param name="cancellationToken">Cancels the call, retries included.</param>
    /// <returns>The session and refresh tokens.</returns>
    /// <exception cref="DuctapeValidationException">Bad input; nothing was sent.</exception>
    /// <exception cref="InvalidOperationException">No product or environment is set, or the client holds only a publishable key.</exception>
    /// <exception cref="DuctapeApiException">Ductape refused the call.</exception>
    /// <exception cref="DuctapeTimeoutException">The call ran out of time, reading the answer included.</exception>
    /// <exception cref="DuctapeConnectionException">No answer arrived on any attempt (connection failed, reset or cut short).</exception>
    public virtual Task<SessionTokens> StartAsync(
        string tag, JsonElement data, TimeSpan? expiresIn = null, DuctapeRequestOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var errors = Check(tag);
        if (data.ValueKind != JsonValueKind.Object)
        {
            errors.Add(nameof(data), $"must be a JSON object, not {data.ValueKind}");
        }

        if (expiresIn is { } lifetime && lifetime < TimeSpan.FromSeconds(1))
        {
            errors.Add(nameof(expiresIn), "must be at least one second");
        }

        errors.ThrowIfAny();
        return Send(SessionOperations.Start, options, w =>
        {
            w.WritePropertyName("data"u8);
            data.WriteTo(w);
            if (expiresIn is { } seconds)
            {
                w.WriteNumber("expiresIn"u8, (long)seconds.TotalSeconds);
            }
        }, tag, cancellationToken);
    }

    /// <summary>Exchanges a refresh token for new tokens (Ductape's <c>sessions.refresh</c>); the old refresh token stops working.</summary>
    /// <param name="tag">The session type's tag.</param>
    /// <param name="refreshToken">The current refresh token.</param>
    /// <param name="options">Per-call settings, or null.</param>
    /// <param name="cancellationToken">Cancels the call, retries included.</param>
    /// <returns>New session and refresh tokens.</returns>
    /// <exception cref="DuctapeValidationException">The tag or refresh token is blank; nothing was sent.</exception>
    /// <exception cref="DuctapeApiException">Ductape refused the call, for example for a used refresh token.</exception>
    /// <exception cref="DuctapeTimeoutException">The call ran out of time, reading the answer included.</exception>
    /// <exception cref="DuctapeConnectionException">No answer arrived on any attempt (connection failed, reset or cut short).</exception>
    public virtual async Task<SessionTokens> RefreshAsync(
        string tag, string refreshToken, DuctapeRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        var errors = Check(tag);
        errors.RequireText(refreshToken, nameof(refreshToken));
        errors.ThrowIfAny();
        var replay = Settings.Options.RefreshTokenReplay;
        var ledger = replay is null ? null : replay.Ledger ?? _localLedger;
        var hash = ledger is null ? null : RefreshTokens.Hash(refreshToken);
        if (ledger is not null && await ledger.GetAsync(hash!, cancellationToken).ConfigureAwait(false) is { } earlier
            && Scope.Time.GetUtcNow() - earlier.ExchangedAt > replay!.GracePeriod)
        {
            throw await ReplayedAsync(earlier, replay, options).ConfigureAwait(false);
        }

        // With replay detection on, presentations of one refresh token within the grace period share a key, so the fleet's
        // own racing callers get the one new pair; after it the ledger refuses the token. Without it, a reused refresh token
        // is refused by Ductape, as the contract says (a new key per call).
        var tokens = await Send(SessionOperations.Refresh,
            ledger is null ? options : WithIdempotencyKey(options, RefreshTokens.IdempotencyKey(refreshToken)),
            w => w.WriteString("refreshToken"u8, refreshToken), tag, cancellationToken).ConfigureAwait(false);
        if (ledger is not null)
        {
            await ledger.RecordAsync(hash!, new RefreshTokenExchange(tokens.SessionId, tag, Scope.Time.GetUtcNow()), replay!.Retention,
                CancellationToken.None).ConfigureAwait(false);
        }

        return tokens;
    }

    /// <summary>A replayed refresh token: tell the app, revoke the session by policy, and refuse the call.</summary>
    private async Task<DuctapeRefreshTokenReplayedException> ReplayedAsync(
        RefreshTokenExchange earlier, RefreshTokenReplayOptions replay, DuctapeRequestOptions? options)
    {
        if (RefreshTokenReplayed is { } handlers)
        {
            var args = new RefreshTokenReplayedEventArgs(earlier.SessionId, earlier.Tag, earlier.ExchangedAt);
            foreach (var handler in handlers.GetInvocationList())
            {
                try
                {
                    ((EventHandler<RefreshTokenReplayedEventArgs>)handler)(this, args);
                }
#pragma warning disable CA1031 // A subscriber's failure must not stop the revocation.
                catch (Exception)
#pragma warning restore CA1031
                {
                }
            }
        }

        if (!replay.RevokeSession)
        {
            return new DuctapeRefreshTokenReplayedException(earlier.SessionId, earlier.Tag, revoked: false);
        }

        try
        {
            // The call's product and env, not its idempotency key (another call, another body).
            await RevokeAsync(earlier.Tag, sessionId: earlier.SessionId, options: new DuctapeRequestOptions { Product = options?.Product, Env = options?.Env },
                cancellationToken: CancellationToken.None).ConfigureAwait(false);
            return new DuctapeRefreshTokenReplayedException(earlier.SessionId, earlier.Tag, revoked: true);
        }
        catch (DuctapeException ex)
        {
            return new DuctapeRefreshTokenReplayedException(earlier.SessionId, earlier.Tag, revoked: false, ex);
        }
    }

    private static DuctapeRequestOptions WithIdempotencyKey(DuctapeRequestOptions? options, string? key) => new()
    {
        Product = options?.Product,
        Env = options?.Env,
        Timeout = options?.Timeout,
        MaxRetries = options?.MaxRetries,
        IdempotencyKey = options?.IdempotencyKey ?? key,
    };

    private static ValidationErrors Check(string tag)
    {
        var errors = new ValidationErrors();
        errors.RequireTag(tag, nameof(tag));
        return errors;
    }

    /// <summary>Product and environment of a session call; sessions are managed on a backend, so the access key is checked first.</summary>
    private (string Product, string Env) ResolveLifecycle(DuctapeRequestOptions? options)
    {
        Scope.AccessKey();
        return (Scope.Product(options), Scope.Env(options));
    }

    private Task<T> Send<T>(
        ProxyOperation<T> operation, DuctapeRequestOptions? options, Action<Utf8JsonWriter> writeFields, string tag,
        CancellationToken cancellationToken, string? product = null, string? env = null)
    {
        if (product is null || env is null)
        {
            (product, env) = ResolveLifecycle(options);
        }

        return Transport.SendAsync(operation, Scope.Call(w =>
        {
            w.WriteStartObject();
            w.WriteString("product"u8, product);
            w.WriteString("env"u8, env);
            w.WriteString("tag"u8, tag);
            writeFields(w);
            w.WriteEndObject();
        }, options, product, tag), cancellationToken);
    }
}
