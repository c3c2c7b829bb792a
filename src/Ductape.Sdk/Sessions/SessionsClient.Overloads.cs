using System.Text.Json;

namespace Ductape.Sdk.Sessions;

public partial class SessionsClient
{
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
}
