using System.Text.Json.Serialization.Metadata;
using Ductape.Sdk.Products;

namespace Ductape.Sdk;

/// <summary>
/// A typed session: implemented by the source generator on a partial type marked <see cref="DuctapeSessionAttribute"/>, so
/// <c>StartAsync(data)</c>, <c>Validate&lt;T&gt;</c> and <c>CreateAsync&lt;T&gt;()</c> read and write it with the app's own
/// source-generated JSON metadata — no reflection.
/// </summary>
/// <typeparam name="TSelf">The session data type itself.</typeparam>
public interface IDuctapeSession<TSelf> where TSelf : IDuctapeSession<TSelf>
{
    /// <summary>The session type: tag, name, description, schema sample, selector, expiry and period.</summary>
    static abstract ProductSession Definition { get; }

    /// <summary>The JSON metadata of the data, from the app's <c>JsonSerializerContext</c>.</summary>
    static abstract JsonTypeInfo<TSelf> JsonTypeInfo { get; }
}
