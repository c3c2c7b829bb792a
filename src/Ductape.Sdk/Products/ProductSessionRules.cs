using System.Text.Json;
using Ductape.Sdk.Periods;
using Ductape.Sdk.Selectors;

namespace Ductape.Sdk.Products;

/// <summary>The checks of a session type's configuration (CONTRACT §2), run before anything is sent.</summary>
internal static class ProductSessionRules
{
    public static void ValidateCreate(ProductSession session)
    {
        var errors = new ValidationErrors();
        errors.RequireTag(session.Tag, nameof(ProductSession.Tag));
        errors.RequireText(session.Name, nameof(ProductSession.Name));
        errors.RequireText(session.Description, nameof(ProductSession.Description));
        CheckLifetime(errors, session.Expiry, session.Period);
        var schemaIsObject = CheckSchema(errors, session.Schema, required: true);
        CheckSelector(errors, session.Selector, schemaIsObject ? session.Schema : null);
        errors.ThrowIfAny();
    }

    public static void ValidateUpdate(ProductSessionUpdate update)
    {
        var errors = new ValidationErrors();
        errors.RequireTag(update.Tag, nameof(ProductSessionUpdate.Tag));
        if (update.ChangesNothing)
        {
            errors.Add(nameof(ProductSessionUpdate), "sets nothing to change; set at least one property besides Tag");
        }

        if (update.Name is not null)
        {
            errors.RequireText(update.Name, nameof(ProductSessionUpdate.Name));
        }

        if (update.Description is not null)
        {
            errors.RequireText(update.Description, nameof(ProductSessionUpdate.Description));
        }

        if (update.Expiry is not null || update.Period is not null)
        {
            // Without the other half the 100-year cap cannot be checked here; Ductape checks the merged result.
            CheckLifetime(errors, update.Expiry, update.Period);
        }

        var schemaIsObject = update.Schema is { } schema && CheckSchema(errors, schema, required: false);
        if (update.Selector is not null)
        {
            CheckSelector(errors, update.Selector, schemaIsObject ? update.Schema : null);
        }

        errors.ThrowIfAny();
    }

    private static void CheckLifetime(ValidationErrors errors, int? expiry, TokenPeriod? period)
    {
        var periodIsValid = period is null || TokenPeriods.IsDefined(period.Value);
        if (!periodIsValid)
        {
            errors.Add(nameof(ProductSession.Period), period!.Value == 0
                ? "is required: set a TokenPeriod such as TokenPeriod.Hours"
                : $"{(int)period.Value} is not a defined TokenPeriod");
        }

        if (expiry is null)
        {
            return;
        }

        if (expiry < 1)
        {
            errors.Add(nameof(ProductSession.Expiry), "must be at least 1");
        }
        else if (periodIsValid && period is { } unit && expiry > unit.MaxExpiry())
        {
            errors.Add(nameof(ProductSession.Expiry),
                $"is longer than {TokenPeriods.MaxLifetimeYears} years: at most {unit.MaxExpiry()} {unit.ToWireValue()}");
        }
    }

    private static bool CheckSchema(ValidationErrors errors, JsonElement schema, bool required)
    {
        switch (schema.ValueKind)
        {
            case JsonValueKind.Object:
                return true;
            case JsonValueKind.Undefined when required:
                errors.Add(nameof(ProductSession.Schema), "is required: a JSON object of sample values, built with SessionJson");
                return false;
            default:
                errors.Add(nameof(ProductSession.Schema), $"must be a JSON object of sample values, not {schema.ValueKind}");
                return false;
        }
    }

    private static void CheckSelector(ValidationErrors errors, string? text, JsonElement? schema)
    {
        if (string.IsNullOrEmpty(text))
        {
            errors.Add(nameof(ProductSession.Selector), "is required, for example $Session{userId}");
            return;
        }

        if (!SessionSelector.TryParse(text, out var selector, out var error))
        {
            errors.Add(nameof(ProductSession.Selector), $"{error.Reason} (position {error.Position})");
            return;
        }

        if (schema is { } sample && !selector.ResolvesToPrimitive(sample, out var problem))
        {
            errors.Add(nameof(ProductSession.Selector), $"does not fit the schema: {problem}");
        }
    }
}
