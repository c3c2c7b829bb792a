namespace Ductape.Sdk;

/// <summary>
/// Declares a partial record, class or struct as the data of a Ductape session type. The Ductape.Sdk source generator then
/// implements <see cref="IDuctapeSession{TSelf}"/> on it: the <see cref="Products.ProductSession"/> definition (schema sample
/// built from the type's shape, selector from the member marked <see cref="SessionIdentifierAttribute"/>) and the JSON
/// metadata from the <c>JsonSerializerContext</c> that declares the type. Analyzers check the tag, lifetime and selector at
/// compile time (docs/diagnostics.md).
/// </summary>
/// <param name="tag">The session type's tag: 1–128 letters, digits, <c>_</c> or <c>-</c>, starting with a letter or digit.</param>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false)]
public sealed class DuctapeSessionAttribute(string tag) : Attribute
{
    /// <summary>The session type's tag.</summary>
    public string Tag { get; } = tag;

    /// <summary>The display name; the type's name when not set.</summary>
    public string? Name { get; set; }

    /// <summary>The description; the name when not set.</summary>
    public string? Description { get; set; }

    /// <summary>How many <see cref="Period"/>s a session lasts (at least 1; at most 100 years in all). Default 1.</summary>
    public int Expiry { get; set; } = 1;

    /// <summary>The unit of <see cref="Expiry"/>. Default <see cref="TokenPeriod.Hours"/>.</summary>
    public TokenPeriod Period { get; set; } = TokenPeriod.Hours;

    /// <summary>
    /// The selector, such as <c>$Session{details}{username}</c>, when no member is marked <see cref="SessionIdentifierAttribute"/>;
    /// checked against the type at compile time.
    /// </summary>
    public string? Selector { get; set; }
}
