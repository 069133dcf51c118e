namespace LlmStruct.Tasks.Tests;

/// <summary>A project folder under the temp directory, removed at the end.</summary>
internal sealed class TempProject : IDisposable
{
    public TempProject() => Root = Directory.CreateTempSubdirectory("llmstruct-tasks-").FullName;

    public string Root { get; }

    public string Config => Path.Combine(Root, "llmstruct.toml");

    public string Db => Path.Combine(Root, ".llmstruct", "llmstruct.db");

    public string Write(string relativePath, string content)
    {
        var full = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return full;
    }

    public string Read(string relativePath) => File.ReadAllText(Path.Combine(Root, relativePath));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the OS (a lock released late); the temp folder is cleaned by the system.
        }
    }
}
