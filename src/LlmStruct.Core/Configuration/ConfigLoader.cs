using System.Text.Json;
using Tomlyn;
using Tomlyn.Model;

namespace LlmStruct.Configuration;

/// <summary>A configuration file that could not be read; the message names the file, line and column.</summary>
public sealed class ConfigException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ConfigException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>A loaded configuration plus the warnings found while reading it.</summary>
/// <param name="Options">The bound options (defaults where the file is silent or absent).</param>
/// <param name="Warnings">Readable warnings, e.g. unknown keys, each naming the key.</param>
public sealed record LoadedConfig(LlmStructOptions Options, IReadOnlyList<string> Warnings);

/// <summary>
/// Tomlyn's metadata for the configuration, made at build time (no reflection at run time, so the same under Native
/// AOT): snake_case keys, a key given twice is an error.
/// </summary>
[Tomlyn.Serialization.TomlSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.SnakeCaseLower, DuplicateKeyHandling = TomlDuplicateKeyHandling.Error)]
[Tomlyn.Serialization.TomlSerializable(typeof(LlmStructOptions))]
[Tomlyn.Serialization.TomlSerializable(typeof(TomlTable))]
internal sealed partial class ConfigToml : Tomlyn.Serialization.TomlSerializerContext;

/// <summary>Reads <c>llmstruct.toml</c> with Tomlyn.</summary>
public static class ConfigLoader
{
    // Keys each section knows; anything else is reported, not silently dropped.
    private static readonly Dictionary<string, HashSet<string>> KnownKeys = new(StringComparer.Ordinal)
    {
        ["project"] = ["name", "summary"],
        ["parsing"] = ["include", "exclude", "use_gitignore", "max_file_bytes", "follow_symlinks"],
        ["instructions"] = ["custom"],
        ["cache"] = ["enabled", "dir"],
        ["llm"] = ["order", "usage_store", "context_tokens", "providers"],
    };

    // The section the tasks package owns (LlmStruct.Tasks); Core neither reads nor warns about it.
    private const string TasksKey = "tasks";

    // Keys of array-of-tables entries, e.g. each [[llm.providers]].
    private static readonly Dictionary<string, HashSet<string>> KnownTableArrayKeys = new(StringComparer.Ordinal)
    {
        ["llm.providers"] =
        [
            "name", "kind", "model", "endpoint", "api_key_env", "model_path", "context_window", "max_output_tokens",
            "daily_quota", "timeout_seconds", "idle_timeout_seconds", "max_retries", "retry_delay_ms", "threads", "gpu_layers",
            "temperature", "native_library_path",
        ],
    };

    /// <summary>
    /// Loads the configuration from <paramref name="path"/>; a missing file gives the defaults.
    /// Throws <see cref="ConfigException"/> for invalid TOML, duplicate keys or wrongly typed values.
    /// </summary>
    public static async Task<LoadedConfig> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path))
        {
            return new LoadedConfig(new LlmStructOptions(), []);
        }
        string text;
        try
        {
            text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"{Path.GetFileName(path)}: cannot read: {ex.Message}", ex);
        }
        return Parse(text, Path.GetFileName(path));
    }

    /// <summary>Parses configuration text; <paramref name="sourceName"/> is used in messages.</summary>
    public static LoadedConfig Parse(string text, string sourceName = LlmStructOptions.FileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        LlmStructOptions options;
        TomlTable table;
        try
        {
            options = TomlSerializer.Deserialize(text, ConfigToml.Default.LlmStructOptions) ?? new LlmStructOptions();
            table = TomlSerializer.Deserialize(text, ConfigToml.Default.TomlTable) ?? new TomlTable();
        }
        catch (TomlException ex)
        {
            throw new ConfigException($"{sourceName}:{ex.Line}:{ex.Column}: {FirstLine(ex.Message)}", ex);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or InvalidCastException or OverflowException)
        {
            throw new ConfigException($"{sourceName}: {FirstLine(ex.Message)}", ex);
        }

        var warnings = new List<string>();
        foreach (var (key, value) in table.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (key == TasksKey)
            {
                // [[tasks]] / [tasks.ID] belong to the tasks package, which reads and checks them itself.
                continue;
            }
            if (!KnownKeys.TryGetValue(key, out var known))
            {
                warnings.Add($"{sourceName}: unknown key '{key}' is ignored");
                continue;
            }
            if (value is not TomlTable section)
            {
                throw new ConfigException($"{sourceName}: '{key}' must be a table ([{key}])");
            }
            foreach (var inner in section.Keys.Order(StringComparer.Ordinal))
            {
                if (!known.Contains(inner))
                {
                    warnings.Add($"{sourceName}: unknown key '{key}.{inner}' is ignored");
                }
                else if (section[inner] is TomlTableArray entries && KnownTableArrayKeys.TryGetValue($"{key}.{inner}", out var entryKeys))
                {
                    for (int i = 0; i < entries.Count; i++)
                    {
                        foreach (var entryKey in entries[i].Keys.Where(k => !entryKeys.Contains(k)).Order(StringComparer.Ordinal))
                        {
                            warnings.Add($"{sourceName}: unknown key '{key}.{inner}[{i}].{entryKey}' is ignored");
                        }
                    }
                }
            }
        }
        if (options.Parsing.MaxFileBytes <= 0)
        {
            throw new ConfigException($"{sourceName}: parsing.max_file_bytes must be positive");
        }
        CheckLlm(options.Llm, sourceName);
        return new LoadedConfig(options, warnings);
    }

    private static void CheckLlm(LlmOptions llm, string sourceName)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < llm.Providers.Count; i++)
        {
            var provider = llm.Providers[i];
            if (string.IsNullOrWhiteSpace(provider.Name))
            {
                throw new ConfigException($"{sourceName}: llm.providers[{i}].name is required");
            }
            if (!names.Add(provider.Name))
            {
                throw new ConfigException($"{sourceName}: llm provider '{provider.Name}' is defined twice");
            }
            if (!LlmProviderOptions.Kinds.Contains(provider.Kind))
            {
                throw new ConfigException(
                    $"{sourceName}: llm provider '{provider.Name}': kind must be one of {string.Join(", ", LlmProviderOptions.Kinds.Select(k => $"\"{k}\""))}");
            }
            if (provider.MaxOutputTokens <= 0 || provider.TimeoutSeconds <= 0 || provider.IdleTimeoutSeconds <= 0 || provider.MaxRetries < 0 || provider.RetryDelayMs < 0
                || provider.ContextWindow is <= 0 || provider.DailyQuota is < 0)
            {
                throw new ConfigException($"{sourceName}: llm provider '{provider.Name}': token counts, timeouts and quotas must be positive");
            }
        }
        foreach (var name in llm.Order.Where(n => !names.Contains(n)))
        {
            throw new ConfigException($"{sourceName}: llm.order names '{name}', which no [[llm.providers]] entry defines");
        }
        if (llm.ContextTokens <= 0)
        {
            throw new ConfigException($"{sourceName}: llm.context_tokens must be positive");
        }
    }

    private static string FirstLine(string message)
    {
        int newline = message.IndexOf('\n');
        return (newline < 0 ? message : message[..newline]).Trim();
    }
}
