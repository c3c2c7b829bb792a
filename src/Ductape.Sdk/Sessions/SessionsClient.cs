using System.Collections.Concurrent;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Ductape.Sdk.Tokens;
using Ductape.Sdk.Proxy;

namespace Ductape.Sdk.Sessions;

/// <summary>
/// Runtime sessions (Ductape's <c>sessions</c>): start, verify, refresh and revoke sessions for your users, list them, and
/// read the session-user analytics. Thread-safe. Product and environment come from <see cref="DuctapeRequestOptions"/>,
/// else from <see cref="DuctapeClientOptions"/>; input is checked before anything is sent.
/// </summary>
public class SessionsClient
{
    private const int DefaultLimit = 20;
    private const int MaxLimit = 100;

    private const int MaxRecheckEntries = 100_000;

    private readonly ProxySender? _transport;
    private readonly ClientSettingsSource? _settings;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _rechecked = new(StringComparer.Ordinal);

    /// <summary>For mocking frameworks only: a client built this way has no transport.</summary>
    protected SessionsClient()
    {
    }

    internal SessionsClient(ProxySender transport, ClientSettingsSource settings)
    {
        _transport = transport;
        _settings = settings;
        _localLedger = new InMemoryRefreshTokenLedger(transport.Time);
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
        return Send(ProxyOperations.Start, options, w =>
        {
            w.WritePropertyName("data"u8);
            data.WriteTo(w);
            if (expiresIn is { } seconds)
            {
                w.WriteNumber("expiresIn"u8, (long)seconds.TotalSeconds);
            }
        }, tag, cancellationToken);
    }

