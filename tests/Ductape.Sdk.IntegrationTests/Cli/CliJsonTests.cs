using System.Text.Json;
using Ductape.Sdk.Cli;
using Ductape.Sdk.Tokens;

namespace Ductape.Sdk.IntegrationTests.Cli;

/// <summary><c>--json</c> on every command, values typed as the file writes them; secrets kept off the command line.</summary>
public class CliJsonTests : CliTest
{
    [Test]
    public async Task Plan_json_types_each_value_as_the_file_does_and_keeps_the_files_words()
    {
        Server.SeedSessionType(Type("web"), Product);
        var file = SessionTypesFile.Write([Type("web")])
            .Replace("\"expiry\": 7", "\"expiry\": 30", StringComparison.Ordinal)
            .Replace("\"period\": \"hours\"", "\"period\": \"minutes\"", StringComparison.Ordinal)
            .Replace("\"username\": \"n\"", "\"username\": \"m\"", StringComparison.Ordinal);
        await File.WriteAllTextAsync(PathOf("s.json"), file);

        var run = await Ductape("sessions", "plan", PathOf("s.json"), "--json");

        using var json = JsonDocument.Parse(run.Output);
        var fields = json.RootElement.GetProperty("changes")[0].GetProperty("fields").EnumerateArray()
            .ToDictionary(f => f.GetProperty("field").GetString()!, f => (Old: f.GetProperty("old").GetRawText(), New: f.GetProperty("new").GetRawText()));
        Assert.That(fields["expiry"], Is.EqualTo(("7", "30")));
        Assert.That(fields["period"], Is.EqualTo(("\"hours\"", "\"minutes\"")));
        Assert.That(JsonElement.DeepEquals(JsonDocument.Parse(fields["schema"].New).RootElement, SessionJson.Parse("""{"userId":"u-1","details":{"username":"m"}}""")), Is.True);
        Assert.That(json.RootElement.GetProperty("update").GetInt32(), Is.EqualTo(1));
        Assert.That(json.RootElement.GetProperty("product").GetString(), Is.EqualTo(Product));
    }

    [Test]
    public async Task Validate_apply_export_inspect_and_keys_speak_json()
    {
        await File.WriteAllTextAsync(PathOf("s.json"), SessionTypesFile.Write([Type("web")]));

        using (var valid = JsonDocument.Parse((await Ductape("sessions", "validate", PathOf("s.json"), "--json")).Output))
        {
            Assert.That((valid.RootElement.GetProperty("valid").GetBoolean(), valid.RootElement.GetProperty("sessionTypes").GetInt32()), Is.EqualTo((true, 1)));
        }

        await File.WriteAllTextAsync(PathOf("bad.json"), "[\n {}]");
        var invalid = await Ductape("sessions", "validate", PathOf("bad.json"), "--json");
        using (var problems = JsonDocument.Parse(invalid.Output))
        {
            var first = problems.RootElement.GetProperty("problems")[0];
            Assert.That((invalid.ExitCode, problems.RootElement.GetProperty("valid").GetBoolean()), Is.EqualTo((1, false)));
            Assert.That((first.GetProperty("line").GetInt32(), first.GetProperty("column").GetInt32(), first.GetProperty("message").GetString()), Is.EqualTo((2, 2, "description is missing")));
        }

        var apply = await Ductape("sessions", "apply", PathOf("s.json"), "--yes", "--json");
        using (var applied = JsonDocument.Parse(apply.Output))
        {
            Assert.That(applied.RootElement.GetProperty("applied")[0].GetProperty("tag").GetString(), Is.EqualTo("web"));
            Assert.That(applied.RootElement.GetProperty("notApplied").GetArrayLength(), Is.EqualTo(0));
            Assert.That(applied.RootElement.GetProperty("failed").ValueKind, Is.EqualTo(JsonValueKind.Null));
        }

        using (var export = JsonDocument.Parse((await Ductape("sessions", "export", "-o", PathOf("e.json"), "--json")).Output))
        {
            Assert.That(export.RootElement.GetProperty("sessionTypes").GetInt32(), Is.EqualTo(1));
        }

        var token = Server.SeedSession("web", SessionJson.Parse("""{"userId":"u-42","details":{"username":"n"}}"""), Product).Token;
        Environment["DUCTAPE_SESSION_KEYS"] = Server.SessionKeys.Primary.ExportText();
        using (var inspect = JsonDocument.Parse((await Ductape("token", "inspect", token, "--json")).Output))
        {
            Assert.That(inspect.RootElement.GetProperty("valid").GetBoolean(), Is.True);
            Assert.That(inspect.RootElement.GetProperty("claims").GetProperty("sub").GetString(), Is.EqualTo("u-42"));
            Assert.That(inspect.RootElement.GetProperty("header").GetProperty("alg").GetString(), Is.EqualTo("dir"));
            Assert.That(inspect.RootElement.TryGetProperty("data", out _), Is.False, "data only with --show-data");
        }

        using (var key = JsonDocument.Parse((await Ductape("keys", "generate", "--kid", "k1", "--json")).Output))
        {
            Assert.That(SessionKey.TryParse(key.RootElement.GetProperty("key").GetString(), out var parsed) && parsed.KeyId == "k1", Is.True);
        }
    }

