namespace Ductape.Sdk.Redis;

/// <summary>Settings of a <see cref="RedisSessionTokenStore"/> and a <see cref="RedisRefreshTokenLedger"/>.</summary>
public sealed class RedisSessionTokenStoreOptions
{
    /// <summary>The prefix of the keys. Default <c>ductape:held:</c>.</summary>
    public string KeyPrefix { get; set; } = "ductape:held:";

    /// <summary>
    /// The keys held sessions are encrypted with at rest (AES-256-GCM), newest first, each <c>&lt;kid&gt;:&lt;base64url of 32
    /// bytes&gt;</c> (<c>ductape keys generate</c> makes one); older keys still decrypt, so they rotate like session keys.
    /// Required unless <see cref="AllowUnprotected"/>: anyone who can read Redis could otherwise act as your users.
    /// </summary>
    public IList<string> ProtectionKeys { get; } = [];

    /// <summary>Stores tokens in clear text (local development only). Default false.</summary>
    public bool AllowUnprotected { get; set; }

    /// <summary>How long a held session is kept after its last write. Default 30 days.</summary>
    public TimeSpan EntryLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Lists every problem with these settings, naming each setting and never a key.</summary>
    /// <returns>The problems; empty when the settings are usable.</returns>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(KeyPrefix) || KeyPrefix.Length > 256)
        {
            problems.Add("RedisSessionTokenStoreOptions.KeyPrefix must not be blank nor longer than 256 characters.");
        }

        if (ProtectionKeys.Count == 0 && !AllowUnprotected)
        {
            problems.Add("RedisSessionTokenStoreOptions.ProtectionKeys is required (tokens at rest are encrypted); set AllowUnprotected only for local development.");
        }

        for (var i = 0; i < ProtectionKeys.Count; i++)
        {
            if (!TokenProtector.TryParseKey(ProtectionKeys[i], out _, out _))
            {
                problems.Add($"RedisSessionTokenStoreOptions.ProtectionKeys:{i} is not '<kid>:<base64url of 32 bytes>'.");
            }
        }

        if (EntryLifetime < TimeSpan.FromMinutes(1) || EntryLifetime > TimeSpan.FromDays(36_525))
        {
            problems.Add("RedisSessionTokenStoreOptions.EntryLifetime must be between one minute and 36,525 days.");
        }

        return problems;
    }

    internal void ThrowIfInvalid()
    {
        if (Validate() is { Count: > 0 } problems)
        {
            throw new ArgumentException("The Redis session token store options are invalid: " + string.Join(" ", problems), "options");
        }
    }
}
