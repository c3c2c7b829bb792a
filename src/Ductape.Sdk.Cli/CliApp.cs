using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Ductape.Sdk.Testing;
using Ductape.Sdk.Tokens;
using Spectre.Console;

namespace Ductape.Sdk.Cli;

/// <summary>
/// The <c>ductape</c> command. Everything it prints goes to the writers it is given, and settings come from its arguments and
/// the environment function, so the tests run it in-process.
/// </summary>
internal sealed class CliApp(TextWriter output, TextWriter error, Func<string, string?> environment)
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int HasChanges = 2;
    private const string KeyForm = "'<kid>:<base64url secret>' of 16, 24 or 32 bytes";

    private readonly Option<string?> _accessKey = new("--access-key") { Description = "The access key (default: DUCTAPE_ACCESS_KEY). Never printed." };
    private readonly Option<string?> _product = new("--product") { Description = "The product tag (default: DUCTAPE_PRODUCT)." };
    private readonly Option<string?> _env = new("--env") { Description = "The environment (default: DUCTAPE_ENV)." };
    private readonly Option<string?> _baseUrl = new("--base-url") { Description = "Ductape's API (default: DUCTAPE_BASE_URL, else Ductape's cloud)." };

    public static Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default) =>
        new CliApp(Console.Out, Console.Error, Environment.GetEnvironmentVariable).InvokeAsync(args, cancellationToken);

    public Task<int> InvokeAsync(string[] args, CancellationToken cancellationToken = default) =>
        Build().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);

    private RootCommand Build()
    {
        var root = new RootCommand("Ductape sessions from the command line: session types as code, tokens, keys, a local server.");
        var sessions = new Command("sessions", "Session types as code: export, validate, plan, apply.");
        sessions.Subcommands.Add(Export());
        sessions.Subcommands.Add(Validate());
        sessions.Subcommands.Add(PlanCommand());
        sessions.Subcommands.Add(Apply());
        root.Subcommands.Add(sessions);
        var token = new Command("token", "Session tokens.");
        token.Subcommands.Add(Inspect());
        root.Subcommands.Add(token);
        var keys = new Command("keys", "Session keys.");
        keys.Subcommands.Add(Generate());
        root.Subcommands.Add(keys);
        root.Subcommands.Add(Local());
        return root;
    }

    private void AddConnection(Command command)
    {
        command.Options.Add(_accessKey);
        command.Options.Add(_product);
        command.Options.Add(_env);
        command.Options.Add(_baseUrl);
    }

    private Command Export()
    {
        var path = new Option<string?>("--output", "-o") { Description = "The file to write (default: standard output)." };
        var command = new Command("export", "Writes every session type of the product as a reviewable JSON file (sorted, stable).");
        command.Options.Add(path);
        AddConnection(command);
        command.SetAction(async (parse, ct) =>
        {
            using var client = Client(parse);
            if (client is null)
            {
                return Failed;
            }

            var text = SessionTypesFile.Write(await client.Products.Sessions.FetchAllAsync(ct));
            if (parse.GetValue(path) is { } file)
            {
                await File.WriteAllTextAsync(file, text, ct);
                await output.WriteLineAsync($"Wrote {file}.");
            }
            else
            {
                await output.WriteAsync(text);
            }

            return Ok;
        });
        return Guarded(command);
    }

    private Command Validate()
    {
        var file = new Argument<string>("file") { Description = "The session types file." };
        var command = new Command("validate", "Checks a session types file offline: the contract's rules, selectors against schemas, duplicate tags.");
        command.Arguments.Add(file);
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            if (await ReadFile(path, ct) is not { } entries)
            {
                return Failed;
            }

            await output.WriteLineAsync($"{path}: {entries.Count} session type(s), valid.");
            return Ok;
        });
        return Guarded(command);
    }

    private Command PlanCommand()
    {
        var file = new Argument<string>("file") { Description = "The session types file." };
        var prune = new Option<bool>("--prune") { Description = "Plan to delete session types the file does not have." };
        var json = new Option<bool>("--json") { Description = "Print the plan as JSON." };
        var command = new Command("plan", "Shows what apply would change. Exit code 0: no changes; 2: changes; 1: an error.");
        command.Arguments.Add(file);
        command.Options.Add(prune);
        command.Options.Add(json);
        AddConnection(command);
        command.SetAction(async (parse, ct) =>
        {
            var (client, plan) = await PlanAsync(parse, file, prune, ct);
            using var _ = client;
            if (plan is null)
            {
                return Failed;
            }

            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(PlanJson(plan));
            }
            else
            {
                Show(plan);
            }

            return plan.Any(c => c.Mutates) ? HasChanges : Ok;
        });
        return Guarded(command);
    }

    private Command Apply()
    {
        var file = new Argument<string>("file") { Description = "The session types file." };
        var prune = new Option<bool>("--prune") { Description = "Delete session types the file does not have." };
        var yes = new Option<bool>("--yes", "-y") { Description = "Apply without asking." };
        var command = new Command("apply", "Makes the product's session types match the file, sending only changed fields.");
        command.Arguments.Add(file);
        command.Options.Add(prune);
        command.Options.Add(yes);
        AddConnection(command);
        command.SetAction(async (parse, ct) =>
        {
            var (client, plan) = await PlanAsync(parse, file, prune, ct);
            using var _ = client;
            if (client is null || plan is null)
            {
                return Failed;
            }

            var steps = plan.Where(c => c.Mutates).ToList();
            if (steps.Count == 0)
            {
                await output.WriteLineAsync("No changes: the product matches the file.");
                return Ok;
            }

            Show(plan);
            if (!parse.GetValue(yes))
            {
                await error.WriteLineAsync("Not applied: pass --yes to apply these changes.");
                return Failed;
            }

            var applied = new List<string>();
            foreach (var step in steps)
            {
                try
                {
                    // Each call carries its own idempotency key (the SDK's), so a retried create or update applies once.
                    switch (step.Action)
                    {
                        case Plan.Action.Create:
                            await client.Products.Sessions.CreateAsync(step.Desired!, ct);
                            break;
                        case Plan.Action.Update:
                            await client.Products.Sessions.UpdateAsync(step.Update(), ct);
                            break;
                        case Plan.Action.Delete:
                            await client.Products.Sessions.DeleteAsync(step.Tag, ct);
                            break;
                    }
                }
                catch (DuctapeException ex)
                {
                    var rest = steps.SkipWhile(s => s != step).Select(s => $"{Plan.Name(s.Action)} {s.Tag}");
                    await error.WriteLineAsync($"Failed to {Plan.Name(step.Action)} '{step.Tag}': {ex.Message}");
                    await error.WriteLineAsync($"Applied: {(applied.Count == 0 ? "nothing" : string.Join(", ", applied))}.");
                    await error.WriteLineAsync($"Not applied: {string.Join(", ", rest)}. Run apply again to finish.");
                    return Failed;
                }

                applied.Add($"{Plan.Name(step.Action)} {step.Tag}");
                await output.WriteLineAsync($"  {Plan.Name(step.Action)}d {step.Tag}"); // created, updated, deleted
            }

            await output.WriteLineAsync($"Applied {applied.Count} change(s).");
            return Ok;
        });
        return Guarded(command);
    }

    private Command Inspect()
    {
        var token = new Argument<string>("token") { Description = "The session token, tag:JWE." };
        var keys = new Option<string[]>("--key") { Description = "A session key, kid:base64url; repeat for several.", Required = true, AllowMultipleArgumentsPerToken = true };
        var product = new Option<string?>("--product") { Description = "Check the token is for this product (with --env)." };
        var env = new Option<string?>("--env") { Description = "Check the token is for this environment (with --product)." };
        var showData = new Option<bool>("--show-data") { Description = "Print the session data (redacted otherwise)." };
        var command = new Command("inspect", "Decrypts and validates a session token offline: header, claims, and why it is refused.");
        command.Arguments.Add(token);
        command.Options.Add(keys);
        command.Options.Add(product);
        command.Options.Add(env);
        command.Options.Add(showData);
        command.SetAction(async (parse, _) =>
        {
            var ring = new List<SessionKey>();
            foreach (var text in parse.GetValue(keys) ?? [])
            {
                if (!SessionKey.TryParse(text, out var key))
                {
                    await error.WriteLineAsync($"--key: not a session key ({KeyForm}).");
                    return Failed;
                }

                ring.Add(key);
            }

            var audience = parse.GetValue(product) is { } p && parse.GetValue(env) is { } e ? (p, e) : ((string, string)?)null;
            var validator = new SessionTokenValidator(new SessionTokenValidationOptions
            {
                Keys = new SessionKeyRing(ring[0], [.. ring.Skip(1)]),
                ValidateAudience = audience is not null,
                Product = audience?.Item1,
                Env = audience?.Item2,
            });
            var value = parse.GetValue(token)!;
            await output.WriteLineAsync($"header   {Header(value)}");
            var result = validator.Validate(value);
            if (result.Session is not { } session)
            {
                await output.WriteLineAsync($"invalid  {result.Failure}");
                return Failed;
            }

            await output.WriteLineAsync("valid");
            await output.WriteLineAsync($"sid      {session.SessionId}");
            await output.WriteLineAsync($"tag      {session.Tag}");
            await output.WriteLineAsync($"product  {session.Product}");
            await output.WriteLineAsync($"env      {session.Env}");
            await output.WriteLineAsync($"sub      {session.Identifier}");
            await output.WriteLineAsync($"iat      {session.IssuedAt:u}");
            await output.WriteLineAsync($"nbf      {session.NotBefore:u}");
            await output.WriteLineAsync($"exp      {session.ExpiresAt:u}{(audience is null ? "  (audience not checked: give --product and --env)" : "")}");
            await output.WriteLineAsync(parse.GetValue(showData)
                ? $"data     {Plan.Compact(session.Data)}"
                : "data     (redacted; --show-data prints it)");
            return Ok;
        });
        return Guarded(command);
    }

    private Command Generate()
    {
        var kid = new Option<string?>("--kid") { Description = "The key id (default: the date, such as 2026-11-29)." };
        var command = new Command("generate", "Prints a new session key, kid:base64url (32 bytes, for A256GCM).");
        command.Options.Add(kid);
        command.SetAction(parse =>
        {
            var id = parse.GetValue(kid) ?? DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            output.WriteLine(SessionKey.Generate(id).ExportText());
            return Ok;
        });
        return command;
    }

    private Command Local()
    {
        var port = new Option<int>("--port") { Description = "The port on 127.0.0.1 (0 picks a free one).", DefaultValueFactory = _ => 4311 };
        var accessKey = new Option<string?>("--access-key") { Description = "A fixed access key (default: a new one, printed)." };
        var sessionKey = new Option<string?>("--session-key") { Description = "A fixed session key, kid:base64url (default: a new one, printed)." };
        var command = new Command("local", "Runs a local Ductape server on 127.0.0.1 until Ctrl+C or SIGTERM.");
        command.Options.Add(port);
        command.Options.Add(accessKey);
        command.Options.Add(sessionKey);
        command.SetAction(async (parse, ct) =>
        {
            var options = new DuctapeLocalServerOptions { Port = parse.GetValue(port), AccessKey = parse.GetValue(accessKey) };
            if (parse.GetValue(sessionKey) is { } text)
            {
                if (!SessionKey.TryParse(text, out var key))
                {
                    await error.WriteLineAsync($"--session-key: not a session key ({KeyForm}).");
                    return Failed;
                }

                options.SessionKey = key;
            }

            await using var server = await DuctapeLocalServer.StartAsync(options, ct);
            // A local, throw-away server: printing its keys is the point (point a client, a front end or a validator at it).
            await output.WriteLineAsync($"Local Ductape server at {server.BaseUrl} (and {server.BaseUrl}api)");
            await output.WriteLineAsync($"  DUCTAPE_BASE_URL={server.BaseUrl}");
            await output.WriteLineAsync($"  DUCTAPE_ACCESS_KEY={server.AccessKey}");
            await output.WriteLineAsync($"  session key {server.SessionKeys.Primary.ExportText()}");
            await output.WriteLineAsync("Ctrl+C or SIGTERM stops it.");
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
            }

            return Ok;
        });
        return Guarded(command);
    }

    /// <summary>Turns the SDK's failures into a message and exit code 1, never a stack trace or a secret.</summary>
    private Command Guarded(Command command)
    {
        var action = command.Action!;
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                return action is System.CommandLine.Invocation.AsynchronousCommandLineAction async
                    ? await async.InvokeAsync(parse, ct)
                    : ((System.CommandLine.Invocation.SynchronousCommandLineAction)action).Invoke(parse);
            }
            catch (Exception ex) when (ex is DuctapeException or InvalidOperationException or ArgumentException or IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"error: {ex.Message}");
                return Failed;
            }
        });
        return command;
    }

    /// <summary>Reads the file, connects, and plans; null parts when the file or the connection is unusable (already said).</summary>
    private async Task<(DuctapeClient? Client, List<Plan.Change>? Plan)> PlanAsync(
        ParseResult parse, Argument<string> file, Option<bool> prune, CancellationToken ct)
    {
        if (await ReadFile(parse.GetValue(file)!, ct) is not { } entries || Client(parse) is not { } client)
        {
            return (null, null);
        }

        try
        {
            return (client, Plan.Of(entries.Select(e => e.Type), await client.Products.Sessions.FetchAllAsync(ct), parse.GetValue(prune)));
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private DuctapeClient? Client(ParseResult parse)
    {
        var accessKey = parse.GetValue(_accessKey) ?? environment("DUCTAPE_ACCESS_KEY");
        var product = parse.GetValue(_product) ?? environment("DUCTAPE_PRODUCT");
        if (string.IsNullOrWhiteSpace(accessKey) || string.IsNullOrWhiteSpace(product))
        {
            error.WriteLine(
                "No Ductape connection: set --access-key and --product (or DUCTAPE_ACCESS_KEY and DUCTAPE_PRODUCT; DUCTAPE_ENV and " +
                "DUCTAPE_BASE_URL optional). To try it locally, run `ductape local` and use the settings it prints.");
            return null;
        }

        var baseUrl = parse.GetValue(_baseUrl) ?? environment("DUCTAPE_BASE_URL");
        var options = new DuctapeClientOptions
        {
            AccessKey = accessKey,
            Product = product,
            Env = parse.GetValue(_env) ?? environment("DUCTAPE_ENV"),
        };
        if (!string.IsNullOrWhiteSpace(baseUrl))
        {
            if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var url))
            {
                error.WriteLine("--base-url: not an absolute URL.");
                return null;
            }

            options.BaseUrl = url;
        }

        try
        {
            return new DuctapeClient(options);
        }
        catch (ArgumentException ex)
        {
            error.WriteLine($"error: {ex.Message}");
            return null;
        }
    }

    private async Task<List<SessionTypesFile.Entry>?> ReadFile(string path, CancellationToken ct)
    {
        if (!File.Exists(path))
        {
            await error.WriteLineAsync($"{path}: no such file.");
            return null;
        }

        var (entries, problems) = SessionTypesFile.Read(await File.ReadAllTextAsync(path, ct), DateTimeOffset.UtcNow);
        foreach (var problem in problems)
        {
            await error.WriteLineAsync($"{path}({problem.Line},{problem.Column}): error: {problem.Message}");
        }

        return problems.Count == 0 ? entries : null;
    }

    private void Show(List<Plan.Change> plan)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No,
        });
        var table = new Table().AddColumn("action").AddColumn("tag").AddColumn("change");
        foreach (var change in plan)
        {
            var detail = change.Action switch
            {
                Plan.Action.Update => string.Join("\n", change.Fields.Select(f => $"{f.Field}: {f.Old} -> {f.New}")),
                Plan.Action.NotInFile => "kept (--prune deletes it)",
                _ => "",
            };
            table.AddRow(Markup.Escape(Plan.Name(change.Action)), Markup.Escape(change.Tag), Markup.Escape(detail));
        }

        console.Write(table);
        var count = (Plan.Action a) => plan.Count(c => c.Action == a);
        console.WriteLine($"{count(Plan.Action.Create)} to create, {count(Plan.Action.Update)} to update, {count(Plan.Action.Delete)} to delete, {count(Plan.Action.Unchanged)} unchanged.");
    }

    private static string PlanJson(List<Plan.Change> plan)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartArray("changes");
            foreach (var change in plan)
            {
                w.WriteStartObject();
                w.WriteString("action", Plan.Name(change.Action));
                w.WriteString("tag", change.Tag);
                w.WriteStartArray("fields");
                foreach (var field in change.Fields)
                {
                    w.WriteStartObject();
                    w.WriteString("field", field.Field);
                    w.WriteString("old", field.Old);
                    w.WriteString("new", field.New);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            foreach (var action in new[] { Plan.Action.Create, Plan.Action.Update, Plan.Action.Delete, Plan.Action.Unchanged })
            {
                w.WriteNumber(Plan.Name(action), plan.Count(c => c.Action == action));
            }

            w.WriteBoolean("hasChanges", plan.Any(c => c.Mutates));
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Header(string token)
    {
        var colon = token.IndexOf(':', StringComparison.Ordinal);
        var dot = token.IndexOf('.', colon + 1);
        if (colon < 0 || dot < 0)
        {
            return "(not a tag:JWE token)";
        }

        try
        {
            var bytes = System.Buffers.Text.Base64Url.DecodeFromChars(token.AsSpan(colon + 1, dot - colon - 1));
            using var header = JsonDocument.Parse(bytes);
            return Plan.Compact(header.RootElement);
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return "(unreadable header)";
        }
    }
}
