using Ductape.Sdk.AspNetCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a health check for a Ductape client (<c>services.AddHealthChecks().AddDuctape()</c>).</summary>
public static class DuctapeHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a check that the Ductape client registered by <c>AddDuctape</c> is usable: valid options, and Ductape answers a
    /// read (<c>Products.Sessions.FetchAllAsync</c>) within <paramref name="timeout"/>.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="clientName">The name given to <c>AddDuctape(name, …)</c>, or null for the default client.</param>
    /// <param name="name">The check's name; <c>ductape</c> by default (<c>ductape:{clientName}</c> for a named client).</param>
    /// <param name="timeout">How long Ductape may take, retries included; 5 seconds by default.</param>
    /// <param name="failureStatus">What a failed check reports; <see cref="HealthStatus.Unhealthy"/> by default.</param>
    /// <param name="tags">Tags to filter checks by, such as <c>ready</c>.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddDuctape(
        this IHealthChecksBuilder builder, string? clientName = null, string? name = null, TimeSpan? timeout = null,
        HealthStatus? failureStatus = null, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var limit = timeout ?? TimeSpan.FromSeconds(5);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(limit, TimeSpan.Zero, nameof(timeout));
        return builder.Add(new HealthCheckRegistration(
            name ?? (clientName is null ? "ductape" : $"ductape:{clientName}"),
            services => new DuctapeHealthCheck(services, clientName, limit),
            failureStatus,
            tags));
    }
}
