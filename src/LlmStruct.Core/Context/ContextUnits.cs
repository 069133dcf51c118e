using System.Globalization;
using System.Text;
using LlmStruct.Model;
using LlmStruct.Ranking;

namespace LlmStruct.Context;

internal enum UnitKind
{
    Title,
    Summary,
    Instruction,
    FileHeader,
    Line,
}

/// <summary>One line of content in priority order; the rendered context is always a prefix of the units.</summary>
internal sealed record ContextUnit(UnitKind Kind, string Text, int File = -1, int Depth = 0);

/// <summary>Builds the ordered units: title, summary, instructions, then files (focused, entry points, by rank) line by line.</summary>
internal static class ContextUnits
{
    public static List<ContextUnit> Build(StructDocument document, IReadOnlyCollection<string> focus)
    {
        var units = new List<ContextUnit> { new(UnitKind.Title, document.Project.Name.Length == 0 ? "project" : document.Project.Name) };
        var summary = document.Context.Summary ?? document.Project.Summary;
        if (!string.IsNullOrWhiteSpace(summary))
        {
            units.Add(new ContextUnit(UnitKind.Summary, OneLine(summary)));
        }
        var stats = document.Stats;
        var languages = string.Join(", ", stats.Languages.Select(l => string.Create(CultureInfo.InvariantCulture, $"{l.Language} {l.Modules}")));
        units.Add(new ContextUnit(UnitKind.Summary, string.Create(CultureInfo.InvariantCulture,
            $"{stats.Modules} files ({(languages.Length == 0 ? "none" : languages)}), {stats.Definitions} definitions, {stats.Lines} lines; {stats.CallEdgesResolved} resolved call edges.")));
        foreach (var rule in document.Instructions.Base.Concat(document.Instructions.Custom))
        {
            units.Add(new ContextUnit(UnitKind.Instruction, OneLine(rule)));
        }

        var ranking = StructRanker.Rank(document, focus);
        var entryPoints = document.Context.Files.Where(f => f.Reason == "entry_point").Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        var ordered = ranking.Files
            .Select((f, i) => (File: f, Order: i))
            .OrderByDescending(x => x.File.Focused)
            .ThenByDescending(x => entryPoints.Contains(x.File.Path))
            .ThenBy(x => x.Order)
            .Select(x => x.File.Path)
            .ToList();
        var modules = document.Modules.ToDictionary(m => m.Path, StringComparer.Ordinal);
        int fileNumber = 0;
        foreach (var path in ordered)
        {
            var module = modules[path];
            units.Add(new ContextUnit(UnitKind.FileHeader, path, fileNumber));
            if (!string.IsNullOrWhiteSpace(module.Docstring))
            {
                units.Add(new ContextUnit(UnitKind.Line, "\"" + OneLine(module.Docstring) + "\"", fileNumber));
            }
            AddDefinitions(units, module.Definitions, fileNumber, 0);
            fileNumber++;
        }
        return units;
    }

    private static void AddDefinitions(List<ContextUnit> units, IEnumerable<Definition> definitions, int file, int depth)
    {
        foreach (var definition in definitions)
        {
            var line = Signature(definition);
            if (!string.IsNullOrWhiteSpace(definition.Docstring))
            {
                line += " — " + OneLine(definition.Docstring);
            }
            units.Add(new ContextUnit(UnitKind.Line, line, file, depth));
            if (depth < 16)
            {
                AddDefinitions(units, definition.Children, file, depth + 1);
            }
        }
    }

    /// <summary>A compact, language-neutral signature: <c>async method load(self, path: str = "x") -&gt; bool</c>.</summary>
    internal static string Signature(Definition d)
    {
        var text = new StringBuilder();
        if (d.Async)
        {
            text.Append("async ");
        }
        if (d.Static)
        {
            text.Append("static ");
        }
        text.Append(d.Kind).Append(' ').Append(d.Name);
        if (d.TypeParameters.Length > 0)
        {
            text.Append('<').AppendJoin(", ", d.TypeParameters).Append('>');
        }
        switch (d.Kind)
        {
            case DefinitionKinds.Function or DefinitionKinds.Method or DefinitionKinds.Constructor or DefinitionKinds.Delegate
                or DefinitionKinds.Operator or DefinitionKinds.Indexer or DefinitionKinds.Destructor:
                text.Append('(').AppendJoin(", ", ParameterList(d.Parameters)).Append(')');
                if (!string.IsNullOrEmpty(d.ReturnType))
                {
                    text.Append(" -> ").Append(d.ReturnType);
                }
                break;
            case DefinitionKinds.Component:
                if (d.Parameters.Length > 0)
                {
                    text.Append('(').AppendJoin(", ", ParameterList(d.Parameters)).Append(')');
                }
                break;
            case DefinitionKinds.Property or DefinitionKinds.Field or DefinitionKinds.Event or DefinitionKinds.TypeAlias:
                if (!string.IsNullOrEmpty(d.ReturnType))
                {
                    text.Append(": ").Append(d.ReturnType);
                }
                break;
            default:
                if (d.Bases.Length > 0)
                {
                    text.Append('(').AppendJoin(", ", d.Bases).Append(')');
                }
                break;
        }
        return OneLine(text.ToString());
    }

    /// <summary>Parameters as a reader writes them: Python's <c>/</c> after positional-only ones and a bare <c>*</c> before keyword-only ones.</summary>
    private static IEnumerable<string> ParameterList(IReadOnlyList<ParameterInfo> parameters)
    {
        bool starred = false;
        for (int i = 0; i < parameters.Count; i++)
        {
            var p = parameters[i];
            if (p.Kind == ParameterKinds.KeywordOnly && !starred)
            {
                yield return "*";
            }
            starred |= p.Kind is ParameterKinds.VarPositional or ParameterKinds.KeywordOnly;
            yield return Parameter(p);
            if (p.Kind == ParameterKinds.PositionalOnly && (i + 1 == parameters.Count || parameters[i + 1].Kind != ParameterKinds.PositionalOnly))
            {
                yield return "/";
            }
        }
    }

    private static string Parameter(ParameterInfo p)
    {
        var prefix = p.Kind switch
        {
            ParameterKinds.VarPositional => "*",
            ParameterKinds.VarKeyword => "**",
            ParameterKinds.Ref or ParameterKinds.Out or ParameterKinds.In or ParameterKinds.This => p.Kind + " ",
            _ => "",
        };
        var text = prefix + p.Name;
        if (!string.IsNullOrEmpty(p.Type))
        {
            text += ": " + p.Type;
        }
        if (!string.IsNullOrEmpty(p.Default))
        {
            text += " = " + p.Default;
        }
        return text;
    }

    /// <summary>Collapses whitespace runs (newlines included) to one space.</summary>
    internal static string OneLine(string text)
    {
        var builder = new StringBuilder(text.Length);
        bool space = false;
        foreach (var c in text.Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }
            if (space)
            {
                builder.Append(' ');
                space = false;
            }
            builder.Append(c);
        }
        return builder.ToString();
    }
}
