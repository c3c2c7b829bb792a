using System.Text;

namespace Ductape.Sdk.Cli;

/// <summary>
/// Lines and columns (1-based; columns in UTF-16 characters, as editors count them) of byte offsets into UTF-8 text. A
/// checkpoint every 64 KiB, made on first use in one pass, bounds each lookup: a minified file is one long line, and counting
/// from the line's start for each problem would be quadratic.
/// </summary>
internal sealed class TextPositions(ReadOnlyMemory<byte> utf8)
{
    private const int Stride = 64 * 1024;
    private List<(int Offset, int Line, int Column)>? _checkpoints;

    public (int Line, int Column) At(int offset)
    {
        var span = utf8.Span;
        offset = Math.Clamp(offset, 0, span.Length);
        var checkpoints = _checkpoints ??= Checkpoints(span);
        var index = checkpoints.BinarySearch((offset, int.MaxValue, int.MaxValue));
        var (from, line, column) = checkpoints[index >= 0 ? index : ~index - 1];
        return Advance(span[from..offset], line, column);
    }

    /// <summary>From the reader's 0-based line and byte in that line.</summary>
    public (int Line, int Column) At(long line, long byteInLine)
    {
        var span = utf8.Span;
        var start = 0;
        for (var l = 0L; l < line; l++)
        {
            var next = span[start..].IndexOf((byte)'\n');
            if (next < 0)
            {
                break;
            }

            start += next + 1;
        }

        return At((int)Math.Min(span.Length, start + byteInLine));
    }

    private static List<(int, int, int)> Checkpoints(ReadOnlySpan<byte> span)
    {
        var checkpoints = new List<(int, int, int)> { (0, 1, 1) };
        var (offset, line, column) = (0, 1, 1);
        while (offset + Stride < span.Length)
        {
            var next = offset + Stride;
            while (next < span.Length && (span[next] & 0xC0) == 0x80)
            {
                next++; // never split a character
            }

            (line, column) = Advance(span[offset..next], line, column);
            offset = next;
            checkpoints.Add((offset, line, column));
        }

        return checkpoints;
    }

    private static (int Line, int Column) Advance(ReadOnlySpan<byte> segment, int line, int column)
    {
        var lastBreak = segment.LastIndexOf((byte)'\n');
        if (lastBreak >= 0)
        {
            (line, column) = (line + segment.Count((byte)'\n'), 1);
            segment = segment[(lastBreak + 1)..];
        }

        return (line, column + Encoding.UTF8.GetCharCount(segment));
    }
}
