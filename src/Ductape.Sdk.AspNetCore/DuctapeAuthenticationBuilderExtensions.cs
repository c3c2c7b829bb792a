using Ductape.Sdk;
using Ductape.Sdk.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

// Where AddJwtBearer is: a new web project finds it without a using.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Ductape session authentication.</summary>
public static class DuctapeAuthenticationBuilderExtensions
{
    /// <summary>
    /// Authenticates <c>Authorization: Bearer &lt;session token&gt;</c> for one session type, validating tokens offline
    /// (audience and revocations included) with the validator of the Ductape client the scheme names
    /// (<see cref="DuctapeSessionAuthenticationOptions.ClientName"/>; the default client when null), resolved per request so key
    /// rotation takes effect at once. Several schemes may stand side by side, one per product. The host fails at start-up
    /// when a scheme cannot validate tokens, naming the scheme and what is missing.
    /// </summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="sessionTag">The session type's tag tokens must carry.</param>
    /// <param name="configure">Further settings: the client's name, events, an explicit validator.</param>
    /// <param name="scheme">The scheme name; <see cref="DuctapeSessionDefaults.AuthenticationScheme"/> by default.</param>
    /// <returns>The builder.</returns>
    public static AuthenticationBuilder AddDuctapeSession(
        this AuthenticationBuilder builder, string sessionTag, Action<DuctapeSessionAuthenticationOptions>? configure = null,
        string scheme = DuctapeSessionDefaults.AuthenticationScheme)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(sessionTag);
        ArgumentException.ThrowIfNullOrWhiteSpace(scheme);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DuctapeSessionAuthenticationOptions>,
            DuctapeSessionAuthenticationOptionsValidator>());
        builder.Services.AddOptions<DuctapeSessionAuthenticationOptions>(scheme).ValidateOnStart();
        return builder.AddScheme<DuctapeSessionAuthenticationOptions, DuctapeSessionAuthenticationHandler>(scheme, options =>
        {
            options.SessionTag = sessionTag;
            configure?.Invoke(options);
        });
    }
}
