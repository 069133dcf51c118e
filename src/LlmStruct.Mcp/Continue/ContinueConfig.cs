using System.Text;
using LlmStruct.Pipeline;

namespace LlmStruct.Mcp.Continue;

/// <summary>A Continue config that LlmStruct cannot merge into (not YAML, not a mapping, a section that is not a list…); nothing was written.</summary>
public sealed class ContinueConfigException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ContinueConfigException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public ContinueConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>What <see cref="ContinueConfig.WriteAsync"/> did.</summary>
/// <param name="Path">The config file.</param>
/// <param name="Created">The file did not exist before.</param>
/// <param name="Changed">Its bytes changed (false: it already held exactly this).</param>
/// <param name="Backup">With <c>replace</c>: where the previous file was kept; else null.</param>
public sealed record ContinueConfigWrite(string Path, bool Created, bool Changed, string? Backup);

/// <summary>
/// Writes a project's Continue config (<c>.continue/config.yaml</c>, Continue's YAML format): LlmStruct's models, rules
/// and MCP server (<see cref="ContinueSetup"/>) merged into what is there. Entries LlmStruct owns are those whose
/// <c>name</c> starts with <see cref="OwnedPrefix"/>; they are replaced, everything else (the user's models, rules, MCP
/// servers, other keys, comments, formatting) is kept byte for byte. The same input gives the same bytes, so a second run
/// changes nothing. A file that is not valid YAML is an error and is left as it is.
/// </summary>
public static class ContinueConfig
{
    /// <summary>The name prefix of the entries LlmStruct owns (e.g. <c>llmstruct/chain</c>, <c>llmstruct/mcp</c>).</summary>
    public const string OwnedPrefix = "llmstruct/";

    /// <summary>The secret (an environment variable for Continue's CLI) that holds <c>llmstruct serve</c>'s token.</summary>
    public const string ServeTokenSecret = "LLMSTRUCT_SERVE_TOKEN";

    /// <summary>The config's path relative to the project folder.</summary>
    public const string RelativePath = ".continue/config.yaml";

    /// <summary>The largest config read (characters); a larger file is refused.</summary>
    public const int MaxChars = 1 << 20;

    private const string Header =
        "# Continue config for this project, written by `llmstruct init continue`.\n" +
        "# Entries named llmstruct/… are LlmStruct's: the command replaces them on every run and keeps everything else.\n" +
        "# Keys are secrets (environment variables for the Continue CLI, .continue/.env for the IDE), never written here.\n";

    /// <summary>
    /// <paramref name="existing"/> (null or empty: a new config) with LlmStruct's entries for <paramref name="setup"/>.
    /// Throws <see cref="ContinueConfigException"/> when it cannot be merged safely; <paramref name="where"/> names the
    /// file in messages.
    /// </summary>
    public static string Merge(string? existing, ContinueSetup setup, string where = RelativePath)
    {
        ArgumentNullException.ThrowIfNull(setup);
        if (string.IsNullOrEmpty(existing))
        {
            existing = Header;
        }
        if (existing.Length > MaxChars)
        {
            throw new ContinueConfigException($"{where}: larger than {MaxChars} characters");
        }
        bool crlf = existing.Contains("\r\n", StringComparison.Ordinal);
        string text = crlf ? existing.Replace("\r\n", "\n", StringComparison.Ordinal) : existing;
        var root = YamlOutline.Read(text, where);
        if (root is { Kind: YamlNodeKind.Scalar, Null: true, ContentEnd: -1 })
        {
            root = null;
        }
        if (root is not null && (root.Kind != YamlNodeKind.Mapping || root.Flow))
        {
            throw new ContinueConfigException($"{where}: the top level must be a block mapping (name: …, models: …)");
        }
        var entries = root?.Entries ?? [];
        if (entries.Where(e => e.Key is not null).GroupBy(e => e.Key).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            throw new ContinueConfigException($"{where}: the key '{duplicate.Key}' appears more than once");
        }

        var edits = new List<Edit>();
        var append = new StringBuilder();
        int indent = root is null ? 0 : root.Entries[0].KeyNode.Start - LineStart(text, root.Entries[0].KeyNode.Start);
        foreach (var (key, value) in new[] { ("name", setup.Name), ("version", "1.0.0"), ("schema", "v1") })
        {
            if (!entries.Any(e => e.Key == key))
            {
                append.Append(Indent(ContinueEntries.RenderPair(key, value), indent));
            }
        }
        foreach (var section in ContinueEntries.Sections)
        {
            var ours = ContinueEntries.For(section, setup);
            var entry = entries.FirstOrDefault(e => e.Key == section);
            if (entry.Key is null)
            {
                if (ours.Count > 0)
                {
                    append.Append(new string(' ', indent)).Append(section).Append(":\n").Append(Indent(ContinueEntries.Render(ours), indent + 2));
                }
                continue;
            }
            MergeSection(text, where, section, entry.KeyNode, entry.Value, ours, indent, edits);
        }
        if (append.Length > 0)
        {
            int at = root is null ? text.Length : EndOfLine(text, root.ContentEnd);
            string before = at > 0 && text[at - 1] != '\n' ? "\n" : "";
            edits.Add(new Edit(at, at, before + append, Order: 1));
        }

        // From the end backwards, so earlier indices stay valid; at one index a replaced range goes before an insertion
        // there (which then lands in front of the new text), and the appended sections go after a list's new items.
        var result = new StringBuilder(text);
        foreach (var edit in edits.OrderByDescending(e => e.Start).ThenByDescending(e => e.End).ThenByDescending(e => e.Order))
        {
            result.Remove(edit.Start, edit.End - edit.Start).Insert(edit.Start, edit.Text);
        }
        string merged = result.ToString();
        Verify(merged, root, setup, where);
        return crlf ? merged.Replace("\n", "\r\n", StringComparison.Ordinal) : merged;
    }

