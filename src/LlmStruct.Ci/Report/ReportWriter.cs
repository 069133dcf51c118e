using System.Globalization;
using System.Text;
using System.Text.Json;

namespace LlmStruct.Ci.Report;

/// <summary>
/// Renders a <see cref="ChangeReport"/> as markdown (a pull request comment, a job summary) or JSON. Each list shows at
/// most the budget's number of entries followed by how many were left out, so a huge change stays readable. The
/// output is a function of the report only: same report, same bytes.
/// </summary>
public static class ReportWriter
{
    /// <summary>The default number of entries per list.</summary>
    public const int DefaultBudget = 20;

    /// <summary>The report as markdown, <paramref name="budget"/> entries per list at most; lines end in <c>\n</c>.</summary>
    public static string Markdown(ChangeReport report, int budget = DefaultBudget)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentOutOfRangeException.ThrowIfLessThan(budget, 1);
        var md = new StringBuilder();
        md.Append("## llmstruct: structural change\n\n");
        md.Append(CultureInfo.InvariantCulture, $"`{report.Base.Name}` ({Short(report.Base.Commit)}) → `{report.Head.Name}` ({Short(report.Head.Commit)})\n\n");
        if (report.IsEmpty)
        {
            md.Append("No parsed file changed.\n");
            return md.ToString();
        }
        md.Append(CultureInfo.InvariantCulture,
            $"**Files** {report.Files.Length} · **definitions** +{report.Added.Length} −{report.Removed.Length} ~{report.Changed.Length} · **parse errors** {report.NewErrors.Length} new, {report.FixedErrors.Length} fixed · **callers affected** {report.Callers.Sum(c => c.Callers.Length)} · **tasks** {report.Tasks.Length}\n");

