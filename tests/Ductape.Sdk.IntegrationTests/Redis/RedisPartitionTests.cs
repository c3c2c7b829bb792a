using System.Diagnostics;
using Ductape.Sdk.Testing;
using Ductape.Sdk.Tokens;

namespace Ductape.Sdk.IntegrationTests.Redis;

/// <summary>
/// One instance cut off from Redis while the others stay connected, and a frozen server: a revocation is reported done
/// only when the fleet can know it, and none is lost once the links return.
/// </summary>
public class RedisPartitionTests(string kind) : RedisFleetTest(kind)
{
    [Test]
    public async Task A_cut_off_instance_is_told_its_revocation_was_not_shared_and_shares_it_when_its_link_returns()
    {
        var a = await StartInstance();
        var b = await StartInstance();
        var c = await StartInstance(o => o.WriteTimeout = TimeSpan.FromMilliseconds(500));
        var token = Token("ses_cut");

        c.Link.Cut();
        var clock = Stopwatch.StartNew();
        var ex = Assert.ThrowsAsync<DuctapeRevocationNotSharedException>(() => c.Store.RevokeSessionAsync("ses_cut"));
        var failedAfter = clock.Elapsed;

        TestContext.Out.WriteLine($"[{Kind}] a cut-off instance was told in {failedAfter.TotalMilliseconds:0} ms (write timeout 500 ms)");
        Assert.That(failedAfter, Is.LessThan(TimeSpan.FromSeconds(2)));
        Assert.That(ex!.Message, Does.Contain("other instances may not know it yet").And.Contain("keeps trying in the background"));
        Assert.That(c.Store.GetHealth().Unshared, Is.EqualTo(1));
        Assert.That((a.Check(token), b.Check(token)), Is.EqualTo((SessionTokenFailure.None, SessionTokenFailure.None)),
            "the others were not told (and the caller knows it)");

        c.Link.Restore();
        var shared = await Until(() => a.Check(token) == SessionTokenFailure.Revoked && b.Check(token) == SessionTokenFailure.Revoked,
            TimeSpan.FromSeconds(10), "the revocation shared after the link returned");
        TestContext.Out.WriteLine($"[{Kind}] shared with the fleet {shared.TotalMilliseconds:0} ms after the link returned");
        await Until(() => c.Store.GetHealth().Unshared == 0, TimeSpan.FromSeconds(5));
    }

    [Test]
    public async Task While_cut_off_an_instance_fails_closed_and_then_learns_what_the_others_revoked_meanwhile()
    {
        var a = await StartInstance();
        var c = await StartInstance();
        var token = Token("ses_meanwhile");

        c.Link.Cut();
        await a.Store.RevokeSessionAsync("ses_meanwhile");
        var accepted = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(2.5))
        {
            // Within the staleness limit c may still accept it (the bound the docs promise); beyond it, never.
            if (c.Check(token) == SessionTokenFailure.None && clock.Elapsed > TimeSpan.FromSeconds(1.2))
            {
                accepted++;
            }

            await Task.Delay(5);
        }

        Assert.That(accepted, Is.Zero);
        Assert.That(c.Store.GetHealth().Status, Is.EqualTo(SessionRevocationStoreStatus.Unhealthy));

        c.Link.Restore();
        await Until(() => c.Check(token) == SessionTokenFailure.Revoked, TimeSpan.FromSeconds(10), "catching up after the link returned");
        await Until(() => c.Store.GetHealth().Status == SessionRevocationStoreStatus.Healthy, TimeSpan.FromSeconds(5));
    }

    [Test]
    public async Task A_frozen_server_fails_revocations_within_the_write_timeout_and_loses_none_when_it_thaws()
    {
        var a = await StartInstance(o => o.WriteTimeout = TimeSpan.FromMilliseconds(300));
        var b = await StartInstance();
        var token = Token("ses_frozen");

        await Redis.PauseAsync();
        try
        {
            var clock = Stopwatch.StartNew();
            Assert.ThrowsAsync<DuctapeRevocationNotSharedException>(() => a.Store.RevokeSessionAsync("ses_frozen"));
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1.5)));
            await Until(() => b.Check(token) == SessionTokenFailure.RevocationUnknown, TimeSpan.FromSeconds(5), "b failing closed");
        }
        finally
        {
            await Redis.ResumeAsync();
        }

        await Until(() => b.Check(token) == SessionTokenFailure.Revoked, TimeSpan.FromSeconds(15), "the revocation after the thaw");
    }

    [Test]
    public async Task RevokeAsync_through_a_cut_off_store_says_Ductape_revoked_the_session_and_the_others_were_not_told()
    {
        await using var server = await DuctapeLocalServer.StartAsync();
        var c = await StartInstance(o => o.WriteTimeout = TimeSpan.FromMilliseconds(300));
        using var client = server.CreateClient(product: Scope.Product, env: Scope.Env);
        using var storing = server.CreateClient(Scope.Product, Scope.Env, o => o.RevocationStore = c.Store);
        await client.Products.Sessions.CreateAsync(new Products.ProductSession
        {
            Name = "n", Tag = Scope.Tag, Description = "d", Schema = SessionJson.Parse("""{"userId":"u"}"""),
            Selector = "$Session{userId}", Expiry = 1, Period = TokenPeriod.Hours,
        });
        var tokens = await client.Sessions.StartAsync(Scope.Tag, SessionJson.Parse("""{"userId":"user-1"}"""));

        c.Link.Cut();
        var ex = Assert.ThrowsAsync<DuctapeRevocationNotSharedException>(
            () => storing.Sessions.RevokeAsync(Scope.Tag, sessionId: tokens.SessionId));

        Assert.That(ex!.Message, Does.StartWith("Ductape has revoked the session, but the revocation store could not share it"));
        var verified = await client.Sessions.VerifyAsync(Scope.Tag, tokens.Token, Sessions.SessionVerificationMode.Server);
        Assert.That(verified.IsValid, Is.False, "Ductape's own revocation stands");
    }
}
