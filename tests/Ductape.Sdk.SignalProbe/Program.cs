using Ductape.Sdk.Testing;

await using var server = await DuctapeLocalServer.StartAsync();
Console.WriteLine("ready " + server.BaseUrl);
await Task.Delay(Timeout.Infinite);
