using System.Net;
using System.Text.Json;
using Ductape.Sdk.Cli;
using Ductape.Sdk.Products;
using Ductape.Sdk.Testing;
using Ductape.Sdk.Tokens;
using Microsoft.Extensions.Time.Testing;

namespace Ductape.Sdk.IntegrationTests.Cli;

/// <summary>The ductape command run in-process against a local server, with a temporary folder for its files.</summary>
public abstract class CliTest
{
    protected const string Product = "cli:app";

    protected DuctapeLocalServer Server { get; private set; } = null!;

    protected string Dir { get; private set; } = null!;

    /// <summary>Environment variables for the next runs, over the connection to <see cref="Server"/>.</summary>
    protected Dictionary<string, string?> Environment { get; } = [];

    [SetUp]
    public async Task StartCli()
    {
        Server = await DuctapeLocalServer.StartAsync();
        Dir = Directory.CreateTempSubdirectory("ductape-cli-").FullName;
        Environment.Clear();
        Environment["DUCTAPE_ACCESS_KEY"] = Server.AccessKey;
        Environment["DUCTAPE_BASE_URL"] = Server.BaseUrl.AbsoluteUri;
        Environment["DUCTAPE_PRODUCT"] = Product;
        Environment["DUCTAPE_ENV"] = "dev";
    }

    [TearDown]
    public async Task StopCli()
    {
        await Server.DisposeAsync();
        Directory.Delete(Dir, recursive: true);
    }

    protected sealed record Run(int ExitCode, string Output, string Error);

    protected Task<Run> Ductape(params string[] args) => DuctapeWithInput(null, args);

    /// <summary>Runs with <paramref name="input"/> as standard input (null: none).</summary>
    protected async Task<Run> DuctapeWithInput(string? input, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var environment = new Dictionary<string, string?>(Environment);
        Func<Stream>? stdin = input is null ? null : () => new Pipe(System.Text.Encoding.UTF8.GetBytes(input));
        var code = await new CliApp(output, error, name => environment.GetValueOrDefault(name), stdin).InvokeAsync(args);
        return new Run(code, output.ToString(), error.ToString());
    }

    /// <summary>Standard input as a pipe has it: read once, no length, no seeking.</summary>
    private sealed class Pipe(byte[] content) : Stream
    {
        private readonly MemoryStream _content = new(content);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => _content.Read(buffer, offset, count);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    protected string PathOf(string name) => Path.Combine(Dir, name);