        Section(md, "Files", report.Files, budget, f => f.OldPath is null ? $"{f.Status} `{f.Path}`" : $"{f.Status} `{f.OldPath}` → `{f.Path}`");
        Section(md, "Definitions added", report.Added, budget, d => $"`{d.Id}` ({d.Kind}) `{d.Signature}`");
        Section(md, "Definitions removed", report.Removed, budget, d => $"`{d.Id}` ({d.Kind}) `{d.Signature}`");
        Section(md, "Definitions changed", report.Changed, budget, d =>
        {
            var line = new StringBuilder();
            line.Append(CultureInfo.InvariantCulture, $"`{d.Id}` ({d.Kind}): {string.Join(", ", d.Aspects)}");
            if (d.OldSignature is not null)
            {
                line.Append(CultureInfo.InvariantCulture, $" — `{d.OldSignature}` → `{d.Signature}`");
            }
            if (d.OldId is not null)
            {
                line.Append(CultureInfo.InvariantCulture, $" (was `{d.OldId}`)");
            }
            return line.ToString();
        });
        Section(md, "Imports", report.Imports, budget, i =>
            $"`{i.Path}`: " + string.Join("; ", i.Added.Select(a => $"+ `{a}`").Concat(i.Removed.Select(r => $"− `{r}`"))));
        Section(md, "New parse errors", report.NewErrors, budget, Error);
        Section(md, "Fixed parse errors", report.FixedErrors, budget, Error);
        Section(md, "Impact: callers in unchanged files", report.Callers, budget, c =>
        {
            var shown = c.Callers.Take(budget).Select(id => $"`{id}`");
            var more = c.Callers.Length > budget ? $" and {c.Callers.Length - budget} more" : "";
            return $"`{c.Target}` ({c.Change}) is called by {string.Join(", ", shown)}{more}";
        });
        Section(md, "Impact: tasks", report.Tasks, budget, t => $"{t.Id} ({t.Status}) {Escape(t.Title)} — {string.Join(", ", t.Matches.Select(m => $"`{m}`"))}");
        return md.ToString();
    }

    /// <summary>The report as indented JSON (UTF-8), <paramref name="budget"/> entries per list with each list's total count.</summary>
    public static byte[] Json(ChangeReport report, int budget = DefaultBudget)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentOutOfRangeException.ThrowIfLessThan(budget, 1);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, NewLine = "\n" }))
        {
            json.WriteStartObject();
            json.WriteString("base", report.Base.Name);
            json.WriteString("base_commit", report.Base.Commit);
            json.WriteString("head", report.Head.Name);
            json.WriteString("head_commit", report.Head.Commit);
            json.WriteNumber("budget", budget);
            List(json, "files", report.Files, budget, (w, f) =>
            {
                w.WriteString("status", f.Status);
                w.WriteString("path", f.Path);
                if (f.OldPath is not null)
                {
                    w.WriteString("old_path", f.OldPath);
                }
            });
            foreach (var (name, definitions) in new[] { ("added", report.Added), ("removed", report.Removed), ("changed", report.Changed) })
            {
                List(json, name, definitions, budget, (w, d) =>
                {
                    w.WriteString("id", d.Id);
                    if (d.OldId is not null)
                    {
                        w.WriteString("old_id", d.OldId);
                    }
                    w.WriteString("kind", d.Kind);
                    w.WriteString("signature", d.Signature);
                    if (d.OldSignature is not null)
                    {
                        w.WriteString("old_signature", d.OldSignature);
                    }
                    if (d.Aspects.Length > 0)
                    {
                        Strings(w, "aspects", d.Aspects);
                    }
                });
            }
            List(json, "imports", report.Imports, budget, (w, i) =>
            {
                w.WriteString("path", i.Path);
                Strings(w, "added", i.Added);
                Strings(w, "removed", i.Removed);
            });
            List(json, "new_errors", report.NewErrors, budget, ErrorJson);
            List(json, "fixed_errors", report.FixedErrors, budget, ErrorJson);
            List(json, "callers", report.Callers, budget, (w, c) =>
            {
                w.WriteString("target", c.Target);
                w.WriteString("change", c.Change);
                w.WriteNumber("count", c.Callers.Length);
                Strings(w, "callers", c.Callers.Take(budget));
            });
            List(json, "tasks", report.Tasks, budget, (w, t) =>
            {
                w.WriteString("id", t.Id);
                w.WriteString("title", t.Title);
                w.WriteString("status", t.Status);
                Strings(w, "matches", t.Matches);
            });
            json.WriteEndObject();
        }
        stream.WriteByte((byte)'\n');
        return stream.ToArray();
    }

    private static string Short(string commit) => commit.Length > 12 ? commit[..12] : commit;

    private static string Error(ErrorChange e) => $"`{e.File}:{e.Line}:{e.Column}` {Escape(e.Reason)}";

    // Markdown that a reason or title could carry (a backtick, an HTML tag) must not break the comment.
    private static string Escape(string text) => text.Replace("\n", " ", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace("`", "'", StringComparison.Ordinal);

    private static void Section<T>(StringBuilder md, string title, IReadOnlyList<T> items, int budget, Func<T, string> line)
    {
        if (items.Count == 0)
        {
            return;
        }
        md.Append(CultureInfo.InvariantCulture, $"\n### {title} ({items.Count})\n\n");
        foreach (var item in items.Take(budget))
        {
            md.Append("- ").Append(line(item)).Append('\n');
        }
        if (items.Count > budget)
        {
            md.Append(CultureInfo.InvariantCulture, $"- … and {items.Count - budget} more\n");
        }
    }

    private static void List<T>(Utf8JsonWriter json, string name, IReadOnlyList<T> items, int budget, Action<Utf8JsonWriter, T> write)
    {
        json.WriteStartObject(name);
        json.WriteNumber("count", items.Count);
        json.WriteStartArray("items");
        foreach (var item in items.Take(budget))
        {
            json.WriteStartObject();
            write(json, item);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void Strings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }
        json.WriteEndArray();
    }

    private static void ErrorJson(Utf8JsonWriter w, ErrorChange e)
    {
        w.WriteString("file", e.File);
        w.WriteNumber("line", e.Line);
        w.WriteNumber("column", e.Column);
        w.WriteString("reason", e.Reason);
    }
}
