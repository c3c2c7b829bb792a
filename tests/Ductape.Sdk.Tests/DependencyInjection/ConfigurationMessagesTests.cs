using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ductape.Sdk.Tests.DependencyInjection;

/// <summary>Configuration mistakes are reported where they are: the configuration path and its environment-variable form, once.</summary>
public class ConfigurationMessagesTests
{
    private static IConfigurationRoot Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    [Test]
    public void A_missing_access_key_names_its_configuration_path_and_environment_variable_once()
    {
        var configuration = Configuration(new() { ["Ductape:Blog:Product"] = "acme:blog", ["Ductape:Blog:Env"] = "prd" });
        var services = new ServiceCollection();
        services.AddDuctape("blog", configuration.GetSection("Ductape:Blog"));
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.That(ex!.Message, Does.Contain("Ductape:Blog:AccessKey (environment variable Ductape__Blog__AccessKey) is required"));
        Assert.That(Regex.Count(ex.Message, "is required"), Is.EqualTo(1), "said once");
    }

    [Test]
    public void A_misspelled_key_is_named_with_the_setting_it_was_probably_meant_to_be()
    {
        var configuration = Configuration(new() { ["Ductape:Acesskey"] = "ak_typo_secret", ["Ductape:Product"] = "acme:shop" });
        var services = new ServiceCollection();
        services.AddDuctape(configuration.GetSection("Ductape"));
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.That(ex!.Message, Does.Contain("Ductape:AccessKey (environment variable Ductape__AccessKey) is required")
            .And.Contain("Also: Ductape:Acesskey is not a Ductape setting and is ignored; did you mean Ductape:AccessKey?")
            .And.Not.Contain("ak_typo_secret"));
    }

    [Test]
    public void A_misspelled_key_under_the_section_is_a_start_up_warning_naming_it()
    {
        var configuration = Configuration(new()
        {
            ["Ductape:AccessKey"] = "ak",
            ["Ductape:Acesskey"] = "ak_typo_secret",
            ["Ductape:Retry:MaxRetrys"] = "2",
            ["Ductape:Product"] = "acme:shop",
        });
        var logs = new CapturingLoggerFactory();
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(logs);
        services.AddDuctape(configuration.GetSection("Ductape"));
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();

        var warnings = logs.Entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.Message).ToList();
        Assert.That(warnings, Has.Some.Contain("Ductape:Acesskey").And.Some.Contain("Ductape:Retry:MaxRetrys"));
        Assert.That(warnings, Has.None.Contain("ak_typo_secret"), "a key's value is never logged");
    }
}
