using Ductape.Sdk;
using Ductape.Sdk.Products;
using Ductape.Sdk.Sessions;
using Ductape.Sdk.Testing;
using Ductape.Sdk.Tokens;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// A worker that calls an API protected by Ductape session tokens. The worker holds its own session; the outgoing session
// handler attaches it to every request, refreshes it ahead of expiry (once, however many requests run), and renews it on a
// 401. Everything runs locally: the embedded Ductape server, and a small protected API.
const string Product = "acme:reports";
const string Env = "dev";
const string Tag = "report_worker";

await using var ductape = await DuctapeLocalServer.StartAsync();
ductape.SeedSessionType(new ProductSession
{
    Name = "Report worker", Tag = Tag, Description = "The nightly report worker's own session",
    Schema = SessionJson.Parse("""{"worker":"reports-1"}"""), Selector = "$Session{worker}", Expiry = 1, Period = TokenPeriod.Hours,
}, Product);
await using var api = await StartProtectedApiAsync(ductape.SessionKeys);
Console.WriteLine($"Local Ductape server at {ductape.BaseUrl}; protected API at {api.Urls.First()}.");

// The worker's host: a Ductape client, and the API's HttpClient with the session handler.
var services = new ServiceCollection();
services.AddLogging();
services.AddDuctape(o => ductape.Configure(o, Product, Env));
services.AddHttpClient("reports-api", c => c.BaseAddress = new Uri(api.Urls.First()))
    .AddDuctapeSessionHandler(o => o.SessionKey = "reports-1");   // the one session every request carries
await using var worker = services.BuildServiceProvider();

// Sign in once: a session that is already within the refresh margin, so the first requests refresh it.
var client = worker.GetRequiredService<DuctapeClient>();
var tokens = await client.Sessions.StartAsync(Tag, SessionJson.Parse("""{"worker":"reports-1"}"""), expiresIn: TimeSpan.FromSeconds(30));
await worker.GetRequiredService<ISessionTokenStore>().SetAsync("reports-1", HeldSession.From(Tag, tokens));

var http = worker.GetRequiredService<IHttpClientFactory>().CreateClient("reports-api");
var answers = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => http.GetStringAsync("/reports/today")));
var refreshes = ductape.Journal.Count(c => c.Method == "refresh");
Console.WriteLine($"100 concurrent requests answered ({answers.Distinct().Single()}); the session was refreshed {refreshes} time(s).");
if (refreshes != 1)
{
    Console.Error.WriteLine("Expected exactly one refresh.");
    return 1;
}

var held = await worker.GetRequiredService<ISessionTokenStore>().GetAsync("reports-1");
Console.WriteLine($"Held now: {held}.");
return 0;

static async Task<WebApplication> StartProtectedApiAsync(SessionKeyRing keys)
{
    var builder = WebApplication.CreateSlimBuilder();
    builder.Logging.ClearProviders();
    builder.WebHost.UseUrls("http://127.0.0.1:0");
    var app = builder.Build();
    var validator = new SessionTokenValidator(new SessionTokenValidationOptions { Keys = keys, Product = Product, Env = Env });
    app.MapGet("/reports/today", (HttpContext context) =>
    {
        var header = context.Request.Headers.Authorization.ToString();
        var result = validator.Validate(header.StartsWith("Bearer ", StringComparison.Ordinal) ? header[7..] : null, Tag);
        return result.IsValid ? Results.Text($"report for {result.Session!.Identifier}") : Results.Unauthorized();
    });
    await app.StartAsync();
    return app;
}
