using System.CommandLine;
using Ductape.Sdk.Testing;
using Ductape.Sdk.Tokens;

namespace Ductape.Sdk.Cli;

/// <summary><c>ductape local</c>: the SDK's local server on 127.0.0.1 until Ctrl+C or SIGTERM.</summary>
internal sealed partial class CliApp
{
    private Command Local()
    {
        var port = new Option<int>("--port") { Description = "The port on 127.0.0.1 (0 picks a free one).", DefaultValueFactory = _ => 4311 };
        var accessKey = new Option<string?>("--access-key") { Description = "A fixed access key, or - to read it from standard input (default: a new one, printed)." };
        var sessionKey = new Option<string?>("--session-key")
        {
            Description = "A fixed session key, kid:base64url, or - to read it from standard input (default: a new one, printed).",
        };
        var command = new Command("local", "Runs a local Ductape server on 127.0.0.1 until Ctrl+C or SIGTERM.");
        command.Options.Add(port);
        command.Options.Add(accessKey);
        command.Options.Add(sessionKey);
        command.Options.Add(_json);
        command.SetAction(async (parse, ct) =>
        {
            // Fixed keys are never read from DUCTAPE_ACCESS_KEY or DUCTAPE_SESSION_KEYS: those hold real keys, and this prints its own.
            var options = new DuctapeLocalServerOptions
            {
                Port = parse.GetValue(port), AccessKey = await SecretAsync(parse.GetValue(accessKey), "--access-key", null, ct),
            };
            if (await SecretAsync(parse.GetValue(sessionKey), "--session-key", null, ct) is { } text)
            {
                options.SessionKey = SessionKey.TryParse(text, out var key) ? key : throw new CliException($"--session-key: not a session key ({KeyForm}).");
            }

            await using var server = await DuctapeLocalServer.StartAsync(options, ct);
            // Keys it made are printed (point a client, a front end or a validator at it); keys given are not echoed.
            var printedAccessKey = options.AccessKey is null ? server.AccessKey : null;
            var printedSessionKey = options.SessionKey is null ? server.SessionKeys.Primary.ExportText() : null;
            if (parse.GetValue(_json))
            {
                await SayJson(w =>
                {
                    w.WriteStartObject();
                    w.WriteString("baseUrl", server.BaseUrl.AbsoluteUri);
                    w.WriteString("accessKey", printedAccessKey);
                    w.WriteString("sessionKey", printedSessionKey);
                    w.WriteEndObject();
                });
            }
            else
            {
                await Say(_output, $"Local Ductape server at {server.BaseUrl} (and {server.BaseUrl}api)");
                await Say(_output, $"  DUCTAPE_BASE_URL={server.BaseUrl}");
                await Say(_output, $"  DUCTAPE_ACCESS_KEY={printedAccessKey ?? "(the one given)"}");
                await Say(_output, $"  session key {printedSessionKey ?? "(the one given)"}");
                await Say(_output, "Ctrl+C or SIGTERM stops it.");
            }

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
}
