using Ductape.Sdk.IntegrationTests.TestSupport;

namespace Ductape.Sdk.IntegrationTests;

/// <summary>Disposing a client while a call runs: the call says the client was disposed, not that Ductape timed out.</summary>
public class DisposalTests
{
    [Test]
    public async Task Disposing_a_client_mid_call_fails_the_call_with_ObjectDisposedException()
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new RawHttpServer(async (_, _, _, stop) =>
        {
            arrived.TrySetResult();
            await Task.Delay(Timeout.Infinite, stop); // never answers
        });
        var client = new DuctapeClient(new DuctapeClientOptions { AccessKey = "ak_dispose", BaseUrl = server.BaseUrl, Product = "p" });
        var call = client.Products.Sessions.FetchAllAsync();
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));

        client.Dispose(); // it owns its HttpClient: disposing it cancels what is in flight

        var ex = Assert.ThrowsAsync<ObjectDisposedException>(() => call);
        Assert.That(ex!.Message, Does.Contain("disposed while this call was running"));
    }
}
