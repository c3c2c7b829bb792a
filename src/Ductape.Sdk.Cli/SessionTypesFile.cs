using System.Text;
using System.Text.Json;
using Ductape.Sdk.Products;

namespace Ductape.Sdk.Cli;

/// <summary>
/// The reviewable file of a product's session types: a JSON array sorted by tag, each object's keys sorted, the schema samples
/// as written. Reading keeps each field's line and column, so every problem points at its place in the file.
/// </summary>
internal static class SessionTypesFile
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true };

    /// <summary>A problem in the file, at a place.</summary>
    public sealed record Problem(int Line, int Column, string Message);

    /// <summary>One session type as read, with where each field was written.</summary>
    public sealed record Entry(ProductSession Type, int Line, int Column, IReadOnlyDictionary<string, (int Line, int Column)> Fields);

    public static string Write(IEnumerable<ProductSession> types)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, Indented))
        {
            w.WriteStartArray();
            foreach (var type in types.OrderBy(t => t.Tag, StringComparer.Ordinal))
            {
                // Keys in ordinal order, so a diff of two exports shows only real changes.
                w.WriteStartObject();
                w.WriteString("description", type.Description);
                w.WriteNumber("expiry", type.Expiry);
                w.WriteString("name", type.Name);
                w.WriteString("period", type.Period.ToWireValue());
                w.WritePropertyName("schema");
                type.Schema.WriteTo(w);
                w.WriteString("selector", type.Selector);
                w.WriteString("tag", type.Tag);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>Reads the file; on any problem, returns the problems with their lines and columns instead.</summary>
    public static (List<Entry> Entries, List<Problem> Problems) Read(string text, DateTimeOffset now)
    {
        var entries = new List<Entry>();
        var problems = new List<Problem>();
        var bytes = Encoding.UTF8.GetBytes(text);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            problems.Add(new((int)(ex.LineNumber ?? 0) + 1, (int)(ex.BytePositionInLine ?? 0) + 1, "not valid JSON: " + FirstSentence(ex.Message)));
            return (entries, problems);
        }

        using (document)
        {
            var places = Places(bytes);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                problems.Add(new(1, 1, "the file must be a JSON array of session types"));
                return (entries, problems);
            }

            var index = 0;
            var seen = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var item in document.RootElement.EnumerateArray())
            {
                var (line, column, fields) = index < places.Count ? places[index] : (1, 1, new Dictionary<string, (int, int)>());
                index++;
                if (item.ValueKind != JsonValueKind.Object)
                {
                    problems.Add(new(line, column, "each session type must be a JSON object"));
                    continue;
                }

                var (type, shapeProblems) = ReadType(item);
                foreach (var (field, message) in shapeProblems)
                {
                    var at = fields.TryGetValue(field, out var place) ? place : (line, column);
                    problems.Add(new(at.Item1, at.Item2, $"{field} {message}"));
                }

                if (shapeProblems.Count > 0)
                {
                    continue;
                }

                foreach (var error in type.Validate(now))
                {
                    var at = fields.TryGetValue(error.Field, out var place) ? place : (line, column);
                    problems.Add(new(at.Item1, at.Item2, $"{type.Tag}: {error.Field} {error.Problem}"));
                }

                if (seen.TryGetValue(type.Tag, out var firstLine))
                {
                    var at = fields.TryGetValue("tag", out var place) ? place : (line, column);
                    problems.Add(new(at.Item1, at.Item2, $"tag '{type.Tag}' is declared twice (first on line {firstLine})"));
                }
                else
                {
                    seen[type.Tag] = fields.TryGetValue("tag", out var place) ? place.Item1 : line;
                }

                entries.Add(new Entry(type, line, column, fields));
            }
        }

        return (entries, problems);
    }

    private static (ProductSession Type, List<(string Field, string Message)> Problems) ReadType(JsonElement item)
    {
        var problems = new List<(string, string)>();
        string Text(string name)
        {
            if (!item.TryGetProperty(name, out var value))
            {
                problems.Add((name, "is missing"));
                return "";
            }

            if (value.ValueKind != JsonValueKind.String)
            {
                problems.Add((name, "must be a string"));
                return "";
            }

            return value.GetString()!;
        }

        var expiry = 0;
        if (!item.TryGetProperty("expiry", out var e))
        {
            problems.Add(("expiry", "is missing"));
        }
        else if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt32(out expiry))
        {
            problems.Add(("expiry", "must be a whole number"));
        }

        var periodText = Text("period");
        var period = default(TokenPeriod);
        if (periodText.Length > 0 && !TokenPeriods.TryParse(periodText, out period))
        {
            problems.Add(("period", "must be one of secs, mins, hours, days, weeks, months, years"));
        }

        var schema = item.TryGetProperty("schema", out var s) ? s.Clone() : default;
        if (schema.ValueKind == JsonValueKind.Undefined)
        {
            problems.Add(("schema", "is missing"));
        }

        foreach (var property in item.EnumerateObject())
        {
            if (property.Name is not ("description" or "expiry" or "name" or "period" or "schema" or "selector" or "tag"))
            {
                problems.Add((property.Name, "is not a field of a session type"));
            }
        }

        var type = new ProductSession
        {
            Tag = Text("tag"), Name = Text("name"), Description = Text("description"), Schema = schema, Selector = Text("selector"),
            Expiry = expiry, Period = period,
        };
        return (type, problems);
    }

    /// <summary>For each element of the top-level array: where it starts, and where each of its fields' names is.</summary>
    private static List<(int Line, int Column, Dictionary<string, (int, int)> Fields)> Places(byte[] bytes)
    {
        var lineStarts = new List<int> { 0 };
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                lineStarts.Add(i + 1);
            }
        }

        (int, int) Position(long offset)
        {
            var line = lineStarts.BinarySearch((int)offset);
            line = line >= 0 ? line : ~line - 1;
            return (line + 1, Encoding.UTF8.GetCharCount(bytes, lineStarts[line], (int)offset - lineStarts[line]) + 1);
        }

        var places = new List<(int, int, Dictionary<string, (int, int)>)>();
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        while (reader.Read())
        {
            if (reader.CurrentDepth == 1 && reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray
                    or JsonTokenType.String or JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null)
            {
                var (line, column) = Position(reader.TokenStartIndex);
                places.Add((line, column, new Dictionary<string, (int, int)>(StringComparer.Ordinal)));
            }
            else if (reader.CurrentDepth == 2 && reader.TokenType == JsonTokenType.PropertyName && places.Count > 0)
            {
                places[^1].Item3.TryAdd(reader.GetString()!, Position(reader.TokenStartIndex));
            }
        }

        return places;
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end > 0 ? message[..end] : message.TrimEnd('.');
    }
}
