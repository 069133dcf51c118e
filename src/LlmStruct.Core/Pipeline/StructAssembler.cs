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
        var document = StructCanonicalizer.Canonicalize(Unlinked(root, options, modules, errors, skipped));
        return document with { Stats = ComputeStats(document) };
    }

    /// <summary>
    /// The document <see cref="Assemble"/> makes, before its canonical order and stats: for the pipeline, whose linker
    /// puts the document in canonical order and counts it anyway.
    /// </summary>
    internal static StructDocument Unlinked(
        string root, LlmStructOptions options, IEnumerable<ModuleInfo> modules, IEnumerable<ParseError> errors, IEnumerable<SkippedFile> skipped)
    {
        ArgumentNullException.ThrowIfNull(options);
        var name = string.IsNullOrWhiteSpace(options.Project.Name)
            ? new DirectoryInfo(Path.GetFullPath(root)).Name
            : options.Project.Name.Trim();
        var summary = string.IsNullOrWhiteSpace(options.Project.Summary) ? null : options.Project.Summary.Trim();
        // The README's first paragraph is file text like any other: a secret in it is redacted too.
        var readme = summary is null ? ReadmeSummary.FromRoot(root) : null;
        var redactor = new Security.SourceRedactor(options.Security);
        if (readme is not null && redactor.AppliesTo("README.md"))
        {
            readme = redactor.Redact(readme);
        }
        return new StructDocument
        {
            Project = new ProjectInfo { Name = name, Summary = summary },
            Context = new ContextInfo { Summary = summary ?? readme },
            Instructions = new InstructionSet { Custom = [.. options.Instructions.Custom.Where(s => !string.IsNullOrWhiteSpace(s))] },
            Modules = [.. modules],
            Errors = [.. errors],
            Skipped = [.. skipped],
        };
    }

    /// <summary>Counts modules, definitions (nested included), lines, errors, skipped files, imports, call edges (resolved or not) and redactions, per language too.</summary>
    public static StructStats ComputeStats(StructDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var perLanguage = new SortedDictionary<string, (int Modules, int Definitions, long Lines)>(StringComparer.Ordinal);
        int definitions = 0;
        long lines = 0;
        int imports = 0, resolvedImports = 0, resolvedCalls = 0, unresolvedCalls = 0, redactionCount = 0;
        // Each module counted on its own (in parallel: a large document has hundreds of thousands of definitions),
        // then summed in module order.
        var modules = document.Modules;
        var counts = new (int Definitions, int ResolvedImports, int ResolvedCalls, int UnresolvedCalls, int Redactions)[modules.Length];
        Parallel.For(0, modules.Length, new ParallelOptions { MaxDegreeOfParallelism = modules.Length < 256 ? 1 : -1 }, i =>
        {
            int resolved = 0, unresolved = 0, resolvedImportCount = 0;
            int count = CountDefinitions(modules[i].Definitions, ref resolved, ref unresolved);
            foreach (var import in modules[i].Imports)
            {
                resolvedImportCount += import.Resolved is null ? 0 : 1;
            }
            int redactions = 0;
            foreach (var finding in Security.SourceRedactor.Findings(modules[i]))
            {
                redactions += finding.Count;
            }
            counts[i] = (count, resolvedImportCount, resolved, unresolved, redactions);
        });
        for (int i = 0; i < modules.Length; i++)
        {
            var module = modules[i];
            var (count, moduleResolvedImports, moduleResolvedCalls, moduleUnresolvedCalls, moduleRedactions) = counts[i];
            redactionCount += moduleRedactions;
            resolvedCalls += moduleResolvedCalls;
            unresolvedCalls += moduleUnresolvedCalls;
            imports += module.Imports.Length;
            resolvedImports += moduleResolvedImports;
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
            Redactions = redactionCount,
            Languages = [.. perLanguage.Select(p => new LanguageStats { Language = p.Key, Modules = p.Value.Modules, Definitions = p.Value.Definitions, Lines = p.Value.Lines })],
        };
    }

    /// <summary>
    /// <paramref name="stats"/> with <paramref name="removed"/> modules' counts taken out and <paramref name="added"/>
    /// ones' put in, and the error and skipped counts given: what <see cref="ComputeStats"/> gives for the patched document.
    /// </summary>
    internal static StructStats Replace(StructStats stats, IEnumerable<ModuleInfo> removed, IEnumerable<ModuleInfo> added, int errors, int skipped)
    {
        var minus = ComputeStats(new StructDocument { Modules = [.. removed] });
        var plus = ComputeStats(new StructDocument { Modules = [.. added] });
        var languages = new SortedDictionary<string, (int Modules, int Definitions, long Lines)>(StringComparer.Ordinal);
        void Apply(IEnumerable<LanguageStats> list, int sign)
        {
            foreach (var l in list)
            {
                languages.TryGetValue(l.Language, out var c);
                languages[l.Language] = (c.Modules + (sign * l.Modules), c.Definitions + (sign * l.Definitions), c.Lines + (sign * l.Lines));
            }
        }
        Apply(stats.Languages, 1);
        Apply(minus.Languages, -1);
        Apply(plus.Languages, 1);
        return new StructStats
        {
            Modules = stats.Modules - minus.Modules + plus.Modules,
            Definitions = stats.Definitions - minus.Definitions + plus.Definitions,
            Lines = stats.Lines - minus.Lines + plus.Lines,
            Errors = errors,
            Skipped = skipped,
            Imports = stats.Imports - minus.Imports + plus.Imports,
            ImportsResolved = stats.ImportsResolved - minus.ImportsResolved + plus.ImportsResolved,
            CallEdgesResolved = stats.CallEdgesResolved - minus.CallEdgesResolved + plus.CallEdgesResolved,
            CallEdgesUnresolved = stats.CallEdgesUnresolved - minus.CallEdgesUnresolved + plus.CallEdgesUnresolved,
            Redactions = stats.Redactions - minus.Redactions + plus.Redactions,
            Languages = [.. languages.Where(p => p.Value.Modules > 0)
                .Select(p => new LanguageStats { Language = p.Key, Modules = p.Value.Modules, Definitions = p.Value.Definitions, Lines = p.Value.Lines })],
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
