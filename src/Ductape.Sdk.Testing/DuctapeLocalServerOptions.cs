using Ductape.Sdk.Tokens;

namespace Ductape.Sdk.Testing;

/// <summary>Settings of a <see cref="DuctapeLocalServer"/>.</summary>
public sealed class DuctapeLocalServerOptions
{
    /// <summary>The port on 127.0.0.1; 0 (the default) picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>The access key clients must send; a random one when null.</summary>
    public string? AccessKey { get; set; }

    /// <summary>The key session tokens are issued with; a random one when null.</summary>
    public SessionKey? SessionKey { get; set; }

    /// <summary>
    /// The most sessions the server holds at once; starting one more is refused (400, naming this setting) after expired
    /// sessions are evicted. Default 1,000,000.
    /// </summary>
    public int MaxSessions { get; set; } = 1_000_000;

    /// <summary>
    /// How long an expired session is kept (it still shows in listings, user details and the dashboard as ended) before it is
    /// evicted. Default one hour.
    /// </summary>
    public TimeSpan ExpiredSessionRetention { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long an <c>Idempotency-Key</c>'s answer is kept and replayed. Default 24 hours. Answers are also bounded to the
    /// newest <see cref="MaxIdempotencyEntries"/> and 16 MiB in all, oldest first out.
    /// </summary>
    public TimeSpan IdempotencyRetention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The most idempotency answers kept at once. Default 10,000.</summary>
    public int MaxIdempotencyEntries { get; set; } = 10_000;

    /// <summary>The server's clock. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
