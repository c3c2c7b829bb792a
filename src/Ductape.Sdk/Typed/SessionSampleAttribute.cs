namespace Ductape.Sdk;

/// <summary>The sample value a member shows in the generated schema (Ductape stores samples, not types).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter, Inherited = false)]
public sealed class SessionSampleAttribute : Attribute
{
    /// <summary>A text sample.</summary>
    /// <param name="value">The sample.</param>
    public SessionSampleAttribute(string value) => Value = value;

    /// <summary>A whole-number sample.</summary>
    /// <param name="value">The sample.</param>
    public SessionSampleAttribute(long value) => Value = value;

    /// <summary>A number sample.</summary>
    /// <param name="value">The sample.</param>
    public SessionSampleAttribute(double value) => Value = value;

    /// <summary>A boolean sample.</summary>
    /// <param name="value">The sample.</param>
    public SessionSampleAttribute(bool value) => Value = value;

    /// <summary>The sample.</summary>
    public object Value { get; }
}
