using Ductape.Sdk.Tokens;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Ductape.Sdk.AspNetCore;

/// <summary>
/// Reports the revocation store's own health (<see cref="ISessionRevocationStore.GetHealth"/>): Healthy when current,
/// Degraded when behind but still validating (stale within its limit, failing open, or with revocations not yet shared),
/// Unhealthy when it fails closed and so refuses every token. Data: <c>age_seconds</c> (since it last heard from its
/// source) and <c>unshared</c>.
/// </summary>
internal sealed class DuctapeRevocationsHealthCheck(IServiceProvider services) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var store = services.GetService<ISessionRevocationStore>();
        if (store is null)
        {
            return Task.FromResult(HealthCheckResult.Healthy("No revocation store is registered (AddDuctape registers one)."));
        }

        SessionRevocationStoreHealth health;
        try
        {
            health = store.GetHealth();
        }
        catch (Exception ex)
        {
            return Task.FromResult(new HealthCheckResult(context.Registration.FailureStatus,
                $"The revocation store could not report its health ({ex.GetType().Name})."));
        }

        var data = new Dictionary<string, object> { ["unshared"] = health.Unshared };
        if (health.Age is { } age)
        {
            data["age_seconds"] = Math.Round(age.TotalSeconds, 3);
        }

        var status = health.Status switch
        {
            SessionRevocationStoreStatus.Healthy => HealthStatus.Healthy,
            SessionRevocationStoreStatus.Degraded => HealthStatus.Degraded,
            _ => context.Registration.FailureStatus,
        };
        return Task.FromResult(new HealthCheckResult(status, health.Description, data: data));
    }
}
