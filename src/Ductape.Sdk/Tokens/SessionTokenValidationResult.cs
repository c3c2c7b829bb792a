namespace Ductape.Sdk.Tokens;

/// <summary>The outcome of validating a session token: valid with its session, or the reason it was rejected.</summary>
public sealed class SessionTokenValidationResult
{
    private static readonly SessionTokenValidationResult[] Failures = Enum.GetValues<SessionTokenFailure>()
        .Select(f => new SessionTokenValidationResult(f, null))
        .ToArray();

    private SessionTokenValidationResult(SessionTokenFailure failure, ValidatedSession? session)
    {
        Failure = failure;
        Session = session;
    }

    /// <summary>Whether the token is valid; then <see cref="Session"/> is set.</summary>
    public bool IsValid => Failure == SessionTokenFailure.None;

    /// <summary>Why the token was rejected, or <see cref="SessionTokenFailure.None"/>.</summary>
    public SessionTokenFailure Failure { get; }

    /// <summary>The session the token carries, when it is valid.</summary>
    public ValidatedSession? Session { get; }

    /// <summary>Says whether the token is valid, or why not; never the token or its data.</summary>
    public override string ToString() => IsValid ? "Valid session token" : $"Invalid session token: {Failure}";

    internal static SessionTokenValidationResult Fail(SessionTokenFailure failure) => Failures[(int)failure];

    internal static SessionTokenValidationResult Valid(ValidatedSession session) => new(SessionTokenFailure.None, session);
}
