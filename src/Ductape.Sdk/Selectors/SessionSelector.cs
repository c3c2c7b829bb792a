using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Ductape.Sdk;

/// <summary>
/// A session selector such as <c>$Session{userId}</c> or <c>$Session{details}{username}</c>: the path, inside a session's
/// data, of the value that identifies the session's user.
/// </summary>
/// <remarks>
/// Grammar: <c>"$Session" segment { segment }</c>, where a segment is <c>"{" name "}"</c> and a name is 1–128 characters
/// without <c>{</c> or <c>}</c> and without leading or trailing white space. Instances are immutable and thread-safe.
/// </remarks>
public sealed class SessionSelector
{
    /// <summary>The longest segment name allowed.</summary>
    public const int MaxSegmentLength = SessionGrammar.MaxNameLength;

    private readonly string[] _segments;
    private readonly string _text;

    private SessionSelector(string text, string[] segments)
    {
        _text = text;
        _segments = segments;
    }

    /// <summary>The property names walked from the root of the session data, in order.</summary>
    public IReadOnlyList<string> Segments => _segments;

    /// <summary>Reads a selector.</summary>
    /// <param name="text">The selector text, for example <c>$Session{details}{username}</c>.</param>
    /// <returns>The selector.</returns>
    /// <exception cref="SessionSelectorFormatException">The text does not follow the grammar; the exception gives the
    /// zero-based position of the problem.</exception>
    public static SessionSelector Parse(string? text) =>
        TryParse(text, out var selector, out var error) ? selector : throw error;

    /// <summary>Reads a selector without throwing.</summary>
    /// <param name="text">The selector text.</param>
    /// <param name="selector">The selector, when the method returns <see langword="true"/>.</param>
    /// <returns><see langword="true"/> when <paramref name="text"/> is a valid selector.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out SessionSelector? selector) =>
        TryParse(text, out selector, out _);

    /// <summary>Reads a selector without throwing, and says what is wrong when it cannot.</summary>
    /// <param name="text">The selector text.</param>
    /// <param name="selector">The selector, when the method returns <see langword="true"/>.</param>
    /// <param name="error">The problem and its position, when the method returns <see langword="false"/>.</param>
    /// <returns><see langword="true"/> when <paramref name="text"/> is a valid selector.</returns>
    public static bool TryParse(
        [NotNullWhen(true)] string? text,
        [NotNullWhen(true)] out SessionSelector? selector,
        [NotNullWhen(false)] out SessionSelectorFormatException? error)
    {
        selector = null;
        // The grammar is shared with the compile-time checks (Internal/SessionGrammar.cs, linked into the generator).
        if (!SessionGrammar.TryParseSelector(text, out var segments, out var position, out var reason))
        {
            error = new SessionSelectorFormatException(text, position, reason);
            return false;
        }

        selector = new SessionSelector(text!, [.. segments]);
        error = null;
        return true;
    }

    /// <summary>Walks <paramref name="data"/> along <see cref="Segments"/> (ordinal, case-sensitive property names).</summary>
    /// <param name="data">The session data (or a schema of sample values).</param>
    /// <returns>The selected value, or <see langword="null"/> when a segment is missing or a step is not a JSON object.</returns>
    public JsonElement? Resolve(JsonElement data) => Walk(data, out var value, out _) ? value : null;

    /// <summary>Resolves the selector in <paramref name="data"/> and converts the value to the user's identifier.</summary>
    /// <param name="data">The session data.</param>
    /// <param name="identifier">The identifier, when the method returns <see langword="true"/>.</param>
    /// <returns><see langword="true"/> when the selector reaches a string, number or boolean.</returns>
    public bool TryResolveIdentifier(JsonElement data, [NotNullWhen(true)] out string? identifier)
    {
        identifier = null;
        return Walk(data, out var value, out _) && TryGetIdentifier(value, out identifier);
    }

    /// <summary>
    /// Checks that the selector reaches a primitive (string, number or boolean) inside a schema of sample values.
    /// </summary>
    /// <param name="schema">The session type's schema.</param>
    /// <param name="problem">Why it does not, when the method returns <see langword="false"/>. It names fields, never values.</param>
    /// <returns><see langword="true"/> when the selector resolves to a primitive.</returns>
    public bool ResolvesToPrimitive(JsonElement schema, [NotNullWhen(false)] out string? problem)
    {
        if (!Walk(schema, out var value, out var depth))
        {
            // value is the last element reached: the schema itself or the parent of the missing field.
            var reached = depth == 0 ? "the schema" : Path(depth);
            problem = value.ValueKind == JsonValueKind.Object
                ? $"{reached} has no field '{_segments[depth]}'"
                : $"{reached} is {Describe(value.ValueKind)}, not an object with the field '{_segments[depth]}'";
            return false;
        }

        problem = value.ValueKind switch
        {
            JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => null,
            var kind => $"{_text} selects {Describe(kind)}; it must select a string, number or boolean",
        };
        return problem is null;
    }

    /// <summary>
    /// The identifier form of a selected value: a string as it is, a number exactly as written in the JSON text (never
    /// reformatted), a boolean as <c>true</c>/<c>false</c>.
    /// </summary>
    /// <param name="value">The selected value.</param>
    /// <param name="identifier">The identifier, when the method returns <see langword="true"/>.</param>
    /// <returns><see langword="false"/> for objects, arrays, null and undefined values.</returns>
    public static bool TryGetIdentifier(JsonElement value, [NotNullWhen(true)] out string? identifier)
    {
        identifier = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            // Exactly as written: through a double, 12345678901234567890 would become 1.2345678901234567E+19 and
            // two users could share an identifier (CONTRACT §4).
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
        return identifier is not null;
    }

    /// <summary>The selector text, exactly as <see cref="Parse(string?)"/> reads it back.</summary>
    public override string ToString() => _text;

    private bool Walk(JsonElement data, out JsonElement value, out int depth)
    {
        value = data;
        for (depth = 0; depth < _segments.Length; depth++)
        {
            if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(_segments[depth], out var child))
            {
                return false;
            }

            value = child;
        }

        return true;
    }

    private string Path(int depth) => SessionGrammar.SelectorPrefix + string.Concat(_segments.Take(depth).Select(s => "{" + s + "}"));

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.Null => "null",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "nothing",
    };
}
