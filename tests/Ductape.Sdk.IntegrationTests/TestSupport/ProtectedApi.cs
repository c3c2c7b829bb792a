using Ductape.Sdk.Tokens;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ductape.Sdk.IntegrationTests.TestSupport;

/// <summary>
/// A small API protected by Ductape session tokens (Kestrel on loopback): <c>GET /data</c> answers 200 with the session id for
/// a valid token of its product, 401 otherwise. Counts what it answered.
/// </summary>
internal sealed class ProtectedApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _ok;
    private int _refused;

    private ProtectedApi(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public int Ok => Volatile.Read(ref _ok);

    public int Refused => Volatile.Read(ref _refused);

    public static async Task<ProtectedApi> StartAsync(SessionTokenValidator validator)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        ProtectedApi? api = null;
        app.MapGet("/data", (HttpContext context) =>
        {
            var header = context.Request.Headers.Authorization.ToString();
            var result = validator.Validate(header.StartsWith("Bearer ", StringComparison.Ordinal) ? header[7..] : null);
            if (result.Session is { } session)
            {
                Interlocked.Increment(ref api!._ok);
                return Results.Text(session.SessionId);
            }

            Interlocked.Increment(ref api!._refused);
            return Results.Unauthorized();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        api = new ProtectedApi(app, new Uri(address));
        return api;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
