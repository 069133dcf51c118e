using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LlmStruct.Configuration;
using LlmStruct.Mcp.Continue;
using YamlDotNet.RepresentationModel;

namespace LlmStruct.Mcp.Tests;

/// <summary>Merges into generated user configs: nothing of the user's is lost, LlmStruct's entries are exactly the expected ones, a second run is a no-op.</summary>
public sealed class ContinueConfigProperties
{
    private static readonly string[] Names = ["mine", "gpt", "llmstruct/chain", "llmstruct/stale", "local-qwen", "work"];

    [Property(MaxTest = 300)]
    public Property Merging_keeps_the_users_entries_and_is_idempotent() =>
        Prop.ForAll(
            (from indent in Gen.Elements(0, 2, 4)
             from models in Gen.ListOf(Gen.Elements(Names)).Select(l => l.Take(6).ToList())
             from servers in Gen.ListOf(Gen.Elements(Names)).Select(l => l.Take(4).ToList())
             from shape in Gen.Elements(0, 1, 2, 3)
             from port in Gen.Choose(1, 65535)
             select (indent, models, servers, shape, port)).ToArbitrary(),
            input =>
            {
                var (indent, models, servers, shape, port) = input;
                string pad = new(' ', indent);
                var text = new System.Text.StringBuilder("# generated\nname: gen\nversion: 0.0.1\n");
                if (models.Count > 0)
                {
                    text.Append("models:\n");
                    for (int i = 0; i < models.Count; i++)
                    {
                        if (shape == 1 && i % 2 == 0)
                        {
                            text.Append(pad).Append("# about ").Append(models[i]).Append('\n');
                        }
                        text.Append(pad).Append("- name: ").Append(models[i]).Append('\n').Append(pad).Append("  provider: ollama\n").Append(pad).Append("  model: m").Append(i).Append('\n');
                        if (shape == 2)
                        {
                            text.Append('\n');
                        }
                    }
                }
                if (shape == 3)
                {
                    text.Append("mcpServers: [").Append(string.Join(", ", servers.Select(s => $"{{name: {s}, command: c}}"))).Append("]\n");
                }
                else if (servers.Count > 0)
                {
                    text.Append("mcpServers:\n").Append(string.Concat(servers.Select(s => $"{pad}- name: {s}\n{pad}  command: c\n")));
                }
                text.Append("context:\n  - provider: code\n");
                var setup = ContinueConfigTests.Setup with { ServePort = port, Providers = port % 2 == 0 ? [] : ContinueConfigTests.Setup.Providers };
                var original = text.ToString();
                var merged = ContinueConfig.Merge(original, setup);
                if (ContinueConfig.Merge(merged, setup) != merged)
                {
                    return false;
                }
                var root = ContinueConfigTests.Load(merged);
                var modelNames = Names_(root, "models");
                var expected = models.Where(m => !m.StartsWith("llmstruct/", StringComparison.Ordinal))
                    .Concat(new[] { "llmstruct/chain" }.Concat(setup.Providers.Select(p => "llmstruct/" + p.Name))).ToList();
                var serverNames = Names_(root, "mcpServers");
                var expectedServers = servers.Where(m => !m.StartsWith("llmstruct/", StringComparison.Ordinal)).Append("llmstruct/mcp").ToList();
                // The user's own lines all survive, in order, unless they belonged to a stale llmstruct/ entry.
                var userLines = string.Join('\n', original.Split('\n').Where(l => !l.Contains("llmstruct/", StringComparison.Ordinal)));
                var mergedUserLines = string.Join('\n', merged.Split('\n').Where(l => !l.Contains("llmstruct/", StringComparison.Ordinal)));
                return modelNames.Where(n => !n.StartsWith("llmstruct/", StringComparison.Ordinal)).SequenceEqual(expected.Where(n => !n.StartsWith("llmstruct/", StringComparison.Ordinal)))
                    && modelNames.Where(n => n.StartsWith("llmstruct/", StringComparison.Ordinal)).SequenceEqual(expected.Where(n => n.StartsWith("llmstruct/", StringComparison.Ordinal)))
                    && serverNames.Order(StringComparer.Ordinal).SequenceEqual(expectedServers.Order(StringComparer.Ordinal))
                    && Contains(original, merged, "context:\n  - provider: code\n")
                    && (shape == 3 || ContinueConfigTests.KeptInOrder(userLines.Split('\n').Where(l => !l.Contains("provider: ollama", StringComparison.Ordinal) && !l.Contains("  model: m", StringComparison.Ordinal) && !l.Contains("command: c", StringComparison.Ordinal)), mergedUserLines.Split('\n')));
            });

    private static bool Contains(string original, string merged, string part) => !original.Contains(part, StringComparison.Ordinal) || merged.Contains(part, StringComparison.Ordinal);

    private static List<string> Names_(YamlMappingNode root, string key) =>
        root.Children.TryGetValue(key, out var list)
            ? [.. ((YamlSequenceNode)list).Children.OfType<YamlMappingNode>().Select(m => ((YamlScalarNode)m.Children["name"]).Value!)]
            : [];
}
