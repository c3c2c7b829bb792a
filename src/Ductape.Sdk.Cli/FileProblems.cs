namespace Ductape.Sdk.Cli;

/// <summary>A problem in a file, at a line and column (1-based; columns in UTF-16 characters, as editors count them).</summary>
internal sealed record FileProblem(int Line, int Column, string Message);

/// <summary>
/// The problems found in a file: the first <see cref="Limit"/> kept, the rest counted, so a hostile file cannot make the CLI
/// print (or hold) millions of lines.
/// </summary>
internal sealed class FileProblems
{
    public const int Limit = 1000;
    private readonly List<FileProblem> _items = [];

    public IReadOnlyList<FileProblem> Items => _items;

    public int Omitted { get; private set; }

    public int Count => _items.Count + Omitted;

    /// <summary>True when further problems are only counted: skip the work of describing them.</summary>
    public bool Full => _items.Count >= Limit;

    public void Add((int Line, int Column) at, string message) => Add(() => at, message);

    /// <summary>Adds a problem whose place is worked out only if it is kept (finding a place in a large file is not free).</summary>
    public void Add(Func<(int Line, int Column)> at, string message)
    {
        if (_items.Count < Limit)
        {
            var (line, column) = at();
            _items.Add(new(line, column, message));
        }
        else
        {
            Omitted++;
        }
    }
}
