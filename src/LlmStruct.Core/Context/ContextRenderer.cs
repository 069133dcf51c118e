using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace LlmStruct.Context;

/// <summary>Renders a prefix of the units (the last one possibly cut) as a well-formed md, xml or json text.</summary>
internal static class ContextRenderer
{
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    public static string Render(string format, IReadOnlyList<ContextUnit> units, int count, string? lastText, string? note = null)
    {
        return format switch
        {
            ContextFormats.Markdown => Markdown(units, count, lastText, note),
            ContextFormats.Xml => Xml(units, count, lastText, note),
            ContextFormats.Json => Json(units, count, lastText, note),
            _ => throw new ArgumentException($"unknown format '{format}' (expected {string.Join(", ", ContextFormats.All)})", nameof(format)),
        };
    }

    /// <summary>Units to render: the first <paramref name="count"/>, then the cut one when given.</summary>
    private static IEnumerable<ContextUnit> Take(IReadOnlyList<ContextUnit> units, int count, string? lastText)
    {
        for (int i = 0; i < count; i++)
        {
            yield return units[i];
        }
        if (lastText is not null && count < units.Count)
        {
            yield return units[count] with { Text = lastText };
        }
    }

    /// <summary>The detail attribute of a file (none for full detail, the level otherwise).</summary>
    private static string? Detail(ContextUnit unit) => unit.Level switch
    {
        FileLevel.Full => null,
        FileLevel.Signatures => "signatures",
        FileLevel.Names => "names",
        _ => "path",
    };

    private static string Markdown(IReadOnlyList<ContextUnit> units, int count, string? lastText, string? note)
    {
        var text = new StringBuilder();
        var previous = (UnitKind?)null;
        bool files = false;
        foreach (var unit in Take(units, count, lastText))
        {
            switch (unit.Kind)
            {
                case UnitKind.Title:
                    text.Append("# ").Append(unit.Text).Append('\n');
                    break;
                case UnitKind.Summary:
                    text.Append('\n').Append(unit.Text).Append('\n');
                    break;
                case UnitKind.Instruction:
                    if (previous != UnitKind.Instruction)
                    {
                        text.Append("\n## Instructions\n");
                    }
                    text.Append("- ").Append(unit.Text).Append('\n');
                    break;
                case UnitKind.FileHeader:
                    if (!files)
                    {
                        text.Append("\n## Files (most relevant first)\n");
                        files = true;
                    }
                    text.Append("\n### ").Append(unit.Text);
                    if (Detail(unit) is { } detail)
                    {
                        text.Append(" (").Append(detail).Append(')');
                    }
                    if (unit.Why is not null)
                    {
                        text.Append(" — why: ").Append(unit.Why);
                    }
                    text.Append('\n');
                    break;
                case UnitKind.PathOnly:
                    if (previous != UnitKind.PathOnly)
                    {
                        text.Append(files ? "\n## More files (paths only)\n" : "\n## Files (most relevant first, paths only)\n");
                        files = true;
                    }
                    text.Append("- ").Append(unit.Text);
                    if (unit.Why is not null)
                    {
                        text.Append(" — why: ").Append(unit.Why);
                    }
                    text.Append('\n');
                    break;
                default:
                    text.Append(' ', unit.Depth * 2).Append("- ").Append(unit.Text).Append('\n');
                    break;
            }
            previous = unit.Kind;
        }
        if (note is not null && text.Length > 0)
        {
            text.Append('\n').Append(note).Append('\n');
        }
        return text.ToString();
    }

