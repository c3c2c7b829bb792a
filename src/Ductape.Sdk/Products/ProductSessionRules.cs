using System.Text.Json;

namespace Ductape.Sdk.Products;

/// <summary>The checks of a session type's configuration (CONTRACT §2), run before anything is sent.</summary>
internal static class ProductSessionRules
{
    // Errors name the field as the contract and the wire do (JSON), with the C# member beside it.
    private static readonly (string Field, string Member) Tag = ("tag", nameof(ProductSession.Tag));
    private static readonly (string Field, string Member) Name = ("name", nameof(ProductSession.Name));
    private static readonly (string Field, string Member) Description = ("description", nameof(ProductSession.Description));
    private static readonly (string Field, string Member) Expiry = ("expiry", nameof(ProductSession.Expiry));
    private static readonly (string Field, string Member) Period = ("period", nameof(ProductSession.Period));
    private static readonly (string Field, string Member) Selector = ("selector", nameof(ProductSession.Selector));
    private static readonly (string Field, string Member) Schema = ("schema", nameof(ProductSession.Schema));

    /// <param name="session">The session type to create.</param>
    /// <param name="now">The instant the 100-year cap counts from (the client's clock).</param>
    public static void ValidateCreate(ProductSession session, DateTimeOffset now) => Check(session, now).ThrowIfAny();

    /// <param name="session">The session type to create.</param>
    /// <param name="now">The instant the 100-year cap counts from (the client's clock).</param>
    /// <returns>Every problem, each naming its field.</returns>
    public static IReadOnlyList<DuctapeValidationError> Problems(ProductSession session, DateTimeOffset now) => Check(session, now).All;

    private static ValidationErrors Check(ProductSession session, DateTimeOffset now)
    {
        var errors = new ValidationErrors();
        errors.RequireTag(session.Tag, Tag.Field, Tag.Member);
        errors.RequireText(session.Name, Name.Field, Name.Member);
        errors.RequireText(session.Description, Description.Field, Description.Member);
        CheckLifetime(errors, session.Expiry, session.Period, now);
        var schemaIsObject = CheckSchema(errors, session.Schema, required: true);
        CheckSelector(errors, session.Selector, schemaIsObject ? session.Schema : null);
        return errors;
    }

    /// <param name="update">The change.</param>
    /// <param name="now">The instant the 100-year cap counts from (the client's clock).</param>
    public static void ValidateUpdate(ProductSessionUpdate update, DateTimeOffset now)
    {
        var errors = new ValidationErrors();
        errors.RequireTag(update.Tag, Tag.Field, Tag.Member);
        if (update.ChangesNothing)
        {
            errors.Add("update", "sets nothing to change; set at least one property besides Tag", nameof(ProductSessionUpdate));
        }

        if (update.Name is not null)
        {
            errors.RequireText(update.Name, Name.Field, Name.Member);
        }

        if (update.Description is not null)
        {
            errors.RequireText(update.Description, Description.Field, Description.Member);
        }

        if (update.Expiry is not null || update.Period is not null)
        {
            // Without the other half the 100-year cap cannot be checked here; Ductape checks the merged result.
            CheckLifetime(errors, update.Expiry, update.Period, now);
        }

        var schemaIsObject = update.Schema is { } schema && CheckSchema(errors, schema, required: false);
        if (update.Selector is not null)
        {
            CheckSelector(errors, update.Selector, schemaIsObject ? update.Schema : null);
        }

        errors.ThrowIfAny();
    }

    private static void CheckLifetime(ValidationErrors errors, int? expiry, TokenPeriod? period, DateTimeOffset now)
    {
        var periodIsValid = period is null || TokenPeriods.IsDefined(period.Value);
        if (!periodIsValid)
        {
            errors.Add(Period.Field, period!.Value == 0
                ? "is required: set a TokenPeriod such as TokenPeriod.Hours"
                : $"{(int)period.Value} is not a defined TokenPeriod", Period.Member);
        }

        if (expiry is null)
        {
            return;
        }

        if (expiry < 1)
        {
            errors.Add(Expiry.Field, "must be at least 1", Expiry.Member);
        }
        else if (periodIsValid && period is { } unit && TokenPeriods.MaxExpiryFrom(unit, now) is var max && expiry > max)
        {
            errors.Add(Expiry.Field,
                $"is longer than {TokenPeriods.MaxLifetimeYears} calendar years from now: at most {max} {unit.ToWireValue()}",
                Expiry.Member);
        }
    }

    private static bool CheckSchema(ValidationErrors errors, JsonElement schema, bool required)
    {
        switch (schema.ValueKind)
        {
            case JsonValueKind.Object:
                return true;
            case JsonValueKind.Undefined when required:
                errors.Add(Schema.Field, "is required: a JSON object of sample values, built with SessionJson", Schema.Member);
                return false;
            default:
                errors.Add(Schema.Field, $"must be a JSON object of sample values, not {schema.ValueKind}", Schema.Member);
                return false;
        }
    }

    private static void CheckSelector(ValidationErrors errors, string? text, JsonElement? schema)
    {
        if (string.IsNullOrEmpty(text))
        {
            errors.Add(Selector.Field, "is required, for example $Session{userId}", Selector.Member);
            return;
        }

        if (!SessionSelector.TryParse(text, out var selector, out var error))
        {
            errors.Add(Selector.Field, $"{error.Reason} (position {error.Position})", Selector.Member);
            return;
        }

        if (schema is { } sample && !selector.ResolvesToPrimitive(sample, out var problem))
        {
            errors.Add(Selector.Field, $"does not fit the schema: {problem}", Selector.Member);
        }
    }
}
