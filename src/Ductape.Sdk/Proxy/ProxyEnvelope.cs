using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Ductape.Sdk.Proxy;

/// <summary>
/// Ductape's response envelope: <c>{"status":true,"data":{"data":result,"request_id":…}}</c> on success,
/// <c>{"status":false,"message":…,"code":…,"request_id":…}</c> on failure. Read in one pass with <see cref="Utf8JsonReader"/>,
/// deserializing the result in place, so the body is never parsed twice.
/// </summary>
internal struct ProxyEnvelope<T>
{
    public bool? Status;
    public string? Message;
    public string? Code;
    public string? RequestId;
    public T? Data;
    public bool HasData;

    /// <summary>Reads the envelope; throws <see cref="JsonException"/> when the body is not one.</summary>
    public static ProxyEnvelope<T> Read(ReadOnlySpan<byte> body, JsonTypeInfo<T>? resultType)
    {
        var envelope = default(ProxyEnvelope<T>);
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("The response is not a JSON object.");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("status"u8))
            {
                reader.Read();
                envelope.Status = reader.TokenType switch
                {
                    JsonTokenType.True => true,
                    JsonTokenType.False => false,
                    _ => null,
                };
                reader.Skip();
            }
            else if (reader.ValueTextEquals("message"u8))
            {
                envelope.Message = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("code"u8))
            {
                envelope.Code = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("request_id"u8))
            {
                envelope.RequestId = ReadString(ref reader) ?? envelope.RequestId;
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    ReadInner(ref reader, ref envelope, resultType);
                }
                else
                {
                    reader.Skip();
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            throw new JsonException("The response has content after the envelope.");
        }

        return envelope;
    }

    private static void ReadInner(ref Utf8JsonReader reader, ref ProxyEnvelope<T> envelope, JsonTypeInfo<T>? resultType)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                if (resultType is not null && reader.TokenType != JsonTokenType.Null)
                {
                    envelope.Data = ReadResult(ref reader, resultType);
                    envelope.HasData = envelope.Data is not null;
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("request_id"u8))
            {
                envelope.RequestId = ReadString(ref reader) ?? envelope.RequestId;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    /// <summary>
    /// The result, read in place. <c>JsonSerializer.Deserialize(ref reader)</c> would first skip over the value to scope a
    /// second reader to it, reading it twice; the body is one whole span here, so the type's converter reads it once.
    /// </summary>
    private static T? ReadResult(ref Utf8JsonReader reader, JsonTypeInfo<T> resultType) =>
        resultType.Converter is JsonConverter<T> converter
            ? converter.Read(ref reader, typeof(T), resultType.Options)
            : JsonSerializer.Deserialize(ref reader, resultType);

    private static string? ReadString(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }

        reader.Skip();
        return null;
    }
}
