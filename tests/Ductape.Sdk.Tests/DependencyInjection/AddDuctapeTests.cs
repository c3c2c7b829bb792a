using System.Net;
using Ductape.Sdk.Tests.Tokens;
using Ductape.Sdk.Tokens;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Ductape.Sdk.Tests.DependencyInjection;

public class AddDuctapeTests : ProxyMockTest
{

    private ServiceProvider Build(Action<IServiceCollection> register)
    {
        var services = new ServiceCollection();
        register(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    [Test]
    public async Task The_client_is_a_singleton_on_the_factory_client_with_the_sdk_handler_in_the_chain()
    {
        Mock.ThenStatus(HttpStatusCode.ServiceUnavailable, ProxyMock.Failure("UNAVAILABLE", "busy")).ThenData("[]");
        await using var provider = Build(s => s
            .AddDuctape(o =>
            {
                o.AccessKey = ProxyMock.AccessKey;
                o.BaseUrl = new Uri(ProxyMock.BaseUrl);
                o.Product = ProxyMock.Product;
                o.Env = ProxyMock.Env;
                o.Retry.BaseDelay = TimeSpan.Zero;
            })
            .ConfigurePrimaryHttpMessageHandler(() => Mock.Network));

        var client = provider.GetRequiredService<DuctapeClient>();
        Assert.That(provider.GetRequiredService<DuctapeClient>(), Is.SameAs(client));

        Assert.That(await client.Products.Sessions.FetchAllAsync(), Is.Empty);
        Assert.That(Mock.Requests, Has.Count.EqualTo(2), "the 503 was retried by the SDK's handler");
        Assert.That(Mock.Requests[1].Header("x-access-key"), Is.EqualTo(ProxyMock.AccessKey));
        Assert.That(Mock.Requests[1].Uri, Is.EqualTo(new Uri(ProxyMock.Endpoint)));
    }

    [Test]
    public void Invalid_options_fail_with_one_message_listing_every_problem()
    {
        using var provider = Build(s => s.AddDuctape(o => o.BaseUrl = new Uri("/relative", UriKind.Relative)));
        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<DuctapeClient>());
        Assert.That(ex!.Message, Does.Contain("DuctapeClientOptions.AccessKey is required")
            .And.Contain("DuctapeClientOptions.BaseUrl must be an absolute http or https URL"));
    }

    [Test]
    public void Options_are_validated_at_start_up()
    {
        using var provider = Build(s => s.AddDuctape(o => o.Retry.MaxRetries = -1));
        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.That(ex!.Message, Does.Contain("Retry.MaxRetries must be between 0 and 10"));
    }

    [Test]
    public async Task Keyed_registrations_serve_several_products()
    {
        Mock.ThenData("[]");
        await using var provider = Build(s =>
        {
            s.AddDuctape("shop", o => { o.AccessKey = "k1"; o.BaseUrl = new Uri(ProxyMock.BaseUrl); o.Product = "acme:shop"; })
                .ConfigurePrimaryHttpMessageHandler(() => Mock.Network);
            s.AddDuctape("blog", o => { o.AccessKey = "k2"; o.BaseUrl = new Uri(ProxyMock.BaseUrl); o.Product = "acme:blog"; })
                .ConfigurePrimaryHttpMessageHandler(() => Mock.Network);
        });

        await provider.GetRequiredKeyedService<DuctapeClient>("shop").Products.Sessions.FetchAllAsync();
        await provider.GetRequiredKeyedService<DuctapeClient>("blog").Products.Sessions.FetchAllAsync();

        Assert.That(Mock.Requests.Select(r => (r.Params[0].GetString(), r.Header("x-access-key"))),
            Is.EqualTo(new[] { ("acme:shop", "k1"), ("acme:blog", "k2") }));
        Assert.That(provider.GetService<DuctapeClient>(), Is.Null, "no unnamed client was registered");
    }

    [Test]
    public void The_token_validator_is_registered_for_configured_session_keys()
    {
        var kit = new TokenTestKit();
        using var provider = Build(s => s.AddDuctape(o =>
        {
            o.AccessKey = "k";
            o.SessionKeys = kit.Ring;
            o.TimeProvider = kit.Time;
            o.Product = "acme:shop";
            o.Env = "prd";
        }));
        var validator = provider.GetRequiredService<SessionTokenValidator>();
        Assert.That(validator.Validate(kit.Make()).IsValid, Is.True);

        // The audience comes from the client's options: the same keys, another environment → refused.
        using var staging = Build(s => s.AddDuctape(o =>
        {
            o.AccessKey = "k";
            o.SessionKeys = kit.Ring;
            o.TimeProvider = kit.Time;
            o.Product = "acme:shop";
            o.Env = "stg";
        }));
        Assert.That(staging.GetRequiredService<SessionTokenValidator>().Validate(kit.Make()).Failure,
            Is.EqualTo(SessionTokenFailure.AudienceMismatch));

        using var noEnv = Build(s => s.AddDuctape(o => { o.AccessKey = "k"; o.SessionKeys = kit.Ring; o.Product = "acme:shop"; }));
        Assert.That(Assert.Throws<InvalidOperationException>(() => noEnv.GetRequiredService<SessionTokenValidator>())!.Message,
            Does.Contain("DuctapeClientOptions.Product and Env"));

        using var withoutKeys = Build(s => s.AddDuctape(o => o.AccessKey = "k"));
        var ex = Assert.Throws<InvalidOperationException>(() => withoutKeys.GetRequiredService<SessionTokenValidator>());
        Assert.That(ex!.Message, Does.Contain("DuctapeClientOptions.SessionKeys"));
    }

    [Test]
    public void The_hosts_TimeProvider_logging_and_revocation_store_are_used_when_the_app_sets_none()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var store = new InMemorySessionRevocationStore();
        using var provider = Build(s =>
        {
            s.AddSingleton<TimeProvider>(time);
            s.AddSingleton<ISessionRevocationStore>(store);
            s.AddDuctape(o => o.AccessKey = "k");
        });

        var options = provider.GetRequiredService<IOptionsMonitor<DuctapeClientOptions>>().Get(Options.DefaultName);

        Assert.That(options.TimeProvider, Is.SameAs(time));
        Assert.That(options.RevocationStore, Is.SameAs(store));
    }

    [Test]
    public void A_clock_the_app_sets_wins_over_the_hosts()
    {
        var mine = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        using var provider = Build(s =>
        {
            s.AddSingleton<TimeProvider>(new Microsoft.Extensions.Time.Testing.FakeTimeProvider());
            s.AddDuctape(o =>
            {
                o.AccessKey = "k";
                o.TimeProvider = mine;
            });
        });

        Assert.That(provider.GetRequiredService<IOptionsMonitor<DuctapeClientOptions>>().Get(Options.DefaultName).TimeProvider, Is.SameAs(mine));
    }
}
