using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace LlmStruct.Llm.Work;

/// <summary>A prompt template loaded from the embedded resources of this assembly.</summary>
/// <param name="Name">File name without extension (<c>analyze_task</c>, <c>generate_diff</c>, <c>retry</c>).</param>
/// <param name="Version">The version from the template's first line (<c>&lt;!-- prompt: NAME; version: N --&gt;</c>).</param>
/// <param name="Text">The template body after the version line; placeholders are <c>{{name}}</c>.</param>
internal sealed record PromptTemplate(string Name, string Version, string Text);

/// <summary>
/// The versioned prompts of the work functions (<c>Work/Prompts/*.md</c>, embedded). Rendering replaces
/// <c>{{name}}</c> placeholders in one pass (inserted text is never scanned again), so the same inputs give the same bytes.
/// </summary>
internal static partial class WorkPrompts
{
    private const string Prefix = "LlmStruct.Llm.Work.Prompts.";

    [GeneratedRegex(@"^<!-- prompt: ([a-z_]+); version: ([0-9A-Za-z.\-]+) -->\n")]
    private static partial Regex VersionLine();

    [GeneratedRegex(@"\{\{([a-z_]+)\}\}")]
    private static partial Regex Placeholder();

    public static PromptTemplate Load(string name)
    {
        var text = ReadResource(name + ".md").Replace("\r\n", "\n", StringComparison.Ordinal);
        var match = VersionLine().Match(text);
        if (!match.Success || match.Groups[1].Value != name)
        {
            throw new InvalidOperationException($"prompt resource {name}.md lacks its '<!-- prompt: {name}; version: N -->' first line");
        }
        return new PromptTemplate(name, match.Groups[2].Value, text[match.Length..]);
    }

    public static string ReadResource(string fileName)
    {
        using var stream = typeof(WorkPrompts).Assembly.GetManifestResourceStream(Prefix + fileName)
            ?? throw new InvalidOperationException($"missing embedded resource {Prefix}{fileName}");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>Renders template <paramref name="name"/>; every placeholder must have a value and every value a placeholder.</summary>
    public static string Render(string name, IReadOnlyDictionary<string, string> values)
    {
        var template = Load(name);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var text = Placeholder().Replace(template.Text, m =>
        {
            var key = m.Groups[1].Value;
            used.Add(key);
            return values.TryGetValue(key, out var value) ? value : throw new InvalidOperationException($"prompt {name}: no value for {{{{{key}}}}}");
        });
        var unused = values.Keys.Where(k => !used.Contains(k)).ToList();
        return unused.Count == 0 ? text : throw new InvalidOperationException($"prompt {name}: no placeholder for {string.Join(", ", unused)}");
    }

    /// <summary>The versions of every prompt, for logs and reports.</summary>
    public static IReadOnlyDictionary<string, string> Versions() =>
        typeof(WorkPrompts).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(".md", StringComparison.Ordinal))
            .Select(n => n[Prefix.Length..^3])
            .Order(StringComparer.Ordinal)
            .ToDictionary(n => n, n => Load(n).Version, StringComparer.Ordinal);
}