    private static string Xml(IReadOnlyList<ContextUnit> units, int count, string? lastText, string? note)
    {
        var text = new StringBuilder();
        bool inInstructions = false, inFiles = false, inFile = false;
        foreach (var unit in Take(units, count, lastText))
        {
            if (inInstructions && unit.Kind != UnitKind.Instruction)
            {
                text.Append("</instructions>\n");
                inInstructions = false;
            }
            switch (unit.Kind)
            {
                case UnitKind.Title:
                    text.Append("<context project=\"").Append(Escape(unit.Text)).Append("\">\n");
                    break;
                case UnitKind.Summary:
                    text.Append("<summary>").Append(Escape(unit.Text)).Append("</summary>\n");
                    break;
                case UnitKind.Instruction:
                    if (!inInstructions)
                    {
                        text.Append("<instructions>\n");
                        inInstructions = true;
                    }
                    text.Append("<rule>").Append(Escape(unit.Text)).Append("</rule>\n");
                    break;
                case UnitKind.FileHeader or UnitKind.PathOnly:
                    if (inFile)
                    {
                        text.Append("</file>\n");
                    }
                    if (!inFiles)
                    {
                        text.Append("<files>\n");
                        inFiles = true;
                    }
                    text.Append("<file path=\"").Append(Escape(unit.Text)).Append('"');
                    if (Detail(unit) is { } detail)
                    {
                        text.Append(" detail=\"").Append(detail).Append('"');
                    }
                    if (unit.Why is not null)
                    {
                        text.Append(" why=\"").Append(Escape(unit.Why)).Append('"');
                    }
                    inFile = unit.Kind == UnitKind.FileHeader;
                    text.Append(inFile ? ">\n" : "/>\n");
                    break;
                default:
                    text.Append(' ', unit.Depth * 2).Append(Escape(unit.Text)).Append('\n');
                    break;
            }
        }
        if (text.Length == 0)
        {
            return "";
        }
        if (inInstructions)
        {
            text.Append("</instructions>\n");
        }
        if (inFile)
        {
            text.Append("</file>\n");
        }
        if (inFiles)
        {
            text.Append("</files>\n");
        }
        if (note is not null)
        {
            text.Append("<note>").Append(Escape(note)).Append("</note>\n");
        }
        text.Append("</context>\n");
        return text.ToString();
    }

    private static string Json(IReadOnlyList<ContextUnit> units, int count, string? lastText, string? note)
    {
        var list = Take(units, count, lastText).ToList();
        if (list.Count == 0)
        {
            return "";
        }
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, JsonOptions))
        {
            writer.WriteStartObject();
            var summaries = new List<string>();
            var rules = new List<string>();
            int i = 0;
            for (; i < list.Count && list[i].Kind is not (UnitKind.FileHeader or UnitKind.PathOnly); i++)
            {
                switch (list[i].Kind)
                {
                    case UnitKind.Title:
                        writer.WriteString("project", list[i].Text);
                        break;
                    case UnitKind.Summary:
                        summaries.Add(list[i].Text);
                        break;
                    case UnitKind.Instruction:
                        rules.Add(list[i].Text);
                        break;
                }
            }
            WriteArray(writer, "summary", summaries);
            WriteArray(writer, "instructions", rules);
            if (i < list.Count)
            {
                writer.WriteStartArray("files");
                bool open = false;
                for (; i < list.Count; i++)
                {
                    var unit = list[i];
                    if (unit.Kind is UnitKind.FileHeader or UnitKind.PathOnly)
                    {
                        if (open)
                        {
                            writer.WriteEndArray();
                            writer.WriteEndObject();
                        }
                        writer.WriteStartObject();
                        writer.WriteString("path", unit.Text);
                        if (Detail(unit) is { } detail)
                        {
                            writer.WriteString("detail", detail);
                        }
                        if (unit.Why is not null)
                        {
                            writer.WriteString("why", unit.Why);
                        }
                        open = unit.Kind == UnitKind.FileHeader;
                        if (open)
                        {
                            writer.WriteStartArray("lines");
                        }
                        else
                        {
                            writer.WriteEndObject();
                        }
                    }
                    else
                    {
                        writer.WriteStringValue(new string(' ', unit.Depth * 2) + unit.Text);
                    }
                }
                if (open)
                {
                    writer.WriteEndArray();
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
            }
            if (note is not null)
            {
                writer.WriteString("note", note);
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WriteArray(Utf8JsonWriter writer, string name, List<string> values)
    {
        if (values.Count == 0)
        {
            return;
        }
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }
        writer.WriteEndArray();
    }

    private static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal);
}
