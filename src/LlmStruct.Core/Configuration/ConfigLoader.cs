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
        ["security"] = ["redact_secrets", "allow_paths", "allow_rules"],
    };

    // The section the tasks package owns (LlmStruct.Tasks); Core neither reads nor warns about it.
    private const string TasksKey = "tasks";

    // The section the Telegram bot package owns (LlmStruct.Bot.Telegram), likewise.
    private const string TelegramKey = "telegram";

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
            table = TomlSerializer.Deserialize(text, ConfigToml.Default.TomlTable) ?? new TomlTable();
            // Types are checked on the plain table first, so a wrong one is named by its key in words, not by the
            // binder's converter.
            CheckTypes(table, sourceName);
            options = TomlSerializer.Deserialize(text, ConfigToml.Default.LlmStructOptions) ?? new LlmStructOptions();
        }
        catch (TomlException ex)
        {
            throw new ConfigException(SyntaxMessage(sourceName, ex), ex);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or InvalidCastException or OverflowException)
        {
            throw new ConfigException($"{sourceName}: {FirstLine(ex.Message)}", ex);
        }

        var warnings = new List<string>();
        foreach (var (key, value) in table.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (key is TasksKey or TelegramKey)
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
            if (provider.GpuLayers < 0)
            {
                throw new ConfigException($"{sourceName}: llm provider '{provider.Name}': gpu_layers must be 0 (CPU only) or more, not {provider.GpuLayers}");
            }
            if (provider.Threads is <= 0)
            {
                throw new ConfigException($"{sourceName}: llm provider '{provider.Name}': threads must be at least 1 (leave it out for the processor count), not {provider.Threads}");
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

    private enum TomlKind { String, Integer, Float, Boolean, StringList, TableArray }

    // The type of every known key: section.key, and llm.providers[].key for the entries of [[llm.providers]].
    private static readonly Dictionary<string, TomlKind> KeyTypes = new(StringComparer.Ordinal)
    {
        ["project.name"] = TomlKind.String, ["project.summary"] = TomlKind.String,
        ["parsing.include"] = TomlKind.StringList, ["parsing.exclude"] = TomlKind.StringList, ["parsing.use_gitignore"] = TomlKind.Boolean,
        ["parsing.max_file_bytes"] = TomlKind.Integer, ["parsing.follow_symlinks"] = TomlKind.Boolean,
        ["instructions.custom"] = TomlKind.StringList,
        ["cache.enabled"] = TomlKind.Boolean, ["cache.dir"] = TomlKind.String,
        ["llm.order"] = TomlKind.StringList, ["llm.usage_store"] = TomlKind.String, ["llm.context_tokens"] = TomlKind.Integer,
        ["llm.providers"] = TomlKind.TableArray,
        ["security.redact_secrets"] = TomlKind.Boolean, ["security.allow_paths"] = TomlKind.StringList, ["security.allow_rules"] = TomlKind.StringList,
        ["llm.providers[].name"] = TomlKind.String, ["llm.providers[].kind"] = TomlKind.String, ["llm.providers[].model"] = TomlKind.String,
        ["llm.providers[].endpoint"] = TomlKind.String, ["llm.providers[].api_key_env"] = TomlKind.String, ["llm.providers[].model_path"] = TomlKind.String,
        ["llm.providers[].context_window"] = TomlKind.Integer, ["llm.providers[].max_output_tokens"] = TomlKind.Integer,
        ["llm.providers[].daily_quota"] = TomlKind.Integer, ["llm.providers[].timeout_seconds"] = TomlKind.Integer,
        ["llm.providers[].max_retries"] = TomlKind.Integer, ["llm.providers[].retry_delay_ms"] = TomlKind.Integer,
        ["llm.providers[].threads"] = TomlKind.Integer, ["llm.providers[].gpu_layers"] = TomlKind.Integer,
        ["llm.providers[].temperature"] = TomlKind.Float,
    };

    private static void CheckTypes(TomlTable table, string sourceName)
    {
        foreach (var (section, value) in table)
        {
            if (value is not TomlTable inner)
            {
                continue; // reported with the unknown keys and section shapes below
            }
            foreach (var (key, item) in inner)
            {
                var name = section + "." + key;
                if (!KeyTypes.TryGetValue(name, out var kind))
                {
                    continue;
                }
                Check(name, kind, item);
                if (kind == TomlKind.TableArray && item is TomlTableArray entries)
                {
                    for (int i = 0; i < entries.Count; i++)
                    {
                        foreach (var (entryKey, entryValue) in entries[i])
                        {
                            if (KeyTypes.TryGetValue($"{name}[].{entryKey}", out var entryKind))
                            {
                                Check($"{name}[{i}].{entryKey}", entryKind, entryValue);
                            }
                        }
                    }
                }
            }
        }

        void Check(string name, TomlKind kind, object? value)
        {
            bool ok = kind switch
            {
                TomlKind.String => value is string,
                TomlKind.Integer => value is long,
                TomlKind.Float => value is double or long,
                TomlKind.Boolean => value is bool,
                TomlKind.StringList => value is TomlArray array && array.All(v => v is string),
                TomlKind.TableArray => value is TomlTableArray,
                _ => true,
            };
            if (!ok)
            {
                var expected = kind switch
                {
                    TomlKind.String => "a string (in quotes)",
                    TomlKind.Integer => "a whole number",
                    TomlKind.Float => "a number",
                    TomlKind.Boolean => "true or false",
                    TomlKind.StringList => "a list of strings, e.g. [\"a\", \"b\"]",
                    _ => "a list of tables ([[…]])",
                };
                throw new ConfigException($"{sourceName}: {name} must be {expected}, not {Describe(value)}");
            }
        }
    }

    private static string Describe(object? value) => value switch
    {
        string s => $"the string \"{(s.Length > 40 ? s[..40] + "…" : s)}\"",
        long n => $"the number {n.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
        double d => $"the number {d.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
        bool b => b ? "true" : "false",
        TomlArray => "a list of other values",
        TomlTable => "a table",
        TomlTableArray => "a list of tables",
        null => "nothing",
        _ => "a date or time",
    };

    // Tomlyn wraps the parser's "(line,column) : error : what" in its binder's "(line,1) : error : Exception while trying
    // to convert TOML value to type … Reason: …"; the last (innermost) position is the precise one, given once, with
    // the innermost message.
    private static string SyntaxMessage(string sourceName, TomlException ex)
    {
        var message = FirstLine(ex.Message);
        var inner = System.Text.RegularExpressions.Regex.Match(message, @"^.*\(\s*(\d+)\s*,\s*(\d+)\s*\)(?:\s*-\s*\(\s*\d+\s*,\s*\d+\s*\))?\s*:\s*(?:error\s*:\s*)?(.+)$");
        return inner.Success
            ? $"{sourceName}:{inner.Groups[1].Value}:{inner.Groups[2].Value}: {inner.Groups[3].Value.Trim()}"
            : $"{sourceName}:{ex.Line}:{ex.Column}: {message}";
    }

    private static string FirstLine(string message)
    {
        int newline = message.IndexOf('\n');
        return (newline < 0 ? message : message[..newline]).Trim();
    }
}
