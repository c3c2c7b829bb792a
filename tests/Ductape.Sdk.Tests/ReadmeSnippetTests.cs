using System.Text.RegularExpressions;

namespace Ductape.Sdk.Tests;

/// <summary>
/// Every C# block of the README is compiled in CI (tests/Ductape.Sdk.ReadmeSnippets): the ASP.NET Core block is that
/// project's Program.cs, each other block a <c>#region readme:…</c> of its Snippets.cs.
/// </summary>
public partial class ReadmeSnippetTests
{
    private static readonly string Readme = Repository.ReadAllText("README.md");
    private static readonly string Program = Repository.ReadAllText("tests", "Ductape.Sdk.ReadmeSnippets", "Program.cs");
    private static readonly string Snippets = Repository.ReadAllText("tests", "Ductape.Sdk.ReadmeSnippets", "Snippets.cs");

    [Test]
    public void The_readme_aspnetcore_snippet_is_the_compiled_program()
    {
        Assert.That(Readme, Does.Contain("```csharp\n" + Program + "```"));
        Assert.That(Program, Does.StartWith("using Ductape.Sdk;\n\n"), "only the one using a new web project adds");
    }

    [Test]
    public void Every_readme_csharp_block_is_compiled()
    {
        var regions = RegionPattern().Matches(Snippets).Select(m => Dedent(m.Groups["body"].Value)).ToList();
        var blocks = BlockPattern().Matches(Readme).Select(m => m.Groups["body"].Value).ToList();

        Assert.That(blocks, Has.Count.GreaterThanOrEqualTo(6));
        foreach (var block in blocks.Where(b => b != Program))
        {
            var (usings, code) = SplitUsings(block);
            Assert.That(regions, Does.Contain(code), "a README block that no region of Snippets.cs compiles:\n" + code);
            foreach (var line in usings)
            {
                Assert.That(Snippets, Does.Contain(line + "\n"), "the snippets must compile with the block's usings");
            }
        }
    }

    private static (List<string> Usings, string Code) SplitUsings(string block)
    {
        var lines = block.Split('\n').ToList();
        var usings = lines.TakeWhile(l => l.StartsWith("using ", StringComparison.Ordinal) && l.EndsWith(';') && !l.Contains(" var ")).ToList();
        var code = string.Join('\n', lines.Skip(usings.Count).SkipWhile(l => l.Length == 0));
        return (usings, code);
    }

    private static string Dedent(string text)
    {
        var lines = text.Split('\n');
        var indent = lines.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart(' ').Length);
        return string.Join('\n', lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart(' ')));
    }

    [GeneratedRegex(@"```csharp\n(?<body>.*?)```", RegexOptions.Singleline)]
    private static partial Regex BlockPattern();

    [GeneratedRegex(@"#region readme:\S+\n(?<body>.*?\n) *#endregion", RegexOptions.Singleline)]
    private static partial Regex RegionPattern();
}
