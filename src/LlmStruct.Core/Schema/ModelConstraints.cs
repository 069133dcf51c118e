using System.Collections.Immutable;
using LlmStruct.Model;

namespace LlmStruct.Schema;

/// <summary>
/// The value rules of <c>schema/struct.schema.json</c> checked directly on the typed model, in linear time and
/// without building a JSON tree. The model's types already fix the document's shape (property names, types,
/// required members); what is left are the value rules — enums, patterns, minimums, non-empty strings — and this
/// class checks exactly those. Used for large documents, where a general JSON Schema evaluator needs minutes and
/// gigabytes; tests keep it in agreement with the schema. Messages use the same JSON locations as the schema's.
/// </summary>
public static class ModelConstraints
{
    private static readonly ImmutableHashSet<string> ImportKinds =
        ["import", "from", "require", "dynamic", "reexport", "using", "using_static", "using_alias"];

    private static readonly ImmutableHashSet<string> Visibilities =
        ["public", "private", "protected", "internal", "protected_internal", "private_protected"];

    private static readonly ImmutableHashSet<string> DefinitionKindSet = [.. DefinitionKinds.All];
    private static readonly ImmutableHashSet<string> ParameterKindSet = [.. ParameterKinds.All];

    /// <summary>Returns the violated rules, each as <c>/json/location: message</c>; empty when the document satisfies the schema.</summary>
    public static IReadOnlyList<string> Check(StructDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var errors = new List<string>();
        void Fail(string location, string message) => errors.Add($"{location}: {message}");

        if (document.Version != StructDocument.CurrentVersion)
        {
            Fail("/version", $"must be \"{StructDocument.CurrentVersion}\"");
        }
        for (int i = 0; i < document.Context.Files.Length; i++)
        {
            var file = document.Context.Files[i];
            RelativePath($"/context/files/{i}/path", file.Path, Fail);
            NonEmpty($"/context/files/{i}/reason", file.Reason, Fail);
        }
        var stats = document.Stats;
        foreach (var (name, value) in new (string, long)[]
        {
            ("modules", stats.Modules), ("definitions", stats.Definitions), ("lines", stats.Lines), ("errors", stats.Errors),
            ("skipped", stats.Skipped), ("imports", stats.Imports), ("imports_resolved", stats.ImportsResolved),
            ("call_edges_resolved", stats.CallEdgesResolved), ("call_edges_unresolved", stats.CallEdgesUnresolved),
        })
        {
            Minimum($"/stats/{name}", value, 0, Fail);
        }
        for (int i = 0; i < stats.Languages.Length; i++)
        {
            var language = stats.Languages[i];
            NonEmpty($"/stats/languages/{i}/language", language.Language, Fail);
            Minimum($"/stats/languages/{i}/modules", language.Modules, 0, Fail);
            Minimum($"/stats/languages/{i}/definitions", language.Definitions, 0, Fail);
            Minimum($"/stats/languages/{i}/lines", language.Lines, 0, Fail);
        }
        for (int m = 0; m < document.Modules.Length; m++)
        {
            CheckModule($"/modules/{m}", document.Modules[m], Fail);
        }
        for (int i = 0; i < document.Errors.Length; i++)
        {
            var error = document.Errors[i];
            RelativePath($"/errors/{i}/file", error.File, Fail);
            Minimum($"/errors/{i}/line", error.Line, 0, Fail);
            Minimum($"/errors/{i}/column", error.Column, 0, Fail);
            NonEmpty($"/errors/{i}/reason", error.Reason, Fail);
        }
        for (int i = 0; i < document.Skipped.Length; i++)
        {
            RelativePath($"/skipped/{i}/path", document.Skipped[i].Path, Fail);
            NonEmpty($"/skipped/{i}/reason", document.Skipped[i].Reason, Fail);
        }
        for (int i = 0; i < document.Tasks.Length; i++)
        {
            NonEmpty($"/tasks/{i}/id", document.Tasks[i].Id, Fail);
            NonEmpty($"/tasks/{i}/status", document.Tasks[i].Status, Fail);
        }
        for (int i = 0; i < document.Metrics.Llm.Length; i++)
        {
            var u = document.Metrics.Llm[i];
            foreach (var (name, value) in new (string, long)[]
            {
                ("calls", u.Calls), ("failures", u.Failures), ("prompt_tokens", u.PromptTokens), ("completion_tokens", u.CompletionTokens),
                ("latency_ms", u.LatencyMs), ("max_latency_ms", u.MaxLatencyMs), ("streamed_calls", u.StreamedCalls),
                ("first_token_ms", u.FirstTokenMs), ("cpu_ms", u.CpuMs), ("peak_ram_bytes", u.PeakRamBytes), ("peak_vram_bytes", u.PeakVramBytes ?? 0),
            })
            {
                Minimum($"/metrics/llm/{i}/{name}", value, 0, Fail);
            }
        }
        return errors;
    }

