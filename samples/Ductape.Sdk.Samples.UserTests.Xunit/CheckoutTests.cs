using Ductape.Sdk.Products;
using Ductape.Sdk.Testing;
using Xunit;

namespace Ductape.Sdk.Samples.UserTests.Xunit;

// docs/testing.md's xUnit example, compiled and run here.
#region docs:xunit
public sealed class CheckoutTests() : DuctapeServerTest(product: "acme:shop", env: "test"), IAsyncLifetime
{
    [Fact]
    public async Task Creates_the_checkout_session_type()
    {
        await Client.Products.Sessions.CreateAsync(new ProductSession
        {
            Name = "Checkout", Tag = "checkout", Description = "Buyers", Schema = SessionJson.Parse("""{"userId":"u"}"""),
            Selector = "$Session{userId}", Expiry = 1, Period = TokenPeriod.Hours,
        });

        Assert.Equal(["create"], Server.Journal.Select(c => c.Method));
    }
}
#endregion

/// <summary>Another class (another collection, run in parallel with the first), each test on its own server.</summary>
public sealed class CheckoutParallelTests() : DuctapeServerTest(product: "acme:shop", env: "test"), IAsyncLifetime
{
    [Theory]
    [InlineData("a")]
    [InlineData("b")]
    [InlineData("c")]
    public async Task Each_test_sees_only_its_own_server(string tag)
    {
        Server.FailNext(1, System.Net.HttpStatusCode.Conflict, method: "fetch");
        await Assert.ThrowsAsync<DuctapeApiException>(() => Client.Products.Sessions.FetchAsync(tag));
        Assert.Empty(await Client.Products.Sessions.FetchAllAsync());
        Assert.Equal(2, Server.Journal.Count);
    }
}
