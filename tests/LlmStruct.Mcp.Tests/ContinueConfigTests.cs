using LlmStruct.Configuration;
using LlmStruct.Mcp.Continue;
using LlmStruct.Model;
using YamlDotNet.RepresentationModel;

namespace LlmStruct.Mcp.Tests;

/// <summary>
/// <see cref="ContinueConfig"/>: a new Continue config, and merges into a user's config that keep every byte of theirs,
/// replace LlmStruct's own entries, and give the same bytes when run again.
/// </summary>
public sealed class ContinueConfigTests
{
    internal static readonly ContinueSetup Setup = new()
    {
        Name = "demo",
        ServePort = 5199,
        Providers =
        [
            new LlmProviderOptions { Name = "qwen", Kind = "local", ModelPath = "models/qwen.gguf" },
            new LlmProviderOptions { Name = "grok", Kind = "xai", Model = "grok-3-mini" },
            new LlmProviderOptions { Name = "claude", Kind = "anthropic", Model = "claude-sonnet-4", ApiKeyEnv = "MY_ANTHROPIC_KEY" },
            new LlmProviderOptions { Name = "router", Kind = "openrouter", Model = "qwen/qwen3-coder" },
            new LlmProviderOptions { Name = "vllm", Kind = "openai", Model = "coder", Endpoint = "http://127.0.0.1:8000/v1" },
        ],
        Instructions = new InstructionSet { Base = ["Python 3.12 project: use type hints.", "Tests live in tests/."], Custom = ["Money is in integer cents."] },
    };

    internal const string UserConfig = """
        # my own Continue config
        name: My Assistant   # keep this comment
        version: 0.0.7
        schema: v1

        models:
          # the model I use every day
          - name: my-ollama
            provider: ollama
            model: qwen2.5-coder:7b
            roles: [autocomplete]

          - name: my-gpt
            provider: openai
            model: gpt-4o
            apiKey: ${{ secrets.OPENAI_API_KEY }}

        context:
          - provider: code
          - provider: diff

        rules:
          - Always answer in English.
          - name: my-rule
            rule: Prefer small functions.

        mcpServers:
          - name: filesystem
            command: npx
            args: ["-y", "@modelcontextprotocol/server-filesystem", "."]
        """;

    [Fact]
    public void A_new_config_has_the_serve_models_the_cloud_models_the_mcp_server_and_the_rules()
    {
        var text = ContinueConfig.Merge(null, Setup);
        var root = Load(text);
        Assert.Equal("demo", Scalar(root, "name"));
        Assert.Equal("1.0.0", Scalar(root, "version"));
        Assert.Equal("v1", Scalar(root, "schema"));

        var models = Items(root, "models");
        Assert.Equal(["llmstruct/chain", "llmstruct/qwen", "llmstruct/grok", "llmstruct/claude", "llmstruct/router", "llmstruct/vllm"], models.Select(m => Scalar(m, "name")));
        var chain = models[0];
        Assert.Equal("openai", Scalar(chain, "provider"));
        Assert.Equal("llmstruct", Scalar(chain, "model"));
        Assert.Equal("http://127.0.0.1:5199/v1", Scalar(chain, "apiBase"));
        Assert.Equal("${{ secrets.LLMSTRUCT_SERVE_TOKEN }}", Scalar(chain, "apiKey"));
        Assert.Equal(["chat", "edit", "apply"], ((YamlSequenceNode)chain.Children["roles"]).Children.Select(r => ((YamlScalarNode)r).Value));
        Assert.Equal("qwen", Scalar(models[1], "model"));
        Assert.Equal("http://127.0.0.1:5199/v1", Scalar(models[1], "apiBase"));
        // Cloud models: straight to the vendor, the key as a secret reference (the preset's variable unless one is named).
        Assert.Equal(("openai", "grok-3-mini", "https://api.x.ai/v1", "${{ secrets.XAI_API_KEY }}"),
            (Scalar(models[2], "provider"), Scalar(models[2], "model"), Scalar(models[2], "apiBase"), Scalar(models[2], "apiKey")));
        Assert.Equal(("anthropic", "claude-sonnet-4", "${{ secrets.MY_ANTHROPIC_KEY }}"), (Scalar(models[3], "provider"), Scalar(models[3], "model"), Scalar(models[3], "apiKey")));
        Assert.False(models[3].Children.ContainsKey("apiBase"));
        Assert.Equal("llmstruct", Scalar((YamlMappingNode)((YamlMappingNode)models[4].Children["requestOptions"]).Children["headers"], "X-Title"));
        Assert.Equal("http://127.0.0.1:8000/v1", Scalar(models[5], "apiBase"));
        Assert.False(models[5].Children.ContainsKey("apiKey"));

        var rules = Items(root, "rules");
        Assert.Equal(["llmstruct/base", "llmstruct/custom"], rules.Select(r => Scalar(r, "name")));
        Assert.Equal("- Python 3.12 project: use type hints.\n- Tests live in tests/.\n", Scalar(rules[0], "rule"));
        Assert.Equal("- Money is in integer cents.\n", Scalar(rules[1], "rule"));

        var server = Assert.Single(Items(root, "mcpServers"));
        Assert.Equal(("llmstruct/mcp", "llmstruct"), (Scalar(server, "name"), Scalar(server, "command")));
        Assert.Equal(["mcp"], ((YamlSequenceNode)server.Children["args"]).Children.Select(a => ((YamlScalarNode)a).Value));
        Assert.StartsWith("# Continue config for this project", text, StringComparison.Ordinal);
        Assert.Equal(text, ContinueConfig.Merge(text, Setup));
    }

