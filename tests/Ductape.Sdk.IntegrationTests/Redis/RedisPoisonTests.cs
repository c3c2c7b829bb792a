using System.Diagnostics.Metrics;
using System.Text;
using Ductape.Sdk.IntegrationTests.TestSupport;
using Ductape.Sdk.Redis;
using Ductape.Sdk.Tokens;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Ductape.Sdk.IntegrationTests.Redis;

/// <summary>
/// Whatever is stored or published under the prefix, by a bug, an old version or an attacker, no replica stops: it is
/// skipped, logged once by key (never its value) and counted, and everything else goes on.
/// </summary>
public class RedisPoisonTests(string kind) : RedisFleetTest(kind)
{
    private const string Prefix = "ductape:revocations:";
    private static readonly long Future = DateTimeOffset.UtcNow.AddDays(1).UtcTicks;

    /// <summary>Values under the prefix this store never writes; the secret marker must never reach a log.</summary>
    private static readonly (string Key, byte[] Value)[] Poison =
    [
        (Prefix + "s:blank", Encoding.UTF8.GetBytes($$"""{"t":"s","sid":"   ","until":{{Future}}}""")),
        (Prefix + "s:empty", Encoding.UTF8.GetBytes($$"""{"t":"s","sid":"","until":{{Future}}}""")),
        (Prefix + "s:notjson", "SECRET-not json at all"u8.ToArray()),
        (Prefix + "s:truncated", Encoding.UTF8.GetBytes($$"""{"t":"s","sid":"SECRET-x","until":{{Future}}""")),
        (Prefix + "s:twice", Encoding.UTF8.GetBytes($$"""{"t":"s","sid":"SECRET-a","sid":"b","until":{{Future}}}""")),
        (Prefix + "s:wrongtype", Encoding.UTF8.GetBytes("""{"t":"s","sid":42,"until":"soon"}""")),
        (Prefix + "s:negative", Encoding.UTF8.GetBytes("""{"t":"s","sid":"SECRET-n","until":-5}""")),
        (Prefix + "s:huge-ticks", Encoding.UTF8.GetBytes("""{"t":"s","sid":"SECRET-h","until":99999999999999999999999}""")),
        (Prefix + "s:deep", Encoding.UTF8.GetBytes(new string('[', 5000) + new string(']', 5000))),
        (Prefix + "s:huge", Encoding.UTF8.GetBytes($$"""{"t":"s","sid":"{{new string('x', 300 * 1024)}}","until":{{Future}}}""")),
        (Prefix + "s:bad-utf8", [0x7B, 0x22, 0x74, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D]),
        (Prefix + "u:partial", Encoding.UTF8.GetBytes($$"""{"t":"u","prd":"acme:shop","id":"SECRET-u","until":{{Future}}}""")),
        (Prefix + "u:blank-scope", Encoding.UTF8.GetBytes($$"""{"t":"u","prd":" ","env":"prd","tag":"t","id":"u","nbf":1,"cut":0,"until":{{Future}}}""")),
        (Prefix + "s:unknown-kind", Encoding.UTF8.GetBytes($$"""{"t":"x","sid":"SECRET-k","until":{{Future}}}""")),
        (Prefix + "s:newline\r\nInjected: log line", Encoding.UTF8.GetBytes("{")),
    ];

    private async Task<IDatabase> Poisoned()
    {
        var db = await Direct();
        foreach (var (key, value) in Poison)
        {
            await db.StringSetAsync(key, value);
        }

        await db.ListLeftPushAsync(Prefix + "s:a-list", "SECRET-list");
        await db.HashSetAsync(Prefix + "u:a-hash", "f", "SECRET-hash");
        return db;
    }

