using Ductape.Sdk.Tests.Tokens;
using Ductape.Sdk.Sessions;
using Ductape.Sdk.Tokens;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ductape.Sdk.Tests.DependencyInjection;

/// <summary>Options from the standard binder, and options that change while the host runs.</summary>
public class OptionsReloadTests : ProxyMockTest
{

    private static IConfigurationRoot Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    [Test]
    public void The_standard_binder_reads_session_keys_as_strings_for_a_named_client()
    {
        var kit = new TokenTestKit();
        var older = SessionKey.Generate("k0");
        var configuration = Configuration(new()
        {
            ["Ductape:Shop:AccessKey"] = "ak_shop",
            ["Ductape:Shop:Product"] = "acme:shop",
            ["Ductape:Shop:Env"] = "prd",
            ["Ductape:Shop:SessionKeys:0"] = kit.Key.ExportText(),
            ["Ductape:Shop:SessionKeys:1"] = older.ExportText(),
        });
        var services = new ServiceCollection();
        services.Configure<DuctapeClientOptions>("shop", configuration.GetSection("Ductape:Shop"));
        services.AddDuctape("shop", o => o.TimeProvider = kit.Time);
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();
        var options = provider.GetRequiredService<IOptionsMonitor<DuctapeClientOptions>>().Get("shop");
        Assert.That((options.AccessKey, options.SessionKeys, options.SessionKeyTexts.Count), Is.EqualTo(("ak_shop", (SessionKeyRing?)null, 2)));
        Assert.That(provider.GetRequiredKeyedService<SessionTokenValidator>("shop").Validate(kit.Make()).IsValid, Is.True);
        Assert.That(provider.GetRequiredKeyedService<DuctapeClient>("shop"), Is.Not.Null);
    }

    [Test]
    public void A_bad_session_key_string_from_the_standard_binder_fails_start_up_naming_its_index_not_its_value()
    {
        var configuration = Configuration(new()
        {
            ["Ductape:AccessKey"] = "ak",
            ["Ductape:SessionKeys:0"] = SessionKey.Generate("k1").ExportText(),
            ["Ductape:SessionKeys:1"] = "k2:not-a-secret-at-all",
        });
        var services = new ServiceCollection();
        services.Configure<DuctapeClientOptions>(configuration.GetSection("Ductape"));
        services.AddDuctape(_ => { });
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.That(ex!.Message, Does.Contain("DuctapeClientOptions.SessionKeys:1 is not a session key"));
        Assert.That(ex.Message, Does.Not.Contain("not-a-secret-at-all"));
    }

    [Test]
    public async Task A_rotated_access_key_and_session_key_take_effect_without_a_restart()
    {
        var kit = new TokenTestKit();
        var next = new SessionKey("k2", Enumerable.Range(100, 32).Select(i => (byte)i).ToArray());
        var configuration = Configuration(new()
        {
            ["Ductape:AccessKey"] = "ak_before",
            ["Ductape:BaseUrl"] = ProxyMock.BaseUrl,
            ["Ductape:Product"] = "acme:shop",
            ["Ductape:Env"] = "prd",
            ["Ductape:SessionKeys:0"] = kit.Key.ExportText(),
        });
        var services = new ServiceCollection();
        services.AddDuctape(configuration.GetSection("Ductape")).ConfigurePrimaryHttpMessageHandler(() => Mock.Network);
        services.AddSingleton<TimeProvider>(kit.Time);
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<DuctapeClient>();
        Mock.ThenData("[]").ThenData("[]");
        var token = kit.Make();

        await client.Products.Sessions.FetchAllAsync();
        Assert.That(provider.GetRequiredService<SessionTokenValidator>().Validate(token).IsValid, Is.True);
        Assert.That((await client.Sessions.VerifyAsync("session_name", token, SessionVerificationMode.Offline)).IsValid, Is.True);

        configuration["Ductape:AccessKey"] = "ak_after";
        configuration["Ductape:SessionKeys:0"] = next.ExportText();
        configuration.Reload();

        await client.Products.Sessions.FetchAllAsync();
        Assert.That(Mock.Requests.Select(r => r.Header("x-access-key")), Is.EqualTo(new[] { "ak_before", "ak_after" }));
        Assert.That(provider.GetRequiredService<SessionTokenValidator>().Validate(token).Failure, Is.EqualTo(SessionTokenFailure.UnknownKey),
            "the old key was rotated out");
        Assert.That((await client.Sessions.VerifyAsync("session_name", token, SessionVerificationMode.Offline)).Failure,
            Is.EqualTo(SessionTokenFailure.UnknownKey));
        Assert.That(Mock.Requests, Has.Count.EqualTo(2), "offline verification sent nothing");
    }

