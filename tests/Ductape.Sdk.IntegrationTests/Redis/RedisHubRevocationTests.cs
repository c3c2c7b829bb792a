using System.Diagnostics;
using Ductape.Sdk.IntegrationTests.SignalR;
using Ductape.Sdk.Redis;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Ductape.Sdk.IntegrationTests.Redis;

/// <summary>Two instances of an app sharing revocations through Redis: a revocation on one closes hub connections on the other.</summary>
public class RedisHubRevocationTests(string kind) : RedisFleetTest(kind)
{
    private async Task<SessionHost> AppInstance()
    {
        var (connection, _) = await Redis.ConnectAsync();
        var host = await SessionHost.StartAsync(services =>
        {
            services.AddSingleton<IConnectionMultiplexer>(connection);
            services.AddDuctapeRedisRevocations(o =>
            {
                o.HeartbeatInterval = TimeSpan.FromMilliseconds(100);
                o.StalenessLimit = TimeSpan.FromSeconds(1);
            });
        });
        await host.Services.GetRequiredService<RedisSessionRevocationStore>().Loaded.WaitAsync(TimeSpan.FromSeconds(10));
        return host;
    }

    [Test]
    public async Task A_revocation_on_one_instance_closes_the_sessions_hub_connection_on_another_within_a_second()
    {
        await using var a = await AppInstance();
        await using var b = await AppInstance();
        await using var connection = await b.ConnectAsync(SessionHost.Token("ses_fleet"));
        Assert.That(await connection.InvokeAsync<string>("Echo", "hi"), Is.EqualTo("hi"));
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };

        var clock = Stopwatch.StartNew();
        await a.Store.RevokeSessionAsync("ses_fleet");
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(1));

        TestContext.Out.WriteLine($"[{Kind}] closed on the other instance {clock.Elapsed.TotalMilliseconds:0} ms after the revocation");
        Assert.That(connection.State, Is.EqualTo(HubConnectionState.Disconnected));
    }
}
