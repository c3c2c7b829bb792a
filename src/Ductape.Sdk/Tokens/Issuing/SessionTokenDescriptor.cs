using System.Text.Json;

namespace Ductape.Sdk.Tokens;

/// <summary>
/// What a <see cref="SessionTokenIssuer"/> puts in a token: the session type, the data and where it belongs.
/// <see cref="ToString"/> never shows the data.
/// </summary>
public sealed record SessionTokenDescriptor
{
    /// <summary>The session type's tag; it prefixes the token and is the <c>tag</c> claim.</summary>
    public required string Tag { get; init; }

    /// <summary>The session type's selector, such as <c>$Session{userId}</c>: it picks the user's identifier out of <see cref="Data"/>.</summary>
    public required string Selector { get; init; }

    /// <summary>The session data: a JSON object (build it with <see cref="SessionJson"/>).</summary>
    public required JsonElement Data { get; init; }

    /// <summary>The product tag (<c>prd</c>).</summary>
    public required string Product { get; init; }

    /// <summary>The environment (<c>env</c>).</summary>
    public required string Env { get; init; }

    /// <summary>The session type's expiry, in <see cref="Period"/> units; used when <see cref="Lifetime"/> is not set.</summary>
    public int Expiry { get; init; }

    /// <summary>The unit of <see cref="Expiry"/>.</summary>
    public TokenPeriod Period { get; init; }

    /// <summary>An explicit lifetime that replaces <see cref="Expiry"/> and <see cref="Period"/>.</summary>
    public TimeSpan? Lifetime { get; init; }

    /// <summary>The session id (<c>sid</c>); a new random one when null.</summary>
    public string? SessionId { get; init; }

    /// <summary>Names the session type and audience, never the data.</summary>
    /// <returns>A description without secrets.</returns>
    public override string ToString() => $"SessionTokenDescriptor for {Tag} ({Product}/{Env})";
}

/// <summary>A token made by <see cref="SessionTokenIssuer"/>. <see cref="ToString"/> never shows the token.</summary>
public sealed class IssuedSessionToken
{
    internal IssuedSessionToken(string token, string sessionId, string identifier, DateTimeOffset issuedAt, DateTimeOffset expiresAt)
    {
        Token = token;
        SessionId = sessionId;
        Identifier = identifier;
        IssuedAt = issuedAt;
        ExpiresAt = expiresAt;
    }

    /// <summary>The token, <c>tag:JWE</c>. A bearer secret: never log it.</summary>
    public string Token { get; }

    /// <summary>The session id (<c>sid</c>).</summary>
    public string SessionId { get; }

    /// <summary>The user's identifier (<c>sub</c>).</summary>
    public string Identifier { get; }

    /// <summary>When it was issued.</summary>
    public DateTimeOffset IssuedAt { get; }

    /// <summary>When it expires.</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>Describes the token without revealing it.</summary>
    public override string ToString() => $"Session token for session {SessionId}, expires {ExpiresAt:u}";
}
