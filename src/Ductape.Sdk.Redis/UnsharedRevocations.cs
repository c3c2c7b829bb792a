using System.Collections.Concurrent;
using Ductape.Sdk.Tokens.Revocation;

namespace Ductape.Sdk.Redis;

/// <summary>
/// Revocations made on this instance that Redis has not confirmed yet (written and published), by Redis key. The sync loop
/// writes them until it succeeds, so a revocation made while this instance's link was cut reaches the fleet when it returns.
/// </summary>
internal sealed class UnsharedRevocations
{
    private readonly ConcurrentDictionary<string, SessionRevocation> _pending = new(StringComparer.Ordinal);

    public int Count => _pending.Count;

    public bool IsEmpty => _pending.IsEmpty;

    public void Add(string key, SessionRevocation revocation) =>
        _pending.AddOrUpdate(key, revocation, (_, known) => revocation.Until >= known.Until ? revocation : known);

    /// <summary>Forgets a revocation once shared, unless a newer one took its key meanwhile.</summary>
    public void Shared(string key, SessionRevocation revocation) =>
        _pending.TryRemove(new KeyValuePair<string, SessionRevocation>(key, revocation));

    public IReadOnlyList<KeyValuePair<string, SessionRevocation>> Snapshot() => [.. _pending];
}
