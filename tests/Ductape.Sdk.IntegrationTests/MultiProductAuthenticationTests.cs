using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using Ductape.Sdk.AspNetCore;
using Ductape.Sdk.Tokens;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ductape.Sdk.IntegrationTests;

/// <summary>
/// Two products in one host: each scheme names the Ductape client it validates for, follows that client's key rotation,
/// and hooks in through JwtBearer-style events.
/// </summary>
public class MultiProductAuthenticationTests
{
    private static readonly SessionKey ShopKey = SessionKey.Generate("shop-1");
    private static readonly SessionKey BlogKey = SessionKey.Generate("blog-1");
    private static readonly SessionKey BlogNextKey = SessionKey.Generate("blog-2");

    private WebApplication _app = null!;
    private HttpClient _http = null!;
    private IConfigurationRoot _configuration = null!;
    private readonly List<string> _events = [];

    [SetUp]
    public async Task SetUp()
    {
        _events.Clear();
        _configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ductape:Shop:AccessKey"] = "ak_shop",
            ["Ductape:Shop:Product"] = "acme:shop",
            ["Ductape:Shop:Env"] = "prd",
            ["Ductape:Shop:SessionKeys:0"] = ShopKey.ExportText(),
            ["Ductape:Blog:AccessKey"] = "ak_blog",
            ["Ductape:Blog:Product"] = "acme:blog",
            ["Ductape:Blog:Env"] = "prd",
            ["Ductape:Blog:SessionKeys:0"] = BlogKey.ExportText(),
        }).Build();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddDuctape("shop", _configuration.GetSection("Ductape:Shop"));
        builder.Services.AddDuctape("blog", _configuration.GetSection("Ductape:Blog"));
        builder.Services.AddAuthentication()
            .AddDuctapeSession("session_name", o => o.ClientName = "shop", scheme: "shop")
            .AddDuctapeSession("session_name", o =>
            {
                o.ClientName = "blog";
                o.Events.OnSessionValidated = context =>
                {
                    _events.Add("validated");
                    ((ClaimsIdentity)context.Principal!.Identity!).AddClaim(new Claim(ClaimTypes.Role, "reader"));
                    return Task.CompletedTask;
                };
                o.Events.OnAuthenticationFailed = context =>
                {
                    _events.Add($"failed:{context.Failure}");
                    return Task.CompletedTask;
                };
                o.Events.OnChallenge = context =>
                {
                    _events.Add($"challenge:{context.Failure?.ToString() ?? "none"}");
                    if (context.Request.Path.StartsWithSegments("/blog/custom"))
                    {
                        context.HandleResponse();
                        context.Response.StatusCode = 401;
                        return context.Response.WriteAsync("sign in to read the blog");
                    }

                    return Task.CompletedTask;
                };
                o.Events.OnForbidden = _ =>
                {
                    _events.Add("forbidden");
                    return Task.CompletedTask;
                };
            }, scheme: "blog");
        builder.Services.AddAuthorization(o =>
        {
            o.AddPolicy("shop", p => p.AddAuthenticationSchemes("shop").RequireAuthenticatedUser());
            o.AddPolicy("blog", p => p.AddAuthenticationSchemes("blog").RequireAuthenticatedUser());
            o.AddPolicy("blog-editor", p => p.AddAuthenticationSchemes("blog").RequireRole("editor"));
            o.AddPolicy("either", p => p.AddAuthenticationSchemes("shop", "blog").RequireAuthenticatedUser());
        });
        _app = builder.Build();
        _app.UseAuthentication();
        _app.UseAuthorization();
        _app.MapGet("/shop/me", (HttpContext c) => c.GetDuctapeSession()!.Product).RequireAuthorization("shop");
        _app.MapGet("/blog/me", (HttpContext c) => $"{c.GetDuctapeSession()!.Product}|{c.User.IsInRole("reader")}").RequireAuthorization("blog");
        _app.MapGet("/blog/custom", () => "never").RequireAuthorization("blog");
        _app.MapGet("/blog/edit", () => "never").RequireAuthorization("blog-editor");
        _app.MapGet("/either", (HttpContext c) => c.User.FindFirstValue(DuctapeClaimTypes.Product)).RequireAuthorization("either");
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _http = new HttpClient { BaseAddress = new Uri(address) };
    }

    [TearDown]
    public async Task TearDown()
    {
        _http.Dispose();
        await _app.DisposeAsync();
    }

    private static string Token(SessionKey key, string product) =>
        new SessionTokenIssuer(new SessionKeyRing(key)).Issue(new SessionTokenDescriptor
        {
            Tag = "session_name", Selector = "$Session{userId}", Data = SessionJson.Parse("""{"userId":"u-1"}"""),
            Product = product, Env = "prd", Expiry = 1, Period = TokenPeriod.Hours,
        }).Token;

    private async Task<(HttpStatusCode Status, string Body)> Get(string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await _http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Each_scheme_accepts_its_own_products_tokens_only_and_no_default_client_is_needed()
    {
        var shop = Token(ShopKey, "acme:shop");
        var blog = Token(BlogKey, "acme:blog");

        Assert.That(await Get("/shop/me", shop), Is.EqualTo((HttpStatusCode.OK, "acme:shop")));
        Assert.That(await Get("/blog/me", blog), Is.EqualTo((HttpStatusCode.OK, "acme:blog|True")));
        Assert.That((await Get("/shop/me", blog)).Status, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await Get("/blog/me", shop)).Status, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await Get("/either", blog), Is.EqualTo((HttpStatusCode.OK, "acme:blog")), "a policy may accept both schemes");
    }

    [Test]
    public async Task A_rotated_key_of_one_client_is_followed_by_its_scheme_without_a_restart()
    {
        var next = Token(BlogNextKey, "acme:blog");
        Assert.That((await Get("/blog/me", next)).Status, Is.EqualTo(HttpStatusCode.Unauthorized));

        _configuration["Ductape:Blog:SessionKeys:0"] = BlogNextKey.ExportText();
        _configuration["Ductape:Blog:SessionKeys:1"] = BlogKey.ExportText();
        _configuration.Reload();

        Assert.That((await Get("/blog/me", next)).Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await Get("/blog/me", Token(BlogKey, "acme:blog"))).Status, Is.EqualTo(HttpStatusCode.OK), "the old key still accepted");
        Assert.That((await Get("/shop/me", Token(ShopKey, "acme:shop"))).Status, Is.EqualTo(HttpStatusCode.OK), "the other product untouched");
    }

    [Test]
    public async Task Events_see_every_step_and_can_take_over_the_challenge()
    {
        Assert.That((await Get("/blog/me", Token(BlogKey, "acme:blog"))).Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await Get("/blog/me", "session_name:garbage")).Status, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await Get("/blog/custom", null), Is.EqualTo((HttpStatusCode.Unauthorized, "sign in to read the blog")));
        Assert.That((await Get("/blog/edit", Token(BlogKey, "acme:blog"))).Status, Is.EqualTo(HttpStatusCode.Forbidden));

        Assert.That(_events, Is.EqualTo(new[]
        {
            "validated", "failed:Malformed", "challenge:Malformed", "challenge:none", "validated", "forbidden",
        }));
    }

    [Test]
    public async Task A_scheme_naming_a_client_that_is_not_registered_fails_at_start_up_naming_it()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddDuctape("shop", _configuration.GetSection("Ductape:Shop"));
        builder.Services.AddAuthentication().AddDuctapeSession("session_name", o => o.ClientName = "news", scheme: "news");
        await using var app = builder.Build();

        var ex = Assert.CatchAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.That(ex!.Message, Does.Contain("The Ductape session scheme 'news' is invalid")
            .And.Contain("the Ductape client 'news', which is not registered: add services.AddDuctape(\"news\", …)"));
    }
}