    protected static ProductSession Type(string tag, int expiry = 7) => new()
    {
        Name = "Session " + tag, Tag = tag, Description = "d", Schema = SessionJson.Parse("""{"userId":"u-1","details":{"username":"n"}}"""),
        Selector = "$Session{userId}", Expiry = expiry, Period = TokenPeriod.Hours,
    };
}

/// <summary>The ductape command end to end, in-process, against the local server.</summary>
public class CliTests : CliTest
{
    [Test]
    public async Task Export_edit_plan_apply_and_a_second_plan_shows_no_changes()
    {
        Server.SeedSessionType(Type("web"), Product);
        Server.SeedSessionType(Type("admin"), Product);

        var export = await Ductape("sessions", "export", "--output", PathOf("sessions.json"));
        Assert.That(export.ExitCode, Is.EqualTo(0), export.Error);
        var text = await File.ReadAllTextAsync(PathOf("sessions.json"));
        Assert.That(text.IndexOf("\"admin\"", StringComparison.Ordinal), Is.LessThan(text.IndexOf("\"web\"", StringComparison.Ordinal)), "sorted by tag");
        Assert.That(text, Does.Contain("\"description\": \"d\",\n    \"expiry\": 7,\n    \"name\": \"Session admin\""), "keys sorted");

        var edited = JsonSerializer.Deserialize<List<Dictionary<string, JsonElement>>>(text)!;
        edited.Single(t => t["tag"].GetString() == "web")["expiry"] = JsonSerializer.SerializeToElement(14);
        edited.Add(new Dictionary<string, JsonElement>(edited[0]) { ["tag"] = JsonSerializer.SerializeToElement("mobile") });
        await File.WriteAllTextAsync(PathOf("sessions.json"), JsonSerializer.Serialize(edited));

        var plan = await Ductape("sessions", "plan", PathOf("sessions.json"), "--json");
        Assert.That(plan.ExitCode, Is.EqualTo(CliApp.HasChanges), plan.Error);
        using var json = JsonDocument.Parse(plan.Output);
        var changes = json.RootElement.GetProperty("changes").EnumerateArray()
            .Select(c => (c.GetProperty("action").GetString(), c.GetProperty("tag").GetString(),
                string.Join(";", c.GetProperty("fields").EnumerateArray().Select(f => $"{f.GetProperty("field").GetString()}:{f.GetProperty("old").GetRawText()}->{f.GetProperty("new").GetRawText()}"))))
            .ToList();
        Assert.That(changes[0], Is.EqualTo(("unchanged", "admin", "")));
        Assert.That(changes[1].Item1, Is.EqualTo("create"));
        Assert.That(changes[2], Is.EqualTo(("update", "web", "expiry:7->14")));

        var journalBefore = Server.Journal.Count;
        var apply = await Ductape("sessions", "apply", PathOf("sessions.json"), "--yes");
        Assert.That((apply.ExitCode, apply.Output), Is.EqualTo((0, apply.Output)), apply.Error);
        Assert.That(apply.Output, Does.Contain("created mobile").And.Contain("updated web").And.Contain("Applied 2 change(s)."));
        var update = Server.Journal.Skip(journalBefore).Single(c => c.Method == "update");
        Assert.That(update.Params.GetRawText(), Does.Contain("\"expiry\":14").And.Not.Contain("\"name\""), "only the changed fields are sent");
        Assert.That(Server.Journal.Skip(journalBefore).Where(c => c.Method is "create" or "update").All(c => c.IdempotencyKey is not null), Is.True);

        var again = await Ductape("sessions", "plan", PathOf("sessions.json"));
        Assert.That(again.ExitCode, Is.EqualTo(0), again.Output);
        Assert.That(again.Output, Does.Contain("0 to create, 0 to update, 0 to delete, 3 unchanged."));
        Assert.That((await Ductape("sessions", "apply", PathOf("sessions.json"), "--yes")).Output, Does.Contain("No changes"));
    }

    [Test]
    public async Task Session_types_missing_from_the_file_are_deleted_only_with_prune()
    {
        Server.SeedSessionType(Type("web"), Product);
        Server.SeedSessionType(Type("legacy"), Product);
        await File.WriteAllTextAsync(PathOf("s.json"), SessionTypesFile.Write([Type("web")]));

        var plan = await Ductape("sessions", "plan", PathOf("s.json"));
        Assert.That((plan.ExitCode, plan.Output), Is.EqualTo((0, plan.Output)));
        Assert.That(plan.Output, Does.Contain("not-in-file").And.Contain("--prune deletes it"));
        Assert.That((await Ductape("sessions", "apply", PathOf("s.json"), "--yes")).Output, Does.Contain("No changes"));

        Assert.That((await Ductape("sessions", "plan", PathOf("s.json"), "--prune")).ExitCode, Is.EqualTo(CliApp.HasChanges));
        var apply = await Ductape("sessions", "apply", PathOf("s.json"), "--prune", "--yes");
        Assert.That(apply.Output, Does.Contain("deleted legacy"));
        using var client = Server.CreateClient(Product);
        Assert.That((await client.Products.Sessions.FetchAllAsync()).Select(t => t.Tag), Is.EqualTo(new[] { "web" }));
    }

