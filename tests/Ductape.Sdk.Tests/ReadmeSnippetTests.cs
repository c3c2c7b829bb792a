namespace Ductape.Sdk.Tests;

/// <summary>The README shows exactly the ASP.NET Core program that CI compiles (tests/Ductape.Sdk.ReadmeSnippets).</summary>
public class ReadmeSnippetTests
{
    [Test]
    public void The_readme_aspnetcore_snippet_is_the_compiled_program()
    {
        var root = RepositoryRoot();
        var readme = File.ReadAllText(Path.Combine(root, "README.md")).ReplaceLineEndings("\n");
        var program = File.ReadAllText(Path.Combine(root, "tests", "Ductape.Sdk.ReadmeSnippets", "Program.cs")).ReplaceLineEndings("\n");

        Assert.That(readme, Does.Contain("```csharp\n" + program + "```"));
        Assert.That(program, Does.StartWith("using Ductape.Sdk;\n\n"), "only the one using a new web project adds");
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Ductape.Sdk.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("The repository root was not found.");
    }
}
