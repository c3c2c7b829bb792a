using System.Diagnostics.Metrics;
using System.Reflection;

namespace Ductape.Sdk.Redis;

/// <summary>
/// The store's instruments on meter <c>Ductape.Sdk.Redis</c> (versioned with the package): from the host's
/// <see cref="IMeterFactory"/> when there is one, else a meter of the store's own, disposed with it.
/// </summary>
internal sealed class RevocationMetrics : IDisposable
{
    public const string MeterName = "Ductape.Sdk.Redis";

    public static readonly string Version = PackageVersion();

    private readonly Meter _meter;
    private readonly bool _owned;

    public RevocationMetrics(IMeterFactory? factory, Func<double> ageSeconds, Func<long> entries, Func<long> unshared)
    {
        _owned = factory is null;
        _meter = factory?.Create(new MeterOptions(MeterName) { Version = Version }) ?? new Meter(MeterName, Version);
        _meter.CreateObservableGauge("ductape.revocations.replica.age", ageSeconds, "s",
            "Time since the revocation replica last heard from Redis.");
        _meter.CreateObservableGauge("ductape.revocations.replica.entries", entries, "{revocation}",
            "Revocations held by the replica.");
        _meter.CreateObservableGauge("ductape.revocations.unshared", unshared, "{revocation}",
            "Revocations made on this instance that Redis has not confirmed yet.");
        UnknownChecks = _meter.CreateCounter<long>("ductape.revocations.unknown", "{check}",
            "Checks answered RevocationUnknown because the replica was stale.");
        Skipped = _meter.CreateCounter<long>("ductape.revocations.skipped", "{entry}",
            "Unreadable or invalid entries and messages under the prefix, skipped; attribute ductape.source: stored or message.");
        LoopFailures = _meter.CreateCounter<long>("ductape.revocations.sync.failures", "{round}",
            "Rounds of the sync loop that failed (Redis away, or an unexpected error); the loop backs off and goes on.");
        NotShared = _meter.CreateCounter<long>("ductape.revocations.not_shared", "{revocation}",
            "Revocations whose caller was told they could not be shared in time.");
    }

    public Counter<long> UnknownChecks { get; }

    public Counter<long> Skipped { get; }

    public Counter<long> LoopFailures { get; }

    public Counter<long> NotShared { get; }

    public void Dispose()
    {
        if (_owned)
        {
            _meter.Dispose();
        }
    }

    private static string PackageVersion()
    {
        var version = typeof(RevocationMetrics).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus >= 0 ? version[..plus] : version;
    }
}
