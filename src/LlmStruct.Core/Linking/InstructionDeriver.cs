using System.Globalization;
using LlmStruct.Model;

namespace LlmStruct.Linking;

/// <summary>
/// Derives <see cref="InstructionSet.Base"/> from the code: languages and their share of lines, layout (top
/// folders), test frameworks (from imports/usings), entry points and naming conventions. Every number and list
/// is computed from the document alone and sorted, so the same code gives the same rules, byte for byte.
/// </summary>
internal static class InstructionDeriver
{
    private static readonly (string Language, string Prefix, string Framework)[] TestImports =
    [
        ("python", "pytest", "pytest"),
        ("python", "unittest", "unittest"),
        ("python", "hypothesis", "hypothesis"),
        ("csharp", "Xunit", "xUnit"),
        ("csharp", "NUnit.Framework", "NUnit"),
        ("csharp", "Microsoft.VisualStudio.TestTools.UnitTesting", "MSTest"),
        ("csharp", "FsCheck", "FsCheck"),
        ("javascript", "jest", "Jest"),
        ("javascript", "@jest/globals", "Jest"),
        ("javascript", "vitest", "Vitest"),
        ("javascript", "mocha", "Mocha"),
        ("javascript", "node:test", "node:test"),
        ("javascript", "ava", "AVA"),
    ];

    public static System.Collections.Immutable.ImmutableArray<string> Derive(StructDocument document, IReadOnlyList<EntryPoint> entryPoints)
    {
        var rules = new List<string>();
        var inv = CultureInfo.InvariantCulture;
        if (LanguagesRule(document.Stats) is { } languages)
        {
            rules.Add(languages);
        }

        var folders = document.Modules.GroupBy(m => LinkPaths.TopFolder(m.Path))
            .Select(g => (Folder: g.Key, Count: g.Count()))
            .OrderByDescending(g => g.Count).ThenBy(g => g.Folder, StringComparer.Ordinal).Take(8).ToList();
        if (folders.Count > 0)
        {
            rules.Add("Layout: " + string.Join(", ", folders.Select(f => string.Create(inv, $"{(f.Folder.Length == 0 ? "(root)" : f.Folder + "/")} {f.Count} files"))) + ".");
        }

        var frameworks = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var module in document.Modules)
        {
            foreach (var import in module.Imports)
            {
                foreach (var (language, prefix, framework) in TestImports)
                {
                    // TypeScript tests use the JavaScript frameworks.
                    bool sameLanguage = module.Language == language
                        || (language == JavaScriptLinker.LanguageId && module.Language == JavaScriptLinker.TypeScriptLanguageId);
                    if (sameLanguage && IsUnder(import.Module, prefix))
                    {
                        if (!frameworks.TryGetValue(framework, out var set))
                        {
                            frameworks[framework] = set = new SortedSet<string>(StringComparer.Ordinal);
                        }
                        set.Add(module.Path);
                    }
                }
            }
        }
        foreach (var (framework, files) in frameworks.OrderByDescending(f => f.Value.Count).ThenBy(f => f.Key, StringComparer.Ordinal))
        {
            var where = files.Select(LinkPaths.TopFolder).Distinct().Order(StringComparer.Ordinal).Select(f => f.Length == 0 ? "(root)" : f + "/");
            rules.Add(string.Create(inv, $"Tests use {framework} ({files.Count} files, under {string.Join(", ", where)}); write new tests with it."));
        }

        if (entryPoints.Count > 0)
        {
            rules.Add("Entry points: " + string.Join(", ", entryPoints.Take(10).Select(e => $"{e.Path} ({e.Why})")) + (entryPoints.Count > 10 ? ", …" : "") + ".");
        }

