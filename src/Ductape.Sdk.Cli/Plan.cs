using System.Text.Json;
using Ductape.Sdk.Products;

namespace Ductape.Sdk.Cli;

/// <summary>What applying a file would change on the product, session type by session type.</summary>
internal static class Plan
{
    public enum Action
    {
        Create,
        Update,
        Delete,
        Unchanged,
        NotInFile, // on the product, absent from the file, and --prune not given: kept
    }

    /// <summary>One field's change, both values typed as the file writes them (a number, a string, the schema's JSON).</summary>
    public sealed record FieldChange(string Field, JsonElement? Old, JsonElement New);

    public sealed record Change(Action Action, string Tag, IReadOnlyList<FieldChange> Fields, ProductSession? Desired)
    {
        public bool Mutates => Action is Action.Create or Action.Update or Action.Delete;

        /// <summary>The update that sends only the changed fields.</summary>
        public ProductSessionUpdate Update() => new(Tag)
        {
            Name = Changed("name") ? Desired!.Name : null,
            Description = Changed("description") ? Desired!.Description : null,
            Schema = Changed("schema") ? Desired!.Schema : null,
            Selector = Changed("selector") ? Desired!.Selector : null,
            // The lifetime is one rule (expiry × period ≤ 100 years): send both halves when either changes.
            Expiry = Changed("expiry") || Changed("period") ? Desired!.Expiry : null,
            Period = Changed("expiry") || Changed("period") ? Desired!.Period : null,
        };

        private bool Changed(string field) => Fields.Any(f => f.Field == field);
    }

    public static List<Change> Of(IEnumerable<SessionTypesFile.Entry> desired, IEnumerable<ProductSession> current, bool prune)
    {
        var existing = current.ToDictionary(t => t.Tag, StringComparer.Ordinal);
        var changes = new List<Change>();
        foreach (var want in desired.OrderBy(e => e.Type.Tag, StringComparer.Ordinal))
        {
            var tag = want.Type.Tag;
            if (!existing.Remove(tag, out var have))
            {
                changes.Add(new(Action.Create, tag, Fields(null, want), want.Type));
                continue;
            }

            var fields = Fields(have, want);
            changes.Add(new(fields.Count == 0 ? Action.Unchanged : Action.Update, tag, fields, want.Type));
        }

        foreach (var left in existing.Values.OrderBy(t => t.Tag, StringComparer.Ordinal))
        {
            changes.Add(new(prune ? Action.Delete : Action.NotInFile, left.Tag, [], null));
        }

        return changes;
    }

    private static List<FieldChange> Fields(ProductSession? have, SessionTypesFile.Entry want)
    {
        var fields = new List<FieldChange>();
        void Compare(string field, string? old, string now)
        {
            if (old != now)
            {
                fields.Add(new(field, old is null ? null : Value(old), Value(now)));
            }
        }

        var type = want.Type;
        Compare("name", have?.Name, type.Name);
        Compare("description", have?.Description, type.Description);
        if (have is null || !JsonElement.DeepEquals(have.Schema, type.Schema))
        {
            fields.Add(new("schema", have?.Schema, type.Schema));
        }

        Compare("selector", have?.Selector, type.Selector);
        if (have?.Expiry != type.Expiry)
        {
            fields.Add(new("expiry", have is null ? null : Value(have.Expiry), Value(type.Expiry)));
        }

        // Periods compare as periods ("minutes" is "mins"); the new value is shown in the file's word, the old in the wire's.
        if (have?.Period != type.Period)
        {
            fields.Add(new("period", have is null ? null : Value(have.Period.ToWireValue()), Value(want.Period)));
        }

        return fields;
    }

    private static JsonElement Value(string text) => JsonSerializer.SerializeToElement(text, CliJson.Default.String);

    private static JsonElement Value(int number) => JsonSerializer.SerializeToElement(number, CliJson.Default.Int32);

    /// <summary>A value for a person: a string as itself, anything else as compact JSON.</summary>
    public static string Show(JsonElement? value) => value switch
    {
        null => "(none)",
        { ValueKind: JsonValueKind.String } text => text.GetString()!,
        { } other => Compact(other),
    };

    public static string Compact(JsonElement element) => element.ValueKind == JsonValueKind.Undefined ? "" : JsonSerializer.Serialize(element, CliJson.Default.JsonElement);

    public static string Name(Action action) => action switch
    {
        Action.Create => "create",
        Action.Update => "update",
        Action.Delete => "delete",
        Action.Unchanged => "unchanged",
        _ => "not-in-file",
    };

    /// <summary>The plan as JSON: each change with typed old and new values, then the counts.</summary>
    public static void Write(Utf8JsonWriter w, IReadOnlyList<Change> plan)
    {
        w.WriteStartArray("changes");
        foreach (var change in plan)
        {
            w.WriteStartObject();
            w.WriteString("action", Name(change.Action));
            w.WriteString("tag", change.Tag);
            w.WriteStartArray("fields");
            foreach (var field in change.Fields)
            {
                w.WriteStartObject();
                w.WriteString("field", field.Field);
                w.WritePropertyName("old");
                if (field.Old is { } old)
                {
                    old.WriteTo(w);
                }
                else
                {
                    w.WriteNullValue();
                }

                w.WritePropertyName("new");
                field.New.WriteTo(w);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        foreach (var action in new[] { Action.Create, Action.Update, Action.Delete, Action.Unchanged })
        {
            w.WriteNumber(Name(action), plan.Count(c => c.Action == action));
        }

        w.WriteBoolean("hasChanges", plan.Any(c => c.Mutates));
    }
}
