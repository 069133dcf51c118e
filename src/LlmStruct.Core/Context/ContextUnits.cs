using System.Globalization;
using System.Text;
using LlmStruct.Model;

namespace LlmStruct.Context;

internal enum UnitKind
{
    Title,
    Summary,
    Instruction,
    FileHeader,
    Line,
    PathOnly,
}

/// <summary>How much of a file the context shows.</summary>
internal enum FileLevel
{
    /// <summary>Only its path, in the closing list.</summary>
    Path,
    /// <summary>Its path and the names of its top-level definitions.</summary>
    Names,
    /// <summary>Its path and every definition's signature.</summary>
    Signatures,
    /// <summary>Its path, docstring, and every signature with its docstring's first line.</summary>
    Full,
}

/// <summary>
/// One line of content in priority order; the rendered context is always a prefix of the units. File units carry
/// the file's index in the ranking (<see cref="File"/>) and its level; a header may carry an explanation (<see cref="Why"/>).
/// </summary>
internal sealed record ContextUnit(UnitKind Kind, string Text, int File = -1, int Depth = 0, FileLevel Level = FileLevel.Full, string? Why = null);

/// <summary>
/// Builds the context's parts: the header units (title, summary, stats, instructions) and, per ranked file, its
/// units at each level (made on demand).
/// </summary>
internal static class ContextUnits
{
    public static List<ContextUnit> Header(StructDocument document)
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
        return units;
    }

    /// <summary>The units of one file at a level: a header then its lines, or one path-only unit.</summary>
    public static List<ContextUnit> File(ModuleInfo module, int file, FileLevel level, string? why)
    {
        if (level == FileLevel.Path)
        {
            return [new ContextUnit(UnitKind.PathOnly, module.Path, file, 0, level, why)];
        }
        var units = new List<ContextUnit> { new(UnitKind.FileHeader, module.Path, file, 0, level, why) };
        switch (level)
        {
            case FileLevel.Names:
                if (module.Definitions.Length > 0)
                {
                    units.Add(new ContextUnit(UnitKind.Line, "names: " + string.Join(", ", module.Definitions.Select(d => d.Name)), file, 0, level));
                }
                break;
            case FileLevel.Signatures:
                AddDefinitions(units, module.Definitions, file, 0, docstrings: false);
                break;
            default:
                if (!string.IsNullOrWhiteSpace(module.Docstring))
                {
                    units.Add(new ContextUnit(UnitKind.Line, "\"" + OneLine(module.Docstring) + "\"", file));
                }
                AddDefinitions(units, module.Definitions, file, 0, docstrings: true);
                break;
        }
        return units;
    }

    private static void AddDefinitions(List<ContextUnit> units, IEnumerable<Definition> definitions, int file, int depth, bool docstrings)
    {
        foreach (var definition in definitions)
        {
            var line = Signature(definition);
            if (docstrings && !string.IsNullOrWhiteSpace(definition.Docstring))
            {
                line += " — " + OneLine(definition.Docstring);
            }
            units.Add(new ContextUnit(UnitKind.Line, line, file, depth, docstrings ? FileLevel.Full : FileLevel.Signatures));
            if (depth < 16)
            {
                AddDefinitions(units, definition.Children, file, depth + 1, docstrings);
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
