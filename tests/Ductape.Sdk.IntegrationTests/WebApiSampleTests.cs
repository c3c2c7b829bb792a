using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Ductape.Sdk.Samples.WebApi;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Ductape.Sdk.IntegrationTests;

/// <summary>The Web API sample end to end: login, me, refresh, logout, over loopback.</summary>
public class WebApiSampleTests
{
    [Test]
    public async Task Login_me_refresh_logout()
    {
        var (app, server) = await WebApiApp.BuildAsync([], "http://127.0.0.1:0");
        await using (server)
        await using (app)
        {
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var http = new HttpClient { BaseAddress = new Uri(address) };
            var json = WebApiJson.Default;

            using var login = await http.PostAsJsonAsync("/login", new LoginRequest("user-1", "ada"), json.LoginRequest);
            Assert.That(login.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            var tokens = (await login.Content.ReadFromJsonAsync(json.SessionTokens))!;

            using var anonymous = await http.GetAsync("/me");
            Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));

            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.Token);
            var me = (await http.GetFromJsonAsync("/me", json.MeResponse))!;
            Assert.That((me.Identifier, me.SessionId, me.Data.Username), Is.EqualTo(("user-1", tokens.SessionId, "ada")));

            using var refresh = await http.PostAsJsonAsync("/refresh", new RefreshRequest(tokens.RefreshToken), json.RefreshRequest);
            var refreshed = (await refresh.Content.ReadFromJsonAsync(json.SessionTokens))!;
            Assert.That(refreshed.RefreshToken, Is.Not.EqualTo(tokens.RefreshToken));

            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", refreshed.Token);
            using var logout = await http.PostAsync("/logout", null);
            Assert.That((await logout.Content.ReadFromJsonAsync(json.LogoutResponse))!.Revoked, Is.EqualTo(1));

            // Offline, at once: the handler's validator shares the revocation store the client recorded the logout in.
            using var afterLogout = await http.GetAsync("/me");
            Assert.That(afterLogout.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(afterLogout.Headers.WwwAuthenticate.ToString(), Does.Contain("The session was revoked"));

            using var reuse = await http.PostAsJsonAsync("/refresh", new RefreshRequest(refreshed.RefreshToken), json.RefreshRequest);
            Assert.That(reuse.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "a revoked session cannot be refreshed");
            using var verify = server!.CreateClient(product: "webapi:demo");
            Assert.That((await verify.Sessions.VerifyAsync(WebApiApp.SessionTag, refreshed.Token)).IsValid, Is.False);
        }
    }
}