    /// <summary>
    /// Writes <c>.continue/config.yaml</c> under <paramref name="projectRoot"/>: merged into the existing file, or, with
    /// <paramref name="replace"/>, a new one (the previous file is kept as <c>config.yaml.bak</c>). Atomic (temporary
    /// file and rename); an unchanged result is not written again. Throws <see cref="ContinueConfigException"/> (nothing
    /// written) or <see cref="IOException"/>.
    /// </summary>
    public static async Task<ContinueConfigWrite> WriteAsync(string projectRoot, ContinueSetup setup, bool replace = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(projectRoot);
        ArgumentNullException.ThrowIfNull(setup);
        string path = Path.Combine(projectRoot, ".continue", "config.yaml");
        string? existing = null;
        if (File.Exists(path))
        {
            if (new FileInfo(path).Length > MaxChars * 4L)
            {
                throw new ContinueConfigException($"{RelativePath}: larger than {MaxChars} characters");
            }
            existing = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        string? backup = null;
        string text;
        if (replace && existing is not null)
        {
            text = Merge(null, setup);
            backup = path + ".bak";
            await StructFileWriter.WriteAtomicAsync(backup, new UTF8Encoding(false).GetBytes(existing), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            text = Merge(existing, setup);
        }
        bool changed = existing != text;
        if (changed)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await StructFileWriter.WriteAtomicAsync(path, new UTF8Encoding(false).GetBytes(text), cancellationToken).ConfigureAwait(false);
        }
        return new ContinueConfigWrite(path, existing is null, changed, backup);
    }

    private static void MergeSection(string text, string where, string section, YamlNode key, YamlNode value, IReadOnlyList<YamlMap> ours, int indent, List<Edit> edits)
    {
        string rendered = ours.Count > 0 ? ContinueEntries.Render(ours) : "";
        if (value.Kind == YamlNodeKind.Sequence && !value.Flow)
        {
            var owned = value.Items.Where(Owned).ToList();
            if (owned.Count == value.Items.Count && ours.Count == 0)
            {
                // Only LlmStruct's entries, and none now: the key goes (an empty list would be null, which Continue refuses).
                edits.Add(new Edit(LineStart(text, key.Start), EndOfLine(text, value.ContentEnd), ""));
                return;
            }
            int dash = ItemStart(text, value.Items[0]);
            string block = Indent(rendered, dash - LineStart(text, dash));
            if (owned.Count == 0)
            {
                int at = EndOfLine(text, value.ContentEnd);
                edits.Add(new Edit(at, at, (text[at - 1] == '\n' ? "" : "\n") + block));
                return;
            }
            for (int i = 0; i < owned.Count; i++)
            {
                int start = LineStart(text, ItemStart(text, owned[i]));
                edits.Add(new Edit(start, EndOfLine(text, owned[i].ContentEnd), i == 0 ? block : ""));
            }
            return;
        }
        bool empty = value.Kind == YamlNodeKind.Scalar && value.Null;
        if (!empty && !(value.Kind == YamlNodeKind.Sequence && value.Flow))
        {
            throw new ContinueConfigException($"{where}: '{section}' is not a list");
        }
        // null or a flow list ([a, b]): written again as a block list, the user's items copied as they are.
        var kept = new StringBuilder();
        foreach (var item in empty ? [] : value.Items.Where(i => !Owned(i)))
        {
            if (item.ContentEnd < 0 || text[item.Start..item.ContentEnd].Contains('\n', StringComparison.Ordinal))
            {
                throw new ContinueConfigException($"{where}: '{section}' is a flow list spread over several lines; write it as a block list ('- ' items) to let llmstruct merge it");
            }
            kept.Append(new string(' ', indent + 2)).Append("- ").Append(text[item.Start..item.ContentEnd]).Append('\n');
        }
        int end = EndOfLine(text, Math.Max(key.ContentEnd, value.ContentEnd));
        string replacement = kept.Length == 0 && ours.Count == 0 ? "" : new string(' ', indent) + section + ":\n" + kept + Indent(rendered, indent + 2);
        edits.Add(new Edit(LineStart(text, key.Start), end, replacement));
    }

    private static bool Owned(YamlNode item) =>
        item.Kind == YamlNodeKind.Mapping && item.Name is { } name && name.StartsWith(OwnedPrefix, StringComparison.Ordinal);

    /// <summary>Where a block list item's text starts: its "-" when only blanks stand between it and the node.</summary>
    private static int ItemStart(string text, YamlNode item)
    {
        int i = item.Start - 1;
        while (i >= 0 && text[i] is ' ' or '\t' or '\n')
        {
            i--;
        }
        return i >= 0 && text[i] == '-' ? i : item.Start;
    }

    /// <summary>Checks the merged text the way a reader would see it: one mapping, LlmStruct's entries in place, the user's all kept.</summary>
    private static void Verify(string merged, YamlNode? before, ContinueSetup setup, string where)
    {
        YamlNode? after;
        try
        {
            after = YamlOutline.Read(merged, where);
        }
        catch (ContinueConfigException ex)
        {
            throw new ContinueConfigException($"{where}: the merged config would not be valid YAML ({ex.Message}); nothing written", ex);
        }
        foreach (var section in ContinueEntries.Sections)
        {
            var list = after?.Entries.FirstOrDefault(e => e.Key == section).Value;
            var items = list?.Items ?? [];
            var expected = ContinueEntries.For(section, setup).Select(m => m.Entries[0].Value is YamlText t ? t.Value : "").ToList();
            var previous = before?.Entries.FirstOrDefault(e => e.Key == section).Value?.Items ?? [];
            if (!items.Where(Owned).Select(i => i.Name).SequenceEqual(expected) || items.Count(i => !Owned(i)) != previous.Count(i => !Owned(i)))
            {
                throw new ContinueConfigException($"{where}: could not merge '{section}' safely (its layout is unusual); nothing written; move LlmStruct's entries out of the way, or write a new config");
            }
        }
    }

    private static string Indent(string block, int indent)
    {
        if (indent == 0 || block.Length == 0)
        {
            return block;
        }
        string pad = new(' ', indent);
        var lines = block.Split('\n');
        return string.Join('\n', lines.Select((l, i) => l.Length == 0 ? l : pad + l));
    }

    private static int LineStart(string text, int index)
    {
        int i = index <= 0 ? -1 : text.LastIndexOf('\n', Math.Min(index, text.Length) - 1);
        return i + 1;
    }

    private static int EndOfLine(string text, int index)
    {
        if (index <= 0)
        {
            return 0;
        }
        if (text[index - 1] == '\n')
        {
            return index;
        }
        int i = text.IndexOf('\n', index);
        return i < 0 ? text.Length : i + 1;
    }

    private sealed record Edit(int Start, int End, string Text, int Order = 0);
}
