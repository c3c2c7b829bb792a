using Ductape.Sdk.Tokens;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Ductape.Sdk.AspNetCore;

/// <summary>
/// Fails start-up for a scheme that cannot validate tokens, naming the scheme and what is missing: the client it names is not
/// registered, or has no session keys, product or env.
/// </summary>
internal sealed class DuctapeSessionAuthenticationOptionsValidator(IServiceProvider services) : IValidateOptions<DuctapeSessionAuthenticationOptions>
{
    public ValidateOptionsResult Validate(string? name, DuctapeSessionAuthenticationOptions options)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(options.SessionTag))
        {
            problems.Add("SessionTag is required.");
        }

        if (!Enum.IsDefined(options.RevocationUnknownResponse))
        {
            problems.Add("RevocationUnknownResponse is not a defined DuctapeRevocationUnknownResponse.");
        }

        if (options.RevocationUnknownRetryAfter < TimeSpan.Zero || options.RevocationUnknownRetryAfter > TimeSpan.FromDays(1))
        {
            problems.Add("RevocationUnknownRetryAfter must be between 0 and one day.");
        }

        if (options.Validator is null && ClientProblem(options.ClientName) is { } problem)
        {
            problems.Add(problem);
        }

        return problems.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"The Ductape session scheme '{name}' is invalid: " + string.Join(" ", problems));
    }

    private string? ClientProblem(string? clientName)
    {
        var register = clientName is null ? "services.AddDuctape(…)" : $"services.AddDuctape(\"{clientName}\", …)";
        var client = clientName is null ? "the default Ductape client" : $"the Ductape client '{clientName}'";
        try
        {
            var validator = clientName is null
                ? services.GetService<SessionTokenValidator>()
                : services.GetKeyedService<SessionTokenValidator>(clientName);
            return validator is null
                ? $"It validates tokens for {client}, which is not registered: add {register}, or set ClientName to the name of a registered client."
                : null;
        }
        catch (OptionsValidationException ex)
        {
            return $"It validates tokens for {client}, whose options are invalid: {ex.Message}";
        }
        catch (InvalidOperationException ex)
        {
            // No session keys, product or env: the message names the setting.
            return $"It validates tokens for {client}, which cannot validate them: {ex.Message}";
        }
    }
}
