using Ductape.Sdk.Tokens;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ductape.Sdk.IntegrationTests.SignalR;

/// <summary>
/// An app with a hub behind Ductape session authentication, on Kestrel over loopback, as the docs' SignalR recipe builds it:
/// the hub's token comes from the <c>access_token</c> query parameter, for hub paths only.
/// </summary>
internal sealed class SessionHost : IAsyncDisposable
{
    public static readonly SessionKeyRing Keys = new(SessionKey.Generate("hub-test"));

    private readonly WebApplication _app;

    private SessionHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public IServiceProvider Services => _app.Services;

    public ISessionRevocationStore Store => Services.GetRequiredService<ISessionRevocationStore>();

    public static async Task<SessionHost> StartAsync(Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        services?.Invoke(builder.Services);
        builder.Services.AddDuctape(o =>
        {
            o.AccessKey = "ak_hub_test";
            o.Product = "acme:shop";
            o.Env = "prd";
            o.SessionKeys = Keys;
        });
        builder.Services.AddAuthentication(DuctapeSessionDefaults.AuthenticationScheme).AddDuctapeSession("session_name", o =>
            o.Events.OnMessageReceived = context =>
            {
                // Browsers cannot set headers on WebSockets: SignalR sends the token as access_token, for hubs only.
                if (context.Request.Path.StartsWithSegments("/hubs") && context.Request.Query["access_token"] is { Count: 1 } token)
                {
                    context.Token = token;
                }

                return Task.CompletedTask;
            });
        builder.Services.AddAuthorization();
        builder.Services.AddSignalR().AddDuctapeSessions(o => o.CheckInterval = TimeSpan.FromMilliseconds(200));
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHub<EchoHub>("/hubs/echo").RequireAuthorization();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SessionHost(app, new Uri(address));
    }

    public static string Token(string sessionId, TimeSpan? lifetime = null, string identifier = "user-7") =>
        new SessionTokenIssuer(Keys).Issue(new SessionTokenDescriptor
        {
            Tag = "session_name", Selector = "$Session{userId}", Data = SessionJson.Parse($$"""{"userId":"{{identifier}}"}"""),
            Product = "acme:shop", Env = "prd", Expiry = 1, Period = TokenPeriod.Hours, Lifetime = lifetime, SessionId = sessionId,
        }).Token;

    public async Task<HubConnection> ConnectAsync(string token)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(Address, "/hubs/echo"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .Build();
        await connection.StartAsync();
        return connection;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    public sealed class EchoHub : Hub
    {
        public string Echo(string text) => text;

        public string Me() => Context.UserIdentifier ?? Context.User!.Identity!.Name!;

        public bool RefreshSession(string token) => Context.TryRefreshDuctapeSession(token, out _);
    }
}
