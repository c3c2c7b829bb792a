namespace Ductape.Sdk;

/// <summary>A selector's text does not follow the selector grammar.</summary>
public sealed class SessionSelectorFormatException : FormatException
{
    internal SessionSelectorFormatException(string? selector, int position, string reason)
        : base($"Invalid session selector '{selector}' at position {position}: {reason}.")
    {
        Position = position;
        Reason = reason;
    }

    /// <summary>The zero-based position in the selector text where the problem starts.</summary>
    public int Position { get; }

    /// <summary>What is wrong, without the position.</summary>
    public string Reason { get; }
}
