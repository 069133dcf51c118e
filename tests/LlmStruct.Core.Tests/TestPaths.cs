namespace LlmStruct.Core.Tests;

internal static class TestPaths
{
    /// <summary>The repository root: the nearest folder above the test binaries that holds LlmStruct.Sdk.sln.</summary>
    public static string RepoRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LlmStruct.Sdk.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("LlmStruct.Sdk.sln not found above " + AppContext.BaseDirectory);
    }
}
