using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Ductape.Sdk.Products;
using Ductape.Sdk.Sessions;
using Ductape.Sdk.Tokens;

namespace Ductape.Sdk;

/// <summary>
/// Calls that take and return a typed session (<see cref="IDuctapeSession{TSelf}"/>): the tag comes from its definition and
/// the data goes through its JSON metadata.
/// </summary>
public static class TypedSessionExtensions
{
    /// <summary>Creates the session type <typeparamref name="TSession"/> defines.</summary>
    /// <typeparam name="TSession">The typed session.</typeparam>
    /// <param name="sessionTypes">The session types client.</param>
    /// <param name="options">Per-call settings, or null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The session type as stored.</returns>
    public static Task<ProductSession> CreateAsync<TSession>(
        this ProductSessionsClient sessionTypes, DuctapeRequestOptions? options = null, CancellationToken cancellationToken = default)
        where TSession : IDuctapeSession<TSession>
    {
        ArgumentNullException.ThrowIfNull(sessionTypes);
        return sessionTypes.CreateAsync(TSession.Definition, options, cancellationToken);
    }

    /// <summary>Starts a session of <typeparamref name="TSession"/>'s type with this data.</summary>
    /// <typeparam name="TSession">The typed session.</typeparam>
    /// <param name="sessions">The sessions client.</param>
    /// <param name="data">The session data.</param>
    /// <param name="expiresIn">A shorter lifetime than the session type's, or null.</param>
    /// <param name="options">Per-call settings, or null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The tokens.</returns>
    public static Task<SessionTokens> StartAsync<TSession>(
        this SessionsClient sessions, TSession data, TimeSpan? expiresIn = null, DuctapeRequestOptions? options = null,
        CancellationToken cancellationToken = default)
        where TSession : IDuctapeSession<TSession>
    {
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentNullException.ThrowIfNull(data);
        return sessions.StartAsync(
            TSession.Definition.Tag, SessionJson.From(data, TSession.JsonTypeInfo), expiresIn, options, cancellationToken);
    }

    /// <summary>Refreshes a session of <typeparamref name="TSession"/>'s type.</summary>
    /// <typeparam name="TSession">The typed session.</typeparam>
    /// <param name="sessions">The sessions client.</param>
    /// <param name="refreshToken">The refresh token.</param>
    /// <param name="options">Per-call settings, or null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new tokens.</returns>
    public static Task<SessionTokens> RefreshAsync<TSession>(
        this SessionsClient sessions, string refreshToken, DuctapeRequestOptions? options = null, CancellationToken cancellationToken = default)
        where TSession : IDuctapeSession<TSession>
    {
        ArgumentNullException.ThrowIfNull(sessions);
        return sessions.RefreshAsync(TSession.Definition.Tag, refreshToken, options, cancellationToken);
    }

    /// <summary>Verifies a token of <typeparamref name="TSession"/>'s type; read the data with <see cref="GetData{TSession}(SessionVerification)"/>.</summary>
    /// <typeparam name="TSession">The typed session.</typeparam>
    /// <param name="sessions">The sessions client.</param>
    /// <param name="token">The session token.</param>
    /// <param name="mode">Offline, with revocations, or on the server.</param>
    /// <param name="options">Per-call settings, or null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The verification; never throws for a bad token.</returns>
    public static Task<SessionVerification> VerifyAsync<TSession>(
        this SessionsClient sessions, string token, SessionVerificationMode mode = SessionVerificationMode.Default,
        DuctapeRequestOptions? options = null, CancellationToken cancellationToken = default)
        where TSession : IDuctapeSession<TSession>
    {
        ArgumentNullException.ThrowIfNull(sessions);
        return sessions.VerifyAsync(TSession.Definition.Tag, token, mode, options, cancellationToken);
    }

    /// <summary>The verified session's data as <typeparamref name="TSession"/>, or default when the token was not valid.</summary>
    /// <typeparam name="TSession">The typed session.</typeparam>
    /// <param name="verification">A verification.</param>
    /// <returns>The data.</returns>
    public static TSession? GetData<TSession>(this SessionVerification verification)
        where TSession : IDuctapeSession<TSession>
    {
        ArgumentNullException.ThrowIfNull(verification);
        return verification is { IsValid: true, Data: { } data } ? data.Deserialize(TSession.JsonTypeInfo) : default;
    }

    /// <summary>A validated session's data as <typeparamref name="TSession"/> (for sessions the ASP.NET Core handler validated).</summary>
    /// <typeparam name="TSession">The typed session.</typeparam>
    /// <param name="session">A validated session.</param>
    /// <returns>The data.</returns>
    /// <exception cref="System.Text.Json.JsonException">The data does not fit the type.</exception>
    public static TSession? GetData<TSession>(this ValidatedSession session)
        where TSession : IDuctapeSession<TSession>
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.GetData(TSession.JsonTypeInfo);
    }

    /// <summary>
    /// Validates a token offline as <typeparamref name="TSession"/>'s type (audience and revocations included, as the
    /// validator checks them): the tag must be the type's, and the data is read as the typed session. Never throws for a
    /// bad token.
    /// </summary>
    /// <typeparam name="TSession">The typed session.</typeparam>
    /// <param name="validator">The validator.</param>
    /// <param name="token">The token.</param>
    /// <param name="session">The typed session, when valid.</param>
    /// <returns>Whether the token is valid; use the overload with <c>out SessionTokenFailure</c> to know why not.</returns>
    public static bool TryValidate<TSession>(
        this SessionTokenValidator validator, string? token, [NotNullWhen(true)] out ValidatedSession<TSession>? session)
        where TSession : IDuctapeSession<TSession> =>
        TryValidate(validator, token, out session, out _);

    /// <summary>
    /// Validates a token offline as <typeparamref name="TSession"/>'s type, saying why it was rejected. Data that does not fit
    /// the type (a session type changed since the token was issued) is <see cref="SessionTokenFailure.InvalidClaims"/>.
    /// </summary>
    /// <typeparam name="TSession">The typed session.</typeparam>
    /// <param name="validator">The validator.</param>
    /// <param name="token">The token.</param>
    /// <param name="session">The typed session, when valid.</param>
    /// <param name="failure">Why the token was rejected, or <see cref="SessionTokenFailure.None"/>.</param>
    /// <returns>Whether the token is valid.</returns>
    public static bool TryValidate<TSession>(
        this SessionTokenValidator validator, string? token, [NotNullWhen(true)] out ValidatedSession<TSession>? session,
        out SessionTokenFailure failure)
        where TSession : IDuctapeSession<TSession>
    {
        ArgumentNullException.ThrowIfNull(validator);
        var result = validator.ValidateWithData(token, TSession.Definition.Tag); // the data is read at once: copy it, once
        session = null;
        failure = result.Failure;
        if (result.Session is not { } valid)
        {
            return false;
        }

        try
        {
            session = valid.GetData(TSession.JsonTypeInfo) is { } data ? new ValidatedSession<TSession>(valid, data) : null;
        }
        catch (JsonException)
        {
            // A valid token whose data does not fit the type.
        }

        failure = session is null ? SessionTokenFailure.InvalidClaims : SessionTokenFailure.None;
        return session is not null;
    }
}
