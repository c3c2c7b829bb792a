using Ductape.Sdk.Redis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Ductape.Sdk.IntegrationTests.Redis;

/// <summary>The revocations health check in a host on a real Redis store: ready while current, not when failing closed.</summary>
public class RedisHealthTests(string kind) : RedisFleetTest(kind)
{
    [TestCase(RevocationStalenessPolicy.FailClosed, HealthStatus.Unhealthy)]
    [TestCase(RevocationStalenessPolicy.FailOpen, HealthStatus.Degraded)]
    public async Task Healthy_while_current_then_what_the_policy_does_when_Redis_is_gone(RevocationStalenessPolicy policy, HealthStatus stale)
    {
        var (connection, _) = await Redis.ConnectAsync();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConnectionMultiplexer>(connection);
        services.AddDuctapeRedisRevocations(o =>
        {
            o.HeartbeatInterval = TimeSpan.FromMilliseconds(100);
            o.StalenessLimit = TimeSpan.FromSeconds(1);
            o.StalenessPolicy = policy;
        });
        services.AddHealthChecks().AddDuctapeRevocations();
        await using var provider = services.BuildServiceProvider();
        var health = provider.GetRequiredService<HealthCheckService>();
        await provider.GetRequiredService<RedisSessionRevocationStore>().Loaded.WaitAsync(TimeSpan.FromSeconds(10));

        var ready = await health.CheckHealthAsync(r => r.Tags.Contains("ready"));
        Assert.That(ready.Status, Is.EqualTo(HealthStatus.Healthy), ready.Entries.Single().Value.Description);

        await Redis.KillAsync();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        HealthReportEntry entry;
        do
        {
            // Lagging first (Degraded whatever the policy), then stale beyond the limit: what the policy does.
            await Task.Delay(20);
            entry = (await health.CheckHealthAsync()).Entries["ductape-revocations"];
        }
        while (entry.Description?.StartsWith("No word from Redis for", StringComparison.Ordinal) != true && clock.Elapsed < TimeSpan.FromSeconds(5));

        Assert.That(entry.Status, Is.EqualTo(stale), entry.Description);
        Assert.That((double)entry.Data["age_seconds"], Is.GreaterThan(1.0));
    }
}
