// A local Ductape server until Ctrl+C (or SIGTERM), for a front end or a service in another language to use:
//   dotnet run --project samples/Ductape.Sdk.Samples.LocalServer -- --port 4311 [--access-key ak_dev] [--session-key kid:base64url]
using System.Globalization;
using System.Runtime.InteropServices;
using Ductape.Sdk.Testing;
using Ductape.Sdk.Tokens;

var options = new DuctapeLocalServerOptions { Port = 4311 };
for (var i = 0; i < args.Length; i += 2)
{
    var value = i + 1 < args.Length ? args[i + 1] : null;
    switch (args[i])
    {
        case "--port" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535:
            options.Port = port;
            break;
        case "--access-key" when !string.IsNullOrWhiteSpace(value):
            options.AccessKey = value;
            break;
        case "--session-key" when SessionKey.TryParse(value, out var key):
            options.SessionKey = key;
            break;
        default:
            Console.Error.WriteLine(
                "Usage: --port <0-65535, 0 picks a free one> --access-key <text> --session-key <kid:base64url of 16, 24 or 32 bytes>");
            return 2;
    }
}

await using var server = await DuctapeLocalServer.StartAsync(options);
Console.WriteLine($"Local Ductape server at {server.BaseUrl} (and {server.BaseUrl}api)");
// A local, throw-away server: printing its keys is the point (point a client or validator at it).
Console.WriteLine($"  access key   {server.AccessKey}");
Console.WriteLine($"  session key  {server.SessionKeys.Primary.ExportText()}");
Console.WriteLine("Press Ctrl+C to stop.");

var stop = new TaskCompletionSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.TrySetResult();
};
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.TrySetResult();
});
await stop.Task;
return 0;
