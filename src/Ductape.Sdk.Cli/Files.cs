using System.CommandLine;
using System.Text.Json;

namespace Ductape.Sdk.Cli;

/// <summary>Reading the files the CLI is given (bounded, scanned, problems with places) and writing the ones it makes.</summary>
internal sealed partial class CliApp
{
    private static string Shown(string path) => path == "-" ? "stdin" : path;

    /// <summary>Reads and parses a file (or standard input for <c>-</c>); null when it is not valid JSON (problems added).</summary>
    private async Task<JsonFile?> LoadAsync(ParseResult parse, string path, FileProblems problems, CancellationToken ct)
    {
        var bytes = await Inputs.ReadFileAsync(path, MaxFileBytes(parse), path == "-" ? TakeInput("the file") : null, ct);
        return JsonFile.Parse(bytes, problems);
    }

    /// <summary>Reads a session types file; null when it has problems, which are said (as JSON with --json).</summary>
    private async Task<List<SessionTypesFile.Entry>?> ReadSessionTypesAsync(ParseResult parse, string path, CancellationToken ct)
    {
        var problems = new FileProblems();
        using var loaded = await LoadAsync(parse, path, problems, ct);
        var entries = loaded is null ? [] : SessionTypesFile.Read(loaded, DateTimeOffset.UtcNow, problems);
        if (problems.Count == 0)
        {
            return entries;
        }

        await ReportAsync(parse, path, problems);
        return null;
    }

    private async Task ReportAsync(ParseResult parse, string path, FileProblems problems)
    {
        if (parse.GetValue(_json))
        {
            await SayJson(w => WriteProblems(w, path, 0, problems));
            return;
        }

        foreach (var problem in problems.Items)
        {
            await Say(_error, $"{Shown(path)}({problem.Line},{problem.Column}): error: {problem.Message}");
        }

        if (problems.Omitted > 0)
        {
            await Say(_error, $"{Shown(path)}: and {problems.Omitted} more problem(s) not shown.");
        }
    }

    private static void WriteProblems(Utf8JsonWriter w, string path, int sessionTypes, FileProblems problems)
    {
        w.WriteStartObject();
        w.WriteString("file", Shown(path));
        w.WriteBoolean("valid", problems.Count == 0);
        w.WriteNumber("sessionTypes", sessionTypes);
        w.WriteStartArray("problems");
        foreach (var problem in problems.Items)
        {
            w.WriteStartObject();
            w.WriteNumber("line", problem.Line);
            w.WriteNumber("column", problem.Column);
            w.WriteString("message", problem.Message);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteNumber("problemsNotShown", problems.Omitted);
        w.WriteEndObject();
    }

    /// <summary>Writes a whole file or nothing: a failure half-way leaves the old file as it was.</summary>
    private static async Task WriteFileAsync(string path, byte[] content, CancellationToken ct)
    {
        var full = Path.GetFullPath(path);
        var temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await File.WriteAllBytesAsync(temporary, content, ct);
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
