namespace Ductape.Sdk.Tests;

/// <summary>
/// CONTRACT §1: a cancellation token can follow the required arguments positionally (<c>FetchAllAsync(ct)</c>), and it is
/// honoured before anything is sent.
/// </summary>
public class CancellationOverloadTests
{
    [Test]
    public void Every_call_takes_the_token_right_after_its_required_arguments()
    {
        using var mock = new ProxyMock();
        using var client = mock.Client();
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var ct = cts.Token;
        var data = SessionJson.Parse("""{"userId":"1"}""");
        var seed = new Ductape.Sdk.Products.ProductSession
        {
            Name = "n", Tag = "session_name", Description = "d", Schema = data, Selector = "$Session{userId}", Expiry = 7,
            Period = Ductape.Sdk.TokenPeriod.Hours,
        };

        var calls = new Func<Task>[]
        {
            () => client.Products.Sessions.FetchAllAsync(ct),
            () => client.Products.Sessions.FetchAsync("session_name", ct),
            () => client.Products.Sessions.DeleteAsync("session_name", ct),
            () => client.Products.Sessions.UpdateAsync(new Ductape.Sdk.Products.ProductSessionUpdate("session_name") { Expiry = 2 }, ct),
            () => client.Products.Sessions.CreateAsync(seed, ct),
            () => client.Sessions.StartAsync("session_name", data, ct),
            () => client.Sessions.VerifyAsync("session_name", "session_name:x", ct),
            () => client.Sessions.RefreshAsync("session_name", "rt_x", ct),
            () => client.Sessions.RevokeAllAsync("session_name", "u1", ct),
            () => client.Sessions.ListActiveAsync("session_name", ct),
            () => client.Sessions.FetchUsersAsync("session_name", ct),
            () => client.Sessions.FetchUserDetailsAsync("session_name", "u1", ct),
            () => client.Sessions.FetchDashboardAsync("session_name", ct),
        };

        foreach (var call in calls)
        {
            Assert.CatchAsync<OperationCanceledException>(() => call());
        }

        Assert.That(mock.Requests, Is.Empty, "a cancelled token stops every call before it is sent");
    }
}
