using System.CommandLine;
using System.Text.Json;
using Spectre.Console;

namespace Ductape.Sdk.Cli;

/// <summary><c>ductape sessions</c>: session types as code (export, validate, plan, apply).</summary>
internal sealed partial class CliApp
{
    private void AddConnection(Command command)
    {
        command.Options.Add(_accessKey);
        command.Options.Add(_product);
        command.Options.Add(_env);
        command.Options.Add(_baseUrl);
    }

    private static Argument<string> FileArgument(string description) => new("file") { Description = description + " (- reads standard input)." };

    private Command Export()
    {
        var path = new Option<string?>("--output", "-o") { Description = "The file to write (default: standard output)." };
        var command = new Command("export", "Writes every session type of the product as a reviewable JSON file (sorted, stable).");
        command.Options.Add(path);
        command.Options.Add(_json);
        AddConnection(command);
        command.SetAction(async (parse, ct) =>
        {
            using var connection = await ConnectAsync(parse, ct);
            if (connection is null)
            {
                return Failed;
            }

            var types = await connection.Client.Products.Sessions.FetchAllAsync(ct);
            var text = SessionTypesFile.Write(types);
            if (parse.GetValue(path) is not { } file)
            {
                await _output.WriteAsync(text); // the file itself, JSON-escaped: the same with or without --json
                return Ok;
            }

            await WriteFileAsync(file, System.Text.Encoding.UTF8.GetBytes(text), ct);
            await (parse.GetValue(_json)
                ? SayJson(w => { w.WriteStartObject(); w.WriteString("file", file); w.WriteNumber("sessionTypes", types.Count); w.WriteEndObject(); })
                : Say(_output, $"Wrote {file} ({types.Count} session type(s))."));
            return Ok;
        });
        return Guarded(command);
    }