    [Fact]
    public void A_merge_keeps_every_line_of_the_users_config_and_runs_again_to_the_same_bytes()
    {
        var merged = ContinueConfig.Merge(UserConfig, Setup);
        AssertKeptInOrder(UserConfig, merged);
        Assert.Equal(merged, ContinueConfig.Merge(merged, Setup));
        var root = Load(merged);
        Assert.Equal("My Assistant", Scalar(root, "name"));
        Assert.Equal(["my-ollama", "my-gpt", "llmstruct/chain", "llmstruct/qwen", "llmstruct/grok", "llmstruct/claude", "llmstruct/router", "llmstruct/vllm"],
            Items(root, "models").Select(m => Scalar(m, "name")));
        Assert.Equal(["filesystem", "llmstruct/mcp"], Items(root, "mcpServers").Select(m => Scalar(m, "name")));
        Assert.Equal(3 + 1, ((YamlSequenceNode)root.Children["rules"]).Children.Count);
        Assert.Equal(2, ((YamlSequenceNode)root.Children["context"]).Children.Count);
        // LlmStruct's entries go with the user's indentation.
        Assert.Contains("\n  - name: llmstruct/chain\n    provider: openai\n", merged, StringComparison.Ordinal);
    }

    [Fact]
    public void A_second_run_with_other_settings_replaces_only_llmstructs_entries_where_they_were()
    {
        var first = ContinueConfig.Merge(UserConfig, Setup);
        // The user moves a model after LlmStruct's entries; then the chain gets a new port and loses providers.
        var moved = first.Replace("  - name: my-gpt\n", "  - name: my-gpt2\n", StringComparison.Ordinal) + "\n";
        moved = moved.Replace("mcpServers:\n", "mcpServers:\n  - name: zeta\n    url: http://127.0.0.1:9/mcp\n", StringComparison.Ordinal);
        var second = ContinueConfig.Merge(moved, Setup with { ServePort = 6000, Providers = [], Instructions = new InstructionSet() });
        var root = Load(second);
        Assert.Equal(["my-ollama", "my-gpt2", "llmstruct/chain"], Items(root, "models").Select(m => Scalar(m, "name")));
        Assert.Equal("http://127.0.0.1:6000/v1", Scalar(Items(root, "models")[2], "apiBase"));
        // No rules of its own any more: the user's stay, LlmStruct's go.
        Assert.Equal(2, ((YamlSequenceNode)root.Children["rules"]).Children.Count);
        Assert.DoesNotContain("llmstruct/base", second, StringComparison.Ordinal);
        Assert.Equal(["zeta", "filesystem", "llmstruct/mcp"], Items(root, "mcpServers").Select(m => Scalar(m, "name")));
        AssertKeptInOrder(UserConfig.Replace("  - name: my-gpt\n", "  - name: my-gpt2\n", StringComparison.Ordinal), second);
    }

