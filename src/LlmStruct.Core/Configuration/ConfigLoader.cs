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

/// <summary>Reads <c>llmstruct.toml</c> with Tomlyn.</summary>
public static class ConfigLoader
{
    private static readonly TomlSerializerOptions TomlOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DuplicateKeyHandling = TomlDuplicateKeyHandling.Error,
    };

    // Keys each section knows; anything else is reported, not silently dropped.
    private static readonly Dictionary<string, HashSet<string>> KnownKeys = new(StringComparer.Ordinal)
    {
        ["project"] = ["name", "summary"],
        ["parsing"] = ["include", "exclude", "use_gitignore", "max_file_bytes", "follow_symlinks"],
        ["instructions"] = ["custom"],
        ["cache"] = ["enabled", "dir"],
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
            options = TomlSerializer.Deserialize<LlmStructOptions>(text, TomlOptions) ?? new LlmStructOptions();
            table = TomlSerializer.Deserialize<TomlTable>(text, TomlOptions) ?? new TomlTable();
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
            }
        }
        if (options.Parsing.MaxFileBytes <= 0)
        {
            throw new ConfigException($"{sourceName}: parsing.max_file_bytes must be positive");
        }
        return new LoadedConfig(options, warnings);
    }

    private static string FirstLine(string message)
    {
        int newline = message.IndexOf('\n');
        return (newline < 0 ? message : message[..newline]).Trim();
    }
}
