using System.Diagnostics;

namespace Ductape.Sdk.IntegrationTests;

/// <summary>A local server leaves the process's signals alone: SIGTERM ends a user's process that runs one.</summary>
public class SignalTests
{
    [Test]
    public async Task Sigterm_ends_a_process_that_runs_a_local_server()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            Assert.Ignore("POSIX signals only.");
        }

        var probe = Path.Combine(AppContext.BaseDirectory, "Ductape.Sdk.SignalProbe.dll");
        using var process = Process.Start(new ProcessStartInfo("dotnet", [probe]) { RedirectStandardOutput = true, UseShellExecute = false })!;
        try
        {
            var ready = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.That(ready, Does.StartWith("ready http://127.0.0.1:"));

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
            {
                await kill.WaitForExitAsync();
            }

            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await process.WaitForExitAsync(limit.Token);
            Assert.That(process.HasExited, Is.True, "SIGTERM reached the process and ended it");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
