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
    private static readonly System.Collections.Frozen.FrozenSet<string> ImportKinds = System.Collections.Frozen.FrozenSet.ToFrozenSet(
        ["import", "from", "require", "dynamic", "reexport", "using", "using_static", "using_alias"], StringComparer.Ordinal);

    private static readonly System.Collections.Frozen.FrozenSet<string> Visibilities = System.Collections.Frozen.FrozenSet.ToFrozenSet(
        ["public", "private", "protected", "internal", "protected_internal", "private_protected"], StringComparer.Ordinal);

    private static readonly System.Collections.Frozen.FrozenSet<string> DefinitionKindSet = System.Collections.Frozen.FrozenSet.ToFrozenSet(DefinitionKinds.All, StringComparer.Ordinal);
    private static readonly System.Collections.Frozen.FrozenSet<string> ParameterKindSet = System.Collections.Frozen.FrozenSet.ToFrozenSet(ParameterKinds.All, StringComparer.Ordinal);

    /// <summary>Returns the violated rules, each as <c>/json/location: message</c>; empty when the document satisfies the schema.</summary>
    public static IReadOnlyList<string> Check(StructDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var errors = new List<string>();
        CheckParts(document, errors, withModules: true);
        return errors;
    }

    /// <summary>Checks the document; its modules too when <paramref name="withModules"/> (else the caller checks each with <see cref="CheckModule(int, ModuleInfo, List{string})"/>).</summary>
    internal static void CheckParts(StructDocument document, List<string> errors, bool withModules)
    {
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
            ("redactions", stats.Redactions),
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
        for (int m = 0; withModules && m < document.Modules.Length; m++)
        {
            CheckModule(m, document.Modules[m], errors);
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
    }

    /// <summary>Checks one module (the document's <paramref name="index"/>th) and adds what it violates to <paramref name="errors"/>.</summary>
    // Locations are formatted only when a rule fails: this runs over every definition, call and parameter of the
    // largest documents, where building a location per value cost more than the checks.
    internal static void CheckModule(int index, ModuleInfo module, List<string> errors)
    {
        var at = new Place(index, null, null, -1);
        if (!IsRelativePath(module.Path))
        {
            Fail(errors, at, "/path", $"'{module.Path}' is not a relative path inside the root");
        }
        if (module.Language.Length == 0)
        {
            Fail(errors, at, "/language", "must not be empty");
        }
        if (module.Sha256.Length != 64 || !module.Sha256.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f')))
        {
            Fail(errors, at, "/sha256", "must be 64 lower-case hex digits");
        }
        if (module.Lines < 0)
        {
            Fail(errors, at, "/lines", "must be at least 0");
        }
        for (int i = 0; i < module.Imports.Length; i++)
        {
            var import = module.Imports[i];
            var where = new Place(index, null, "/imports/", i);
            if (!ImportKinds.Contains(import.Kind))
            {
                Fail(errors, where, "/kind", NotOneOf(import.Kind, ImportKinds));
            }
            if (import.Level < 0)
            {
                Fail(errors, where, "/level", "must be at least 0");
            }
            if (import.Line < 1)
            {
                Fail(errors, where, "/line", "must be at least 1");
            }
            for (int n = 0; n < import.Names.Length; n++)
            {
                if (import.Names[n].Name.Length == 0)
                {
                    Fail(errors, where, $"/names/{n}/name", "must not be empty");
                }
            }
            if (import.Resolved is not null && !IsRelativePath(import.Resolved))
            {
                Fail(errors, where, "/resolved", $"'{import.Resolved}' is not a relative path inside the root");
            }
        }
        for (int i = 0; i < module.Variables.Length; i++)
        {
            var where = new Place(index, null, "/variables/", i);
            if (module.Variables[i].Name.Length == 0)
            {
                Fail(errors, where, "/name", "must not be empty");
            }
            if (module.Variables[i].Line < 1)
            {
                Fail(errors, where, "/line", "must be at least 1");
            }
        }
        // Definitions nest; walk them with an explicit stack of (list, position) frames so depth never matters. A
        // definition's location is made from the frames only when one of its rules fails.
        var frames = new List<(ImmutableArray<Definition> List, int Index)> { (module.Definitions, -1) };
        while (frames.Count > 0)
        {
            var (list, position) = frames[^1];
            if (++position >= list.Length)
            {
                frames.RemoveAt(frames.Count - 1);
                continue;
            }
            frames[^1] = (list, position);
            CheckDefinition(list[position], new Place(index, frames, null, -1), errors);
            if (!list[position].Children.IsDefaultOrEmpty)
            {
                frames.Add((list[position].Children, -1));
            }
        }
    }

    private static void CheckDefinition(Definition d, Place where, List<string> errors)
    {
        int hash = d.Id.IndexOf('#');
        if (hash <= 0 || hash == d.Id.Length - 1)
        {
            Fail(errors, where, "/id", "must look like path#name");
        }
        if (!DefinitionKindSet.Contains(d.Kind))
        {
            Fail(errors, where, "/kind", NotOneOf(d.Kind, DefinitionKindSet));
        }
        if (d.Name.Length == 0)
        {
            Fail(errors, where, "/name", "must not be empty");
        }
        if (d.QualifiedName.Length == 0)
        {
            Fail(errors, where, "/qualified_name", "must not be empty");
        }
        if (d.StartLine < 1)
        {
            Fail(errors, where, "/start_line", "must be at least 1");
        }
        if (d.EndLine < 1)
        {
            Fail(errors, where, "/end_line", "must be at least 1");
        }
        for (int p = 0; p < d.Parameters.Length; p++)
        {
            var parameter = d.Parameters[p];
            if (parameter.Name.Length == 0)
            {
                Fail(errors, where, $"/parameters/{p}/name", "must not be empty");
            }
            if (!ParameterKindSet.Contains(parameter.Kind))
            {
                Fail(errors, where, $"/parameters/{p}/kind", NotOneOf(parameter.Kind, ParameterKindSet));
            }
        }
        if (d.Visibility is not null && !Visibilities.Contains(d.Visibility))
        {
            Fail(errors, where, "/visibility", NotOneOf(d.Visibility, Visibilities));
        }
        for (int c = 0; c < d.Calls.Length; c++)
        {
            var call = d.Calls[c];
            if (call.Callee.Length == 0)
            {
                Fail(errors, where, $"/calls/{c}/callee", "must not be empty");
            }
            if (call.Line < 1)
            {
                Fail(errors, where, $"/calls/{c}/line", "must be at least 1");
            }
            if (call.Count < 1)
            {
                Fail(errors, where, $"/calls/{c}/count", "must be at least 1");
            }
        }
    }

    private static void Fail(List<string> errors, Place at, string member, string message) => errors.Add($"{at}{member}: {message}");

    /// <summary>
    /// Where in a module a value lies: the module, then either the definition the frames of the walk lead to (read
    /// only when a message is made, while the frames are still those of that definition) or an indexed member list.
    /// </summary>
    private readonly record struct Place(int Module, List<(ImmutableArray<Definition> List, int Index)>? Frames, string? List, int Index)
    {
        public override string ToString()
        {
            var text = new System.Text.StringBuilder("/modules/").Append(Module.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (Frames is not null)
            {
                for (int i = 0; i < Frames.Count; i++)
                {
                    text.Append(i == 0 ? "/definitions/" : "/children/").Append(Frames[i].Index.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }
            }
            if (List is not null)
            {
                text.Append(List).Append(Index.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            return text.ToString();
        }
    }

    private static string NotOneOf(string value, IEnumerable<string> allowed) =>
        $"'{value}' is not one of {string.Join(", ", allowed.Order(StringComparer.Ordinal))}";

    // Any character a file system allows may be in a name (newline and backslash included: Linux allows them); only an
    // absolute path (`/…`, `C:/…`, `C:\…`) or a `..` segment is refused.
    internal static bool IsRelativePath(string path)
    {
        if (path.Length == 0 || path[0] == '/'
            || (path.Length >= 3 && char.IsAsciiLetter(path[0]) && path[1] == ':' && path[2] is '/' or '\\'))
        {
            return false;
        }
        foreach (var range in path.AsSpan().Split('/'))
        {
            if (path.AsSpan()[range] is "..")
            {
                return false;
            }
        }
        return true;
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
}
