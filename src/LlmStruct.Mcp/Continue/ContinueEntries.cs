using System.Globalization;
using LlmStruct.Configuration;
using LlmStruct.Llm.Cloud;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace LlmStruct.Mcp.Continue;

/// <summary>A YAML value LlmStruct writes: a string, a flow list of strings, or a block mapping.</summary>
internal abstract record YamlValue;

/// <summary>A string; <paramref name="Literal"/>: a multi-line text written as a literal block (<c>|</c>).</summary>
internal sealed record YamlText(string Value, bool Literal = false) : YamlValue;

/// <summary>A list of strings, written in flow style (<c>[a, b]</c>).</summary>
internal sealed record YamlList(IReadOnlyList<string> Items) : YamlValue;

/// <summary>A mapping, in the order given.</summary>
internal sealed record YamlMap(IReadOnlyList<KeyValuePair<string, YamlValue>> Entries) : YamlValue;

/// <summary>The entries LlmStruct owns in a Continue config, per section, each named with <see cref="ContinueConfig.OwnedPrefix"/>.</summary>
internal static class ContinueEntries
{
    /// <summary>The sections LlmStruct writes entries into, in the order a new config lists them.</summary>
    public static readonly string[] Sections = ["models", "rules", "mcpServers"];

    private static readonly string[] ChatRoles = ["chat", "edit", "apply"];

    /// <summary>The owned entries of <paramref name="section"/> for <paramref name="setup"/> (possibly none).</summary>
    public static IReadOnlyList<YamlMap> For(string section, ContinueSetup setup) => section switch
    {
        "models" => Models(setup),
        "rules" => Rules(setup),
        "mcpServers" => [Map(("name", Text(ContinueConfig.OwnedPrefix + "mcp")), ("command", Text(setup.McpCommand)), ("args", new YamlList(["mcp"])))],
        _ => [],
    };

    private static List<YamlMap> Models(ContinueSetup setup)
    {
        string serve = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{setup.ServePort}/v1");
        var token = Secret(ContinueConfig.ServeTokenSecret);
        // The whole chain (fallback, quotas, usage metering) as model "llmstruct", then each provider on its own.
        List<YamlMap> models = [ServeModel("chain", "llmstruct", serve, token)];
        foreach (var provider in setup.Providers)
        {
            if (provider.Kind == "local")
            {
                models.Add(ServeModel(provider.Name, provider.Name, serve, token));
                continue;
            }
            var preset = CloudPresets.Find(provider.Kind);
            List<KeyValuePair<string, YamlValue>> entries =
            [
                new("name", Text(ContinueConfig.OwnedPrefix + provider.Name)),
                // Anthropic speaks its own protocol; every other kind is OpenAI-compatible, as LlmStruct calls it.
                new("provider", Text(preset?.Protocol == CloudProtocol.Anthropic ? "anthropic" : "openai")),
                new("model", Text(provider.Model ?? provider.Name)),
            ];
            if ((string.IsNullOrWhiteSpace(provider.Endpoint) ? preset?.Endpoint?.ToString().TrimEnd('/') : provider.Endpoint.Trim()) is { } apiBase)
            {
                entries.Add(new("apiBase", Text(apiBase)));
            }
            if ((string.IsNullOrWhiteSpace(provider.ApiKeyEnv) ? preset?.ApiKeyEnv : provider.ApiKeyEnv.Trim()) is { } keyVariable)
            {
                entries.Add(new("apiKey", Secret(keyVariable)));
            }
            entries.Add(new("roles", new YamlList(ChatRoles)));
            if (preset is { Headers.Count: > 0 })
            {
                entries.Add(new("requestOptions", Map(("headers", new YamlMap([.. preset.Headers.OrderBy(h => h.Key, StringComparer.Ordinal)
                    .Select(h => new KeyValuePair<string, YamlValue>(h.Key, Text(h.Value)))])))));
            }
            models.Add(new YamlMap(entries));
        }
        return models;
    }

    private static YamlMap ServeModel(string name, string model, string apiBase, YamlText token) => Map(
        ("name", Text(ContinueConfig.OwnedPrefix + name)), ("provider", Text("openai")), ("model", Text(model)),
        ("apiBase", Text(apiBase)), ("apiKey", token), ("roles", new YamlList(ChatRoles)));

    private static List<YamlMap> Rules(ContinueSetup setup)
    {
        List<YamlMap> rules = [];
        foreach (var (name, items) in new[] { ("base", setup.Instructions.Base), ("custom", setup.Instructions.Custom) })
        {
            var lines = items.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => "- " + s.Trim().ReplaceLineEndings("\n  ")).ToList();
            if (lines.Count > 0)
            {
                rules.Add(Map(("name", Text(ContinueConfig.OwnedPrefix + name)), ("rule", new YamlText(string.Join('\n', lines) + "\n", Literal: true))));
            }
        }
        return rules;
    }

    /// <summary>Continue's reference to a secret, which its CLI takes from the environment variable of that name.</summary>
    private static YamlText Secret(string variable) => Text("${{ secrets." + variable + " }}");

    private static YamlText Text(string value) => new(value);

    private static YamlMap Map(params (string Key, YamlValue Value)[] entries) =>
        new([.. entries.Select(e => new KeyValuePair<string, YamlValue>(e.Key, e.Value))]);

    /// <summary>
    /// <paramref name="items"/> as a block sequence at column 0 ("- name: …" lines), by YamlDotNet's emitter (its
    /// quoting rules), ending with a newline.
    /// </summary>
    public static string Render(IEnumerable<YamlMap> items)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        var emitter = new Emitter(writer, bestIndent: 2, bestWidth: int.MaxValue);
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, isImplicit: true));
        emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, isImplicit: true, SequenceStyle.Block));
        foreach (var item in items)
        {
            Emit(emitter, item);
        }
        emitter.Emit(new SequenceEnd());
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return writer.ToString().ReplaceLineEndings("\n");
    }

    /// <summary>A top-level <c>key: value</c> line for a plain string (the config's name, version, schema).</summary>
    public static string RenderPair(string key, string value)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        var emitter = new Emitter(writer, bestIndent: 2, bestWidth: int.MaxValue);
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, isImplicit: true));
        Emit(emitter, Map((key, Text(value))));
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return writer.ToString().ReplaceLineEndings("\n");
    }

    private static void Emit(Emitter emitter, YamlValue value)
    {
        switch (value)
        {
            case YamlText text:
                emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, text.Value, text.Literal ? ScalarStyle.Literal : ScalarStyle.Any, true, true));
                break;
            case YamlList list:
                emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, isImplicit: true, SequenceStyle.Flow));
                foreach (var item in list.Items)
                {
                    emitter.Emit(new Scalar(item));
                }
                emitter.Emit(new SequenceEnd());
                break;
            case YamlMap map:
                emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, isImplicit: true, MappingStyle.Block));
                foreach (var (key, item) in map.Entries)
                {
                    emitter.Emit(new Scalar(key));
                    Emit(emitter, item);
                }
                emitter.Emit(new MappingEnd());
                break;
        }
    }
}