    /// <summary>
    /// Verifies a session token. The <paramref name="mode"/> says how: offline with the session keys, offline plus the
    /// revocation store, or by asking Ductape (<c>sessions.verify</c>); the result's
    /// <see cref="SessionVerification.VerifiedBy"/> says which path answered. Never throws for an invalid, expired or revoked
    /// token.
    /// </summary>
    /// <param name="tag">The session type's tag.</param>
    /// <param name="token">The session token.</param>
    /// <param name="mode">How to verify. <see cref="SessionVerificationMode.Default"/>: offline with revocations when
    /// <see cref="DuctapeClientOptions.SessionKeys"/> are set, else Ductape.</param>
    /// <param name="options">Per-call settings, or null.</param>
    /// <param name="cancellationToken">Cancels the call, retries included.</param>
    /// <returns><c>IsValid = false</c> for a bad token (offline: with the <see cref="SessionVerification.Failure"/>); otherwise
    /// its data, session id and expiry.</returns>
    /// <exception cref="DuctapeValidationException">The tag or token is blank, or the mode is not defined; nothing was sent.</exception>
    /// <exception cref="InvalidOperationException">An offline mode without <see cref="DuctapeClientOptions.SessionKeys"/>; no
    /// product or environment; a publishable key alone.</exception>
    /// <exception cref="DuctapeApiException">Ductape refused the call, or its answer was not a usable Ductape answer (<c>INVALID_RESPONSE</c>).</exception>
    /// <exception cref="DuctapeTimeoutException">The call ran out of time, reading the answer included.</exception>
    /// <exception cref="DuctapeConnectionException">No answer arrived on any attempt (connection failed, reset or cut short).</exception>
#pragma warning disable RS0026 // Unshipped: the overloads ship together, so no caller was compiled against one of them alone.
    public virtual async Task<SessionVerification> VerifyAsync(
        string tag, string token, SessionVerificationMode mode = SessionVerificationMode.Default, DuctapeRequestOptions? options = null,
        CancellationToken cancellationToken = default)
#pragma warning restore RS0026
    {
        var errors = Check(tag);
        errors.RequireText(token, nameof(token));
        if (!Enum.IsDefined(mode))
        {
            errors.Add(nameof(mode), $"{(int)mode} is not a defined SessionVerificationMode");
        }

        errors.ThrowIfAny();
        var (product, env) = ResolveLifecycle(options);
        var settings = Settings;
        var validator = settings.Validator;
        var path = mode switch
        {
            SessionVerificationMode.Default => validator is null ? SessionVerificationMode.Server : SessionVerificationMode.OfflineWithRevocations,
            SessionVerificationMode.Offline or SessionVerificationMode.OfflineWithRevocations when validator is null =>
                throw new InvalidOperationException(
                    $"Verifying {mode} needs DuctapeClientOptions.SessionKeys; without them use SessionVerificationMode.Server."),
            _ => mode,
        };

        if (path == SessionVerificationMode.Server)
        {
            return await VerifyOnServerAsync(tag, token, options, product, env, cancellationToken).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        // Audience (this call's product and env) and revocations are the validator's own checks, as everywhere else; the
        // Offline mode asks for the token checks alone.
        var withRevocations = path == SessionVerificationMode.OfflineWithRevocations;
        var result = validator!.ValidateFor(token, tag, product, env, checkRevocations: withRevocations);
        if (result.Session is not { } session)
        {
            return Invalid(path, result.Failure);
        }

        if (withRevocations && settings.Revocations is { } revocations && DueForRecheck(session.SessionId, settings) &&
            !await StillValidOnServerAsync(tag, token, session.SessionId, revocations, options, product, env, cancellationToken)
                .ConfigureAwait(false))
        {
            return Invalid(path, SessionTokenFailure.Revoked);
        }

        return new SessionVerification
        {
            IsValid = true, Data = session.Data, SessionId = session.SessionId, ExpiresAt = session.ExpiresAt, VerifiedBy = path,
        };
    }

    /// <summary>
    /// The validator this client verifies tokens with offline: its session keys, its product and env as the audience, and its
    /// revocation store — so a session revoked through this client, or through any instance sharing the store, is refused.
    /// The shortest safe path to offline validation. A valid configuration reload (rotated keys) replaces it: ask for it when
    /// you validate, or inject <see cref="SessionTokenValidator"/> under <c>AddDuctape</c>.
    /// </summary>
    /// <returns>The validator; thread-safe.</returns>
    /// <exception cref="InvalidOperationException">The client has no <see cref="DuctapeClientOptions.SessionKeys"/>, or no
    /// <see cref="DuctapeClientOptions.Product"/> and <see cref="DuctapeClientOptions.Env"/> to check tokens against.</exception>
    public virtual SessionTokenValidator GetValidator()
    {
        var settings = Settings;
        return settings.Validator is not { } validator
            ? throw new InvalidOperationException(
                "Offline validation needs DuctapeClientOptions.SessionKeys (configuration: Ductape:SessionKeys).")
            : !ClientSettings.HasAudience(settings.Options)
                ? throw new InvalidOperationException(
                    "Offline validation needs DuctapeClientOptions.Product and Env: tokens are accepted only for that product and environment.")
                : validator;
    }

    /// <summary>Verifies a session token the default way, as <see cref="VerifyAsync(string, string, SessionVerificationMode, DuctapeRequestOptions?, CancellationToken)"/>.</summary>
    /// <param name="tag">The session type's tag.</param>
    /// <param name="token">The session token.</param>
    /// <param name="options">Per-call settings, or null.</param>
    /// <param name="cancellationToken">Cancels the call, retries included.</param>
    /// <returns>The verification.</returns>
#pragma warning disable RS0026 // See above.
    public Task<SessionVerification> VerifyAsync(string tag, string token, DuctapeRequestOptions? options, CancellationToken cancellationToken = default) =>
        VerifyAsync(tag, token, SessionVerificationMode.Default, options, cancellationToken);
#pragma warning restore RS0026

    private static SessionVerification Invalid(SessionVerificationMode path, SessionTokenFailure failure) =>
        new() { IsValid = false, VerifiedBy = path, Failure = failure };

    private async Task<SessionVerification> VerifyOnServerAsync(
        string tag, string token, DuctapeRequestOptions? options, string product, string env, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await Send(ProxyOperations.Verify, options, w => w.WriteString("token"u8, token), tag,
                cancellationToken, product, env).ConfigureAwait(false);
            return answer with { VerifiedBy = SessionVerificationMode.Server };
        }
        catch (DuctapeApiException ex) when (ex.Code is "VALIDATION_FAILED" or "SESSION_NOT_FOUND")
        {
            // The server's way of saying "not a token of yours": an answer, not an error.
            return new SessionVerification { IsValid = false, VerifiedBy = SessionVerificationMode.Server };
        }
    }

