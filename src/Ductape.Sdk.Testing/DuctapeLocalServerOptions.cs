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

    /// <summary>The server's clock. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
