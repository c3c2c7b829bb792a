using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Ductape.Sdk.Tokens;

/// <summary>The session a valid token carries. Immutable and thread-safe.</summary>
/// <remarks>
/// Validation keeps one small buffer (the session id and the identifier, as UTF-8) and makes strings from it on first use.
/// The session data is read on first use of <see cref="Data"/> or <see cref="GetData{T}"/>, by decrypting the token again
/// with the key that validated it (the session holds the token, never a copy of it), or was copied when the token came as a
/// span. Either way a session reads the same data on every call.
/// </remarks>
public sealed class ValidatedSession
{
    private readonly byte[] _claims; // sid, then sub, then the data when it was kept
    private readonly int _sidLength;
    private readonly int _subLength;
    private readonly string? _token; // to read the data again; null when the data is in _claims
    private readonly AesGcmPool? _key;
    private readonly long _issuedAtMs;
    private readonly long _notBeforeMs;
    private readonly long _expiresAtMs;
    private string? _sessionId;
    private string? _identifier;
    private byte[]? _data; // read again from the token on first use
    private StrongBox<JsonElement>? _element;

    internal ValidatedSession(
        byte[] claims, int sidLength, int subLength, string tag, string product, string env,
        long issuedAtMs, long notBeforeMs, long expiresAtMs, string? token, AesGcmPool? key)
    {
        _claims = claims;
        _sidLength = sidLength;
        _subLength = subLength;
        Tag = tag;
        Product = product;
        Env = env;
        _issuedAtMs = issuedAtMs;
        _notBeforeMs = notBeforeMs;
        _expiresAtMs = expiresAtMs;
        _token = token;
        _key = key;
    }

    /// <summary>The session id (<c>sid</c>).</summary>
    public string SessionId => _sessionId ??= Encoding.UTF8.GetString(_claims, 0, _sidLength);

    /// <summary>The session type's tag.</summary>
    public string Tag { get; }

    /// <summary>The product tag (<c>prd</c>).</summary>
    public string Product { get; }

    /// <summary>The environment (<c>env</c>).</summary>
    public string Env { get; }

    /// <summary>The user's identifier (<c>sub</c>): the session type's selector applied to the data.</summary>
    public string Identifier => _identifier ??= Encoding.UTF8.GetString(_claims, _sidLength, _subLength);

    /// <summary>When the token was issued (<c>iat</c>).</summary>
    public DateTimeOffset IssuedAt => DateTimeOffset.FromUnixTimeMilliseconds(_issuedAtMs);

    /// <summary>When the token starts to be valid (<c>nbf</c>; <see cref="IssuedAt"/> when absent).</summary>
    public DateTimeOffset NotBefore => DateTimeOffset.FromUnixTimeMilliseconds(_notBeforeMs);

    /// <summary>When the token expires (<c>exp</c>).</summary>
    public DateTimeOffset ExpiresAt => DateTimeOffset.FromUnixTimeMilliseconds(_expiresAtMs);

    /// <summary>The session data, as a JSON object that stays valid for as long as you hold it.</summary>
    public JsonElement Data
    {
        get
        {
            if (Volatile.Read(ref _element) is { } box)
            {
                return box.Value;
            }

            using var document = JsonDocument.Parse(DataBytes());
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
        return JsonSerializer.Deserialize(DataBytes().Span, typeInfo);
    }

    /// <summary>Names the session without its data.</summary>
    public override string ToString() => $"Session {SessionId} ({Tag}, {Product}/{Env}), expires {ExpiresAt:u}";

    private ReadOnlyMemory<byte> DataBytes()
    {
        if (_token is null)
        {
            return _claims.AsMemory(_sidLength + _subLength);
        }

        if (Volatile.Read(ref _data) is { } read)
        {
            return read;
        }

        var fresh = SessionTokenValidator.ReadData(_token, _key!);
        return Interlocked.CompareExchange(ref _data, fresh, null) ?? fresh;
    }
}
