using Ductape.Sdk.Products;
using Ductape.Sdk.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace Ductape.Sdk.Samples.UserTests;

// docs/testing.md's NUnit example, compiled and run here (in parallel with every other test of the project).
#region docs:nunit
[FixtureLifeCycle(LifeCycle.InstancePerTestCase)] // a new instance, so a new server, per test: safe under ParallelScope.All
public class CheckoutTests() : DuctapeServerTest(product: "acme:shop", env: "test")
{
    [SetUp]
    public Task SetUp() => InitializeAsync();

    [TearDown]
    public Task TearDown() => DisposeAsync();

    [Test]
    public async Task Creates_the_checkout_session_type()
    {
        await Client.Products.Sessions.CreateAsync(new ProductSession
        {
            Name = "Checkout", Tag = "checkout", Description = "Buyers", Schema = SessionJson.Parse("""{"userId":"u"}"""),
            Selector = "$Session{userId}", Expiry = 1, Period = TokenPeriod.Hours,
        });

        Assert.That(Server.Journal.Select(c => c.Method), Is.EqualTo(new[] { "create" }));
    }
}
#endregion

/// <summary>More tests on the same base, so several servers run at once in this project.</summary>
public class CheckoutParallelTests() : DuctapeServerTest(product: "acme:shop", env: "test")
{
    [SetUp]
    public Task SetUp() => InitializeAsync();

    [TearDown]
    public Task TearDown() => DisposeAsync();

    [TestCase("a")]
    [TestCase("b")]
    [TestCase("c")]
    [TestCase("d")]
    public async Task Each_test_sees_only_its_own_server(string tag)
    {
        Server.FailNext(1, System.Net.HttpStatusCode.Conflict, method: "fetch"); // a fault of this test only
        Assert.ThrowsAsync<DuctapeApiException>(() => Client.Products.Sessions.FetchAsync(tag));
        Assert.That(await Client.Products.Sessions.FetchAllAsync(), Is.Empty);
        Assert.That(Server.Journal, Has.Count.EqualTo(2));
    }
}

/// <summary>The configuration line docs/testing.md shows for <c>WebApplicationFactory&lt;TProgram&gt;.ConfigureWebHost</c>.</summary>
internal static class WebApplicationFactoryConfiguration
{
    public static void ConfigureWebHost(IWebHostBuilder builder, DuctapeLocalServer server)
    {
        #region docs:webapplicationfactory
        builder.ConfigureAppConfiguration((_, configuration) =>
            configuration.AddInMemoryCollection(server.ToConfiguration("acme:shop", "test")));
        #endregion
    }
}

/// <summary>docs/testing.md's time-travel lines, compiled and run.</summary>
public class TimeTravelTests
{
    [Test]
    public async Task A_fake_clock_moves_the_server_past_an_expiry()
    {
        #region docs:timetravel
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero));
        await using var server = await DuctapeLocalServer.StartAsync(new DuctapeLocalServerOptions { TimeProvider = time });
        // … start a session of a one-hour session type …
        time.Advance(TimeSpan.FromMinutes(61));   // past the hour and the validator's 30 s of clock skew: Expired
        #endregion
        Assert.That(time.GetUtcNow(), Is.EqualTo(new DateTimeOffset(2026, 11, 29, 10, 1, 0, TimeSpan.Zero)));
        Assert.That(server.Journal, Is.Empty);
    }
}
