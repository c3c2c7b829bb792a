using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Ductape.Sdk.AspNetCore;

/// <summary>
/// One health check registration's last answer, kept for a while: concurrent checks share the probe in flight, and later
/// ones reuse its answer until it is older than the cache duration. A probe runs to its own limit whatever the caller's
/// cancellation does (the next caller gets its answer).
/// </summary>
internal sealed class HealthProbe(TimeSpan cacheFor, TimeProvider time)
{
    private readonly object _gate = new();
    private Task<HealthCheckResult>? _current;
    private DateTimeOffset _answeredAt;

    public Task<HealthCheckResult> RunAsync(
        Func<Task<HealthCheckResult>> probe, CancellationToken cancellationToken)
    {
        Task<HealthCheckResult> current;
        lock (_gate)
        {
            if (_current is null || (_current.IsCompleted && time.GetUtcNow() - _answeredAt >= cacheFor))
            {
                _current = Answer(probe);
            }

            current = _current;
        }

        return current.WaitAsync(cancellationToken);
    }

    private async Task<HealthCheckResult> Answer(
        Func<Task<HealthCheckResult>> probe)
    {
        try
        {
            return await probe().ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                _answeredAt = time.GetUtcNow();
            }
        }
    }
}