    /// <summary>Whether the optional server re-check is on and this session was not re-checked within the interval.</summary>
    private bool DueForRecheck(string sessionId, ClientSettings settings) =>
        settings.Options.RevocationRecheckInterval is { } interval
        && (!_rechecked.TryGetValue(sessionId, out var at) || Transport.Time.GetUtcNow() - at >= interval);

    /// <summary>
    /// Asks Ductape whether a session that is valid offline is still valid. A "no" is recorded in the revocation store, so every
    /// instance sharing it learns; when Ductape cannot be reached the offline answer stands (availability over a re-check
    /// that is a bound on staleness, not the primary check).
    /// </summary>
    private async Task<bool> StillValidOnServerAsync(
        string tag, string token, string sessionId, ISessionRevocationStore revocations, DuctapeRequestOptions? options,
        string product, string env, CancellationToken cancellationToken)
    {
        SessionVerification answer;
        try
        {
            answer = await VerifyOnServerAsync(tag, token, options, product, env, cancellationToken).ConfigureAwait(false);
        }
        catch (DuctapeException ex) when (ex is DuctapeConnectionException or DuctapeTimeoutException
                                          || (ex is DuctapeApiException api && (int)api.StatusCode >= 500))
        {
            return true;
        }

        if (_rechecked.Count >= MaxRecheckEntries)
        {
            _rechecked.Clear(); // bounded: at worst every session is re-checked once more
        }

        _rechecked[sessionId] = Transport.Time.GetUtcNow();
        if (!answer.IsValid)
        {
            await RecordRevocationAsync(revocations, r => r.RevokeSessionAsync(sessionId, CancellationToken.None), "session")
                .ConfigureAwait(false);
        }

        return answer.IsValid;
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
            && Transport.Time.GetUtcNow() - earlier.ExchangedAt > replay!.GracePeriod)
        {
            throw await ReplayedAsync(earlier, replay, options).ConfigureAwait(false);
        }

