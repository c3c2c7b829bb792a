using System.Text.Json;
using System.Text.RegularExpressions;
using Ductape.Sdk.Products;

namespace Ductape.Sdk.Testing;

/// <summary>
/// The server's own reading, writing and checking of session types (CONTRACT §2), written from the contract and not shared
/// with the client: a wrong JSON name or a missed rule on either side makes the integration tests fail. Only the public API of
/// Ductape.Sdk is used (selectors and period arithmetic).
/// </summary>
internal static partial class LocalSessionTypes
{
    private static readonly (TokenPeriod Period, string Wire)[] Periods =
    [
        (TokenPeriod.Seconds, "secs"), (TokenPeriod.Minutes, "mins"), (TokenPeriod.Hours, "hours"), (TokenPeriod.Days, "days"),
        (TokenPeriod.Weeks, "weeks"), (TokenPeriod.Months, "months"), (TokenPeriod.Years, "years"),
    ];

    /// <summary>Reads a session type from the wire; a missing or mistyped member is a 400.</summary>
    public static ProductSession Read(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw LocalApiError.Invalid("The session configuration must be a JSON object.");
        }

        return new ProductSession
        {
            Name = Text(body, "name"),
            Tag = Text(body, "tag"),
            Description = Text(body, "description"),
            Schema = Member(body, "schema") is { } schema ? schema.Clone() : default,
            Selector = Text(body, "selector"),
            Expiry = Member(body, "expiry") switch
            {
                null => 0,
                { ValueKind: JsonValueKind.Number } e when e.TryGetInt32(out var expiry) => expiry,
                _ => throw LocalApiError.Invalid("expiry must be a whole number."),
            },
            Period = Member(body, "period") is { } period ? ReadPeriod(period) : 0,
        };
    }

    /// <summary>A period as the wire names it (aliases accepted on input, as Ductape does); 0 when unknown (a rule catches it).</summary>
    public static TokenPeriod ReadPeriod(JsonElement value) =>
        value.ValueKind == JsonValueKind.String && TokenPeriods.TryParse(value.GetString(), out var period)
            ? period
            : throw LocalApiError.Invalid("period must be one of secs, mins, hours, days, weeks, months, years.");

    /// <summary>Writes a session type as the wire carries it.</summary>
    public static void Write(Utf8JsonWriter w, ProductSession type)
    {
        w.WriteStartObject();
        w.WriteString("name", type.Name);
        w.WriteString("tag", type.Tag);
        w.WriteString("description", type.Description);
        w.WritePropertyName("schema");
        type.Schema.WriteTo(w);
        w.WriteString("selector", type.Selector);
        w.WriteNumber("expiry", type.Expiry);
        w.WriteString("period", Periods.First(p => p.Period == type.Period).Wire);
        w.WriteEndObject();
    }

    /// <summary>Every problem of a session type, each naming its field; empty when it may be stored.</summary>
    public static List<DuctapeValidationError> Problems(ProductSession type, DateTimeOffset now)
    {
        var problems = new List<DuctapeValidationError>();
        Blank(problems, "name", type.Name);
        Blank(problems, "description", type.Description);
        if (string.IsNullOrEmpty(type.Tag) || !TagPattern().IsMatch(type.Tag))
        {
            problems.Add(new("tag", "must be 1-128 characters of letters, digits, '_' or '-', starting with a letter or digit"));
        }

        if (!Periods.Any(p => p.Period == type.Period))
        {
            problems.Add(new("period", "must be one of secs, mins, hours, days, weeks, months, years"));
        }
        else if (type.Expiry < 1)
        {
            problems.Add(new("expiry", "must be at least 1"));
        }
        else if (type.Period.AddTo(now, type.Expiry) > now.AddYears(100))
        {
            problems.Add(new("expiry", "x period must be at most 100 years"));
        }

        if (type.Schema.ValueKind != JsonValueKind.Object)
        {
            problems.Add(new("schema", "must be a JSON object of sample values"));
        }
        else if (!SessionSelector.TryParse(type.Selector, out var selector, out var error))
        {
            problems.Add(new("selector", $"is not valid: {error!.Reason}"));
        }
        else if (!selector!.ResolvesToPrimitive(type.Schema, out var problem))
        {
            problems.Add(new("selector", problem!));
        }

        return problems;
    }

    /// <summary>Throws the contract's 400 when the session type may not be stored.</summary>
    public static void ThrowIfInvalid(ProductSession type, DateTimeOffset now)
    {
        if (Problems(type, now) is { Count: > 0 } problems)
        {
            throw LocalApiError.Invalid(string.Join(" ", problems.Select(p => $"{p.Field} {p.Problem}.")));
        }
    }

    private static void Blank(List<DuctapeValidationError> problems, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            problems.Add(new(field, "is required"));
        }
    }

    private static JsonElement? Member(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static string Text(JsonElement body, string name) => Member(body, name) switch
    {
        null => "",
        { ValueKind: JsonValueKind.String } s => s.GetString()!,
        _ => throw LocalApiError.Invalid($"{name} must be a string."),
    };

    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9_-]{0,127}\z")]
    private static partial Regex TagPattern();
}