    private static void CheckModule(string at, ModuleInfo module, Action<string, string> fail)
    {
        RelativePath(at + "/path", module.Path, fail);
        NonEmpty(at + "/language", module.Language, fail);
        if (module.Sha256.Length != 64 || !module.Sha256.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f')))
        {
            fail(at + "/sha256", "must be 64 lower-case hex digits");
        }
        Minimum(at + "/lines", module.Lines, 0, fail);
        for (int i = 0; i < module.Imports.Length; i++)
        {
            var import = module.Imports[i];
            var where = $"{at}/imports/{i}";
            OneOf(where + "/kind", import.Kind, ImportKinds, fail);
            Minimum(where + "/level", import.Level, 0, fail);
            Minimum(where + "/line", import.Line, 1, fail);
            for (int n = 0; n < import.Names.Length; n++)
            {
                NonEmpty($"{where}/names/{n}/name", import.Names[n].Name, fail);
            }
            if (import.Resolved is not null)
            {
                RelativePath(where + "/resolved", import.Resolved, fail);
            }
        }
        for (int i = 0; i < module.Variables.Length; i++)
        {
            NonEmpty($"{at}/variables/{i}/name", module.Variables[i].Name, fail);
            Minimum($"{at}/variables/{i}/line", module.Variables[i].Line, 1, fail);
        }
        // Definitions nest; walk them with an explicit stack so depth never matters.
        var stack = new Stack<(string At, Definition Definition)>();
        for (int i = module.Definitions.Length - 1; i >= 0; i--)
        {
            stack.Push(($"{at}/definitions/{i}", module.Definitions[i]));
        }
        while (stack.Count > 0)
        {
            var (where, d) = stack.Pop();
            int hash = d.Id.IndexOf('#');
            if (hash <= 0 || hash == d.Id.Length - 1)
            {
                fail(where + "/id", "must look like path#name");
            }
            OneOf(where + "/kind", d.Kind, DefinitionKindSet, fail);
            NonEmpty(where + "/name", d.Name, fail);
            NonEmpty(where + "/qualified_name", d.QualifiedName, fail);
            Minimum(where + "/start_line", d.StartLine, 1, fail);
            Minimum(where + "/end_line", d.EndLine, 1, fail);
            for (int p = 0; p < d.Parameters.Length; p++)
            {
                NonEmpty($"{where}/parameters/{p}/name", d.Parameters[p].Name, fail);
                OneOf($"{where}/parameters/{p}/kind", d.Parameters[p].Kind, ParameterKindSet, fail);
            }
            if (d.Visibility is not null)
            {
                OneOf(where + "/visibility", d.Visibility, Visibilities, fail);
            }
            for (int c = 0; c < d.Calls.Length; c++)
            {
                NonEmpty($"{where}/calls/{c}/callee", d.Calls[c].Callee, fail);
                Minimum($"{where}/calls/{c}/line", d.Calls[c].Line, 1, fail);
                Minimum($"{where}/calls/{c}/count", d.Calls[c].Count, 1, fail);
            }
            for (int c = d.Children.Length - 1; c >= 0; c--)
            {
                stack.Push(($"{where}/children/{c}", d.Children[c]));
            }
        }
    }

    /// <summary>The schema's <c>relativePath</c>: non-empty, not absolute, no backslash, no <c>..</c> segment.</summary>
    internal static bool IsRelativePath(string path)
    {
        if (path.Length == 0 || path[0] == '/' || path.Contains('\\', StringComparison.Ordinal)
            || (path.Length >= 2 && char.IsAsciiLetter(path[0]) && path[1] == ':'))
        {
            return false;
        }
        foreach (var segment in path.Split('/'))
        {
            if (segment == "..")
            {
                return false;
            }
        }
        return !path.Contains('\n', StringComparison.Ordinal);
    }

    private static void RelativePath(string at, string value, Action<string, string> fail)
    {
        if (!IsRelativePath(value))
        {
            fail(at, $"'{value}' is not a relative path inside the root");
        }
    }

    private static void NonEmpty(string at, string value, Action<string, string> fail)
    {
        if (value.Length == 0)
        {
            fail(at, "must not be empty");
        }
    }

    private static void Minimum(string at, long value, long minimum, Action<string, string> fail)
    {
        if (value < minimum)
        {
            fail(at, $"must be at least {minimum}");
        }
    }

    private static void OneOf(string at, string value, ImmutableHashSet<string> allowed, Action<string, string> fail)
    {
        if (!allowed.Contains(value))
        {
            fail(at, $"'{value}' is not one of {string.Join(", ", allowed.Order(StringComparer.Ordinal))}");
        }
    }
}
