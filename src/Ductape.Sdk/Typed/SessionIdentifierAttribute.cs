namespace Ductape.Sdk;

/// <summary>
/// Marks the member of a <see cref="DuctapeSessionAttribute"/> type (or of a type nested in it) that identifies the user: the
/// generated selector is its JSON path, such as <c>$Session{userId}</c> or <c>$Session{details}{username}</c>. It must be a
/// string, number or boolean.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter, Inherited = false)]
public sealed class SessionIdentifierAttribute : Attribute;