    [Test]
    public async Task A_new_instance_starts_on_poisoned_entries_skipping_each_and_logging_it_once_by_key_never_its_value()
    {
        var db = await Poisoned();
        var writer = await StartInstance();
        await writer.Store.RevokeSessionAsync("ses_real");
        var logs = new CapturingLoggerFactory();
        using var meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meterFactory = meters.GetRequiredService<IMeterFactory>();
        long skipped = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == meterFactory && instrument.Name == "ductape.revocations.skipped")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref skipped, value));
        listener.Start();

        var (connection, _) = await Redis.ConnectAsync();
        var store = Own(await RedisSessionRevocationStore.StartAsync(connection, FastOptions(), logs, meterFactory));
        await Task.Delay(TimeSpan.FromSeconds(2.5)); // two more resyncs: each key is still logged only once

        Assert.That(Validator(store).Validate(Token("ses_real")).Failure, Is.EqualTo(SessionTokenFailure.Revoked));
        Assert.That(Validator(store).Validate(Token("blank")).IsValid, Is.True);
        Assert.That(store.GetHealth().Status, Is.EqualTo(SessionRevocationStoreStatus.Healthy));
        var skippedKeys = logs.Entries.Where(e => e.Message.StartsWith("Skipped the unreadable", StringComparison.Ordinal)).ToList();
        Assert.That(skippedKeys, Has.Count.EqualTo(Poison.Length + 2), "each poisoned key once, whatever the number of resyncs");
        Assert.That(skippedKeys.Select(e => e.Message), Has.Some.Contain("s:newline\\u000d\\u000aInjected"), "control characters escaped");
        Assert.That(logs.Entries.Select(e => e.Message + e.State), Has.None.Contain("SECRET"));
        Assert.That(Interlocked.Read(ref skipped), Is.GreaterThanOrEqualTo(3L * Poison.Length), "counted at every resync");
        await db.KeyDeleteAsync(Prefix + "s:huge");
    }

    [Test]
    public async Task A_running_fleet_survives_poison_added_under_it_and_keeps_sharing_revocations()
    {
        var a = await StartInstance();
        var b = await StartInstance();
        await Poisoned();
        var subscriber = (await Redis.ConnectDirectAsync()).GetSubscriber();
        foreach (var (_, value) in Poison)
        {
            await subscriber.PublishAsync(RedisChannel.Literal(Prefix + "events"), value);
        }

        await Task.Delay(TimeSpan.FromSeconds(2.5)); // resyncs over the poison, messages heard

        var token = Token("ses_after_poison");
        await a.Store.RevokeSessionAsync("ses_after_poison");
        await Until(() => b.Check(token) == SessionTokenFailure.Revoked, TimeSpan.FromSeconds(1), "propagation after the poison");
        Assert.That(b.Check(Token("blank")), Is.EqualTo(SessionTokenFailure.None), "a message with a blank id revoked nothing");
        Assert.That((a.Store.GetHealth().Status, b.Store.GetHealth().Status),
            Is.EqualTo((SessionRevocationStoreStatus.Healthy, SessionRevocationStoreStatus.Healthy)));
    }

    [Test]
    public async Task A_store_built_by_dependency_injection_loads_despite_poison_and_disposes_cleanly()
    {
        await Poisoned();
        var writer = await StartInstance();
        await writer.Store.RevokeSessionAsync("ses_di");
        var (connection, _) = await Redis.ConnectAsync();
        var services = new ServiceCollection();
        services.AddSingleton<IConnectionMultiplexer>(connection);
        services.AddDuctapeRedisRevocations(o =>
        {
            o.HeartbeatInterval = TimeSpan.FromMilliseconds(100);
            o.ResyncInterval = TimeSpan.FromSeconds(1);
            o.StalenessLimit = TimeSpan.FromSeconds(1);
        });
        var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        var store = (RedisSessionRevocationStore)provider.GetRequiredService<ISessionRevocationStore>();

        await store.Loaded.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(Validator(store).Validate(Token("ses_di")).Failure, Is.EqualTo(SessionTokenFailure.Revoked));
        Assert.DoesNotThrowAsync(async () => await provider.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Test]
    public async Task Garbage_written_over_a_revocation_is_written_back_by_the_replicas_that_know_it()
    {
        var a = await StartInstance();
        await a.Store.RevokeSessionAsync("ses_overwritten");
        var db = await Direct();
        await db.StringSetAsync(Prefix + "s:ses_overwritten", "garbage");

        await Until(() => db.StringGet(Prefix + "s:ses_overwritten").ToString().Contains("ses_overwritten", StringComparison.Ordinal),
            TimeSpan.FromSeconds(5), "the replica's write-back");
        var late = await StartInstance();
        Assert.That(late.Check(Token("ses_overwritten")), Is.EqualTo(SessionTokenFailure.Revoked));
    }

    [Test]
    public void Invalid_options_are_refused_at_start_up_naming_each_setting()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConnectionMultiplexer>(_ => throw new InvalidOperationException("not reached"));
        services.AddDuctapeRedisRevocations(o =>
        {
            o.KeyPrefix = " ";
            o.WriteTimeout = TimeSpan.Zero;
            o.StalenessLimit = TimeSpan.FromMilliseconds(10);
        });
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.That(ex!.Message, Does.Contain("KeyPrefix must not be blank").And.Contain("WriteTimeout must be between")
            .And.Contain("StalenessLimit must be longer than HeartbeatInterval"));
    }
}