    [Fact]
    public void A_rules_section_with_only_llmstructs_entries_goes_when_there_are_none()
    {
        var first = ContinueConfig.Merge("name: x\nversion: 1\nrules:\n  - name: llmstruct/base\n    rule: old\n  - name: llmstruct/custom\n    rule: old\nother: 1\n", Setup with { Instructions = new InstructionSet() });
        Assert.DoesNotContain("rules", first, StringComparison.Ordinal);
        Assert.Contains("\nother: 1\n", first, StringComparison.Ordinal);
    }

    [Fact]
    public void Flow_lists_and_empty_sections_are_merged_as_block_lists()
    {
        var merged = ContinueConfig.Merge("name: x\nversion: \"1\"\nmodels: [{name: mine, provider: ollama, model: m}, {name: llmstruct/old, provider: openai, model: o}]\nrules:\nmcpServers: []\n", Setup);
        var root = Load(merged);
        Assert.Equal(["mine", "llmstruct/chain", "llmstruct/qwen", "llmstruct/grok", "llmstruct/claude", "llmstruct/router", "llmstruct/vllm"], Items(root, "models").Select(m => Scalar(m, "name")));
        Assert.Contains("  - {name: mine, provider: ollama, model: m}\n", merged, StringComparison.Ordinal);
        Assert.Equal(2, Items(root, "rules").Count);
        Assert.Single(Items(root, "mcpServers"));
        Assert.Equal(merged, ContinueConfig.Merge(merged, Setup));
    }

