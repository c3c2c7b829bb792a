using System.Buffers;
using System.Text.Json;

namespace Ductape.Sdk.Cli;

/// <summary>
/// A JSON file read before anything trusts it: valid UTF-8, valid JSON, no key twice in one object (readers disagree on which
/// one wins), every string readable. Each step is linear in the file's size; positions are worked out only for problems.
/// </summary>
internal sealed class JsonFile : IDisposable
{
    public const int MaxDepth = 64;

    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = MaxDepth,
    };

    private readonly JsonDocument _document;
    private readonly List<Range> _items;

    private JsonFile(JsonDocument document, ReadOnlyMemory<byte> utf8, List<Range> items, TextPositions positions)
    {
        (_document, Utf8, _items, Positions) = (document, utf8, items, positions);
    }

    public JsonElement Root => _document.RootElement;

    private ReadOnlyMemory<byte> Utf8 { get; }

    private TextPositions Positions { get; }

    /// <summary>Reads <paramref name="utf8"/>; null when it is not a JSON document the CLI accepts (the problems added).</summary>
    public static JsonFile? Parse(ReadOnlyMemory<byte> utf8, FileProblems problems)
    {
        // The UTF-8 byte order mark: editors hide it and the JSON reader refuses it.
        utf8 = utf8.Span.StartsWith("\uFEFF"u8) ? utf8[3..] : utf8;
        var positions = new TextPositions(utf8);
        if (FirstInvalidUtf8(utf8.Span) is { } bad)
        {
            problems.Add(positions.At(bad), $"not valid UTF-8 (byte 0x{utf8.Span[bad]:X2}); save the file as UTF-8");
            return null;
        }

        var items = Scan(utf8.Span, positions, problems);
        if (problems.Count > 0)
        {
            return null;
        }

        try
        {
            var options = new JsonDocumentOptions
            {
                CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = MaxDepth, AllowDuplicateProperties = false,
            };
            return new JsonFile(JsonDocument.Parse(utf8, options), utf8, items, positions);
        }
        catch (JsonException)
        {
            // The scan found the syntax sound, so the parser refused a key written twice; find where, the slow way.
            FindDuplicateKeys(utf8.Span, positions, problems);
            return null;
        }
    }

    public void Dispose() => _document.Dispose();

    /// <summary>Where the top-level array's item <paramref name="index"/> starts.</summary>
    public (int Line, int Column) ItemPlace(int index) => index < _items.Count ? Positions.At(_items[index].Start.Value) : (1, 1);

    /// <summary>Where item <paramref name="index"/> names <paramref name="field"/>, else where the item starts.</summary>
    public (int Line, int Column) FieldPlace(int index, string field)
    {
        if (index >= _items.Count)
        {
            return (1, 1);
        }

        var item = _items[index];
        var reader = new Utf8JsonReader(Utf8.Span[item], ReaderOptions);
        while (reader.Read())
        {
            if (reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals(field))
            {
                return Positions.At(item.Start.Value + (int)reader.TokenStartIndex);
            }
        }

        return Positions.At(item.Start.Value);
    }

    /// <summary>Checks the syntax and every escaped string, and notes where each top-level array item starts and ends.</summary>
    private static List<Range> Scan(ReadOnlySpan<byte> utf8, TextPositions positions, FileProblems problems)
    {
        var items = new List<Range>();
        var reader = new Utf8JsonReader(utf8, ReaderOptions);
        var start = 0;
        try
        {
            while (reader.Read())
            {
                if (reader.ValueIsEscaped && reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName)
                {
                    _ = reader.GetString(); // throws InvalidOperationException on an escaped lone surrogate
                }

                if (reader.CurrentDepth != 1)
                {
                    continue;
                }

                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    start = (int)reader.TokenStartIndex;
                }
                else if (reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray)
                {
                    items.Add(start..(int)reader.BytesConsumed);
                }
                else if (reader.TokenType != JsonTokenType.PropertyName)
                {
                    items.Add((int)reader.TokenStartIndex..(int)reader.BytesConsumed);
                }
            }
        }
        catch (JsonException ex)
        {
            problems.Add(positions.At(ex.LineNumber ?? 0, ex.BytePositionInLine ?? 0), "not valid JSON: " + FirstSentence(ex.Message));
        }
        catch (InvalidOperationException)
        {
            problems.Add(positions.At((int)reader.TokenStartIndex), "not valid JSON: a \\u escape that is half of a surrogate pair");
        }

        return items;
    }

    private static void FindDuplicateKeys(ReadOnlySpan<byte> utf8, TextPositions positions, FileProblems problems)
    {
        var keys = new Stack<HashSet<string>>();
        var reader = new Utf8JsonReader(utf8, ReaderOptions);
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    keys.Push(new HashSet<string>(StringComparer.Ordinal));
                    break;
                case JsonTokenType.EndObject:
                    keys.Pop();
                    break;
                case JsonTokenType.PropertyName when !keys.Peek().Add(reader.GetString()!):
                    problems.Add(positions.At((int)reader.TokenStartIndex), $"key '{reader.GetString()}' appears twice in one object; keep one");
                    break;
            }
        }
    }

    private static int? FirstInvalidUtf8(ReadOnlySpan<byte> utf8)
    {
        if (System.Text.Unicode.Utf8.IsValid(utf8))
        {
            return null;
        }

        Span<char> sink = stackalloc char[1024];
        var consumed = 0;
        while (true)
        {
            var status = System.Text.Unicode.Utf8.ToUtf16(utf8[consumed..], sink, out var read, out _, replaceInvalidSequences: false);
            if (status is OperationStatus.InvalidData or OperationStatus.NeedMoreData)
            {
                return consumed + read;
            }

            consumed += read;
        }
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end > 0 ? message[..end] : message.TrimEnd('.');
    }
}
