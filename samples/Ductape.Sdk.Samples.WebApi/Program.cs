using Ductape.Sdk.Samples.WebApi;

var (app, server) = await WebApiApp.BuildAsync(args);
await using (server)
{
    Console.WriteLine(server is null ? "Web API sample on Ductape." : $"Web API sample on the embedded local server at {server.BaseUrl}.");
    await app.RunAsync();
}
