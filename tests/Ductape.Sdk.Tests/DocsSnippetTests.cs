using System.Text.RegularExpressions;

namespace Ductape.Sdk.Tests;

/// <summary>
/// Every C# block of docs/testing.md is compiled and run in CI: each is a <c>#region docs:…</c> of the sample test projects
/// (NUnit in samples/Ductape.Sdk.Samples.UserTests, xUnit in samples/Ductape.Sdk.Samples.UserTests.Xunit).
/// </summary>
public partial class DocsSnippetTests
{
    [Test]
    public void Every_csharp_block_of_the_testing_page_is_compiled_and_run()
    {
        var page = Repository.ReadAllText("docs", "testing.md");
        var sources = string.Join("\n",
            Directory.GetFiles(Path.Combine(Repository.Root, "samples", "Ductape.Sdk.Samples.UserTests"), "*.cs")
                .Concat(Directory.GetFiles(Path.Combine(Repository.Root, "samples", "Ductape.Sdk.Samples.UserTests.Xunit"), "*.cs"))
                .Select(f => File.ReadAllText(f).ReplaceLineEndings("\n")));
        var regions = RegionPattern().Matches(sources).Select(m => Dedent(m.Groups["body"].Value)).ToList();
        var blocks = BlockPattern().Matches(page).Select(m => m.Groups["body"].Value).ToList();

        Assert.That(blocks, Has.Count.GreaterThanOrEqualTo(4));
        foreach (var block in blocks)
        {
            Assert.That(regions, Does.Contain(block), "a docs/testing.md block that no sample region compiles:\n" + block);
        }
    }

    private static string Dedent(string text)
    {
        var lines = text.Split('\n');
        var indent = lines.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart(' ').Length);
        return string.Join('\n', lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart(' ')));
    }

    [GeneratedRegex(@"```csharp\n(?<body>.*?)```", RegexOptions.Singleline)]
    private static partial Regex BlockPattern();

    [GeneratedRegex(@"#region docs:\S+\n(?<body>.*?\n) *#endregion", RegexOptions.Singleline)]
    private static partial Regex RegionPattern();
}
