using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Ductape.Sdk.Tokens;

/// <summary>The session a valid token carries. Immutable and thread-safe.</summary>
public sealed class ValidatedSession
{
    private readonly byte[] _data;
    private StrongBox<JsonElement>? _element;

    internal ValidatedSession(
        string id, string tag, string product, string env, string identifier,
        DateTimeOffset issuedAt, DateTimeOffset notBefore, DateTimeOffset expiresAt, byte[] data)
    {
        SessionId = id;
        Tag = tag;
        Product = product;
        Env = env;
        Identifier = identifier;
        IssuedAt = issuedAt;
        NotBefore = notBefore;
        ExpiresAt = expiresAt;
        _data = data;
    }

    /// <summary>The session id (<c>sid</c>).</summary>
    public string SessionId { get; }

    /// <summary>The session type's tag.</summary>
    public string Tag { get; }

    /// <summary>The product tag (<c>prd</c>).</summary>
    public string Product { get; }

    /// <summary>The environment (<c>env</c>).</summary>
    public string Env { get; }

    /// <summary>The user's identifier (<c>sub</c>): the session type's selector applied to the data.</summary>
    public string Identifier { get; }

    /// <summary>When the token was issued (<c>iat</c>).</summary>
    public DateTimeOffset IssuedAt { get; }

    /// <summary>When the token starts to be valid (<c>nbf</c>; <see cref="IssuedAt"/> when absent).</summary>
    public DateTimeOffset NotBefore { get; }

    /// <summary>When the token expires (<c>exp</c>).</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>The session data, as a JSON object that stays valid for as long as you hold it.</summary>
    public JsonElement Data
    {
        get
        {
            if (_element is { } box)
            {
                return box.Value;
            }

            using var document = JsonDocument.Parse(_data);
            var created = new StrongBox<JsonElement>(document.RootElement.Clone());
            return (Interlocked.CompareExchange(ref _element, created, null) ?? created).Value;
        }
    }

    /// <summary>The session data deserialized into your type with its source-generated metadata.</summary>
    /// <typeparam name="T">Your type.</typeparam>
    /// <param name="typeInfo">Its metadata from your <c>JsonSerializerContext</c>.</param>
    /// <returns>The data.</returns>
    /// <exception cref="JsonException">The data does not fit <typeparamref name="T"/>.</exception>
    public T? GetData<T>(JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        return JsonSerializer.Deserialize(_data, typeInfo);
    }

    /// <summary>Names the session without its data.</summary>
    public override string ToString() => $"Session {SessionId} ({Tag}, {Product}/{Env}), expires {ExpiresAt:u}";
}
