using System.Collections.Concurrent;
using Ductape.Sdk;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// The one place that decides which <see cref="DuctapeClientOptions"/> a registration runs on. It is the options validator:
/// every time the options monitor builds a registration's options (at start-up, and again after each configuration reload)
/// they pass through here. Valid options become the registration's current <see cref="ClientSettings"/>, which the client,
/// its message handlers, its validator and the health check read. Invalid options fail start-up; once a registration has
/// run on valid options, an invalid reload is let through the monitor (which would otherwise throw into the configuration
/// reload) but adopted nowhere, and a Warning names each problem, never a value.
/// </summary>
internal sealed partial class DuctapeOptionsGate(ILoggerFactory? loggers) : IValidateOptions<DuctapeClientOptions>
{
    private readonly ConcurrentDictionary<string, ClientSettingsSource> _sources = new(StringComparer.Ordinal);
    private readonly ILogger _logger = loggers?.CreateLogger("Ductape.Sdk") ?? NullLogger.Instance;

    public ValidateOptionsResult Validate(string? name, DuctapeClientOptions options)
    {
        name ??= Options.Options.DefaultName;
        var problems = options.Validate();
        if (problems.Count == 0)
        {
            foreach (var warning in options.ConfigurationWarnings ?? [])
            {
                LogUnknownSetting(_logger, warning);
            }

            var settings = ClientSettings.Create(options, options.RevocationStore);
            _sources.AddOrUpdate(name, static (_, s) => new ClientSettingsSource(s), static (_, source, s) =>
            {
                source.Current = s;
                return source;
            }, settings);
            return ValidateOptionsResult.Success;
        }

        if (_sources.ContainsKey(name))
        {
            LogInvalidReload(_logger, name.Length == 0 ? "(default)" : name, string.Join(" ", problems));
            return ValidateOptionsResult.Success;
        }

        // A typo in a key name is often the reason a setting is missing: say both at once.
        return ValidateOptionsResult.Fail(
            $"Ductape client options{(name.Length == 0 ? "" : $" '{name}'")} are invalid: " + string.Join(" ", problems)
            + (options.ConfigurationWarnings is { Count: > 0 } unknown ? " Also: " + string.Join(" ", unknown) : ""));
    }

    /// <summary>
    /// A registration's settings. The first call builds its options through the monitor, so invalid options at start-up throw
    /// <see cref="OptionsValidationException"/> here, naming every problem.
    /// </summary>
    public ClientSettingsSource For(IOptionsMonitor<DuctapeClientOptions> monitor, string name)
    {
        if (_sources.TryGetValue(name, out var source))
        {
            return source;
        }

        _ = monitor.Get(name);
        return _sources[name];
    }

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "{Warning}")]
    private static partial void LogUnknownSetting(ILogger logger, string warning);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning,
        Message = "The Ductape client options '{Name}' changed but are invalid, so the last valid settings stay in use everywhere (client, HTTP handlers, validator, health check): {Problems}")]
    private static partial void LogInvalidReload(ILogger logger, string name, string problems);
}
