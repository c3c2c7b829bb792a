using Microsoft.Extensions.Logging;

namespace Ductape.Sdk.Redis;

/// <summary>The store's log messages (category <c>Ductape.Sdk.Redis</c>): never a value read from Redis, a token or session data.</summary>
public sealed partial class RedisSessionRevocationStore
{
    internal const string LogCategory = "Ductape.Sdk.Redis";

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning,
        Message = "Revocation replica has not heard from Redis for over {LimitMs} ms; checks follow the {Policy} policy until it recovers")]
    internal static partial void LogStale(ILogger logger, long limitMs, string policy);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Revocation replica is in touch with Redis again")]
    internal static partial void LogFresh(ILogger logger);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning,
        Message = "A revocation could not be shared through Redis within {TimeoutMs} ms ({Failure}); it holds on this instance, the caller was told, and the store keeps trying")]
    internal static partial void LogNotShared(ILogger logger, long timeoutMs, string failure);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning,
        Message = "Round {Failures} of the revocation sync loop failed ({Failure}); retrying in {DelayMs} ms")]
    internal static partial void LogRoundFailed(ILogger logger, int failures, string failure, long delayMs);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Wrote {Count} revocation(s) Redis lacked back to it")]
    internal static partial void LogRestored(ILogger logger, int count);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning,
        Message = "Skipped {Count} unreadable or invalid revocation message(s) on the channel")]
    internal static partial void LogUnreadableMessages(ILogger logger, long count);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning,
        Message = "Skipped the unreadable or invalid revocation entry {Key}; it is not applied (logged once per key)")]
    internal static partial void LogUnreadableEntry(ILogger logger, string key);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information,
        Message = "Shared {Count} revocation(s) made on this instance while Redis was out of reach")]
    internal static partial void LogShared(ILogger logger, int count);

    [LoggerMessage(EventId = 9, Level = LogLevel.Warning,
        Message = "The revocation store stopped with {Count} revocation(s) made here that Redis never confirmed; other instances may not know them")]
    internal static partial void LogStoppedUnshared(ILogger logger, int count);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "The revocation sync loop recovered after {Failures} failed round(s)")]
    internal static partial void LogRecovered(ILogger logger, int failures);
}
