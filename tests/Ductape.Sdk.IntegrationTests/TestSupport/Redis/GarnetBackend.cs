using System.Globalization;
using Garnet;

namespace Ductape.Sdk.IntegrationTests.TestSupport.Redis;

/// <summary>Microsoft Garnet in this process: small memory, no persistence, quiet. Paused by pausing every link to it.</summary>
internal sealed class GarnetBackend(int port) : RedisBackend(port)
{
    private GarnetServer? _server;

    protected override Task StartServerAsync()
    {
        _server = new GarnetServer(
        [
            "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "-q",
            "--memory", "256m", "--index", "16m", "--page", "1m", "--logger-level", "None",
        ]);
        _server.Start();
        return WaitUntilListeningAsync(Port);
    }

    public override Task KillAsync() => StopServerAsync();

    protected override Task StopServerAsync()
    {
        _server?.Dispose();
        _server = null;
        return Task.CompletedTask;
    }
}