        foreach (var language in document.Stats.Languages.Select(l => l.Language))
        {
            if (NamingRule(document, language) is { } rule)
            {
                rules.Add(rule);
            }
        }
        return [.. rules];
    }

    /// <summary>
    /// The first rule, the only one that depends on line counts: each language's share of lines. The others depend
    /// only on paths, imports, definition names and kinds, and entry points.
    /// </summary>
    // The module is the prefix itself or lies under it (prefix.x, prefix/x).
    private static bool IsUnder(string module, string prefix) =>
        module.StartsWith(prefix, StringComparison.Ordinal) && (module.Length == prefix.Length || module[prefix.Length] is '.' or '/');

    internal static string? LanguagesRule(StructStats stats)
    {
        if (stats.Languages.Length == 0)
        {
            return null;
        }
        long totalLines = Math.Max(1, stats.Lines);
        var parts = stats.Languages
            .OrderByDescending(l => l.Lines).ThenBy(l => l.Language, StringComparer.Ordinal)
            .Select(l => string.Create(CultureInfo.InvariantCulture, $"{l.Language} {Math.Round(100.0 * l.Lines / totalLines)}% of lines ({l.Modules} files)"));
        return "Languages: " + string.Join(", ", parts) + ".";
    }

    // The naming styles, in ordinal order (ties between them go to the first).
    private static readonly string[] Styles = ["PascalCase", "UPPER_SNAKE_CASE", "camelCase", "snake_case"];

    private static string? NamingRule(StructDocument document, string language)
    {
        // Counted per module (in parallel on large documents), then summed.
        var modules = document.Modules;
        var perModule = new int[modules.Length][];
        Parallel.For(0, modules.Length, new ParallelOptions { MaxDegreeOfParallelism = modules.Length < 256 ? 1 : -1 }, i =>
        {
            if (modules[i].Language == language)
            {
                var counts = new int[2 * Styles.Length];
                Count(modules[i].Definitions, counts);
                perModule[i] = counts;
            }
        });
        var total = new int[2 * Styles.Length];
        foreach (var counts in perModule)
        {
            for (int k = 0; counts is not null && k < total.Length; k++)
            {
                total[k] += counts[k];
            }
        }
        var functions = Dominant(total.AsSpan(0, Styles.Length));
        var types = Dominant(total.AsSpan(Styles.Length));
        if (functions is null && types is null)
        {
            return null;
        }
        var parts = new List<string>();
        if (functions is { } f)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"functions and methods are {f.Style} ({f.Percent}%)"));
        }
        if (types is { } t)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"types are {t.Style} ({t.Percent}%)"));
        }
        return $"Naming in {language}: {string.Join(", ", parts)}; follow it.";
    }

    // counts[0..4): functions and methods by style; counts[4..8): types by style.
    private static void Count(System.Collections.Immutable.ImmutableArray<Definition> definitions, int[] counts)
    {
        foreach (var definition in definitions.IsDefault ? [] : definitions)
        {
            int offset = definition.Kind switch
            {
                DefinitionKinds.Function or DefinitionKinds.Method => 0,
                DefinitionKinds.Class or DefinitionKinds.Struct or DefinitionKinds.Record or DefinitionKinds.Interface or DefinitionKinds.Enum => Styles.Length,
                _ => -1,
            };
            if (offset >= 0 && Style(definition.Name) is { } style)
            {
                counts[offset + Array.IndexOf(Styles, style)]++;
            }
            Count(definition.Children, counts);
        }
    }

    private static (string Style, long Percent)? Dominant(ReadOnlySpan<int> counts)
    {
        int total = 0, best = -1;
        for (int k = 0; k < counts.Length; k++)
        {
            total += counts[k];
            if (counts[k] > 0 && (best < 0 || counts[k] > counts[best]))
            {
                best = k;
            }
        }
        if (total < 3)
        {
            return null;
        }
        long percent = (long)Math.Round(100.0 * counts[best] / total);
        return percent >= 60 ? (Styles[best], percent) : null;
    }

    /// <summary>snake_case, camelCase or PascalCase; null for names that fit several (a single lower-case word) or none.</summary>
    internal static string? Style(string name)
    {
        var core = name.AsSpan().Trim("_#$");
        if (core.Length == 0 || core.StartsWith("__", StringComparison.Ordinal) || !char.IsLetter(core[0]))
        {
            return null;
        }
        bool hasUnderscore = core.Contains('_');
        bool hasUpper = false, hasLower = false;
        foreach (char c in core)
        {
            hasUpper |= char.IsUpper(c);
            hasLower |= char.IsLower(c);
        }
        if (char.IsUpper(core[0]))
        {
            if (!hasLower)
            {
                return hasUnderscore ? "UPPER_SNAKE_CASE" : null;
            }
            return hasUnderscore ? null : "PascalCase";
        }
        if (hasUnderscore && !hasUpper)
        {
            return "snake_case";
        }
        return !hasUnderscore && hasUpper ? "camelCase" : null;
    }
}