    private Command Validate()
    {
        var file = FileArgument("The session types file");
        var command = new Command("validate", "Checks a session types file offline: the contract's rules, selectors against schemas, duplicate tags.");
        command.Arguments.Add(file);
        command.Options.Add(_json);
        command.Options.Add(_maxFileSize);
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            if (await ReadSessionTypesAsync(parse, path, ct) is not { } entries)
            {
                return Failed;
            }

            await (parse.GetValue(_json)
                ? SayJson(w => WriteProblems(w, path, entries.Count, new FileProblems()))
                : Say(_output, $"{Shown(path)}: {entries.Count} session type(s), valid."));
            return Ok;
        });
        return Guarded(command);
    }

    private Command PlanCommand()
    {
        var file = FileArgument("The session types file");
        var prune = new Option<bool>("--prune") { Description = "Plan to delete session types the file does not have." };
        var save = new Option<string?>("--out") { Description = "Save the plan to this file; `apply` of it makes exactly these changes." };
        var command = new Command("plan", "Shows what apply would change. Exit code 0: no changes; 2: changes; 1: an error.");
        command.Arguments.Add(file);
        command.Options.Add(prune);
        command.Options.Add(save);
        command.Options.Add(_json);
        command.Options.Add(_maxFileSize);
        AddConnection(command);
        command.SetAction(async (parse, ct) =>
        {
            if (await ReadSessionTypesAsync(parse, parse.GetValue(file)!, ct) is not { } entries)
            {
                return Failed;
            }

            using var connection = await ConnectAsync(parse, ct);
            if (connection is null)
            {
                return Failed;
            }

            var live = await connection.Client.Products.Sessions.FetchAllAsync(ct);
            var plan = Plan.Of(entries, live, parse.GetValue(prune));
            if (parse.GetValue(save) is { } saveTo)
            {
                var saved = SavedPlan.Write(connection.Product, connection.Env, parse.GetValue(prune), entries, live, plan, DateTimeOffset.UtcNow);
                await WriteFileAsync(saveTo, saved, ct);
            }

            if (parse.GetValue(_json))
            {
                await SayJson(w =>
                {
                    w.WriteStartObject();
                    w.WriteString("product", connection.Product);
                    w.WriteString("env", connection.Env);
                    w.WriteBoolean("prune", parse.GetValue(prune));
                    w.WriteString("savedTo", parse.GetValue(save));
                    Plan.Write(w, plan);
                    w.WriteEndObject();
                });
            }
            else
            {
                Show(plan);
                if (parse.GetValue(save) is { } savedTo)
                {
                    await Say(_output, $"Saved to {savedTo}: `ductape sessions apply {savedTo}` makes exactly these changes, and refuses if the product changes first.");
                }
            }

            return plan.Any(c => c.Mutates) ? HasChanges : Ok;
        });
        return Guarded(command);
    }

    private Command Apply()
    {
        var file = FileArgument("The session types file, or a plan saved by plan --out");
        var prune = new Option<bool>("--prune") { Description = "Delete session types the file does not have (a saved plan already says)." };
        var yes = new Option<bool>("--yes", "-y") { Description = "Apply without asking (a saved plan was already reviewed)." };
        var command = new Command("apply", "Makes the product's session types match the file or the saved plan, sending only changed fields.");
        command.Arguments.Add(file);
        command.Options.Add(prune);
        command.Options.Add(yes);
        command.Options.Add(_json);
        command.Options.Add(_maxFileSize);
        AddConnection(command);
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            var problems = new FileProblems();
            using var loaded = await LoadAsync(parse, path, problems, ct);
            var isPlan = loaded is not null && SavedPlan.IsPlan(loaded.Root);
            if (isPlan && parse.GetResult(prune) is { Implicit: false })
            {
                throw new CliException($"--prune: {Shown(path)} is a saved plan, which already says whether to prune.");
            }

            var now = DateTimeOffset.UtcNow;
            var saved = isPlan ? SavedPlan.Read(loaded!.Root, now, problems) : null;
            var entries = loaded is null || isPlan ? [] : SessionTypesFile.Read(loaded, now, problems);
            if (problems.Count > 0)
            {
                await ReportAsync(parse, path, problems);
                return Failed;
            }

            using var connection = await ConnectAsync(parse, ct);
            if (connection is null)
            {
                return Failed;
            }

            if (saved is not null && (saved.Product != connection.Product || saved.Env != connection.Env))
            {
                throw new CliException(
                    $"{Shown(path)} was planned for product '{saved.Product}' (env '{saved.Env}'), not '{connection.Product}' (env '{connection.Env}'); nothing applied.");
            }

            var live = await connection.Client.Products.Sessions.FetchAllAsync(ct);
            if (saved is not null && SavedPlan.Drift(saved, live) is { Count: > 0 } drift)
            {
                throw new CliException(
                    $"the product changed since {Shown(path)} was planned: {string.Join(", ", drift)}; nothing applied. Plan again, review, apply the new plan.");
            }

            var plan = saved is null ? Plan.Of(entries, live, parse.GetValue(prune)) : Plan.Of(saved.Desired, live, saved.Prune);
            if (saved is not null && !SavedPlan.SameChanges(saved, plan))
            {
                throw new CliException($"{Shown(path)}: its changes do not follow from its desired session types (was it edited?); nothing applied. Plan again.");
            }

            return await ApplyAsync(parse, connection.Client, plan, approved: saved is not null || parse.GetValue(yes), ct);
        });
        return Guarded(command);
    }

    private async Task<int> ApplyAsync(ParseResult parse, DuctapeClient client, List<Plan.Change> plan, bool approved, CancellationToken ct)
    {
        var json = parse.GetValue(_json);
        var steps = plan.Where(c => c.Mutates).ToList();
        if (steps.Count > 0 && !json)
        {
            Show(plan);
        }

        if (steps.Count > 0 && !approved)
        {
            if (json)
            {
                await SayJson(w => WriteApplied(w, plan, [], null, null));
            }

            await Say(_error, "Not applied: pass --yes to apply these changes.");
            return Failed;
        }

        var applied = new List<Plan.Change>();
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
                var rest = steps.SkipWhile(s => s != step).ToList();
                if (json)
                {
                    await SayJson(w => WriteApplied(w, plan, applied, step, ex.Message));
                }

                await Say(_error, $"Failed to {Plan.Name(step.Action)} '{step.Tag}': {ex.Message}");
                await Say(_error, $"Applied: {(applied.Count == 0 ? "nothing" : string.Join(", ", applied.Select(Described)))}.");
                await Say(_error, $"Not applied: {string.Join(", ", rest.Select(Described))}. Run apply again to finish.");
                return Failed;
            }

            applied.Add(step);
            if (!json)
            {
                await Say(_output, $"  {Plan.Name(step.Action)}d {step.Tag}"); // created, updated, deleted
            }
        }

        await (json
            ? SayJson(w => WriteApplied(w, plan, applied, null, null))
            : Say(_output, steps.Count == 0 ? "No changes: the product matches the file." : $"Applied {applied.Count} change(s)."));
        return Ok;
    }

    private static string Described(Plan.Change change) => $"{Plan.Name(change.Action)} {change.Tag}";

    private static void WriteApplied(Utf8JsonWriter w, List<Plan.Change> plan, List<Plan.Change> applied, Plan.Change? failed, string? error)
    {
        w.WriteStartObject();
        Plan.Write(w, plan);
        void Steps(string name, IEnumerable<Plan.Change> changes)
        {
            w.WriteStartArray(name);
            foreach (var change in changes)
            {
                w.WriteStartObject();
                w.WriteString("action", Plan.Name(change.Action));
                w.WriteString("tag", change.Tag);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        Steps("applied", applied);
        Steps("notApplied", plan.Where(c => c.Mutates).Except(applied));
        if (failed is null)
        {
            w.WriteNull("failed");
        }
        else
        {
            w.WriteStartObject("failed");
            w.WriteString("action", Plan.Name(failed.Action));
            w.WriteString("tag", failed.Tag);
            w.WriteString("error", error);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private void Show(List<Plan.Change> plan)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(_output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No,
        });
        var table = new Table().AddColumn("action").AddColumn("tag").AddColumn("change");
        foreach (var change in plan)
        {
            // Each value escaped on its own: the line breaks between fields are the table's, never a value's.
            var detail = change.Action switch
            {
                Plan.Action.Update => string.Join("\n", change.Fields.Select(f => Printable.Escape($"{f.Field}: {Plan.Show(f.Old)} -> {Plan.Show(f.New)}"))),
                Plan.Action.NotInFile => "kept (--prune deletes it)",
                _ => "",
            };
            table.AddRow(Markup.Escape(Plan.Name(change.Action)), Markup.Escape(Printable.Escape(change.Tag)), Markup.Escape(detail));
        }

        console.Write(table);
        var count = (Plan.Action a) => plan.Count(c => c.Action == a);
        console.WriteLine($"{count(Plan.Action.Create)} to create, {count(Plan.Action.Update)} to update, {count(Plan.Action.Delete)} to delete, {count(Plan.Action.Unchanged)} unchanged.");
    }
}
