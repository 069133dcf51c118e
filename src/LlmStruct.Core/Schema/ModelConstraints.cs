using System.Collections.Immutable;
using LlmStruct.Model;

namespace LlmStruct.Schema;

/// <summary>
/// The rules of <c>schema/struct.schema.json</c> checked directly on the typed model, in linear time and without
/// building a JSON tree: what every struct.json is checked against before it is written, whatever its size. The
/// model's types fix most of the document's shape (property names, types); what is left are the value rules — the
/// <c>const</c>, <c>enum</c>s and <c>pattern</c>s (read from the schema itself: <see cref="SchemaRules"/>), minimums,
/// non-empty strings — and the members the schema requires that the model could leave null (the writer leaves a null
/// out, which the schema's <c>required</c> or an array's item <c>type</c> rejects). Tests hold these checks
/// equivalent to a full JSON Schema evaluation, rule by rule, over random documents (a rule added to the schema fails
/// them until it is checked here too). Messages use the same JSON locations as the schema's.
/// </summary>
public static class ModelConstraints
{
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

        if (document.Version != SchemaRules.Version)
        {
            Fail("/version", $"must be \"{SchemaRules.Version}\"");
        }
        if (document.Project is null)
        {
            Fail("/project", "is required");
        }
        else
        {
            Required("/project/name", document.Project.Name, Fail);
        }
        if (document.Context is null)
        {
            Fail("/context", "is required");
        }
        for (int i = 0; document.Context is not null && i < document.Context.Files.Length; i++)
        {
            var file = document.Context.Files[i];
            RelativePath($"/context/files/{i}/path", file.Path, Fail);
            NonEmpty($"/context/files/{i}/reason", file.Reason, Fail);
        }
        if (document.Instructions is null)
        {
            Fail("/instructions", "is required");
        }
        else
        {
            Strings("/instructions/base", document.Instructions.Base, Fail);
            Strings("/instructions/custom", document.Instructions.Custom, Fail);
        }
        if (document.Stats is null)
        {
            Fail("/stats", "is required");
        }
        if (document.Metrics is null)
        {
            Fail("/metrics", "is required");
        }
        var stats = document.Stats ?? new StructStats();
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
            Required($"/tasks/{i}/title", document.Tasks[i].Title, Fail);
            NonEmpty($"/tasks/{i}/status", document.Tasks[i].Status, Fail);
            Strings($"/tasks/{i}/labels", document.Tasks[i].Labels, Fail);
            if (document.Tasks[i].Github is { Number: < 1 })
            {
                Fail($"/tasks/{i}/github/number", "must be at least 1");
            }
            if (document.Tasks[i].Gitlab is { Iid: < 1 })
            {
                Fail($"/tasks/{i}/gitlab/iid", "must be at least 1");
            }
        }
        for (int i = 0; document.Metrics is not null && i < document.Metrics.Llm.Length; i++)
        {
            var u = document.Metrics.Llm[i];
            Required($"/metrics/llm/{i}/provider", u.Provider, Fail);
            Required($"/metrics/llm/{i}/model", u.Model, Fail);
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
        if (module.Path is null)
        {
            Fail(errors, at, "/path", "is required");
        }
        else if (!SchemaRules.RelativePath.IsMatch(module.Path))
        {
            Fail(errors, at, "/path", $"'{module.Path}' is not a relative path inside the root");
        }
        if (string.IsNullOrEmpty(module.Language))
        {
            Fail(errors, at, "/language", module.Language is null ? "is required" : "must not be empty");
        }
        if (module.Sha256 is null || !SchemaRules.Sha256.IsMatch(module.Sha256))
        {
            Fail(errors, at, "/sha256", module.Sha256 is null ? "is required" : "must be 64 lower-case hex digits");
        }
        StringItems(errors, at, "/exports", module.Exports);
        if (module.Lines < 0)
        {
            Fail(errors, at, "/lines", "must be at least 0");
        }
        for (int i = 0; i < module.Imports.Length; i++)
        {
            var import = module.Imports[i];
            var where = new Place(index, null, "/imports/", i);
            if (import.Module is null)
            {
                Fail(errors, where, "/module", "is required");
            }
            if (import.Kind is null || !SchemaRules.ImportKinds.Contains(import.Kind))
            {
                Fail(errors, where, "/kind", NotOneOf(import.Kind, SchemaRules.ImportKinds));
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
                if (string.IsNullOrEmpty(import.Names[n].Name))
                {
                    Fail(errors, where, $"/names/{n}/name", "must not be empty");
                }
            }
            if (import.Resolved is not null && !SchemaRules.RelativePath.IsMatch(import.Resolved))
            {
                Fail(errors, where, "/resolved", $"'{import.Resolved}' is not a relative path inside the root");
            }
        }
        for (int i = 0; i < module.Variables.Length; i++)
        {
            var where = new Place(index, null, "/variables/", i);
            if (string.IsNullOrEmpty(module.Variables[i].Name))
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
        if (d.Id is null || !SchemaRules.DefinitionId.IsMatch(d.Id))
        {
            Fail(errors, where, "/id", "must look like path#name");
        }
        if (d.Kind is null || !SchemaRules.DefinitionKinds.Contains(d.Kind))
        {
            Fail(errors, where, "/kind", NotOneOf(d.Kind, SchemaRules.DefinitionKinds));
        }
        if (string.IsNullOrEmpty(d.Name))
        {
            Fail(errors, where, "/name", "must not be empty");
        }
        if (string.IsNullOrEmpty(d.QualifiedName))
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
            if (string.IsNullOrEmpty(parameter.Name))
            {
                Fail(errors, where, $"/parameters/{p}/name", "must not be empty");
            }
            if (parameter.Kind is null || !SchemaRules.ParameterKinds.Contains(parameter.Kind))
            {
                Fail(errors, where, $"/parameters/{p}/kind", NotOneOf(parameter.Kind, SchemaRules.ParameterKinds));
            }
        }
        if (d.Visibility is not null && !SchemaRules.Visibilities.Contains(d.Visibility))
        {
            Fail(errors, where, "/visibility", NotOneOf(d.Visibility, SchemaRules.Visibilities));
        }
        StringItems(errors, where, "/type_parameters", d.TypeParameters);
        StringItems(errors, where, "/decorators", d.Decorators);
        StringItems(errors, where, "/bases", d.Bases);
        StringItems(errors, where, "/modifiers", d.Modifiers);
        StringItems(errors, where, "/called_by", d.CalledBy);
        for (int c = 0; c < d.Calls.Length; c++)
        {
            var call = d.Calls[c];
            if (string.IsNullOrEmpty(call.Callee))
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

    private static void StringItems(List<string> errors, Place at, string member, ImmutableArray<string> items)
    {
        if (HasNull(items))
        {
            Fail(errors, at, member, "items must be strings");
        }
    }

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

    private static string NotOneOf(string? value, IEnumerable<string> allowed) =>
        value is null ? "is required" : $"'{value}' is not one of {string.Join(", ", allowed.Order(StringComparer.Ordinal))}";

    /// <summary>True when a string list holds a null (the writer writes it as JSON null, which the schema's string items reject).</summary>
    private static bool HasNull(ImmutableArray<string> items)
    {
        foreach (var item in items.IsDefault ? [] : items)
        {
            if (item is null)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>True when <paramref name="path"/> is a <c>relativePath</c> of the schema.</summary>
    internal static bool IsRelativePath(string path) => SchemaRules.RelativePath.IsMatch(path);

    private static void RelativePath(string at, string? value, Action<string, string> fail)
    {
        if (value is null)
        {
            fail(at, "is required");
        }
        else if (!IsRelativePath(value))
        {
            fail(at, $"'{value}' is not a relative path inside the root");
        }
    }

    private static void Required(string at, string? value, Action<string, string> fail)
    {
        if (value is null)
        {
            fail(at, "is required");
        }
    }

    private static void Strings(string at, ImmutableArray<string> items, Action<string, string> fail)
    {
        if (HasNull(items))
        {
            fail(at, "items must be strings");
        }
    }

    private static void NonEmpty(string at, string? value, Action<string, string> fail)
    {
        if (string.IsNullOrEmpty(value))
        {
            fail(at, value is null ? "is required" : "must not be empty");
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
