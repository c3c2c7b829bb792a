using Ductape.Sdk.Tokens;
using Microsoft.AspNetCore.Authentication;

namespace Ductape.Sdk.AspNetCore;

/// <summary>Settings of one Ductape session authentication scheme.</summary>
public sealed class DuctapeSessionAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>Builds the options with default events.</summary>
    public DuctapeSessionAuthenticationOptions() => Events = new DuctapeSessionEvents();

    /// <summary>The session type tokens must belong to. Set by <c>AddDuctapeSession(tag, …)</c>.</summary>
    public string SessionTag { get; set; } = string.Empty;

    /// <summary>
    /// The Ductape client whose tokens this scheme accepts: the name given to <c>AddDuctape(name, …)</c>, or null for the
    /// default client. Its validator is resolved per request, so a rotated session key takes effect at once and an invalid
    /// reload changes nothing. A scheme naming a client that is not registered (or has no session keys, product or env)
    /// fails at start-up, naming it.
    /// </summary>
    public string? ClientName { get; set; }

    /// <summary>
    /// A validator to use instead of the client's (a fixed key ring, your own revocation store). Prefer
    /// <see cref="ClientName"/>: a fixed validator does not follow key rotation.
    /// </summary>
    public SessionTokenValidator? Validator { get; set; }

    /// <summary>
    /// What a request gets when its token is valid but the revocation store cannot vouch for it (a shared store out of
    /// touch, failing closed). Default <see cref="DuctapeRevocationUnknownResponse.ServiceUnavailable"/>: 503 with
    /// <c>Retry-After</c>, so clients keep a good session through an outage instead of logging their users out.
    /// </summary>
    public DuctapeRevocationUnknownResponse RevocationUnknownResponse { get; set; } = DuctapeRevocationUnknownResponse.ServiceUnavailable;

    /// <summary>The <c>Retry-After</c> of that 503, in whole seconds (at least 1). Default 5 seconds.</summary>
    public TimeSpan RevocationUnknownRetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The hooks of this scheme (as <c>JwtBearerOptions.Events</c>); or set <c>EventsType</c> to resolve them from DI.</summary>
    public new DuctapeSessionEvents Events
    {
        get => (DuctapeSessionEvents)base.Events!;
        set => base.Events = value;
    }
}
