using LlmStruct.Configuration;

namespace LlmStruct.Cli;

/// <summary>The one rule every command uses to find <c>llmstruct.toml</c>.</summary>
internal static class ConfigFile
{
    /// <summary>
    /// <c>--config</c> when given (it must exist), else llmstruct.toml in <paramref name="folder"/> (the input or
    /// project folder), else in the current folder. A path that does not exist means "defaults".
    /// </summary>
    public static string Find(FileInfo? config, string folder)
    {
        if (config is not null)
        {
            return config.Exists ? config.FullName : throw new ConfigException($"configuration file not found: {config}");
        }
        var beside = Path.Combine(folder, LlmStructOptions.FileName);
        return File.Exists(beside) ? beside : Path.GetFullPath(LlmStructOptions.FileName);
    }
}
