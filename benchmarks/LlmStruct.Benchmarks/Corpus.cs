namespace LlmStruct.Benchmarks;

/// <summary>Where the benchmarks find their real corpora.</summary>
internal static class Corpus
{
    /// <summary>This repository's root (the folder holding LlmStruct.Sdk.sln), found from the working folder or the binaries.</summary>
    public static string RepoRoot { get; } = Find(Environment.CurrentDirectory) ?? Find(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException("Run the benchmarks from inside the repository (LlmStruct.Sdk.sln not found).");

    /// <summary>This repository's own sources: the real C# corpus every run has.</summary>
    public static string RepoSources => Path.Combine(RepoRoot, "src");

    private static string? Find(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LlmStruct.Sdk.sln")))
            {
                return dir.FullName;
            }
        }
        return null;
    }
}
