namespace Ductape.Sdk.Tests.Proxy;

/// <summary>A disposed client says so: <see cref="ObjectDisposedException"/>, before anything is sent.</summary>
public class DisposalTests
{
    [Test]
    public void A_call_after_disposal_throws_ObjectDisposedException_and_sends_nothing()
    {
        using var mock = new ProxyMock();
        var client = mock.Client();
        client.Dispose();

        Assert.ThrowsAsync<ObjectDisposedException>(() => client.Products.Sessions.FetchAllAsync());
        Assert.ThrowsAsync<ObjectDisposedException>(() => client.Sessions.StartAsync("t", SessionJson.Parse("{}")));
        Assert.That(mock.Requests, Is.Empty);
    }
}
