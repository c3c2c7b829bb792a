using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Ductape.Sdk.Tokens;

namespace Ductape.Sdk.Cli;

/// <summary><c>ductape token inspect</c> and <c>ductape keys generate</c>.</summary>
internal sealed partial class CliApp
{
    private const string KeysVariable = "DUCTAPE_SESSION_KEYS";
    private const string TokenVariable = "DUCTAPE_SESSION_TOKEN";

    private Command Inspect()
    {
        var token = new Argument<string?>("token")
        {
            Description = $"The session token, tag:JWE; - or omitted: {TokenVariable}, else standard input (keeps it out of the process list).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var keys = new Option<string[]>("--key")
        {
            Description = $"A session key, kid:base64url (repeat for several), or - to read them from standard input, one per line (default: {KeysVariable}, comma-separated).",
        };
        var product = new Option<string?>("--product") { Description = "Check the token is for this product (with --env)." };
        var env = new Option<string?>("--env") { Description = "Check the token is for this environment (with --product)." };
        var showData = new Option<bool>("--show-data") { Description = "Print the session data (redacted otherwise)." };
        var command = new Command("inspect", "Decrypts and validates a session token offline: header, claims, and why it is refused.");
        command.Arguments.Add(token);
        command.Options.Add(keys);
        command.Options.Add(product);
        command.Options.Add(env);
        command.Options.Add(showData);
        command.Options.Add(_json);
        command.SetAction(async (parse, ct) =>
        {
            var ring = await KeysAsync(parse.GetValue(keys) ?? [], ct);
            var given = parse.GetValue(token);
            var value = given is not null && given != "-"
                ? given
                : (given is null ? _environment(TokenVariable) : null) ?? await SecretAsync("-", "the token", null, ct);
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new CliException($"no token: pipe it to standard input or set {TokenVariable}.");
            }

            var audience = parse.GetValue(product) is { } p && parse.GetValue(env) is { } e ? (p, e) : ((string, string)?)null;
            var validator = new SessionTokenValidator(new SessionTokenValidationOptions
            {
                Keys = new SessionKeyRing(ring[0], [.. ring.Skip(1)]),
                ValidateAudience = audience is not null,
                Product = audience?.Item1,
                Env = audience?.Item2,
            });
            var result = validator.Validate(value.Trim());
            using var header = Header(value.Trim());
            if (parse.GetValue(_json))
            {
                await SayJson(w => WriteInspection(w, header, result, audience is not null, parse.GetValue(showData)));
            }
            else
            {
                await SayInspection(header, result, audience is not null, parse.GetValue(showData));
            }

            return result.Session is null ? Failed : Ok;
        });
        return Guarded(command);
    }

    private async Task SayInspection(JsonDocument? header, SessionTokenValidationResult result, bool audienceChecked, bool showData)
    {
        await Say(_output, $"header   {(header is null ? "(unreadable: not tag:JWE with a JSON header)" : Plan.Compact(header.RootElement))}");
        if (result.Session is not { } session)
        {
            await Say(_output, $"invalid  {result.Failure}");
            return;
        }

        await Say(_output, "valid");
        await Say(_output, $"sid      {session.SessionId}");
        await Say(_output, $"tag      {session.Tag}");
        await Say(_output, $"product  {session.Product}");
        await Say(_output, $"env      {session.Env}");
        await Say(_output, $"sub      {session.Identifier}");
        await Say(_output, $"iat      {session.IssuedAt:u}");
        await Say(_output, $"nbf      {session.NotBefore:u}");
        await Say(_output, $"exp      {session.ExpiresAt:u}{(audienceChecked ? "" : "  (audience not checked: give --product and --env)")}");
        await Say(_output, showData ? $"data     {Plan.Compact(session.Data)}" : "data     (redacted; --show-data prints it)");
    }

    private static void WriteInspection(Utf8JsonWriter w, JsonDocument? header, SessionTokenValidationResult result, bool audienceChecked, bool showData)
    {
        static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        w.WriteStartObject();
        w.WritePropertyName("header");
        if (header is null)
        {
            w.WriteNullValue();
        }
        else
        {
            header.RootElement.WriteTo(w);
        }

        w.WriteBoolean("valid", result.Session is not null);
        w.WriteString("failure", result.Session is null ? result.Failure.ToString() : null);
        w.WriteBoolean("audienceChecked", audienceChecked);
        if (result.Session is { } session)
        {
            w.WriteStartObject("claims");
            w.WriteString("sid", session.SessionId);
            w.WriteString("tag", session.Tag);
            w.WriteString("product", session.Product);
            w.WriteString("env", session.Env);
            w.WriteString("sub", session.Identifier);
            w.WriteString("iat", Instant(session.IssuedAt));
            w.WriteString("nbf", Instant(session.NotBefore));
            w.WriteString("exp", Instant(session.ExpiresAt));
            w.WriteEndObject();
            if (showData)
            {
                w.WritePropertyName("data");
                session.Data.WriteTo(w);
            }
        }

        w.WriteEndObject();
    }

    /// <summary>The key ring from --key values (<c>-</c>: standard input), else from the environment.</summary>
    private async Task<List<SessionKey>> KeysAsync(string[] given, CancellationToken ct)
    {
        var (texts, from) = given.Length > 0 ? (given.ToList(), "--key") : (Split(_environment(KeysVariable)), KeysVariable);
        if (texts.Remove("-"))
        {
            texts.AddRange((await InputLinesAsync("--key", ct)).SelectMany(Split));
        }

        if (texts.Count == 0)
        {
            throw new CliException($"no session key: set {KeysVariable}, or pass --key - and pipe the keys to standard input.");
        }

        var ring = new List<SessionKey>();
        foreach (var text in texts)
        {
            // The value is a secret: name where it came from, never echo it.
            ring.Add(SessionKey.TryParse(text, out var key) ? key : throw new CliException($"{from}: not a session key ({KeyForm})."));
        }

        return ring;

        static List<string> Split(string? list) => [.. (list ?? "").Split([',', ' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries)];
    }

    private Command Generate()
    {
        var kid = new Option<string?>("--kid") { Description = "The key id (default: the date, such as 2026-11-29)." };
        var command = new Command("generate", "Prints a new session key, kid:base64url (32 bytes, for A256GCM).");
        command.Options.Add(kid);
        command.Options.Add(_json);
        command.SetAction(async (parse, _) =>
        {
            var key = SessionKey.Generate(parse.GetValue(kid) ?? DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            await (parse.GetValue(_json)
                ? SayJson(w => { w.WriteStartObject(); w.WriteString("kid", key.KeyId); w.WriteString("key", key.ExportText()); w.WriteEndObject(); })
                : Say(_output, key.ExportText()));
            return Ok;
        });
        return Guarded(command);
    }

    /// <summary>The token's protected header, or null when it has none that reads as JSON.</summary>
    private static JsonDocument? Header(string token)
    {
        var colon = token.IndexOf(':', StringComparison.Ordinal);
        var dot = token.IndexOf('.', colon + 1);
        if (colon < 0 || dot < 0)
        {
            return null;
        }

        try
        {
            return JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(token.AsSpan(colon + 1, dot - colon - 1)));
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return null;
        }
    }
}
