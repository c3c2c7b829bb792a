// A local Ductape server until Ctrl+C:
//   dotnet run --project samples/Ductape.Sdk.Samples.LocalServer -- --port 4311
using System.Globalization;
using Ductape.Sdk.Testing;

var port = 4311;
for (var i = 0; i < args.Length - 1; i++)
{
    if (args[i] == "--port" && !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out port))
    {
        Console.Error.WriteLine("--port takes a number, such as --port 4311 (0 picks a free port).");
        return 2;
    }
}

await using var server = await DuctapeLocalServer.StartAsync(new DuctapeLocalServerOptions { Port = port });
Console.WriteLine($"Local Ductape server at {server.BaseUrl}");
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
await stop.Task;
return 0;
