using Ductape.Sdk.Tokens;

namespace Ductape.Sdk.Sessions;

public partial class SessionsClient
{
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
        var result = validator!.ValidateFor(token, tag, product, env, checkRevocations: withRevocations, withData: true);
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
            var answer = await Send(SessionOperations.Verify, options, w => w.WriteString("token"u8, token), tag,
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
        && (!_rechecked.TryGetValue(sessionId, out var at) || Scope.Time.GetUtcNow() - at >= interval);

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

        _rechecked[sessionId] = Scope.Time.GetUtcNow();
        if (!answer.IsValid)
        {
            await RecordRevocationAsync(revocations, r => r.RevokeSessionAsync(sessionId, CancellationToken.None), "session")
                .ConfigureAwait(false);
        }

        return answer.IsValid;
    }
}
