using System.Net;
using System.Net.Sockets;
using Ductape.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Ductape.Sdk.IntegrationTests;

/// <summary><c>AddHealthChecks().AddDuctape()</c> against the local server: what each failure reports, and what it never says.</summary>
public class HealthCheckTests
{
    private DuctapeLocalServer _server = null!;

    [SetUp]
    public async Task SetUp() => _server = await DuctapeLocalServer.StartAsync();

    [TearDown]
    public async Task TearDown() => await _server.DisposeAsync();

    private static async Task<HealthReportEntry> Check(Action<IServiceCollection> register, TimeSpan? timeout = null, string? clientName = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        register(services);
        services.AddHealthChecks().AddDuctape(clientName, timeout: timeout);
        await using var provider = services.BuildServiceProvider();
        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        return report.Entries.Single().Value;
    }

    [Test]
    public async Task A_failing_Ductape_is_probed_once_without_retries()
    {
        _server.FailNext(10, HttpStatusCode.ServiceUnavailable);

        var entry = await Check(s => s.AddDuctape(o => _server.Configure(o, product: "acme:shop", env: "prd")));

        Assert.That((entry.Status, entry.Description), Is.EqualTo((HealthStatus.Unhealthy, "Ductape refused the check: UNAVAILABLE (503).")));
        Assert.That(_server.Journal, Has.Count.EqualTo(1), "one attempt: a probe must not multiply load on an outage");
    }

    [TestCase(null, 1)]
    [TestCase(0, 3)]
    public async Task Answers_are_reused_for_the_cache_duration(int? cacheSeconds, int calls)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDuctape(o => _server.Configure(o, product: "acme:shop", env: "prd"));
        services.AddHealthChecks().AddDuctape(cacheDuration: cacheSeconds is { } c ? TimeSpan.FromSeconds(c) : null);
        await using var provider = services.BuildServiceProvider();
        var health = provider.GetRequiredService<HealthCheckService>();

        for (var i = 0; i < 3; i++)
        {
            Assert.That((await health.CheckHealthAsync()).Status, Is.EqualTo(HealthStatus.Healthy));
        }

        Assert.That(_server.Journal, Has.Count.EqualTo(calls));
    }

    [Test]
    public async Task Healthy_when_Ductape_answers()
    {
        var entry = await Check(s => s.AddDuctape(o => _server.Configure(o, product: "acme:shop", env: "prd")));

        Assert.That((entry.Status, entry.Description), Is.EqualTo((HealthStatus.Healthy, "Ductape answered (0 session type(s)).")));
    }

    [Test]
    public async Task A_refused_access_key_is_unhealthy_with_Ductapes_code_and_never_the_key()
    {
        var entry = await Check(s => s.AddDuctape(o =>
        {
            _server.Configure(o, product: "acme:shop", env: "prd");
            o.AccessKey = "ak_wrong_0123456789";
        }));

        Assert.That(entry.Status, Is.EqualTo(HealthStatus.Unhealthy));
        Assert.That(entry.Description, Does.StartWith("Ductape refused the check: ").And.Contain("(401)"));
        Assert.That(entry.Description, Does.Not.Contain("ak_wrong"));
    }

    [Test]
    public async Task An_unreachable_Ductape_is_unhealthy_naming_the_host()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now

        var entry = await Check(s => s.AddDuctape(o =>
        {
            _server.Configure(o, product: "acme:shop", env: "prd");
            o.BaseUrl = new Uri($"http://127.0.0.1:{port}");
            o.Retry.MaxRetries = 0;
        }));

        Assert.That((entry.Status, entry.Description), Is.EqualTo((HealthStatus.Unhealthy, $"Ductape at 127.0.0.1:{port} could not be reached.")));
    }

    [Test]
    public async Task A_slow_Ductape_is_unhealthy_after_the_checks_own_limit()
    {
        _server.SetLatency(TimeSpan.FromSeconds(10));

        var entry = await Check(s => s.AddDuctape(o => _server.Configure(o, product: "acme:shop", env: "prd")), TimeSpan.FromMilliseconds(300));

        Assert.That((entry.Status, entry.Description), Is.EqualTo((HealthStatus.Unhealthy, "Ductape did not answer within 0.3 s.")));
        Assert.That(entry.Duration, Is.LessThan(TimeSpan.FromSeconds(5)));
    }

    [Test]
    public async Task Invalid_options_are_unhealthy_naming_the_setting()
    {
        var entry = await Check(s => s.AddDuctape(o => o.Product = "acme:shop"));

        Assert.That(entry.Status, Is.EqualTo(HealthStatus.Unhealthy));
        Assert.That(entry.Description, Does.Contain("DuctapeClientOptions.AccessKey is required"));
    }

    [Test]
    public async Task A_named_client_is_checked_by_its_name()
    {
        var entry = await Check(
            s => s.AddDuctape("shop", o => _server.Configure(o, product: "acme:shop", env: "prd")), clientName: "shop");

        Assert.That(entry.Status, Is.EqualTo(HealthStatus.Healthy));
    }
}
