using Ductape.Sdk.Tokens;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Ductape.Sdk.Tests.DependencyInjection;

public class AddDuctapeConfigurationTests
{
    private static IConfigurationSection Section(Dictionary<string, string?> values, string name = "Ductape") =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection(name);

    [Test]
    public void Every_setting_is_read_from_the_section()
    {
        var key = SessionKey.Generate("2026-11");
        var old = SessionKey.Generate("2026-10");
        var services = new ServiceCollection();
        services.AddDuctape(Section(new()
        {
            ["Ductape:AccessKey"] = "ak_from_config",
            ["Ductape:BaseUrl"] = "http://localhost:4311/api",
            ["Ductape:Product"] = "ws:product",
            ["Ductape:Env"] = "dev",
            ["Ductape:Timeout"] = "00:00:05",
            ["Ductape:Retry:MaxRetries"] = "1",
            ["Ductape:Retry:AttemptTimeout"] = "00:00:02",
            ["Ductape:SessionKeys:0"] = key.ExportText(),
            ["Ductape:SessionKeys:1"] = old.ExportText(),
        }));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<DuctapeClientOptions>>().Value;
        Assert.That((options.AccessKey, options.BaseUrl, options.Product, options.Env),
            Is.EqualTo(("ak_from_config", new Uri("http://localhost:4311/api"), "ws:product", "dev")));
        Assert.That((options.Timeout, options.Retry.MaxRetries, options.Retry.AttemptTimeout),
            Is.EqualTo((TimeSpan.FromSeconds(5), 1, TimeSpan.FromSeconds(2))));
        Assert.That(options.SessionKeyTexts, Is.EqualTo(new[] { key.ExportText(), old.ExportText() }), "kept as text, the newest first");
        Assert.That(provider.GetRequiredService<DuctapeClient>(), Is.Not.Null);
        Assert.That(provider.GetRequiredService<SessionTokenValidator>(), Is.Not.Null);
    }

    [Test]
    public void Unreadable_values_are_reported_at_start_up_by_key_without_echoing_secrets()
    {
        var services = new ServiceCollection();
        services.AddDuctape(Section(new()
        {
            ["Ductape:AccessKey"] = "ak",
            ["Ductape:BaseUrl"] = "not a url",
            ["Ductape:Timeout"] = "soon",
            ["Ductape:Retry:MaxRetries"] = "many",
            ["Ductape:SessionKeys:0"] = "k1:this-is-not-a-valid-secret",
        }));
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.That(ex!.Message, Does.Contain("Ductape:BaseUrl is not an absolute URL")
            .And.Contain("Ductape:Timeout is not a time span")
            .And.Contain("Ductape:Retry:MaxRetries is not a whole number")
            .And.Contain("Ductape:SessionKeys:0 is not a session key"));
        Assert.That(ex.Message, Does.Not.Contain("this-is-not-a-valid-secret"));
    }

    [Test]
    public void A_wrong_section_name_is_named_at_start_up()
    {
        var services = new ServiceCollection();
        services.AddDuctape(Section(new() { ["Ductape:AccessKey"] = "ak" }, "Ductap"));
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.That(ex!.Message, Does.Contain("The configuration section 'Ductap' is missing or empty"));
    }

    [Test]
    public async Task Named_clients_read_their_own_sections()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ductape:Shop:AccessKey"] = "ak_shop",
            ["Ductape:Shop:Product"] = "acme:shop",
            ["Ductape:Shop:MaxResponseBytes"] = "65536",
            ["Ductape:Blog:AccessKey"] = "ak_blog",
            ["Ductape:Blog:Product"] = "acme:blog",
            ["Ductape:Blog:RevocationRecheckInterval"] = "00:01:00",
        }).Build();
        var services = new ServiceCollection();
        services.AddDuctape("shop", configuration.GetSection("Ductape:Shop"));
        services.AddDuctape("blog", configuration.GetSection("Ductape:Blog"));
        await using var provider = services.BuildServiceProvider();

        var monitor = provider.GetRequiredService<IOptionsMonitor<DuctapeClientOptions>>();
        Assert.That((monitor.Get("shop").Product, monitor.Get("shop").MaxResponseBytes), Is.EqualTo(("acme:shop", 65536)));
        Assert.That((monitor.Get("blog").Product, monitor.Get("blog").RevocationRecheckInterval), Is.EqualTo(("acme:blog", TimeSpan.FromMinutes(1))));
        Assert.That(provider.GetRequiredKeyedService<DuctapeClient>("shop"), Is.Not.SameAs(provider.GetRequiredKeyedService<DuctapeClient>("blog")));
    }
}
