using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ductape.Sdk;

/// <summary>
/// Reads a time as an ISO-8601 string or as Unix milliseconds; writes ISO-8601 in UTC. Public so your own source-generated
/// <c>JsonSerializerContext</c> can include the SDK's models.
/// </summary>
public sealed class FlexibleTimeConverter : JsonConverter<DateTimeOffset>
{
    private const long MinUnixMilliseconds = -62_135_596_800_000;
    private const long MaxUnixMilliseconds = 253_402_300_799_999;

    /// <summary>Reads a time.</summary>
    /// <param name="reader">The reader, on a string or a number.</param>
    /// <param name="typeToConvert">Always <see cref="DateTimeOffset"/>.</param>
    /// <param name="options">The serializer options.</param>
    /// <returns>The instant, in UTC.</returns>
    /// <exception cref="JsonException">The value is neither.</exception>
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var milliseconds))
        {
            // Out of DateTimeOffset's range is a malformed value, not a crash.
            return milliseconds is >= MinUnixMilliseconds and <= MaxUnixMilliseconds
                ? DateTimeOffset.FromUnixTimeMilliseconds(milliseconds)
                : throw new JsonException("A time in Unix milliseconds is out of range.");
        }

        if (reader.TokenType == JsonTokenType.String
            && DateTimeOffset.TryParse(reader.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
        {
            return instant.ToUniversalTime();
        }

        throw new JsonException("A time must be an ISO-8601 string or Unix milliseconds.");
    }

    /// <summary>Writes the instant as ISO-8601 in UTC.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="value">The instant.</param>
    /// <param name="options">The serializer options.</param>
    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
}
