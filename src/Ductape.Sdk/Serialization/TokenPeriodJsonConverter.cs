using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ductape.Sdk;

/// <summary>
/// Reads every period spelling of <see cref="TokenPeriods.TryParse(string?, out TokenPeriod)"/>; writes the wire value.
/// Public so your own source-generated <c>JsonSerializerContext</c> can include the SDK's models.
/// </summary>
public sealed class TokenPeriodJsonConverter : JsonConverter<TokenPeriod>
{
    /// <summary>Reads a period.</summary>
    /// <param name="reader">The reader, on a string.</param>
    /// <param name="typeToConvert">Always <see cref="TokenPeriod"/>.</param>
    /// <param name="options">The serializer options.</param>
    /// <returns>The period.</returns>
    /// <exception cref="JsonException">The value is not a known period.</exception>
    public override TokenPeriod Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"A token period must be a JSON string, not {reader.TokenType}.");
        }

        Span<char> buffer = stackalloc char[16];
        var length = reader.HasValueSequence || reader.ValueSpan.Length > buffer.Length
            ? -1
            : reader.CopyString(buffer);
        if (length >= 0 && TokenPeriods.TryParse(buffer[..length], out var period))
        {
            return period;
        }

        throw new JsonException("Unknown token period. Expected secs, mins, hours, days, weeks, months or years.");
    }

    /// <summary>Writes the wire value.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="value">The period.</param>
    /// <param name="options">The serializer options.</param>
    public override void Write(Utf8JsonWriter writer, TokenPeriod value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToWireValue());
}