    [Test]
    public void The_validator_is_the_same_instance_until_the_options_change()
    {
        var kit = new TokenTestKit();
        var configuration = Configuration(new()
        {
            ["Ductape:AccessKey"] = "ak",
            ["Ductape:Product"] = "acme:shop",
            ["Ductape:Env"] = "prd",
            ["Ductape:SessionKeys:0"] = kit.Key.ExportText(),
        });
        var services = new ServiceCollection();
        services.AddDuctape(configuration.GetSection("Ductape"));
        using var provider = services.BuildServiceProvider();

        var first = provider.GetRequiredService<SessionTokenValidator>();
        Assert.That(provider.GetRequiredService<SessionTokenValidator>(), Is.SameAs(first));
        configuration.Reload();
        Assert.That(provider.GetRequiredService<SessionTokenValidator>(), Is.Not.SameAs(first));
    }

    [Test]
    public async Task An_invalid_reload_keeps_the_last_good_settings_and_does_not_throw_into_the_reload()
    {
        var kit = new TokenTestKit();
        var configuration = Configuration(new()
        {
            ["Ductape:AccessKey"] = "ak_good",
            ["Ductape:BaseUrl"] = ProxyMock.BaseUrl,
            ["Ductape:Product"] = "acme:shop",
            ["Ductape:Env"] = "prd",
            ["Ductape:SessionKeys:0"] = kit.Key.ExportText(),
        });
        var logs = new CapturingLoggerFactory();
        var services = new ServiceCollection();
        services.AddDuctape(configuration.GetSection("Ductape")).ConfigurePrimaryHttpMessageHandler(() => Mock.Network);
        services.AddSingleton<ILoggerFactory>(logs);
        services.AddSingleton<TimeProvider>(kit.Time);
        await using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        var client = provider.GetRequiredService<DuctapeClient>();
        Assert.That(provider.GetRequiredService<SessionTokenValidator>().Validate(kit.Make()).IsValid, Is.True);
        Mock.ThenData("[]");

        configuration["Ductape:AccessKey"] = "bad\r\nkey_secret";
        configuration["Ductape:SessionKeys:0"] = "k1:not-a-key";
        Assert.DoesNotThrow(configuration.Reload);
        await client.Products.Sessions.FetchAllAsync();

        Assert.That(Mock.Requests.Single().Header("x-access-key"), Is.EqualTo("ak_good"));
        Assert.That(provider.GetRequiredService<SessionTokenValidator>().Validate(kit.Make()).IsValid, Is.True, "the last valid keys stay");
        var warning = logs.Entries.Single(e => e.Message.Contains("changed but are invalid", StringComparison.Ordinal));
        Assert.That(warning.Message, Does.Contain("AccessKey (environment variable Ductape__AccessKey) contains a line break").And.Not.Contain("key_secret"));

        var fresh = new ServiceCollection();
        fresh.AddDuctape(configuration.GetSection("Ductape"));
        await using var restarted = fresh.BuildServiceProvider();
        Assert.Throws<OptionsValidationException>(() => restarted.GetRequiredService<IStartupValidator>().Validate(), "a start with those settings still fails");
    }
}
