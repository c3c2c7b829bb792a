using Ductape.Sdk;
using Ductape.Sdk.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

// Where AddJwtBearer is: a new web project finds it without a using.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Ductape session authentication.</summary>
public static class DuctapeAuthenticationBuilderExtensions
{
    /// <summary>
    /// Authenticates <c>Authorization: Bearer &lt;session token&gt;</c> for one session type, validating tokens offline with
    /// the <see cref="Ductape.Sdk.Tokens.SessionTokenValidator"/> that <c>AddDuctape</c> registers (audience and revocations
    /// included). The host fails at start-up when no validator can be had (no <c>DuctapeClientOptions.SessionKeys</c> and no
    /// <see cref="DuctapeSessionAuthenticationOptions.Validator"/>).
    /// </summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="sessionTag">The session type's tag tokens must carry.</param>
    /// <param name="configure">Further settings, such as an explicit validator.</param>
    /// <param name="scheme">The scheme name; <see cref="DuctapeSessionDefaults.AuthenticationScheme"/> by default.</param>
    /// <returns>The builder.</returns>
    public static AuthenticationBuilder AddDuctapeSession(
        this AuthenticationBuilder builder, string sessionTag, Action<DuctapeSessionAuthenticationOptions>? configure = null,
        string scheme = DuctapeSessionDefaults.AuthenticationScheme)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(sessionTag);
        builder.Services.AddOptions<DuctapeSessionAuthenticationOptions>(scheme)
            .Validate<IOptionsMonitor<DuctapeClientOptions>>(
                (options, ductape) => options.Validator is not null || ductape.CurrentValue.SessionKeys is not null
                    || ductape.CurrentValue.SessionKeyTexts.Count > 0,
                $"The Ductape session scheme '{scheme}' has no way to validate tokens: set DuctapeClientOptions.SessionKeys in " +
                "AddDuctape(...) (configuration: Ductape:SessionKeys), or DuctapeSessionAuthenticationOptions.Validator.")
            .ValidateOnStart();
        return builder.AddScheme<DuctapeSessionAuthenticationOptions, DuctapeSessionAuthenticationHandler>(scheme, options =>
        {
            options.SessionTag = sessionTag;
            configure?.Invoke(options);
        });
    }
}
