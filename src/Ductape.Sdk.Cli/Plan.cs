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

    public sealed record FieldChange(string Field, string? Old, string? New);

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

    public static List<Change> Of(IEnumerable<ProductSession> desired, IEnumerable<ProductSession> current, bool prune)
    {
        var existing = current.ToDictionary(t => t.Tag, StringComparer.Ordinal);
        var changes = new List<Change>();
        foreach (var want in desired.OrderBy(t => t.Tag, StringComparer.Ordinal))
        {
            if (!existing.Remove(want.Tag, out var have))
            {
                changes.Add(new(Action.Create, want.Tag, Fields(null, want), want));
                continue;
            }

            var fields = Fields(have, want);
            changes.Add(new(fields.Count == 0 ? Action.Unchanged : Action.Update, want.Tag, fields, want));
        }

        foreach (var left in existing.Values.OrderBy(t => t.Tag, StringComparer.Ordinal))
        {
            changes.Add(new(prune ? Action.Delete : Action.NotInFile, left.Tag, [], null));
        }

        return changes;
    }

    private static List<FieldChange> Fields(ProductSession? have, ProductSession want)
    {
        var fields = new List<FieldChange>();
        void Compare(string field, string? old, string now)
        {
            if (old != now)
            {
                fields.Add(new(field, old, now));
            }
        }

        Compare("name", have?.Name, want.Name);
        Compare("description", have?.Description, want.Description);
        if (have is null || !JsonElement.DeepEquals(have.Schema, want.Schema))
        {
            fields.Add(new("schema", have is null ? null : Compact(have.Schema), Compact(want.Schema)));
        }

        Compare("selector", have?.Selector, want.Selector);
        Compare("expiry", have?.Expiry.ToString(System.Globalization.CultureInfo.InvariantCulture), want.Expiry.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Compare("period", have?.Period.ToWireValue(), want.Period.ToWireValue());
        return fields;
    }

    public static string Compact(JsonElement element) => element.ValueKind == JsonValueKind.Undefined ? "" : JsonSerializer.Serialize(element, CliJson.Default.JsonElement);

    public static string Name(Action action) => action switch
    {
        Action.Create => "create",
        Action.Update => "update",
        Action.Delete => "delete",
        Action.Unchanged => "unchanged",
        _ => "not-in-file",
    };
}
