using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Polly;

namespace Ductape.Sdk.Tests.DependencyInjection;

/// <summary>
/// One retry layer whatever the host adds: a call makes at most MaxRetries + 1 attempts even with Microsoft's standard
/// resilience handler on every client (Aspire's service defaults) or on the builder AddDuctape returns.
/// </summary>
public class OneRetryLayerTests : ProxyMockTest
{
    private CapturingLoggerFactory _logs = null!;

    [SetUp]
    public void SetUp()
    {
        Mock.ThenStatus(HttpStatusCode.ServiceUnavailable, ProxyMock.Failure("UNAVAILABLE", "down"));
        _logs = new CapturingLoggerFactory();
    }

    private async Task<int> AttemptsWith(Action<IServiceCollection, Func<IHttpClientBuilder>> register)
    {
        var services = new ServiceCollection();
        services.AddSingleton<Microsoft.Extensions.Logging.ILoggerFactory>(_logs);
        register(services, () => services.AddDuctape(o =>
        {
            o.AccessKey = ProxyMock.AccessKey;
            o.BaseUrl = new Uri(ProxyMock.BaseUrl);
            o.Product = ProxyMock.Product;
            o.Retry.MaxRetries = 3;
            o.Retry.BaseDelay = TimeSpan.Zero;
            o.Retry.MaxDelay = TimeSpan.Zero;
        }).ConfigurePrimaryHttpMessageHandler(() => Mock.Network));
        await using var provider = services.BuildServiceProvider();

        var ex = Assert.ThrowsAsync<DuctapeApiException>(() => provider.GetRequiredService<DuctapeClient>().Products.Sessions.FetchAllAsync());
        Assert.That(ex!.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        return Mock.Requests.Count;
    }

    [Test]
    public async Task The_hosts_default_standard_resilience_handler_does_not_multiply_attempts()
    {
        var attempts = await AttemptsWith((services, addDuctape) =>
        {
            services.ConfigureHttpClientDefaults(b => b.AddStandardResilienceHandler());
            addDuctape();
        });

        Assert.That(attempts, Is.EqualTo(4));
        Assert.That(_logs.Entries.Select(e => e.Message), Has.Some.Contains("resilience handler(s) added by the host"));
    }

    [Test]
    public async Task A_Polly_retry_policy_on_every_client_does_not_multiply_attempts()
    {
        var attempts = await AttemptsWith((services, addDuctape) =>
        {
            services.ConfigureHttpClientDefaults(b => b.AddTransientHttpErrorPolicy(p => p.RetryAsync(3)));
            addDuctape().AddTransientHttpErrorPolicy(p => p.RetryAsync(3));
        });

        Assert.That(attempts, Is.EqualTo(4), "16 before: the policy retried each of the SDK's attempts");
        Assert.That(_logs.Entries.Select(e => e.Message), Has.Some.Contains("Took 2 resilience handler(s) added by the host"));
    }

    [Test]
    public async Task A_standard_resilience_handler_on_the_builder_does_not_multiply_attempts()
    {
        var attempts = await AttemptsWith((_, addDuctape) => addDuctape().AddStandardResilienceHandler());
        Assert.That(attempts, Is.EqualTo(4));
    }

    [Test]
    public async Task Without_one_the_sdk_makes_max_retries_plus_one_attempts()
    {
        var attempts = await AttemptsWith((_, addDuctape) => addDuctape());
        Assert.That(attempts, Is.EqualTo(4));
    }

    [Test]
    public async Task Other_clients_keep_the_hosts_resilience_handler()
    {
        var services = new ServiceCollection();
        services.ConfigureHttpClientDefaults(b => b.AddStandardResilienceHandler());
        services.AddDuctape(o => o.AccessKey = "k");
        services.AddHttpClient("other");
        await using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<System.Net.Http.IHttpMessageHandlerFactory>();

        Assert.That(Chain(factory.CreateHandler("other")), Has.Some.Matches<string>(n => n.StartsWith("Microsoft.Extensions.Http.Resilience.", StringComparison.Ordinal)));
        Assert.That(Chain(factory.CreateHandler("Ductape.Sdk")), Has.None.Matches<string>(n => n.StartsWith("Microsoft.Extensions.Http.Resilience.", StringComparison.Ordinal)));
    }

    private static List<string> Chain(HttpMessageHandler handler)
    {
        var names = new List<string>();
        for (HttpMessageHandler? current = handler; current is not null; current = (current as DelegatingHandler)?.InnerHandler)
        {
            names.Add(current.GetType().FullName!);
        }

        return names;
    }
}
