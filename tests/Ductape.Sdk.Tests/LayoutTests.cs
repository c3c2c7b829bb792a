namespace Ductape.Sdk.Tests;

/// <summary>The house rules DESIGN states, checked on the source: one concept per file, and a send path that knows no caller.</summary>
public class LayoutTests
{
    private static IEnumerable<string> SourceFiles(string under) =>
        Directory.EnumerateFiles(Path.Combine(Repository.Root, under), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    [Test]
    public void No_source_file_is_over_400_lines()
    {
        var long_ = SourceFiles("src").Concat(SourceFiles("tests"))
            .Select(f => (File: Path.GetRelativePath(Repository.Root, f), Lines: File.ReadLines(f).Count()))
            .Where(f => f.Lines > 400)
            .ToList();

        Assert.That(long_, Is.Empty, "split by concern (partial files where a type must stay one)");
    }

    [Test]
    public void The_proxy_layer_names_nothing_above_it()
    {
        var proxy = SourceFiles(Path.Combine("src", "Ductape.Sdk", "Proxy")).ToList();
        Assert.That(proxy, Is.Not.Empty);

        foreach (var file in proxy)
        {
            var text = File.ReadAllText(file);
            Assert.That(text, Does.Not.Contain("Ductape.Sdk.Sessions").And.Not.Contain("Ductape.Sdk.Products")
                .And.Not.Contain(".Product").And.Not.Contain(".Env").And.Not.Contain("SessionTag"), Path.GetFileName(file));
        }
    }
}
