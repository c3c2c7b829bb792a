using System.Text.Json;
using Ductape.Sdk.Products;

namespace Ductape.Sdk.Testing;

// Seeding session types and sessions straight into the store.
public sealed partial class DuctapeLocalServer
{
    /// <summary>Adds a session type without a request (for arranging a test); the contract's rules apply.</summary>
    /// <param name="type">The session type.</param>
    /// <param name="product">The product tag.</param>
    /// <exception cref="DuctapeValidationException">The session type is invalid.</exception>
    /// <exception cref="InvalidOperationException">A session type with that tag exists.</exception>
    public void SeedSessionType(ProductSession type, string product = "local:demo")
    {
        ArgumentNullException.ThrowIfNull(type);
        if (LocalSessionTypes.Problems(type, _time.GetUtcNow()) is { Count: > 0 } problems)
        {
            throw new DuctapeValidationException(problems);
        }

        Seed("create", w =>
        {
            w.WriteStringValue(product);
            LocalSessionTypes.Write(w, type);
        });
    }

    /// <summary>Starts a session without a request (for arranging a test) and returns its tokens.</summary>
    /// <param name="tag">The session type's tag (seeded or created before).</param>
    /// <param name="data">The session data.</param>
    /// <param name="product">The product tag.</param>
    /// <param name="env">The environment.</param>
    /// <returns>The tokens, as <c>StartAsync</c> would return them.</returns>
    /// <exception cref="InvalidOperationException">The server refused it (no such session type, data without the selector's field, …).</exception>
    public Sessions.SessionTokens SeedSession(string tag, JsonElement data, string product = "local:demo", string env = "dev")
    {
        if (data.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException(data.ValueKind == JsonValueKind.Undefined
                ? "The session data is an undefined JsonElement (default(JsonElement)): pass a JSON object, such as SessionJson.Parse(\"{\\\"userId\\\":\\\"u-1\\\"}\")."
                : $"The session data must be a JSON object, not {data.ValueKind}.", nameof(data));
        }

        var json = Seed("start", w =>
        {
            w.WriteStartObject();
            w.WriteString("product", product);
            w.WriteString("env", env);
            w.WriteString("tag", tag);
            w.WritePropertyName("data");
            data.WriteTo(w);
            w.WriteEndObject();
        });
        using var document = JsonDocument.Parse(json);
        var tokens = document.RootElement;
        return new Sessions.SessionTokens
        {
            Token = tokens.GetProperty("token").GetString()!,
            RefreshToken = tokens.GetProperty("refreshToken").GetString()!,
            SessionId = tokens.GetProperty("sessionId").GetString()!,
            ExpiresAt = tokens.GetProperty("expiresAt").GetDateTimeOffset(),
        };
    }

    private byte[] Seed(string method, Action<Utf8JsonWriter> writeParams)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            writeParams(w);
            w.WriteEndArray();
        }

        JsonDocument parameters;
        try
        {
            parameters = JsonDocument.Parse(buffer.WrittenMemory);
        }
        catch (JsonException)
        {
            // What a request would get as a 400, said plainly to the test that seeded it.
            throw new ArgumentException($"The seeded {(method == "start" ? "session data" : "session type")} is nested deeper than 64 levels (JSON's depth limit here).");
        }

        using var _ = parameters;
        Action<Utf8JsonWriter> result;
        try
        {
            result = _sessions.Execute(method, parameters.RootElement.Clone());
        }
        catch (LocalApiError error)
        {
            throw new InvalidOperationException($"The local server refused to seed '{method}': {error.Code} {error.Message}");
        }

        var output = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(output))
        {
            result(w);
        }

        return output.WrittenSpan.ToArray();
    }
}
