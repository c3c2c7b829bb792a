using Microsoft.Extensions.Logging;

namespace Ductape.Sdk.Redis;

/// <summary>What a store does when its replica has not heard from Redis for longer than its staleness limit.</summary>
public enum RevocationStalenessPolicy
{
    /// <summary>Refuse every token (<c>RevocationUnknown</c>): a revocation made meanwhile cannot be missed. The default.</summary>
    FailClosed = 0,

    /// <summary>Keep answering from the replica: availability first, at the risk of accepting a session revoked meanwhile.</summary>
    FailOpen,
}

/// <summary>Settings of a <see cref="RedisSessionRevocationStore"/>.</summary>
public sealed class RedisSessionRevocationStoreOptions
{
    /// <summary>The prefix of the store's Redis keys and channel. Default <c>ductape:revocations:</c>.</summary>
    public string KeyPrefix { get; set; } = "ductape:revocations:";

    /// <summary>
    /// How long a revocation is kept (its Redis TTL): the longest lifetime of a token it could concern. Default 30 days.
    /// </summary>
    public TimeSpan EntryLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often each instance says it is alive on the channel; hearing any message keeps a replica fresh. Default 1 s.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the replica reloads everything from Redis and writes back what Redis lost. Default 30 s.</summary>
    public TimeSpan ResyncInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long the replica may go without hearing from Redis before <see cref="StalenessPolicy"/> applies. Default 5 s;
    /// more than <see cref="HeartbeatInterval"/>.
    /// </summary>
    public TimeSpan StalenessLimit { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>What checks answer while the replica is stale. Default <see cref="RevocationStalenessPolicy.FailClosed"/>.</summary>
    public RevocationStalenessPolicy StalenessPolicy { get; set; } = RevocationStalenessPolicy.FailClosed;

    /// <summary>The clock. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Where the store logs going stale, recovering and failed writes (category <c>Ductape.Sdk.Redis</c>).</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    internal void ThrowIfInvalid()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(KeyPrefix))
        {
            problems.Add("KeyPrefix must not be blank.");
        }

        if (EntryLifetime < TimeSpan.FromMinutes(1))
        {
            problems.Add("EntryLifetime must be at least one minute.");
        }

        if (HeartbeatInterval < TimeSpan.FromMilliseconds(10) || ResyncInterval < HeartbeatInterval)
        {
            problems.Add("HeartbeatInterval must be at least 10 ms and ResyncInterval at least HeartbeatInterval.");
        }

        if (StalenessLimit <= HeartbeatInterval)
        {
            problems.Add("StalenessLimit must be longer than HeartbeatInterval.");
        }

        if (!Enum.IsDefined(StalenessPolicy))
        {
            problems.Add("StalenessPolicy is not a defined RevocationStalenessPolicy.");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("The Redis revocation store options are invalid: " + string.Join(" ", problems), "options");
        }
    }
}
