using Ductape.Sdk.Tokens;

namespace Ductape.Sdk;

/// <summary>A valid token's session with its data read as the typed session <typeparamref name="TSession"/>.</summary>
/// <typeparam name="TSession">The session data type.</typeparam>
public sealed class ValidatedSession<TSession>
    where TSession : IDuctapeSession<TSession>
{
    internal ValidatedSession(ValidatedSession session, TSession data)
    {
        Session = session;
        Data = data;
    }

    /// <summary>The session: id, identifier, product, environment, times.</summary>
    public ValidatedSession Session { get; }

    /// <summary>The session data.</summary>
    public TSession Data { get; }

    /// <summary>The user's identifier (the selector applied to the data).</summary>
    public string Identifier => Session.Identifier;

    /// <summary>Names the session, never its data.</summary>
    public override string ToString() => Session.ToString();
}