    [Test]
    public async Task Tokens_and_keys_come_from_standard_input_or_the_environment_never_needing_the_command_line()
    {
        Server.SeedSessionType(Type("web"), Product);
        var token = Server.SeedSession("web", SessionJson.Parse("""{"userId":"u-7","details":{"username":"n"}}"""), Product).Token;
        var key = Server.SessionKeys.Primary.ExportText();

        Environment["DUCTAPE_SESSION_KEYS"] = SessionKey.Generate("other").ExportText() + "," + key;
        Assert.That((await DuctapeWithInput(token + "\n", "token", "inspect")).Output, Does.Contain("sub      u-7"), "token on stdin, keys in the environment");
        Assert.That((await DuctapeWithInput(token, "token", "inspect", "-")).Output, Does.Contain("sub      u-7"));

        Environment["DUCTAPE_SESSION_TOKEN"] = token;
        Environment.Remove("DUCTAPE_SESSION_KEYS");
        Assert.That((await DuctapeWithInput(key + "\n", "token", "inspect", "--key", "-")).Output, Does.Contain("sub      u-7"), "keys on stdin, token in the environment");

        var both = await DuctapeWithInput(key, "token", "inspect", "-", "--key", "-");
        Assert.That((both.ExitCode, both.Error.Trim()), Is.EqualTo((1,
            "error: the token and --key cannot both come from standard input; give one of them in the environment.")));

        var noKey = await Ductape("token", "inspect");
        Assert.That(noKey.Error.Trim(), Is.EqualTo("error: no session key: set DUCTAPE_SESSION_KEYS, or pass --key - and pipe the keys to standard input."));

        var badKey = await DuctapeWithInput("not-a-key", "token", "inspect", "--key", "-");
        Assert.That(badKey.Error, Does.Contain("--key: not a session key").And.Not.Contain("not-a-key"), "a secret is never echoed");
    }

    [Test]
    public async Task The_access_key_can_come_from_standard_input()
    {
        await File.WriteAllTextAsync(PathOf("s.json"), SessionTypesFile.Write([Type("web")]));
        Environment.Remove("DUCTAPE_ACCESS_KEY");

        var run = await DuctapeWithInput(Server.AccessKey + "\n", "sessions", "plan", PathOf("s.json"), "--access-key", "-");

        Assert.That(run.ExitCode, Is.EqualTo(CliApp.HasChanges), run.Error);
        Assert.That(run.Output + run.Error, Does.Not.Contain(Server.AccessKey));
    }

    [Test]
    public async Task Options_take_one_value_each_and_an_unknown_option_is_named()
    {
        var key = SessionKey.Generate("k1").ExportText();

        var run = await Ductape("token", "inspect", "web:x.y.z", "--key", key, "--bogus");

        Assert.That(run.ExitCode, Is.EqualTo(1));
        Assert.That(run.Error, Does.Contain("'--bogus'").And.Not.Contain("not a session key"));
        Assert.That((await Ductape("sessions", "plan", "s.json", "--prunes")).Error, Does.Contain("'--prunes'"));
    }

    [Test]
    public async Task Control_characters_from_the_server_and_from_tokens_are_escaped()
    {
        var hostile = Type("web") with { Name = "web\u001b[2J\u0007", Description = "line\roverwritten" };
        Server.SeedSessionType(hostile, Product);
        await File.WriteAllTextAsync(PathOf("s.json"), SessionTypesFile.Write([Type("web")]));

        var plan = await Ductape("sessions", "plan", PathOf("s.json"));
        Assert.That(plan.Output, Does.Contain("web\\u001B[2J\\u0007").And.Contain("line\\roverwritten"));

        var token = Server.SeedSession("web", SessionJson.Parse("""{"userId":"u\u001b]0;pwned\u0007","details":{"username":"n"}}"""), Product).Token;
        var inspect = await Ductape("token", "inspect", token, "--key", Server.SessionKeys.Primary.ExportText());
        Assert.That(inspect.Output, Does.Contain("sub      u\\u001B]0;pwned\\u0007"));
        Assert.That((plan.Output + inspect.Output).Any(c => char.IsControl(c) && c != '\n'), Is.False);
    }

    [Test]
    public async Task Local_takes_its_fixed_keys_from_standard_input_and_does_not_echo_them()
    {
        var sessionKey = SessionKey.Generate("fixed").ExportText();
        var output = new Signalling();
        using var stop = new CancellationTokenSource();
        var app = new CliApp(output, new StringWriter(), _ => null, () => new MemoryStream(System.Text.Encoding.UTF8.GetBytes(sessionKey + "\n")));

        var run = app.InvokeAsync(["local", "--port", "0", "--session-key", "-"], stop.Token);
        await output.Said("Ctrl+C").WaitAsync(TimeSpan.FromSeconds(30));
        await stop.CancelAsync();

        Assert.That(await run, Is.EqualTo(0));
        Assert.That(output.ToString(), Does.Contain("session key (the one given)").And.Not.Contain(sessionKey));
    }

    /// <summary>Output that completes a task when a line containing some text is written: no polling, no sleeping.</summary>
    private sealed class Signalling : StringWriter
    {
        private readonly List<(string Text, TaskCompletionSource Seen)> _waits = [];

        public Task Said(string text)
        {
            lock (_waits)
            {
                var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                if (ToString().Contains(text, StringComparison.Ordinal))
                {
                    seen.SetResult();
                }

                _waits.Add((text, seen));
                return seen.Task;
            }
        }

        public override Task WriteLineAsync(string? value)
        {
            lock (_waits)
            {
                base.WriteLine(value);
                foreach (var (text, seen) in _waits.Where(w => value?.Contains(w.Text, StringComparison.Ordinal) == true))
                {
                    seen.TrySetResult();
                }
            }

            return Task.CompletedTask;
        }
    }
}
