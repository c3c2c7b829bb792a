using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ductape.Sdk.Products;

namespace Ductape.Sdk.Cli;

/// <summary>
/// A plan saved by <c>plan --out</c>: what the file wanted, what the product had (a fingerprint per session type), and the
/// changes a reviewer approved. <c>apply</c> of a saved plan makes exactly those changes, and refuses when the product changed
/// since, as <c>terraform apply planfile</c> does.
/// </summary>
internal static class SavedPlan
{
    public const string Format = "ductape-sessions-plan/1";
    private const string FormatPrefix = "ductape-sessions-plan/";

    public sealed record Saved(string Product, string? Env, bool Prune, List<SessionTypesFile.Entry> Desired, Dictionary<string, string> Live, JsonElement Changes);

    public static bool IsPlan(JsonElement root) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("format", out var format)
        && format.ValueKind == JsonValueKind.String && format.GetString()!.StartsWith(FormatPrefix, StringComparison.Ordinal);

    public static byte[] Write(
        string product, string? env, bool prune, IEnumerable<SessionTypesFile.Entry> desired, IEnumerable<ProductSession> live,
        IReadOnlyList<Plan.Change> plan, DateTimeOffset now)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("format", Format);
            w.WriteString("note", "Made by `ductape sessions plan --out`; `ductape sessions apply <this file>` makes these changes, " +
                "and refuses if the product changed since. Editing this file voids it.");
            w.WriteString("product", product);
            w.WriteString("env", env);
            w.WriteString("createdAt", now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            w.WriteBoolean("prune", prune);
            w.WriteStartObject("live");
            foreach (var (tag, fingerprint) in Fingerprints(live).OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                w.WriteString(tag, fingerprint);
            }

            w.WriteEndObject();
            w.WritePropertyName("desired");
            SessionTypesFile.WriteArray(w, desired);
            Plan.Write(w, plan);
            w.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>Reads a saved plan; null with the problems said when it is not one this version can apply.</summary>
    public static Saved? Read(JsonElement root, DateTimeOffset now, FileProblems problems)
    {
        if (root.GetProperty("format").GetString() != Format)
        {
            problems.Add((1, 1), $"a plan in a format this ductape does not know ({Format} is); make it again with this version");
            return null;
        }

        JsonElement Field(string name, JsonValueKind kind, JsonValueKind orKind = JsonValueKind.Undefined)
        {
            if (root.TryGetProperty(name, out var value) && (value.ValueKind == kind || value.ValueKind == orKind))
            {
                return value;
            }

            problems.Add((1, 1), $"the saved plan's {name} is missing or of the wrong kind; make the plan again");
            return default;
        }

        var product = Field("product", JsonValueKind.String);
        var env = Field("env", JsonValueKind.String, JsonValueKind.Null);
        var prune = Field("prune", JsonValueKind.True, JsonValueKind.False);
        var live = Field("live", JsonValueKind.Object);
        var desired = Field("desired", JsonValueKind.Array);
        var changes = Field("changes", JsonValueKind.Array);
        if (problems.Count > 0)
        {
            return null;
        }

        var fingerprints = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in live.EnumerateObject())
        {
            fingerprints[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : "";
        }

        var entries = SessionTypesFile.ReadArray(desired, null, now, problems);
        return problems.Count > 0 ? null : new Saved(
            product.GetString()!, env.ValueKind == JsonValueKind.String ? env.GetString() : null, prune.GetBoolean(), entries, fingerprints, changes.Clone());
    }

    /// <summary>How the product differs from when the plan was made, one line per session type; empty when it does not.</summary>
    public static List<string> Drift(Saved saved, IEnumerable<ProductSession> live)
    {
        var now = Fingerprints(live);
        var drift = new List<string>();
        foreach (var tag in saved.Live.Keys.Union(now.Keys).Order(StringComparer.Ordinal))
        {
            var before = saved.Live.GetValueOrDefault(tag);
            var after = now.GetValueOrDefault(tag);
            if (before != after)
            {
                drift.Add(before is null ? $"{tag} (created since)" : after is null ? $"{tag} (deleted since)" : $"{tag} (changed since)");
            }
        }

        return drift;
    }

    /// <summary>True when the plan made now is the one saved: the file's changes follow from its own desired types.</summary>
    public static bool SameChanges(Saved saved, IReadOnlyList<Plan.Change> plan)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            Plan.Write(w, plan);
            w.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.ToArray());
        return JsonElement.DeepEquals(document.RootElement.GetProperty("changes"), saved.Changes);
    }

    private static Dictionary<string, string> Fingerprints(IEnumerable<ProductSession> live) => live.ToDictionary(
        t => t.Tag,
        t => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(SessionTypesFile.Write([t])))),
        StringComparer.Ordinal);
}
