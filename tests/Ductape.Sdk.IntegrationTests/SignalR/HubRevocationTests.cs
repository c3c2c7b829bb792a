using System.Diagnostics;
using Microsoft.AspNetCore.SignalR.Client;

namespace Ductape.Sdk.IntegrationTests.SignalR;

/// <summary>Revocation and expiry reach live hub connections (a real SignalR client over WebSockets on loopback).</summary>
public class HubRevocationTests
{
    private SessionHost _host = null!;

    [SetUp]
    public async Task SetUp() => _host = await SessionHost.StartAsync();

    [TearDown]
    public async Task TearDown() => await _host.DisposeAsync();

    private static async Task<TimeSpan> ClosedWithin(HubConnection connection, Func<Task> act, TimeSpan limit)
    {
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        var clock = Stopwatch.StartNew();
        await act();
        await closed.Task.WaitAsync(limit);
        return clock.Elapsed;
    }

    [Test]
    public async Task A_revoked_sessions_connection_is_closed_within_a_second_and_its_calls_refused()
    {
        await using var revoked = await _host.ConnectAsync(SessionHost.Token("ses_live"));
        await using var other = await _host.ConnectAsync(SessionHost.Token("ses_other"));
        Assert.That(await revoked.InvokeAsync<string>("Echo", "hi"), Is.EqualTo("hi"));
        Assert.That(await revoked.InvokeAsync<string>("Me"), Is.EqualTo("user-7"));

        var took = await ClosedWithin(revoked, () => _host.Store.RevokeSessionAsync("ses_live"), TimeSpan.FromSeconds(1));

        TestContext.Out.WriteLine($"closed {took.TotalMilliseconds:0} ms after the revocation");
        Assert.That(revoked.State, Is.EqualTo(HubConnectionState.Disconnected));
        Assert.ThrowsAsync<InvalidOperationException>(() => revoked.InvokeAsync<string>("Echo", "again"));
        Assert.That(await other.InvokeAsync<string>("Echo", "still"), Is.EqualTo("still"), "another session keeps its connection");
    }

    [Test]
    public async Task Revoking_a_users_sessions_closes_their_connections_but_the_spared_one()
    {
        await using var first = await _host.ConnectAsync(SessionHost.Token("ses_a"));
        await using var spared = await _host.ConnectAsync(SessionHost.Token("ses_keep"));
        await using var someoneElse = await _host.ConnectAsync(SessionHost.Token("ses_x", identifier: "user-8"));
        await Task.Delay(TimeSpan.FromMilliseconds(1100)); // tokens carry whole seconds; the revocation is strictly later

        await ClosedWithin(first, () => _host.Store.RevokeIdentifierAsync(new("acme:shop", "prd", "session_name"), "user-7", "ses_keep"),
            TimeSpan.FromSeconds(1));

        Assert.That(await spared.InvokeAsync<string>("Echo", "kept"), Is.EqualTo("kept"));
        Assert.That(await someoneElse.InvokeAsync<string>("Echo", "kept"), Is.EqualTo("kept"));
    }

    [Test]
    public async Task A_connection_is_closed_when_its_token_expires_unless_the_client_sent_a_refreshed_one()
    {
        await using var expiring = await _host.ConnectAsync(SessionHost.Token("ses_short", TimeSpan.FromSeconds(2)));
        await using var refreshed = await _host.ConnectAsync(SessionHost.Token("ses_refreshed", TimeSpan.FromSeconds(2)));
        Assert.That(await refreshed.InvokeAsync<bool>("RefreshSession", SessionHost.Token("ses_refreshed", TimeSpan.FromHours(1))), Is.True);
        Assert.That(await refreshed.InvokeAsync<bool>("RefreshSession", SessionHost.Token("ses_y", identifier: "user-8")), Is.False,
            "a token of another user does not take over the connection");

        await ClosedWithin(expiring, () => Task.CompletedTask, TimeSpan.FromSeconds(4));

        Assert.That(await refreshed.InvokeAsync<string>("Echo", "past the first expiry"), Is.EqualTo("past the first expiry"));
    }
}