    [Fact]
    public void Windows_line_endings_and_a_missing_final_newline_are_kept()
    {
        var crlf = ContinueConfig.Merge("name: x\r\nversion: \"1\"\r\nmodels:\r\n  - name: mine\r\n    provider: ollama\r\n    model: m", Setup);
        Assert.DoesNotContain("\n", crlf.Replace("\r\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(["mine", "llmstruct/chain"], Items(Load(crlf), "models").Take(2).Select(m => Scalar(m, "name")));
        Assert.Equal(crlf, ContinueConfig.Merge(crlf, Setup));
    }

    [Theory]
    [InlineData("---\nname: x\nversion: \"1\"\nmodels:\n- name: mine\n  provider: ollama\n  model: m\n...\n")]
    [InlineData("name: x\nversion: \"1\"\nmodels:\n  -\n    name: mine\n    provider: ollama\n    model: m\n  - &shared\n    name: llmstruct/old\n    provider: openai\n    model: o\n")]
    [InlineData("name: x\nversion: \"1\"\nrules:\n  - |\n    A literal rule\n\n    with a blank line.\n\n  - name: llmstruct/base\n    rule: old\n# trailing comment")]
    [InlineData("# only a comment")]
    [InlineData("")]
    public void Unusual_but_valid_layouts_merge_keeping_the_users_text_and_run_again_to_the_same_bytes(string text)
    {
        var merged = ContinueConfig.Merge(text, Setup);
        Assert.Equal(merged, ContinueConfig.Merge(merged, Setup));
        AssertKeptInOrder(string.Join('\n', text.Split('\n').Where(l => !l.Contains("llmstruct/", StringComparison.Ordinal) && !l.Contains(": o", StringComparison.Ordinal) && !l.Contains("rule: old", StringComparison.Ordinal) && !l.Contains("provider: openai", StringComparison.Ordinal) && !l.Contains("&shared", StringComparison.Ordinal))), merged);
        var root = Load(merged);
        Assert.Equal(6, Items(root, "models").Count(m => Scalar(m, "name")!.StartsWith("llmstruct/", StringComparison.Ordinal)));
        Assert.Equal(2, Items(root, "rules").Count);
    }

    [Theory]
    [InlineData("name: x\nmodels: [unclosed\n", "not valid YAML")]
    [InlineData("name: x\n  bad: indent\n", "not valid YAML")]
    [InlineData("- just\n- a list\n", "must be a block mapping")]
    [InlineData("{name: x, version: y}\n", "must be a block mapping")]
    [InlineData("name: x\nmodels:\n  name: not-a-list\n", "'models' is not a list")]
    [InlineData("name: x\nname: y\n", "appears more than once")]
    [InlineData("name: x\n---\nname: y\n", "2 YAML documents")]
    [InlineData("name: x\nmodels: [{name: a,\n   provider: b}]\n", "flow list spread over several lines")]
    public void A_config_that_cannot_be_merged_safely_is_a_clear_error(string text, string message)
    {
        var error = Assert.Throws<ContinueConfigException>(() => ContinueConfig.Merge(text, Setup, "cfg.yaml"));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("cfg.yaml", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deep_nesting_and_oversized_text_are_refused_without_a_crash()
    {
        var deep = "name: x\nmodels: " + new string('[', 5000) + new string(']', 5000) + "\n";
        Assert.Contains("nested deeper than", Assert.Throws<ContinueConfigException>(() => ContinueConfig.Merge(deep, Setup)).Message, StringComparison.Ordinal);
        var huge = "name: x\n# " + new string('a', ContinueConfig.MaxChars) + "\n";
        Assert.Contains("larger than", Assert.Throws<ContinueConfigException>(() => ContinueConfig.Merge(huge, Setup)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Writing_is_atomic_leaves_a_bad_file_alone_and_replace_keeps_a_backup()
    {
        var root = Path.Combine(Path.GetTempPath(), "llmstruct-continue-" + Guid.NewGuid().ToString("N"));
        try
        {
            var created = await ContinueConfig.WriteAsync(root, Setup);
            Assert.True(created.Created && created.Changed);
            var bytes = await File.ReadAllBytesAsync(created.Path);
            var again = await ContinueConfig.WriteAsync(root, Setup);
            Assert.False(again.Changed);
            Assert.Equal(bytes, await File.ReadAllBytesAsync(created.Path));

            await File.WriteAllTextAsync(created.Path, "name: [broken\n");
            var error = await Assert.ThrowsAsync<ContinueConfigException>(() => ContinueConfig.WriteAsync(root, Setup));
            Assert.Contains(".continue/config.yaml:", error.Message, StringComparison.Ordinal);
            Assert.Equal("name: [broken\n", await File.ReadAllTextAsync(created.Path));
            Assert.Single(Directory.GetFiles(Path.GetDirectoryName(created.Path)!));

            var replaced = await ContinueConfig.WriteAsync(root, Setup, replace: true);
            Assert.Equal(bytes, await File.ReadAllBytesAsync(created.Path));
            Assert.Equal("name: [broken\n", await File.ReadAllTextAsync(replaced.Backup!));
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, true);
            }
        }
    }

    /// <summary>Every line of <paramref name="original"/> is in <paramref name="merged"/>, in the same order.</summary>
    internal static void AssertKeptInOrder(string original, string merged) =>
        Assert.True(KeptInOrder(original.Split('\n'), merged.Split('\n')), $"a line of the original was lost:\n{merged}");

    /// <summary>Whether <paramref name="lines"/> holds every one of <paramref name="needles"/>, in their order.</summary>
    internal static bool KeptInOrder(IEnumerable<string> needles, IReadOnlyList<string> lines)
    {
        int at = 0;
        foreach (var line in needles)
        {
            while (at < lines.Count && lines[at] != line)
            {
                at++;
            }
            if (at++ >= lines.Count)
            {
                return false;
            }
        }
        return true;
    }

    internal static YamlMappingNode Load(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    private static List<YamlMappingNode> Items(YamlMappingNode root, string key) =>
        [.. ((YamlSequenceNode)root.Children[key]).Children.OfType<YamlMappingNode>()];

    private static string? Scalar(YamlMappingNode map, string key) => ((YamlScalarNode)map.Children[key]).Value;
}
