using System.Collections.Immutable;
using LlmStruct.Configuration;
using LlmStruct.Json;
using LlmStruct.Model;

namespace LlmStruct.Pipeline;

/// <summary>Turns parsed modules, errors and skipped files into one canonical <see cref="StructDocument"/>.</summary>
public static class StructAssembler
{
    /// <summary>Assembles the document: project info, context summary, custom instructions, stats, canonical order.</summary>
    public static StructDocument Assemble(
        string root, LlmStructOptions options, IEnumerable<ModuleInfo> modules, IEnumerable<ParseError> errors, IEnumerable<SkippedFile> skipped)
    {
        ArgumentNullException.ThrowIfNull(options);
        var name = string.IsNullOrWhiteSpace(options.Project.Name)
            ? new DirectoryInfo(Path.GetFullPath(root)).Name
            : options.Project.Name.Trim();
        var summary = string.IsNullOrWhiteSpace(options.Project.Summary) ? null : options.Project.Summary.Trim();

        var document = StructCanonicalizer.Canonicalize(new StructDocument
        {
            Project = new ProjectInfo { Name = name, Summary = summary },
            Context = new ContextInfo { Summary = summary ?? ReadmeSummary.FromRoot(root) },
            Instructions = new InstructionSet { Custom = [.. options.Instructions.Custom.Where(s => !string.IsNullOrWhiteSpace(s))] },
            Modules = [.. modules],
            Errors = [.. errors],
            Skipped = [.. skipped],
        });
        return document with { Stats = ComputeStats(document) };
    }

    /// <summary>Counts modules, definitions (nested included), lines, errors, skipped files, imports and call edges (resolved or not), per language too.</summary>
    public static StructStats ComputeStats(StructDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var perLanguage = new SortedDictionary<string, (int Modules, int Definitions, long Lines)>(StringComparer.Ordinal);
        int definitions = 0;
        long lines = 0;
        int imports = 0, resolvedImports = 0, resolvedCalls = 0, unresolvedCalls = 0;
        foreach (var module in document.Modules)
        {
            int count = CountDefinitions(module.Definitions, ref resolvedCalls, ref unresolvedCalls);
            imports += module.Imports.Length;
            resolvedImports += module.Imports.Count(i => i.Resolved is not null);
            definitions += count;
            lines += module.Lines;
            perLanguage.TryGetValue(module.Language, out var current);
            perLanguage[module.Language] = (current.Modules + 1, current.Definitions + count, current.Lines + module.Lines);
        }
        return new StructStats
        {
            Modules = document.Modules.Length,
            Definitions = definitions,
            Lines = lines,
            Errors = document.Errors.Length,
            Skipped = document.Skipped.Length,
            Imports = imports,
            ImportsResolved = resolvedImports,
            CallEdgesResolved = resolvedCalls,
            CallEdgesUnresolved = unresolvedCalls,
            Languages = [.. perLanguage.Select(p => new LanguageStats { Language = p.Key, Modules = p.Value.Modules, Definitions = p.Value.Definitions, Lines = p.Value.Lines })],
        };
    }

    private static int CountDefinitions(ImmutableArray<Definition> definitions, ref int resolvedCalls, ref int unresolvedCalls)
    {
        int count = 0;
        var stack = new Stack<ImmutableArray<Definition>>();
        stack.Push(definitions);
        while (stack.Count > 0)
        {
            foreach (var definition in stack.Pop())
            {
                count++;
                foreach (var call in definition.Calls)
                {
                    if (call.Target is null)
                    {
                        unresolvedCalls++;
                    }
                    else
                    {
                        resolvedCalls++;
                    }
                }
                if (!definition.Children.IsDefaultOrEmpty)
                {
                    stack.Push(definition.Children);
                }
            }
        }
        return count;
    }
}
