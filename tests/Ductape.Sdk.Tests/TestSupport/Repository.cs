namespace Ductape.Sdk.Tests;

/// <summary>The repository the tests run from, for tests that check docs against code.</summary>
internal static class Repository
{
    public static string Root { get; } = Find();

    public static string ReadAllText(params string[] path) =>
        File.ReadAllText(Path.Combine([Root, .. path])).ReplaceLineEndings("\n");

    private static string Find()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Ductape.Sdk.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("The repository root was not found.");
    }
}
