using Ductape.Sdk.Products;
using Ductape.Sdk.Testing;
using Ductape.Sdk.Tokens;
using Microsoft.Extensions.Time.Testing;

namespace Ductape.Sdk.Samples.UserTests;

/// <summary>
/// One local server per test: it starts in milliseconds, so no test sees another's sessions, faults or clock.
/// </summary>
public class AccountServiceTests
{
    private const string Product = "acme:web";
    private const string Env = "test";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero));
    private DuctapeLocalServer _server = null!;
    private DuctapeClient _client = null!;
    private AccountService _accounts = null!;

    [SetUp]
    public async Task SetUp()
    {
        _server = await DuctapeLocalServer.StartAsync(new DuctapeLocalServerOptions { TimeProvider = _time });
        _server.SeedSessionType(new ProductSession
        {
            Name = "Web session",
            Tag = AccountService.SessionTag,
            Description = "Signed-in users of the web app",
            Schema = SessionJson.Parse("""{"userId":"u-1"}"""),
            Selector = "$Session{userId}",
            Expiry = 1,
            Period = TokenPeriod.Hours,
        }, Product);
        // The client records revocations in the store the validator reads, as AddDuctape arranges in a host.
        var revocations = new InMemorySessionRevocationStore(new SessionRevocationStoreOptions { TimeProvider = _time });
        // The client keeps the real clock (its retries and timeouts must not wait for a fake one); quick retries for tests.
        _client = _server.CreateClient(Product, Env, o =>
        {
            o.RevocationStore = revocations;
            o.Retry.BaseDelay = TimeSpan.FromMilliseconds(1);
        });
        var validator = new SessionTokenValidator(new SessionTokenValidationOptions
        {
            Keys = _server.SessionKeys, Product = Product, Env = Env, TimeProvider = _time, RevocationStore = revocations,
        });
        _accounts = new AccountService(_client, validator);
    }

    [TearDown]
    public async Task TearDown()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Test]
    public async Task A_signed_in_user_is_recognised_from_the_token()
    {
        var tokens = await _accounts.SignInAsync("u-42");

        Assert.That(_accounts.WhoIs(tokens.Token), Is.EqualTo("u-42"));
        Assert.That(_server.Journal.Select(c => c.Method), Is.EqualTo(new[] { "start" }), "one request reached Ductape");
    }

    [Test]
    public async Task A_signed_out_token_is_refused_at_once()
    {
        var tokens = await _accounts.SignInAsync("u-42");

        await _accounts.SignOutAsync(tokens.SessionId);

        Assert.That(_accounts.WhoIs(tokens.Token), Is.Null);
    }

    [Test]
    public async Task Signing_out_everywhere_ends_every_device()
    {
        var phone = await _accounts.SignInAsync("u-42");
        var laptop = await _accounts.SignInAsync("u-42");
        _time.Advance(TimeSpan.FromSeconds(1)); // a frozen clock would sign out at the very instant it signed in

        Assert.That(await _accounts.SignOutEverywhereAsync("u-42"), Is.EqualTo(2));
        Assert.That((_accounts.WhoIs(phone.Token), _accounts.WhoIs(laptop.Token)), Is.EqualTo(((string?)null, (string?)null)));
    }

    [Test]
    public async Task A_token_expires_after_the_session_types_hour()
    {
        var tokens = await _accounts.SignInAsync("u-42");

        _time.Advance(TimeSpan.FromMinutes(59));
        Assert.That(_accounts.WhoIs(tokens.Token), Is.EqualTo("u-42"));
        _time.Advance(TimeSpan.FromMinutes(2)); // past the hour and the validator's 30 s of clock skew
        Assert.That(_accounts.WhoIs(tokens.Token), Is.Null);
    }

    [Test]
    public async Task Sign_in_survives_a_brief_outage_because_the_client_retries_with_the_same_key()
    {
        _server.FailNext(2, System.Net.HttpStatusCode.ServiceUnavailable, method: "start");

        var tokens = await _accounts.SignInAsync("u-42");

        Assert.That(_accounts.WhoIs(tokens.Token), Is.EqualTo("u-42"));
        Assert.That(_server.Journal.Select(c => c.IdempotencyKey).Distinct().Count(), Is.EqualTo(1), "three attempts, one key");
    }
}
