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
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ductape.Sdk.IntegrationTests;

/// <summary>The Ductape session authentication handler in a real Kestrel host on loopback.</summary>
public class AuthenticationTests
{
    private static readonly SessionKeyRing Keys = new(SessionKey.Generate("auth-test"));

    private WebApplication _app = null!;
    private HttpClient _http = null!;

    [SetUp]
    public async Task SetUp()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddAuthentication(DuctapeSessionDefaults.AuthenticationScheme)
            .AddDuctapeSession("session_name", o => o.Validator = new SessionTokenValidator(new SessionTokenValidationOptions { Keys = Keys, Product = "acme:shop", Env = "prd" }));
        builder.Services.AddAuthorization();
        _app = builder.Build();
        _app.UseAuthentication();
        _app.UseAuthorization();
        _app.MapGet("/me", (HttpContext context) =>
        {
            var session = context.GetDuctapeSession()!;
            Assert.That(context.User.Identity!.Name, Is.EqualTo(context.User.FindFirstValue(ClaimTypes.NameIdentifier)));
            return $"{context.User.FindFirstValue(ClaimTypes.NameIdentifier)}|{context.User.FindFirstValue(DuctapeClaimTypes.SessionId)}|" +
                $"{context.User.FindFirstValue(DuctapeClaimTypes.Product)}|{session.Data.GetProperty("details").GetProperty("username").GetString()}";
        }).RequireAuthorization();
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

    private static string Token(
        TimeSpan? lifetime = null, string tag = "session_name", TimeProvider? time = null, string product = "acme:shop", string env = "prd") =>
        new SessionTokenIssuer(Keys, new SessionTokenIssuerOptions { TimeProvider = time ?? TimeProvider.System }).Issue(new SessionTokenDescriptor
        {
            Tag = tag,
            Selector = "$Session{userId}",
            Data = SessionJson.Parse("""{"userId":"user-7","details":{"username":"ductape-user"}}"""),
            Product = product,
            Env = env,
            Lifetime = lifetime,
            Expiry = 1,
            Period = TokenPeriod.Hours,
            SessionId = "ses_auth",
        }).Token;

    private async Task<HttpResponseMessage> Me(string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/me");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await _http.SendAsync(request);
    }

    [Test]
    public async Task A_valid_token_authenticates_with_identifier_claims_and_session_data()
    {
        using var response = await Me(Token());
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("user-7|ses_auth|acme:shop|ductape-user"));
    }

    [Test]
    public async Task No_token_is_a_plain_bearer_challenge()
    {
        using var response = await Me(null);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Is.EqualTo("Bearer"));
    }

    [Test]
    public async Task Rejections_name_the_reason_and_never_echo_the_token()
    {
        var good = Token();
        var cases = new (string Token, string Reason)[]
        {
            (good[..^6] + (good[^6] == 'A' ? "B" : "A") + good[^5..], "tampered"),
            (Token(time: new FixedTime(DateTimeOffset.UtcNow.AddHours(-3))), "expired"),
            (Token(tag: "admin"), "another session type"),
            (Token(product: "acme:blog"), "another product or environment"),
            (Token(env: "stg"), "another product or environment"),
            (Token(product: "other:app", env: "dev"), "another product or environment"),
            ("garbage", "malformed"),
        };

        foreach (var (token, reason) in cases)
        {
            using var response = await Me(token);
            var challenge = response.Headers.WwwAuthenticate.ToString();
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), reason);
            Assert.That(challenge, Does.StartWith("Bearer error=\"invalid_token\"").And.Contain(reason), reason);
            Assert.That(challenge, Does.Not.Contain(token), reason);
        }
    }

    [Test]
    public async Task A_scheme_without_any_way_to_validate_tokens_fails_at_start_up()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddDuctape(o => o.AccessKey = "k"); // no SessionKeys
        builder.Services.AddAuthentication(DuctapeSessionDefaults.AuthenticationScheme).AddDuctapeSession("session_name");
        await using var app = builder.Build();

        var ex = Assert.CatchAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => app.StartAsync());

        Assert.That(ex!.Message, Does.Contain("DuctapeClientOptions.SessionKeys").And.Contain("DuctapeSession"));
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
