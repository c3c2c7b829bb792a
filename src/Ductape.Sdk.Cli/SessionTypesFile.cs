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

    /// <summary>
    /// One session type as read, with its period as the file spells it: <c>minutes</c> and <c>mins</c> are one period, and a
    /// plan shows the file's word.
    /// </summary>
    public sealed record Entry(ProductSession Type, string Period)
    {
        public Entry(ProductSession type)
            : this(type, type.Period.ToWireValue())
        {
        }
    }

    public static string Write(IEnumerable<ProductSession> types) => Write(types.Select(t => new Entry(t)));

    public static string Write(IEnumerable<Entry> entries)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, Indented))
        {
            WriteArray(w, entries);
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    public static void WriteArray(Utf8JsonWriter w, IEnumerable<Entry> entries)
    {
        w.WriteStartArray();
        foreach (var (type, period) in entries.OrderBy(e => e.Type.Tag, StringComparer.Ordinal))
        {
            // Keys in ordinal order, so a diff of two exports shows only real changes.
            w.WriteStartObject();
            w.WriteString("description", type.Description);
            w.WriteNumber("expiry", type.Expiry);
            w.WriteString("name", type.Name);
            w.WriteString("period", period);
            w.WritePropertyName("schema");
            type.Schema.WriteTo(w);
            w.WriteString("selector", type.Selector);
            w.WriteString("tag", type.Tag);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// <summary>Reads the file's bytes; on any problem, no entries and the problems with their lines and columns.</summary>
    public static (List<Entry> Entries, FileProblems Problems) Read(ReadOnlyMemory<byte> utf8, DateTimeOffset now)
    {
        var problems = new FileProblems();
        using var file = JsonFile.Parse(utf8, problems);
        return (file is null ? [] : Read(file, now, problems), problems);
    }

    /// <summary>Reads a parsed file; on any problem, no entries.</summary>
    public static List<Entry> Read(JsonFile file, DateTimeOffset now, FileProblems problems)
    {
        if (file.Root.ValueKind != JsonValueKind.Array)
        {
            problems.Add((1, 1), "the file must be a JSON array of session types (or, for apply, a plan saved by plan --out)");
            return [];
        }

        var entries = ReadArray(file.Root, file, now, problems);
        return problems.Count == 0 ? entries : [];
    }

    /// <summary>Reads an array of session types (a file's, or a saved plan's) against the contract's rules.</summary>
    public static List<Entry> ReadArray(JsonElement array, JsonFile? file, DateTimeOffset now, FileProblems problems)
    {
        var entries = new List<Entry>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var index = -1;
        foreach (var item in array.EnumerateArray())
        {
            index++;
            (int, int) At(string field) => file?.FieldPlace(index, field) ?? (1, 1);
            if (item.ValueKind != JsonValueKind.Object)
            {
                problems.Add(() => file?.ItemPlace(index) ?? (1, 1), "each session type must be a JSON object");
                continue;
            }

            var (type, period, shapeProblems) = ReadType(item);

            // A duplicate tag is a problem of its own, whatever else is wrong with the row.
            if (type.Tag.Length > 0 && !seen.TryAdd(type.Tag, index))
            {
                var first = problems.Full ? 0 : file?.FieldPlace(seen[type.Tag], "tag").Line ?? 1;
                problems.Add(() => At("tag"), $"tag '{type.Tag}' is declared twice (first on line {first})");
            }

            foreach (var (field, message) in shapeProblems)
            {
                problems.Add(() => At(field), $"{field} {message}");
            }

            if (shapeProblems.Count > 0)
            {
                continue;
            }

            foreach (var error in type.Validate(now))
            {
                problems.Add(() => At(error.Field), $"{type.Tag}: {error.Field} {error.Problem}");
            }

            entries.Add(new Entry(type, period));
        }

        return entries;
    }

    /// <summary>One pass over the object's fields: their values, and what is missing, mistyped or unknown.</summary>
    private static (ProductSession Type, string Period, List<(string Field, string Message)> Problems) ReadType(JsonElement item)
    {
        var problems = new List<(string, string)>();
        var text = new Dictionary<string, string>(5, StringComparer.Ordinal);
        var (expiry, hasExpiry, schema) = (0, false, default(JsonElement));
        foreach (var property in item.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "description" or "name" or "period" or "selector" or "tag":
                    if (value.ValueKind == JsonValueKind.String)
                    {
                        text[property.Name] = value.GetString()!;
                    }
                    else
                    {
                        problems.Add((property.Name, "must be a string"));
                        text[property.Name] = "";
                    }

                    break;
                case "expiry":
                    hasExpiry = true;
                    if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out expiry))
                    {
                        problems.Add(("expiry", "must be a whole number"));
                    }

                    break;
                case "schema":
                    schema = value.Clone();
                    break;
                default:
                    problems.Add((property.Name, "is not a field of a session type"));
                    break;
            }
        }

        foreach (var name in (string[])["description", "name", "period", "selector", "tag"])
        {
            if (text.TryAdd(name, ""))
            {
                problems.Add((name, "is missing"));
            }
        }

        if (!hasExpiry)
        {
            problems.Add(("expiry", "is missing"));
        }

        if (schema.ValueKind == JsonValueKind.Undefined)
        {
            problems.Add(("schema", "is missing"));
        }

        var period = default(TokenPeriod);
        if (text["period"].Length > 0 && !TokenPeriods.TryParse(text["period"], out period))
        {
            problems.Add(("period", "must be one of secs, mins, hours, days, weeks, months, years"));
        }

        var type = new ProductSession
        {
            Tag = text["tag"], Name = text["name"], Description = text["description"], Schema = schema, Selector = text["selector"],
            Expiry = expiry, Period = period,
        };
        return (type, text["period"], problems);
    }
}