    [Test]
    public async Task A_failure_mid_apply_says_what_was_applied_and_a_rerun_converges()
    {
        await File.WriteAllTextAsync(PathOf("s.json"), SessionTypesFile.Write([Type("a"), Type("b"), Type("c")]));
        Server.SeedSessionType(Type("a"), Product);
        Server.FailNext(1, HttpStatusCode.BadRequest, method: "create"); // b fails; a needs nothing

        var failed = await Ductape("sessions", "apply", PathOf("s.json"), "--yes");
        Assert.That(failed.ExitCode, Is.EqualTo(1));
        Assert.That(failed.Error, Does.Contain("Failed to create 'b'").And.Contain("Applied: nothing.").And.Contain("Not applied: create b, create c."));

        var rerun = await Ductape("sessions", "apply", PathOf("s.json"), "--yes");
        Assert.That((rerun.ExitCode, rerun.Output), Is.EqualTo((0, rerun.Output)), rerun.Error);
        Assert.That((await Ductape("sessions", "plan", PathOf("s.json"))).ExitCode, Is.EqualTo(0));
    }

    [Test]
    public async Task Apply_without_yes_applies_nothing()
    {
        await File.WriteAllTextAsync(PathOf("s.json"), SessionTypesFile.Write([Type("a")]));

        var run = await Ductape("sessions", "apply", PathOf("s.json"));

        Assert.That((run.ExitCode, run.Error.Trim()), Is.EqualTo((1, "Not applied: pass --yes to apply these changes.")));
        Assert.That(Server.Journal.Any(c => c.Method == "create"), Is.False);
    }

    [TestCase("[{\"tag\":\"a\",\n  oops}]", 2, 3, "not valid JSON")]
    [TestCase("[\n {\"description\":\"d\",\"expiry\":1,\"name\":\"n\",\"period\":\"hours\",\"schema\":{\"id\":\"1\"},\"selector\":\"$Session{id}\",\n  \"tag\":\"bad tag\"}]", 3, 3, "bad tag: tag ")]
    [TestCase("[\n {\"description\":\"d\",\"expiry\":1,\"name\":\"n\",\"period\":\"hours\",\"schema\":{\"id\":\"1\"},\n  \"selector\":\"$Session{nope}\",\"tag\":\"a\"}]", 3, 3, "a: selector ")]
    [TestCase("[\n {\"description\":\"d\",\"expiry\":1,\"name\":\"n\",\"period\":\"fortnights\",\"schema\":{},\"selector\":\"$Session{id}\",\"tag\":\"a\"}]", 2, 43, "period must be one of")]
    [TestCase("[\n {\"description\":\"d\",\"expiry\":1,\"name\":\"n\",\"period\":\"hours\",\"schema\":{\"id\":1},\"selector\":\"$Session{id}\",\"tag\":\"a\",\"colour\":\"red\"}]", 2, 114, "colour is not a field")]
    public async Task Malformed_files_give_line_and_column_errors(string content, int line, int column, string message)
    {
        await File.WriteAllTextAsync(PathOf("bad.json"), content);

        var run = await Ductape("sessions", "validate", PathOf("bad.json"));

        Assert.That(run.ExitCode, Is.EqualTo(1));
        Assert.That(run.Error, Does.Contain($"bad.json({line},{column}): error: {message}"));
    }

    [Test]
    public async Task Duplicate_tags_point_at_the_second_one()
    {
        await File.WriteAllTextAsync(PathOf("dup.json"), SessionTypesFile.Write([Type("a")]).TrimEnd().TrimEnd(']') + "," + SessionTypesFile.Write([Type("a")]).TrimStart('[').TrimStart());

        var run = await Ductape("sessions", "validate", PathOf("dup.json"));

        Assert.That(run.Error, Does.Contain("dup.json(28,5): error: tag 'a' is declared twice (first on line 14)"));
        Assert.That((await Ductape("sessions", "validate", PathOf("dup.json").Replace("dup", "none"))).Error, Does.Contain("no such file"));
    }

