using Ductape.Sdk.AspNetCore;

namespace Microsoft.AspNetCore.Authentication;

/// <summary>Adds Ductape session authentication.</summary>
public static class DuctapeAuthenticationBuilderExtensions
{
    /// <summary>The default authentication scheme name.</summary>
    public const string DefaultScheme = "DuctapeSession";

    /// <summary>
    /// Authenticates <c>Authorization: Bearer &lt;session token&gt;</c> for one session type, validating tokens offline.
    /// </summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="sessionTag">The session type's tag tokens must carry.</param>
    /// <param name="configure">Further settings, such as an explicit validator.</param>
    /// <param name="scheme">The scheme name; <see cref="DefaultScheme"/> by default.</param>
    /// <returns>The builder.</returns>
    public static AuthenticationBuilder AddDuctapeSession(
        this AuthenticationBuilder builder, string sessionTag, Action<DuctapeSessionAuthenticationOptions>? configure = null,
        string scheme = DefaultScheme)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(sessionTag);
        return builder.AddScheme<DuctapeSessionAuthenticationOptions, DuctapeSessionAuthenticationHandler>(scheme, options =>
        {
            options.SessionTag = sessionTag;
            configure?.Invoke(options);
        });
    }
}
