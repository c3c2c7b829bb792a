namespace Ductape.Sdk.Tests;

/// <summary>The README shows exactly the ASP.NET Core program that CI compiles (tests/Ductape.Sdk.ReadmeSnippets).</summary>
public class ReadmeSnippetTests
{
    [Test]
    public void The_readme_aspnetcore_snippet_is_the_compiled_program()
    {
        var readme = Repository.ReadAllText("README.md");
        var program = Repository.ReadAllText("tests", "Ductape.Sdk.ReadmeSnippets", "Program.cs");

        Assert.That(readme, Does.Contain("```csharp\n" + program + "```"));
        Assert.That(program, Does.StartWith("using Ductape.Sdk;\n\n"), "only the one using a new web project adds");
    }
}
