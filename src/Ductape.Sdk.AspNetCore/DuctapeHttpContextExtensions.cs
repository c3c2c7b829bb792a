using Ductape.Sdk.Tokens;

// Beside HttpContext itself, so a web project's implicit usings find it.
namespace Microsoft.AspNetCore.Http;

/// <summary>Reads the Ductape session of an authenticated request.</summary>
public static class DuctapeHttpContextExtensions
{
    internal const string SessionKey = "Ductape.Session";

    /// <summary>The session the request's token carries, when the Ductape session handler authenticated it; otherwise null.</summary>
    /// <param name="context">The request's context.</param>
    /// <returns>The session, with its data.</returns>
    public static ValidatedSession? GetDuctapeSession(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items.TryGetValue(SessionKey, out var session) ? session as ValidatedSession : null;
    }
}
