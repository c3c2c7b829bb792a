namespace Ductape.Sdk.AspNetCore;

/// <summary>
/// What the session handler answers when a token is valid but the revocation store cannot vouch for it
/// (<c>RevocationUnknown</c>: a shared store out of touch, failing closed).
/// </summary>
public enum DuctapeRevocationUnknownResponse
{
    /// <summary>
    /// <c>503 Service Unavailable</c> with <c>Retry-After</c>: the outage is the server's, so clients keep their session and
    /// try again. The default.
    /// </summary>
    ServiceUnavailable = 0,

    /// <summary><c>401</c> with <c>error="invalid_token"</c>, as for any rejected token: clients usually drop the session.</summary>
    Unauthorized,
}
