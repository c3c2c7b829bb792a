using System.CommandLine;
using System.CommandLine.Invocation;
using System.Text;
using System.Text.Json;

namespace Ductape.Sdk.Cli;

/// <summary>
/// The <c>ductape</c> command. Everything it prints goes to the writers it is given, and settings come from its arguments,
/// the environment function and the input stream, so the tests run it in-process. Every line meant for a person goes through
/// <see cref="Say"/>, which escapes control characters; <c>--json</c> output is JSON-escaped by its writer.
/// </summary>
internal sealed partial class CliApp
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int HasChanges = 2;
    private const string KeyForm = "'<kid>:<base64url secret>' of 16, 24 or 32 bytes";

    private readonly TextWriter _output;
    private readonly TextWriter _error;
    private readonly Func<string, string?> _environment;
    private readonly Func<Stream>? _input;
    private readonly bool _inputIsTerminal;
    private string? _inputTakenBy;

    private readonly Option<string?> _accessKey = new("--access-key") { Description = "The access key, or - to read it from standard input (default: DUCTAPE_ACCESS_KEY). Never printed." };
    private readonly Option<string?> _product = new("--product") { Description = "The product tag (default: DUCTAPE_PRODUCT)." };
    private readonly Option<string?> _env = new("--env") { Description = "The environment (default: DUCTAPE_ENV)." };
    private readonly Option<string?> _baseUrl = new("--base-url") { Description = "Ductape's API (default: DUCTAPE_BASE_URL, else Ductape's cloud)." };
    private readonly Option<bool> _json = new("--json") { Description = "Print the result as JSON, values typed as the session types file writes them." };
    private readonly Option<string?> _maxFileSize = new("--max-file-size")
    {
        Description = $"The largest file read, such as 64MiB (default: {Inputs.MaxFileSizeVariable}, else 64MiB).",
    };

    /// <param name="output">Standard output.</param>
    /// <param name="error">Standard error.</param>
    /// <param name="environment">Reads an environment variable.</param>
    /// <param name="input">Opens standard input (null: there is none).</param>
    /// <param name="inputIsTerminal">True when standard input is a person typing, not a pipe.</param>
    public CliApp(TextWriter output, TextWriter error, Func<string, string?> environment, Func<Stream>? input = null, bool inputIsTerminal = false)
    {
        (_output, _error, _environment, _input, _inputIsTerminal) = (output, error, environment, input, inputIsTerminal);
    }

    public static Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default) =>
        new CliApp(Console.Out, Console.Error, Environment.GetEnvironmentVariable, Console.OpenStandardInput, !Console.IsInputRedirected)
            .InvokeAsync(args, cancellationToken);

    public async Task<int> InvokeAsync(string[] args, CancellationToken cancellationToken = default)
    {
        var parse = Build().Parse(args);
        if (parse.Errors.Count == 0)
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = _output, Error = _error }, cancellationToken);
        }

        // The parser's messages quote the arguments, which may hold anything: say them escaped, and briefly.
        foreach (var problem in parse.Errors)
        {
            await Say(_error, $"error: {problem.Message}");
        }

        var names = new List<string> { "ductape" };
        for (var result = parse.CommandResult; result.Parent is System.CommandLine.Parsing.CommandResult parent; result = parent)
        {
            names.Insert(1, result.Command.Name);
        }

        await Say(_error, $"See `{string.Join(' ', names)} --help`.");
        return Failed;
    }

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

    /// <summary>Writes one line for a person, its control characters escaped.</summary>
    private static Task Say(TextWriter writer, string line) => writer.WriteLineAsync(Printable.Escape(line));

    /// <summary>Writes one JSON document to standard output.</summary>
    private Task SayJson(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            write(w);
        }

        return _output.WriteLineAsync(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    /// <summary>Turns the SDK's failures into a message and exit code 1, never a stack trace or a secret.</summary>
    private Command Guarded(Command command)
    {
        var action = command.Action!;
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                return action is AsynchronousCommandLineAction async
                    ? await async.InvokeAsync(parse, ct)
                    : ((SynchronousCommandLineAction)action).Invoke(parse);
            }
            catch (Exception ex) when (ex is CliException or DuctapeException or InvalidOperationException or ArgumentException
                                           or IOException or UnauthorizedAccessException)
            {
                await Say(_error, $"error: {ex.Message}");
                return Failed;
            }
        });
        return command;
    }

    /// <summary>
    /// Standard input, for the one option that asked for it: secrets come from it (or the environment) rather than the command
    /// line, which every user of the machine can read; a stream of JSON comes from it as the file <c>-</c>.
    /// </summary>
    private Func<Stream> TakeInput(string forWhat)
    {
        if (_inputTakenBy is { } other)
        {
            throw new CliException($"{forWhat} and {other} cannot both come from standard input; give one of them in the environment.");
        }

        _inputTakenBy = forWhat;
        return _input ?? throw new CliException($"{forWhat}: standard input is not available.");
    }

    private async Task<List<string>> InputLinesAsync(string forWhat, CancellationToken ct)
    {
        var open = TakeInput(forWhat);
        if (_inputIsTerminal)
        {
            await Say(_error, $"Reading {forWhat} from standard input (end with Ctrl+D)...");
        }

        await using var stream = open();
        return await Inputs.ReadLinesAsync(stream, ct);
    }

    /// <summary>One secret: the option's value, standard input for <c>-</c>, else the environment variable.</summary>
    private async Task<string?> SecretAsync(string? value, string name, string? variable, CancellationToken ct)
    {
        if (value != "-")
        {
            return value ?? (variable is null ? null : _environment(variable));
        }

        var lines = await InputLinesAsync(name, ct);
        return lines.Count == 1 ? lines[0] : throw new CliException($"{name}: expected one line on standard input, got {lines.Count}.");
    }

    /// <summary>A connection to the product, or null (already said why).</summary>
    private async Task<Connection?> ConnectAsync(ParseResult parse, CancellationToken ct)
    {
        var accessKey = await SecretAsync(parse.GetValue(_accessKey), "--access-key", "DUCTAPE_ACCESS_KEY", ct);
        var product = parse.GetValue(_product) ?? _environment("DUCTAPE_PRODUCT");
        if (string.IsNullOrWhiteSpace(accessKey) || string.IsNullOrWhiteSpace(product))
        {
            await Say(_error,
                "No Ductape connection: set DUCTAPE_ACCESS_KEY and DUCTAPE_PRODUCT (or --access-key - and --product; DUCTAPE_ENV and " +
                "DUCTAPE_BASE_URL optional). To try it locally, run `ductape local` and use the settings it prints.");
            return null;
        }

        var options = new DuctapeClientOptions { AccessKey = accessKey, Product = product, Env = parse.GetValue(_env) ?? _environment("DUCTAPE_ENV") };
        if ((parse.GetValue(_baseUrl) ?? _environment("DUCTAPE_BASE_URL")) is { Length: > 0 } baseUrl)
        {
            if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var url))
            {
                await Say(_error, "--base-url: not an absolute URL.");
                return null;
            }

            options.BaseUrl = url;
        }

        return new Connection(new DuctapeClient(options), product, options.Env);
    }

    private sealed record Connection(DuctapeClient Client, string Product, string? Env) : IDisposable
    {
        public void Dispose() => Client.Dispose();
    }

    private long MaxFileBytes(ParseResult parse)
    {
        var (text, from) = parse.GetValue(_maxFileSize) is { } option ? (option, "--max-file-size") : (_environment(Inputs.MaxFileSizeVariable), Inputs.MaxFileSizeVariable);
        if (text is null)
        {
            return Inputs.DefaultMaxFileBytes;
        }

        return Inputs.TryParseSize(text, out var bytes)
            ? bytes
            : throw new CliException($"{from}: '{text}' is not a size; use bytes or a number with KiB, MiB or GiB, up to 1GiB (such as 256MiB).");
    }
}