        // With replay detection on, presentations of one refresh token within the grace period share a key, so the fleet's
        // own racing callers get the one new pair; after it the ledger refuses the token. Without it, a reused refresh token
        // is refused by Ductape, as the contract says (a new key per call).
        var tokens = await Send(ProxyOperations.Refresh,
            ledger is null ? options : WithIdempotencyKey(options, RefreshTokens.IdempotencyKey(refreshToken)),
            w => w.WriteString("refreshToken"u8, refreshToken), tag, cancellationToken).ConfigureAwait(false);
        if (ledger is not null)
        {
            await ledger.RecordAsync(hash!, new RefreshTokenExchange(tokens.SessionId, tag, Transport.Time.GetUtcNow()), replay!.Retention,
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

    /// <summary>
    /// Revokes one session by id, or every session of one user by identifier (Ductape's <c>sessions.revoke</c>). Name the
    /// argument — <c>RevokeAsync(tag, sessionId: id)</c> or <c>RevokeAsync(tag, identifier: user)</c>: a second argument
    /// passed by position does not compile, so the two revocations cannot be confused.
    /// </summary>
    /// <param name="tag">The session type's tag.</param>
    /// <param name="sessionId">The session to revoke; give this or <paramref name="identifier"/>, not both.</param>
    /// <param name="identifier">The user whose sessions to revoke; give this or <paramref name="sessionId"/>, not both.</param>
    /// <param name="options">Per-call settings, or null.</param>
    /// <param name="cancellationToken">Cancels the call, retries included.</param>
    /// <returns>How many sessions were revoked.</returns>
    /// <exception cref="DuctapeValidationException">Both or neither of the two are given; nothing was sent.</exception>
    /// <exception cref="DuctapeApiException">Ductape refused the call, or its answer was not a usable Ductape answer (<c>INVALID_RESPONSE</c>).</exception>
    /// <exception cref="DuctapeTimeoutException">The call ran out of time, reading the answer included.</exception>
    /// <exception cref="DuctapeConnectionException">No answer arrived on any attempt (connection failed, reset or cut short).</exception>
    public virtual async Task<int> RevokeAsync(
        string tag, string? sessionId = null, string? identifier = null, DuctapeRequestOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var errors = Check(tag);
        if (string.IsNullOrWhiteSpace(sessionId) == string.IsNullOrWhiteSpace(identifier))
        {
            errors.Add(nameof(sessionId), "give exactly one of sessionId and identifier");
        }

        errors.ThrowIfAny();
        var (product, env) = ResolveLifecycle(options);
        var result = await Send(ProxyOperations.Revoke, options, w =>
        {
            if (!string.IsNullOrWhiteSpace(sessionId))
            {
                w.WriteString("sessionId"u8, sessionId);
            }
            else
            {
                w.WriteString("identifier"u8, identifier);
            }
        }, tag, cancellationToken, product, env).ConfigureAwait(false);

        // Ductape has revoked it: offline validation (here, and on every instance sharing the store) must agree.
        if (Settings.Revocations is { } revocations)
        {
            await (!string.IsNullOrWhiteSpace(sessionId)
                ? RecordRevocationAsync(revocations, r => r.RevokeSessionAsync(sessionId, CancellationToken.None), "session")
                : RecordRevocationAsync(revocations,
                    r => r.RevokeIdentifierAsync(new SessionScope(product, env, tag), identifier!, null, CancellationToken.None),
                    "user's sessions")).ConfigureAwait(false);
        }

        return result.Revoked;
    }

    /// <summary>Does not compile: a revocation names what it revokes, <c>sessionId:</c> or <c>identifier:</c>.</summary>
    /// <param name="tag">The session type's tag.</param>
    /// <param name="sessionIdOrIdentifier">Ambiguous: name the argument instead.</param>
    /// <param name="cancellationToken">Unused.</param>
    /// <returns>Nothing; always throws.</returns>
    /// <exception cref="NotSupportedException">Always (only reachable through reflection).</exception>
    // A guard, not an API: RevokeAsync(tag, "x") is now ambiguous between this and the method above (CS0121), and
    // RevokeAsync(tag, "x", ct) binds here and fails with the message below; named arguments (sessionId:, identifier:)
    // cannot bind here, so they reach the method above unchanged.
    [Obsolete(AmbiguousRevocation, error: true)]
    [EditorBrowsable(EditorBrowsableState.Never)]
#pragma warning disable RS0026 // The ambiguity this analyzer warns about is the point of the guard.
    public Task<int> RevokeAsync(string tag, string sessionIdOrIdentifier, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException(AmbiguousRevocation);
#pragma warning restore RS0026

    private const string AmbiguousRevocation =
        "Name what you revoke: RevokeAsync(tag, sessionId: id) for one session, RevokeAsync(tag, identifier: user) for every session of a user.";

    /// <summary>Revokes every session of one user, optionally sparing one (Ductape's <c>sessions.revokeAll</c>).</summary>
    /// <param name="tag">The session type's tag.</param>
    /// <param name="identifier">The user.</param>
    /// <param name="excludeSessionId">A session to keep, such as the current one.</param>
    /// <param name="options">Per-call settings, or null.</param>
    /// <param name="cancellationToken">Cancels the call, retries included.</param>
    /// <returns>How many sessions were revoked.</returns>
    /// <exception cref="DuctapeValidationException">The tag or identifier is blank; nothing was sent.</exception>
    /// <exception cref="DuctapeApiException">Ductape refused the call, or its answer was not a usable Ductape answer (<c>INVALID_RESPONSE</c>).</exception>
    /// <exception cref="DuctapeTimeoutException">The call ran out of time, reading the answer included.</exception>
    /// <exception cref="DuctapeConnectionException">No answer arrived on any attempt (connection failed, reset or cut short).</exception>
    public virtual async Task<int> RevokeAllAsync(
        string tag, string identifier, string? excludeSessionId = null, DuctapeRequestOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var errors = Check(tag);
        errors.RequireText(identifier, nameof(identifier));
        errors.ThrowIfAny();
        var (product, env) = ResolveLifecycle(options);
        var result = await Send(ProxyOperations.RevokeAll, options, w =>
        {
            w.WriteString("identifier"u8, identifier);
            if (excludeSessionId is not null)
            {
                w.WriteString("excludeSessionId"u8, excludeSessionId);
            }
        }, tag, cancellationToken, product, env).ConfigureAwait(false);
        if (Settings.Revocations is { } revocations)
        {
            // Not cancellable: Ductape has acted, so the store must learn it whatever the caller does now.
            await RecordRevocationAsync(revocations,
                r => r.RevokeIdentifierAsync(new SessionScope(product, env, tag), identifier, excludeSessionId, CancellationToken.None),
                "user's sessions").ConfigureAwait(false);
        }

        return result.Revoked;
    }

    /// <summary>One page of a session type's active sessions (Ductape's <c>sessions.listActive</c>).</summary>
    /// <param name="tag">The session type's tag.</param>
    /// <param name="identifier">Only this user's sessions, when given.</param>
    /// <param name="page">The page, from 1.</param>
    /// <param name="limit">The page size, 1–100.</param>
    /// <param name="options">Per-call settings, or null.</param>
    /// <param name="cancellationToken">Cancels the call, retries included.</param>
    /// <returns>The page.</returns>
    /// <exception cref="DuctapeValidationException">Bad tag, page or limit; nothing was sent.</exception>
    /// <exception cref="DuctapeApiException">Ductape refused the call, or its answer was not a usable Ductape answer (<c>INVALID_RESPONSE</c>).</exception>
    /// <exception cref="DuctapeTimeoutException">The call ran out of time, reading the answer included.</exception>
    /// <exception cref="DuctapeConnectionException">No answer arrived on any attempt (connection failed, reset or cut short).</exception>
    public virtual async Task<DuctapePage<ActiveSession>> ListActiveAsync(
        string tag, string? identifier = null, int page = 1, int limit = DefaultLimit, DuctapeRequestOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var errors = Check(tag);
        CheckPage(errors, page, limit);
        errors.ThrowIfAny();
        var listing = await Send(ProxyOperations.ListActive, options, w =>
        {
            if (identifier is not null)
            {
                w.WriteString("identifier"u8, identifier);
            }

            w.WriteNumber("page"u8, page);
            w.WriteNumber("limit"u8, limit);
        }, tag, cancellationToken).ConfigureAwait(false);
        return new DuctapePage<ActiveSession> { Items = listing.Sessions, Total = listing.Total, Page = page, Limit = limit };
    }

    /// <summary>Every active session, fetched page by page as you enumerate; stops when cancelled.</summary>
    /// <param name="tag">The session type's tag.</param>
    /// <param name="identifier">Only this user's sessions, when given.</param>
    /// <param name="limit">The page size, 1–100.</param>
    /// <param name="options">Per-call settings, or null.</param>
    /// <param name="cancellationToken">Stops the walk.</param>
    /// <returns>The sessions.</returns>
    /// <exception cref="DuctapeException">While enumerating: what <see cref="ListActiveAsync(string, string?, int, int, DuctapeRequestOptions?, CancellationToken)"/> throws for a page.</exception>
    public virtual IAsyncEnumerable<ActiveSession> EnumerateActiveAsync(
        string tag, string? identifier = null, int limit = MaxLimit, DuctapeRequestOptions? options = null,
        CancellationToken cancellationToken = default) =>
        Walk((page, ct) => ListActiveAsync(tag, identifier, page, limit, options, ct), cancellationToken);

    /// <summary>One page of a session type's users (Ductape's <c>sessions.fetchUsers</c>).</summary>
    /// <param name="tag">The session type's tag.</param>
    /// <param name="page">The page, from 1.</param>
    /// <param name="limit">The page size, 1–100.</param>
    /// <param name="options">Per-call settings, or null.</param>
    /// <param name="cancellationToken">Cancels the call, retries included.</param>
    /// <returns>The page.</returns>
    /// <exception cref="DuctapeValidationException">Bad session tag, page or limit; nothing was sent.</exception>
    /// <exception cref="DuctapeApiException">Ductape refused the call, or its answer was not a usable Ductape answer (<c>INVALID_RESPONSE</c>).</exception>
    /// <exception cref="DuctapeTimeoutException">The call ran out of time, reading the answer included.</exception>
    /// <exception cref="DuctapeConnectionException">No answer arrived on any attempt (connection failed, reset or cut short).</exception>
    public virtual async Task<DuctapePage<SessionUser>> FetchUsersAsync(
        string tag, int page = 1, int limit = DefaultLimit, DuctapeRequestOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var errors = new ValidationErrors();
        errors.RequireTag(tag, "session", nameof(tag));
        CheckPage(errors, page, limit);
        errors.ThrowIfAny();
        var listing = await SendAnalytics(ProxyOperations.FetchUsers, tag, options, w =>
        {
            w.WriteNumber("page"u8, page);
            w.WriteNumber("limit"u8, limit);
        }, cancellationToken).ConfigureAwait(false);
        return new DuctapePage<SessionUser> { Items = listing.Users, Total = listing.Total, Page = page, Limit = limit };
    }

    /// <summary>Every user of a session type, fetched page by page as you enumerate; stops when cancelled.</summary>
    /// <param name="tag">The session type's tag.</param>
    /// <param name="limit">The page size, 1–100.</param>
    /// <param name="options">Per-call settings, or null.</param>
    /// <param name="cancellationToken">Stops the walk.</param>
    /// <returns>The users.</returns>
    /// <exception cref="DuctapeException">While enumerating: what <see cref="FetchUsersAsync(string, int, int, DuctapeRequestOptions?, CancellationToken)"/> throws for a page.</exception>
    public virtual IAsyncEnumerable<SessionUser> EnumerateUsersAsync(
        string tag, int limit = MaxLimit, DuctapeRequestOptions? options = null, CancellationToken cancellationToken = default) =>
        Walk((page, ct) => FetchUsersAsync(tag, page, limit, options, ct), cancellationToken);

    /// <summary>One user of a session type with their sessions (Ductape's <c>sessions.fetchUserDetails</c>).</summary>
    /// <param name="tag">The session type's tag.</param>
    /// <param name="identifier">The user's identifier.</param>
    /// <param name="options">Per-call settings, or null.</param>
    /// <param name="cancellationToken">Cancels the call, retries included.</param>
    /// <returns>The user's details.</returns>
    /// <exception cref="DuctapeValidationException">Blank session tag or identifier; nothing was sent.</exception>
    /// <exception cref="DuctapeApiException">Ductape refused the call, or its answer was not a usable Ductape answer (<c>INVALID_RESPONSE</c>).</exception>
    /// <exception cref="DuctapeTimeoutException">The call ran out of time, reading the answer included.</exception>
    /// <exception cref="DuctapeConnectionException">No answer arrived on any attempt (connection failed, reset or cut short).</exception>
    public virtual Task<SessionUserDetails> FetchUserDetailsAsync(
        string tag, string identifier, DuctapeRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        var errors = new ValidationErrors();
        errors.RequireTag(tag, "session", nameof(tag));
        errors.RequireText(identifier, nameof(identifier));
        errors.ThrowIfAny();
        return SendAnalytics(ProxyOperations.FetchUserDetails, tag, options, w => w.WriteString("identifier"u8, identifier),
            cancellationToken);
    }

    /// <summary>A session type's dashboard metrics (Ductape's <c>sessions.fetchDashboard</c>).</summary>
    /// <param name="tag">The session type's tag.</param>
    /// <param name="options">Per-call settings, or null.</param>
    /// <param name="cancellationToken">Cancels the call, retries included.</param>
    /// <returns>The metrics.</returns>
    /// <exception cref="DuctapeValidationException">Bad session tag; nothing was sent.</exception>
    /// <exception cref="DuctapeApiException">Ductape refused the call, or its answer was not a usable Ductape answer (<c>INVALID_RESPONSE</c>).</exception>
    /// <exception cref="DuctapeTimeoutException">The call ran out of time, reading the answer included.</exception>
    /// <exception cref="DuctapeConnectionException">No answer arrived on any attempt (connection failed, reset or cut short).</exception>
    public virtual Task<SessionDashboard> FetchDashboardAsync(
        string tag, DuctapeRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        var errors = new ValidationErrors();
        errors.RequireTag(tag, "session", nameof(tag));
        errors.ThrowIfAny();
        return SendAnalytics(ProxyOperations.FetchDashboard, tag, options, static _ => { }, cancellationToken);
    }

    /// <summary>Starts a session, as <see cref="StartAsync(string, JsonElement, TimeSpan?, DuctapeRequestOptions?, CancellationToken)"/>. Lets the cancellation token follow the required arguments.</summary>
    /// <param name="tag">The session type's tag.</param>
    /// <param name="data">The session data.</param>
    /// <param name="cancellationToken">Cancels the call, retries included.</param>
    /// <returns>The session and refresh tokens.</returns>
    public Task<SessionTokens> StartAsync(string tag, JsonElement data, CancellationToken cancellationToken) =>
        StartAsync(tag, data, expiresIn: null, options: null, cancellationToken);

    /// <summary>Verifies a session token, as <see cref="VerifyAsync(string, string, DuctapeRequestOptions?, CancellationToken)"/>. Lets the cancellation token follow the required arguments.</summary>
    /// <param name="tag">The session type's tag.</param>
    /// <param name="token">The session token.</param>
    /// <param name="cancellationToken">Cancels the call, retries included.</param>
    /// <returns>The verification.</returns>
    public Task<SessionVerification> VerifyAsync(string tag, string token, CancellationToken cancellationToken) =>
        VerifyAsync(tag, token, options: null, cancellationToken);

    /// <summary>Refreshes a session, as <see cref="RefreshAsync(string, string, DuctapeRequestOptions?, CancellationToken)"/>. Lets the cancellation token follow the required arguments.</summary>
    /// <param name="tag">The session type's tag.</param>
    /// <param name="refreshToken">The current refresh token.</param>
    /// <param name="cancellationToken">Cancels the call, retries included.</param>
    /// <returns>New session and refresh tokens.</returns>
    public Task<SessionTokens> RefreshAsync(string tag, string refreshToken, CancellationToken cancellationToken) =>
        RefreshAsync(tag, refreshToken, options: null, cancellationToken);

    /// <summary>Revokes every session of a user, as <see cref="RevokeAllAsync(string, string, string?, DuctapeRequestOptions?, CancellationToken)"/>. Lets the cancellation token follow the required arguments.</summary>
    /// <param name="tag">The session type's tag.</param>
    /// <param name="identifier">The user.</param>
    /// <param name="cancellationToken">Cancels the call, retries included.</param>
    /// <returns>How many sessions were revoked.</returns>
    public Task<int> RevokeAllAsync(string tag, string identifier, CancellationToken cancellationToken) =>
        RevokeAllAsync(tag, identifier, excludeSessionId: null, options: null, cancellationToken);

    /// <summary>The first page of active sessions, as <see cref="ListActiveAsync(string, string?, int, int, DuctapeRequestOptions?, CancellationToken)"/>. Lets the cancellation token follow the required arguments.</summary>
    /// <param name="tag">The session type's tag.</param>
    /// <param name="cancellationToken">Cancels the call, retries included.</param>
    /// <returns>The page.</returns>
    public Task<DuctapePage<ActiveSession>> ListActiveAsync(string tag, CancellationToken cancellationToken) =>
        ListActiveAsync(tag, identifier: null, page: 1, limit: DefaultLimit, options: null, cancellationToken);

    /// <summary>The first page of session users, as <see cref="FetchUsersAsync(string, int, int, DuctapeRequestOptions?, CancellationToken)"/>. Lets the cancellation token follow the required arguments.</summary>
    /// <param name="tag">The session type's tag.</param>
    /// <param name="cancellationToken">Cancels the call, retries included.</param>
    /// <returns>The page.</returns>
    public Task<DuctapePage<SessionUser>> FetchUsersAsync(string tag, CancellationToken cancellationToken) =>
        FetchUsersAsync(tag, page: 1, limit: DefaultLimit, options: null, cancellationToken);

    /// <summary>One user with their sessions, as <see cref="FetchUserDetailsAsync(string, string, DuctapeRequestOptions?, CancellationToken)"/>. Lets the cancellation token follow the required arguments.</summary>
    /// <param name="tag">The session type's tag.</param>
    /// <param name="identifier">The user's identifier.</param>
    /// <param name="cancellationToken">Cancels the call, retries included.</param>
    /// <returns>The user's details.</returns>
    public Task<SessionUserDetails> FetchUserDetailsAsync(string tag, string identifier, CancellationToken cancellationToken) =>
        FetchUserDetailsAsync(tag, identifier, options: null, cancellationToken);

    /// <summary>The dashboard metrics, as <see cref="FetchDashboardAsync(string, DuctapeRequestOptions?, CancellationToken)"/>. Lets the cancellation token follow the required arguments.</summary>
    /// <param name="tag">The session type's tag.</param>
    /// <param name="cancellationToken">Cancels the call, retries included.</param>
    /// <returns>The metrics.</returns>
    public Task<SessionDashboard> FetchDashboardAsync(string tag, CancellationToken cancellationToken) =>
        FetchDashboardAsync(tag, options: null, cancellationToken);

    private static ValidationErrors Check(string tag)
    {
        var errors = new ValidationErrors();
        errors.RequireTag(tag, nameof(tag));
        return errors;
    }

    private static void CheckPage(ValidationErrors errors, int page, int limit)
    {
        if (page < 1)
        {
            errors.Add(nameof(page), "must be at least 1");
        }

        if (limit is < 1 or > MaxLimit)
        {
            errors.Add(nameof(limit), $"must be between 1 and {MaxLimit}");
        }
    }

    /// <summary>
    /// Records a revocation Ductape has made in the store, so offline validation agrees. Whatever the store throws reaches the
    /// caller as a <see cref="DuctapeRevocationNotSharedException"/> that says Ductape's own revocation stands.
    /// </summary>
    private static async Task RecordRevocationAsync(
        ISessionRevocationStore revocations, Func<ISessionRevocationStore, Task> record, string what)
    {
        try
        {
            await record(revocations).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            throw new DuctapeRevocationNotSharedException(
                $"Ductape has revoked the {what}, but the revocation store could not share it with other instances " +
                $"({(ex is DuctapeRevocationNotSharedException ? "not shared in time" : ex.GetType().Name)}): they may accept " +
                "its tokens until they hear of it. Retrying the revocation is safe." +
                (ex is DuctapeRevocationNotSharedException ? " The store keeps trying in the background meanwhile." : ""), ex);
        }
    }

    private (string Product, string Env) ResolveLifecycle(DuctapeRequestOptions? options)
    {
        if (_transport is not null && Settings.AccessKey is null)
        {
            throw new InvalidOperationException(
                "Sessions are started, verified, refreshed and revoked on your backend only: set DuctapeClientOptions.AccessKey " +
                "(a publishable key is for browsers and cannot manage sessions).");
        }

        return (Transport.ResolveProduct(options), Transport.ResolveEnv(options));
    }

    private Task<T> Send<T>(
        ProxyOperation<T> operation, DuctapeRequestOptions? options, Action<Utf8JsonWriter> writeFields, string tag,
        CancellationToken cancellationToken, string? product = null, string? env = null)
    {
        if (product is null || env is null)
        {
            (product, env) = ResolveLifecycle(options);
        }

        return Transport.SendAsync(operation, new ProxyCall(w =>
        {
            w.WriteStartObject();
            w.WriteString("product"u8, product);
            w.WriteString("env"u8, env);
            w.WriteString("tag"u8, tag);
            writeFields(w);
            w.WriteEndObject();
        }, options, product, tag), cancellationToken);
    }

    private Task<T> SendAnalytics<T>(
        ProxyOperation<T> operation, string tag, DuctapeRequestOptions? options, Action<Utf8JsonWriter> writeFields,
        CancellationToken cancellationToken)
    {
        var product = Transport.ResolveProduct(options);
        var env = Transport.TryResolveEnv(options);
        return Transport.SendAsync(operation, new ProxyCall(w =>
        {
            w.WriteStartObject();
            w.WriteString("product"u8, product);
            w.WriteString("session"u8, tag);
            if (env is not null)
            {
                w.WriteString("env"u8, env);
            }

            writeFields(w);
            w.WriteEndObject();
        }, options, product, tag), cancellationToken);
    }

    private static async IAsyncEnumerable<T> Walk<T>(
        Func<int, CancellationToken, Task<DuctapePage<T>>> fetch, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var page = 1; ; page++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var current = await fetch(page, cancellationToken).ConfigureAwait(false);
            foreach (var item in current.Items)
            {
                yield return item;
            }

            if (!current.HasMore)
            {
                yield break;
            }
        }
    }
}
