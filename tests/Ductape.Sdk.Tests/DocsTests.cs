using System.Text.RegularExpressions;

namespace Ductape.Sdk.Tests;

/// <summary>The reference names every public type the packages ship, so a new type cannot land undocumented.</summary>
public partial class DocsTests
{
    [Test]
    public void Every_public_type_is_in_the_api_reference()
    {
        var reference = File.ReadAllText(Path.Combine(Repository.Root, "docs", "api.md"));
        var types = Directory.EnumerateFiles(Path.Combine(Repository.Root, "src"), "PublicAPI.*.txt", SearchOption.AllDirectories)
            .SelectMany(File.ReadLines)
            .Select(line => Modifiers().Replace(line, ""))
            .Where(line => line.Length > 0 && !line.StartsWith('#') && !line.Contains('(') && !line.Contains("->") && !line.Contains('='))
            .Distinct()
            .ToList();

        Assert.That(types, Has.Count.GreaterThan(100), "the PublicAPI files were read");
        Assert.That(types.Where(t => !reference.Contains($"`{t}`", StringComparison.Ordinal)), Is.Empty,
            "add the type to docs/api.md's 'Every public type'");
    }

    [GeneratedRegex("^((abstract|static|override|virtual|sealed|const|readonly) )+")]
    private static partial Regex Modifiers();
}
