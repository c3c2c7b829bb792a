using System.Diagnostics;
using System.Globalization;

namespace Ductape.Sdk.IntegrationTests.TestSupport.Redis;

/// <summary>A redis-server process (persistence off), killed with SIGKILL and paused with SIGSTOP like an operator would.</summary>
internal sealed class RedisServerBackend(string binary, int port) : RedisBackend(port)
{
    private Process? _process;

    public static string? Binary { get; } = new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }
        .FirstOrDefault(path => new FileInfo(path) is { Exists: true, Length: > 0 }); // a hidden binary may be bound to /dev/null

    protected override Task StartServerAsync()
    {
        _process = Process.Start(new ProcessStartInfo(binary,
            ["--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--protected-mode", "no", "--loglevel", "warning"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        return WaitUntilListeningAsync(Port);
    }

    public override Task KillAsync() => StopServerAsync();

    public override Task PauseAsync() => Signal("-STOP");

    public override Task ResumeAsync() => Signal("-CONT");

    protected override async Task StopServerAsync()
    {
        if (_process is { HasExited: false } process)
        {
            await Signal("-CONT"); // a stopped process dies only once it runs again
            process.Kill();
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    private async Task Signal(string signal)
    {
        if (_process is { HasExited: false } process)
        {
            using var kill = Process.Start("kill", [signal, process.Id.ToString(CultureInfo.InvariantCulture)])!;
            await kill.WaitForExitAsync();
        }
    }
}