    [Test]
    public async Task Without_a_connection_it_says_how_to_use_ductape_local()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        await File.WriteAllTextAsync(PathOf("s.json"), SessionTypesFile.Write([Type("a")]));

        var code = await new CliApp(output, error, _ => null).InvokeAsync(["sessions", "plan", PathOf("s.json")]);

        Assert.That((code, error.ToString()), Is.EqualTo((1, error.ToString())));
        Assert.That(error.ToString(), Does.Contain("run `ductape local`"));
    }

    [Test]
    public async Task Token_inspect_shows_claims_redacts_data_and_names_each_failure()
    {
        Server.SeedSessionType(Type("web"), Product);
        var token = Server.SeedSession("web", SessionJson.Parse("""{"userId":"u-42","details":{"username":"secret-name"}}"""), Product).Token;
        var key = Server.SessionKeys.Primary.ExportText();

        var valid = await Ductape("token", "inspect", token, "--key", key, "--product", Product, "--env", "dev");
        Assert.That(valid.ExitCode, Is.EqualTo(0), valid.Error);
        Assert.That(valid.Output, Does.Contain("valid").And.Contain("sub      u-42").And.Contain("\"alg\":\"dir\"").And.Contain("(redacted; --show-data prints it)"));
        Assert.That(valid.Output, Does.Not.Contain("secret-name"));
        Assert.That((await Ductape("token", "inspect", token, "--key", key, "--show-data")).Output, Does.Contain("secret-name"));

        var otherKey = await Ductape("token", "inspect", token, "--key", SessionKey.Generate("k9").ExportText());
        Assert.That((otherKey.ExitCode, otherKey.Output.Contains("invalid  UnknownKey", StringComparison.Ordinal)), Is.EqualTo((1, true)));

        var tampered = token[..^3] + (token[^3] == 'A' ? "B" : "A") + token[^2..];
        Assert.That((await Ductape("token", "inspect", tampered, "--key", key)).Output, Does.Contain("invalid  DecryptionFailed"));

        var time = new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(-2));
        var expired = new SessionTokenIssuer(Server.SessionKeys, new SessionTokenIssuerOptions { TimeProvider = time }).Issue(new SessionTokenDescriptor
        {
            Tag = "web", Selector = "$Session{userId}", Data = SessionJson.Parse("""{"userId":"u-1"}"""), Product = Product, Env = "dev",
            Expiry = 1, Period = TokenPeriod.Hours,
        }).Token;
        var run = await Ductape("token", "inspect", expired, "--key", key);
        Assert.That((run.ExitCode, run.Output.Contains("invalid  Expired", StringComparison.Ordinal)), Is.EqualTo((1, true)));
    }

    [Test]
    public async Task Keys_generate_prints_a_key_the_sdk_reads()
    {
        var run = await Ductape("keys", "generate", "--kid", "2026-11");

        Assert.That(SessionKey.TryParse(run.Output.Trim(), out var key), Is.True);
        Assert.That(key!.KeyId, Is.EqualTo("2026-11"));
    }

    [Test]
    public async Task Bad_input_to_inspect_and_local_is_a_message_and_exit_1_never_a_stack_trace()
    {
        var key = SessionKey.Generate("k1").ExportText();

        var sameKeyTwice = await Ductape("token", "inspect", "session_name:x.y.z", "--key", key, "--key", key);
        Assert.That(sameKeyTwice.ExitCode, Is.EqualTo(1));
        Assert.That(sameKeyTwice.Error, Does.StartWith("error: ").And.Not.Contain("   at "));

        var portInUse = await Ductape("local", "--port", Server.BaseUrl.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.That(portInUse.ExitCode, Is.EqualTo(1));
        Assert.That(portInUse.Error, Does.StartWith("error: ").And.Not.Contain("   at "));
    }
}
