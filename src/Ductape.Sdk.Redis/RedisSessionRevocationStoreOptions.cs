namespace Ductape.Sdk.Redis;

/// <summary>
/// Settings of a <see cref="RedisSessionRevocationStore"/> (bind them with <c>AddDuctapeRedisRevocations</c> or
/// <c>services.Configure&lt;RedisSessionRevocationStoreOptions&gt;(section)</c>). The clock, logging and metrics come from the
/// host's services, not from here.
/// </summary>
public sealed class RedisSessionRevocationStoreOptions
{
    /// <summary>The prefix of the store's Redis keys and channel. Default <c>ductape:revocations:</c>.</summary>
    public string KeyPrefix { get; set; } = "ductape:revocations:";

    /// <summary>
    /// How long a revocation is kept (its Redis TTL): the longest lifetime of a token it could concern. Default 30 days;
    /// between one minute and 36,525 days.
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

    /// <summary>
    /// How long a revocation may take to be written to Redis and published before <c>RevokeSessionAsync</c> and
    /// <c>RevokeIdentifierAsync</c> fail with <see cref="DuctapeRevocationNotSharedException"/> (the store keeps trying in the
    /// background). Default 3 s; between 10 ms and 5 minutes.
    /// </summary>
    public TimeSpan WriteTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Lists every problem with these settings; empty when they are usable.</summary>
    /// <returns>One message per problem, each naming the setting.</returns>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(KeyPrefix) || KeyPrefix.Length > 256)
        {
            problems.Add("RedisSessionRevocationStoreOptions.KeyPrefix must not be blank nor longer than 256 characters.");
        }

        if (EntryLifetime < Tokens.Revocation.SessionRevocationSet.MinEntryLifetime
            || EntryLifetime > Tokens.Revocation.SessionRevocationSet.MaxEntryLifetime)
        {
            problems.Add("RedisSessionRevocationStoreOptions.EntryLifetime must be between one minute and 36,525 days.");
        }

        if (HeartbeatInterval < TimeSpan.FromMilliseconds(10) || HeartbeatInterval > TimeSpan.FromMinutes(5))
        {
            problems.Add("RedisSessionRevocationStoreOptions.HeartbeatInterval must be between 10 ms and 5 minutes.");
        }

        if (ResyncInterval < HeartbeatInterval || ResyncInterval > TimeSpan.FromDays(1))
        {
            problems.Add("RedisSessionRevocationStoreOptions.ResyncInterval must be at least HeartbeatInterval and at most one day.");
        }

        if (StalenessLimit <= HeartbeatInterval || StalenessLimit > TimeSpan.FromDays(1))
        {
            problems.Add("RedisSessionRevocationStoreOptions.StalenessLimit must be longer than HeartbeatInterval and at most one day.");
        }

        if (!Enum.IsDefined(StalenessPolicy))
        {
            problems.Add("RedisSessionRevocationStoreOptions.StalenessPolicy is not a defined RevocationStalenessPolicy.");
        }

        if (WriteTimeout < TimeSpan.FromMilliseconds(10) || WriteTimeout > TimeSpan.FromMinutes(5))
        {
            problems.Add("RedisSessionRevocationStoreOptions.WriteTimeout must be between 10 ms and 5 minutes.");
        }

        return problems;
    }

    /// <summary>A copy, so later changes to this object do not reach a running store.</summary>
    internal RedisSessionRevocationStoreOptions Clone() => (RedisSessionRevocationStoreOptions)MemberwiseClone();

    internal void ThrowIfInvalid()
    {
        if (Validate() is { Count: > 0 } problems)
        {
            throw new ArgumentException("The Redis revocation store options are invalid: " + string.Join(" ", problems), "options");
        }
    }
}
