using System.Net;

namespace Ductape.Sdk.Sessions;

/// <summary>
/// Attaches <c>Authorization: Bearer &lt;session token&gt;</c> of the request's held session, refreshing it ahead of expiry;
/// on a 401 from the API it renews the session once and sends the request once more. A request whose session cannot be had
/// fails with <see cref="DuctapeSessionUnavailableException"/>, never a bare 401.
/// </summary>
internal sealed class DuctapeSessionHandler(SessionRefresher refresher, Func<HttpRequestMessage, string?> keyOf) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var key = keyOf(request) ?? throw new DuctapeSessionUnavailableException(
            "This request carries no session key (no signed-in user, or no SessionKey configured): sign the user in first.");
        var session = await refresher.CurrentAsync(key, cancellationToken).ConfigureAwait(false);
        request.Headers.Remove("Authorization");
        request.Headers.TryAddWithoutValidation("Authorization", session.Authorization);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        // The API refused the token (revoked, rotated keys, clock): a newer session once, then the answer stands.
        var renewed = await refresher.RenewAfterRejectionAsync(key, session.Session, cancellationToken).ConfigureAwait(false);
        if (renewed.Session.Token == session.Session.Token)
        {
            return response;
        }

        response.Dispose();
        request.Headers.Remove("Authorization");
        request.Headers.TryAddWithoutValidation("Authorization", renewed.Authorization);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
