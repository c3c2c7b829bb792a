using Ductape.Sdk.AspNetCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers health checks for Ductape (<c>services.AddHealthChecks().AddDuctape()</c>, <c>.AddDuctapeRevocations()</c>).</summary>
public static class DuctapeHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a check that the Ductape client registered by <c>AddDuctape</c> is usable: valid options, and Ductape answers one
    /// read (<c>Products.Sessions.FetchAllAsync</c>, a single attempt) within <paramref name="timeout"/>. The answer is kept
    /// for <paramref name="cacheDuration"/>, so probes of many instances do not become load on Ductape.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="clientName">The name given to <c>AddDuctape(name, …)</c>, or null for the default client.</param>
    /// <param name="name">The check's name; <c>ductape</c> by default (<c>ductape:{clientName}</c> for a named client).</param>
    /// <param name="timeout">How long Ductape may take; 2 seconds by default.</param>
    /// <param name="failureStatus">What a failed check reports; <see cref="HealthStatus.Unhealthy"/> by default.</param>
    /// <param name="tags">Tags to filter checks by, such as <c>live</c>.</param>
    /// <param name="cacheDuration">How long an answer is reused; 10 seconds by default, <see cref="TimeSpan.Zero"/> to probe
    /// every time.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddDuctape(
        this IHealthChecksBuilder builder, string? clientName = null, string? name = null, TimeSpan? timeout = null,
        HealthStatus? failureStatus = null, IEnumerable<string>? tags = null, TimeSpan? cacheDuration = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var limit = timeout ?? TimeSpan.FromSeconds(2);
        var cache = cacheDuration ?? TimeSpan.FromSeconds(10);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(limit, TimeSpan.Zero, nameof(timeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(cache, TimeSpan.Zero, nameof(cacheDuration));
        var checkName = name ?? (clientName is null ? "ductape" : $"ductape:{clientName}");
        // One probe state per registration and service provider (health checks themselves are built per run).
        builder.Services.AddKeyedSingleton(ProbeKey(checkName), (sp, _) => new HealthProbe(cache, sp.GetService<TimeProvider>() ?? TimeProvider.System));
        return builder.Add(new HealthCheckRegistration(
            checkName,
            services => new DuctapeHealthCheck(services, clientName, limit, services.GetRequiredKeyedService<HealthProbe>(ProbeKey(checkName))),
            failureStatus,
            tags));
    }

    /// <summary>
    /// Adds a check of the revocation store (<c>ISessionRevocationStore.GetHealth()</c>): Healthy when current, Degraded when
    /// behind but still validating tokens (stale within its limit, failing open, or holding revocations not yet shared),
    /// and <paramref name="failureStatus"/> when it fails closed and so refuses every token. Its data holds
    /// <c>age_seconds</c> (since the store last heard from its source) and <c>unshared</c>. Tagged <c>ready</c> by default:
    /// an instance that refuses every token should get no traffic.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name; <c>ductape-revocations</c> by default.</param>
    /// <param name="failureStatus">What a store that fails closed reports; <see cref="HealthStatus.Unhealthy"/> by default.</param>
    /// <param name="tags">Tags to filter checks by; <c>ready</c> by default.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddDuctapeRevocations(
        this IHealthChecksBuilder builder, string? name = null, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new HealthCheckRegistration(
            name ?? "ductape-revocations",
            services => new DuctapeRevocationsHealthCheck(services),
            failureStatus,
            tags ?? ["ready"]));
    }

    private static string ProbeKey(string checkName) => "Ductape.HealthProbe:" + checkName;
}
