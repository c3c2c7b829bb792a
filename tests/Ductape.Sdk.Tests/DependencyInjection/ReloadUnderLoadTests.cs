using System.Diagnostics;
using Ductape.Sdk.Tests.Tokens;
using Ductape.Sdk.Tokens;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ductape.Sdk.Tests.DependencyInjection;

/// <summary>Reload is all or nothing: an invalid reload changes nothing anywhere, even for HTTP handlers built meanwhile.</summary>
public class ReloadUnderLoadTests
{
    [Test]
    public async Task Thousands_of_calls_while_reloads_alternate_valid_and_invalid_settings_all_succeed_on_valid_ones()
    {
        using var mock = new ProxyMock();
        mock.ThenData("[]");
        var kit = new TokenTestKit();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ductape:AccessKey"] = "ak_0",
            ["Ductape:BaseUrl"] = ProxyMock.BaseUrl,
            ["Ductape:Product"] = "acme:shop",
            ["Ductape:Env"] = "prd",
            ["Ductape:SessionKeys:0"] = kit.Key.ExportText(),
        }).Build();
        var logs = new CapturingLoggerFactory();
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(logs);
        services.AddSingleton<TimeProvider>(kit.Time); // the tokens' clock; nothing here waits on it
        services.AddDuctape(configuration.GetSection("Ductape"))
            .ConfigurePrimaryHttpMessageHandler(() => mock.Network)
            .SetHandlerLifetime(TimeSpan.FromSeconds(1)); // handlers are rebuilt while the reloads go on
        await using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        var client = provider.GetRequiredService<DuctapeClient>();

        var clock = Stopwatch.StartNew();
        var reloads = 0;
        var reloading = Task.Run(() =>
        {
            // Alternating for 2.5 s, ending on an invalid reload that stays while the calls go on past a handler lifetime:
            // handlers are surely rebuilt while the options in the monitor are invalid.
            while (clock.Elapsed < TimeSpan.FromSeconds(2.5) || reloads % 2 == 0)
            {
                var valid = reloads % 2 == 0;
                configuration["Ductape:AccessKey"] = valid ? $"ak_{reloads}" : "bad\r\nkey";
                configuration["Ductape:Timeout"] = valid ? "00:00:30" : "00:00:00";
                configuration["Ductape:MaxResponseBytes"] = valid ? "4194304" : "10";
                configuration["Ductape:Retry:AttemptTimeout"] = valid ? "00:00:10" : "-00:00:01";
                configuration["Ductape:SessionKeys:0"] = valid ? kit.Key.ExportText() : "k1:not-a-key";
                configuration.Reload();
                reloads++;
                Thread.Yield();
            }
        });

        var calls = 0;
        var failures = new List<Exception>();
        var workers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (Volatile.Read(ref calls) < 4000 || clock.Elapsed < TimeSpan.FromSeconds(4))
            {
                Interlocked.Increment(ref calls);
                try
                {
                    await client.Products.Sessions.FetchAllAsync();
                }
                catch (Exception ex)
                {
                    lock (failures)
                    {
                        failures.Add(ex);
                    }
                }

                if (!provider.GetRequiredService<SessionTokenValidator>().Validate(kit.Make()).IsValid)
                {
                    lock (failures)
                    {
                        failures.Add(new InvalidOperationException("the validator lost its keys"));
                    }
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        await reloading;

        TestContext.Out.WriteLine($"{calls} calls, {reloads} reloads in {clock.Elapsed.TotalSeconds:0.0} s, {failures.Count} failures");
        Assert.That(failures.Select(f => f.GetType().Name + ": " + f.Message).Distinct(), Is.Empty);
        Assert.That(reloads, Is.GreaterThan(100));
        Assert.That(mock.Requests.Select(r => r.Header("x-access-key")), Has.All.StartWith("ak_"));
        Assert.That(logs.Entries.Count(e => e.Message.Contains("changed but are invalid", StringComparison.Ordinal)), Is.GreaterThan(0));
        Assert.That(logs.Entries.Select(e => e.Message), Has.None.Contain("not-a-key").And.None.Contain("bad\r\n"));
    }
}
