using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Ductape.Sdk.AspNetCore;

/// <summary>
/// Reports whether a registered Ductape client is usable: its options are valid and Ductape answers one read, without
/// retries, within a short limit. The answer is kept for a while (<see cref="HealthProbe"/>), so frequent probes of many
/// instances do not turn into load on Ductape. The description names the problem (a setting, Ductape's error code, a
/// timeout or the host that could not be reached), never a key, a token or session data.
/// </summary>
internal sealed class DuctapeHealthCheck(IServiceProvider services, string? clientName, TimeSpan timeout, HealthProbe probe) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        probe.RunAsync(() => ProbeAsync(context.Registration.FailureStatus), cancellationToken);

    private async Task<HealthCheckResult> ProbeAsync(HealthStatus failure)
    {
        var options = services.GetRequiredService<IOptionsMonitor<DuctapeClientOptions>>();
        try
        {
            // Throws when the options fail validation at start; the message lists every problem, each naming its setting.
            _ = options.Get(clientName ?? Options.DefaultName);
        }
        catch (OptionsValidationException ex)
        {
            return new HealthCheckResult(failure, "Ductape client options are invalid: " + ex.Message);
        }

        var client = clientName is null
            ? services.GetRequiredService<DuctapeClient>()
            : services.GetRequiredKeyedService<DuctapeClient>(clientName);
        try
        {
            // The cheapest read every key may make: one request, one attempt, bounded by the check's own limit.
            var types = await client.Products.Sessions
                .FetchAllAsync(new DuctapeRequestOptions { Timeout = timeout, MaxRetries = 0 }, CancellationToken.None)
                .ConfigureAwait(false);
            return HealthCheckResult.Healthy($"Ductape answered ({types.Count} session type(s)).");
        }
        catch (DuctapeApiException ex)
        {
            return new HealthCheckResult(failure, $"Ductape refused the check: {ex.Code ?? "no code"} ({(int)ex.StatusCode}).");
        }
        catch (DuctapeTimeoutException)
        {
            return new HealthCheckResult(failure, $"Ductape did not answer within {timeout.TotalSeconds:0.###} s.");
        }
        catch (DuctapeConnectionException ex)
        {
            return new HealthCheckResult(failure, $"Ductape at {ex.Host} could not be reached.");
        }
        catch (InvalidOperationException ex)
        {
            // No product, or a publishable key alone: a configuration problem the message names.
            return new HealthCheckResult(failure, ex.Message);
        }
    }
}
