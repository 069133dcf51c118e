using System.Collections.Immutable;
using LlmStruct.Model;

namespace LlmStruct.Json;

/// <summary>
/// Writes the model's records as canonical struct.json with a <see cref="CanonicalWriter"/>: snake_case names in the
/// records' declaration order, nulls, <c>false</c> and empty arrays left out. The bytes equal System.Text.Json's with
/// struct.json's options laid out in the canonical layout (the tests' reference, <c>ReferenceJson</c>, pins that over
/// documents that set every property), at a fraction of the cost: no reflection, no intermediate compact text, no re-indenting.
/// </summary>
internal static class ModelWriter
{
    /// <summary>One module, as it appears in the document's <c>modules</c> array.</summary>
    public static void Module(CanonicalWriter w, ModuleInfo m)
    {
        bool flat = Empty(m.Imports) && Empty(m.Exports) && Empty(m.Variables) && Empty(m.Definitions);
        w.BeginObject(flat);
        w.Member(K.Path, m.Path);
        w.Member(K.Language, m.Language);
        w.Member(K.Sha256, m.Sha256);
        w.Member(K.Lines, m.Lines);
        w.Member(K.Docstring, m.Docstring);
        if (!Empty(m.Imports))
        {
            w.Key(K.Imports);
            w.BeginArray(flat: false);
            foreach (var import in m.Imports)
            {
                w.Item();
                Import(w, import);
            }
            w.EndArray();
        }
        Strings(w, K.Exports, m.Exports);
        Objects(w, K.Variables, m.Variables, static (w, v) =>
        {
            w.FlatMember(K.Name, v.Name);
            w.FlatMember(K.Line, v.Line);
            w.FlatMember(K.Type, v.Type);
        });
        Definitions(w, K.Definitions, m.Definitions);
        w.EndObject();
    }

    // An error's members (in the document's errors and in a cached parse).
    private static readonly Action<CanonicalWriter, ParseError> ErrorMembers = static (w, e) =>
    {
        w.FlatMember(K.File, e.File);
        w.FlatMember(K.Line, e.Line);
        w.FlatMember(K.Column, e.Column);
        w.FlatMember(K.Reason, e.Reason);
    };

    /// <summary>A parse result as the cache keeps it: the module, then its errors.</summary>
    public static void CachedParse(CanonicalWriter w, Caching.CachedParse parse)
    {
        w.BeginObject(flat: false);
        w.Key(K.Module);
        Module(w, parse.Module);
        Objects(w, K.Errors, parse.Errors, ErrorMembers);
        w.EndObject();
    }

    private static void Import(CanonicalWriter w, ImportInfo i)
    {
        w.BeginObject(flat: Empty(i.Names));
        w.Member(K.Module, i.Module);
        w.Member(K.Kind, i.Kind);
        Objects(w, K.Names, i.Names, static (w, name) =>
        {
            w.FlatMember(K.Name, name.Name);
            w.FlatMember(K.Alias, name.Alias);
        });
        w.Member(K.Alias, i.Alias);
        w.Member(K.Level, i.Level);
        w.Member(K.Line, i.Line);
        w.Member(K.Resolved, i.Resolved);
        w.EndObject();
    }

    private static void Definitions(CanonicalWriter w, byte[] key, ImmutableArray<Definition> definitions)
    {
        if (Empty(definitions))
        {
            return;
        }
        w.Key(key);
        w.BeginArray(flat: false);
        foreach (var d in definitions)
        {
            w.Item();
            Definition(w, d);
        }
        w.EndArray();
    }

    /// <summary>One definition (with its children).</summary>
    public static void Definition(CanonicalWriter w, Definition d)
    {
        bool flat = Empty(d.TypeParameters) && Empty(d.Parameters) && Empty(d.Decorators) && Empty(d.Bases)
            && Empty(d.Modifiers) && Empty(d.Calls) && Empty(d.CalledBy) && Empty(d.Children);
        w.BeginObject(flat);
        w.Member(K.Id, d.Id);
        w.Member(K.Kind, d.Kind);
        w.Member(K.Name, d.Name);
        w.Member(K.QualifiedName, d.QualifiedName);
        w.Member(K.StartLine, d.StartLine);
        w.Member(K.EndLine, d.EndLine);
        Strings(w, K.TypeParameters, d.TypeParameters);
        Objects(w, K.Parameters, d.Parameters, static (w, p) =>
        {
            w.FlatMember(K.Name, p.Name);
            w.FlatMember(K.Kind, p.Kind);
            w.FlatMember(K.Type, p.Type);
            w.FlatMember(K.Default, p.Default);
        });
        w.Member(K.ReturnType, d.ReturnType);
        Strings(w, K.Decorators, d.Decorators);
        Strings(w, K.Bases, d.Bases);
        w.Member(K.Docstring, d.Docstring);
        w.Member(K.Visibility, d.Visibility);
        w.TrueMember(K.Async, d.Async);
        w.TrueMember(K.Static, d.Static);
        Strings(w, K.Modifiers, d.Modifiers);
        Objects(w, K.Calls, d.Calls, static (w, c) =>
        {
            w.FlatMember(K.Callee, c.Callee);
            w.FlatMember(K.Line, c.Line);
            w.FlatMember(K.Count, c.Count);
            w.FlatMember(K.Target, c.Target);
        });
        Strings(w, K.CalledBy, d.CalledBy);
        Definitions(w, K.Children, d.Children);
        w.EndObject();
    }

    /// <summary>The value of a document property other than <c>modules</c>, or false when the property is left out.</summary>
    public static bool DocumentProperty(CanonicalWriter w, StructDocument document, DocumentPart part)
    {
        switch (part)
        {
            case DocumentPart.Version:
                if (document.Version is null)
                {
                    return false;
                }
                w.String(document.Version);
                return true;
            case DocumentPart.Project:
                if (document.Project is not { } project)
                {
                    return false;
                }
                w.BeginFlatObject();
                w.FlatMember(K.Name, project.Name);
                w.FlatMember(K.Summary, project.Summary);
                w.EndFlatObject();
                return true;
            case DocumentPart.Context:
                if (document.Context is not { } context)
                {
                    return false;
                }
                w.BeginObject(flat: Empty(context.Files));
                w.Member(K.Summary, context.Summary);
                Objects(w, K.Files, context.Files, static (w, f) =>
                {
                    w.FlatMember(K.Path, f.Path);
                    w.FlatMember(K.Reason, f.Reason);
                });
                w.EndObject();
                return true;
            case DocumentPart.Instructions:
                if (document.Instructions is not { } instructions)
                {
                    return false;
                }
                w.BeginObject(flat: Empty(instructions.Base) && Empty(instructions.Custom));
                Strings(w, K.Base, instructions.Base);
                Strings(w, K.Custom, instructions.Custom);
                w.EndObject();
                return true;
            case DocumentPart.Stats:
                if (document.Stats is not { } stats)
                {
                    return false;
                }
                w.BeginObject(flat: Empty(stats.Languages));
                w.Member(K.Modules, stats.Modules);
                w.Member(K.Definitions, stats.Definitions);
                w.Member(K.Lines, stats.Lines);
                w.Member(K.Errors, stats.Errors);
                w.Member(K.Skipped, stats.Skipped);
                w.Member(K.Imports, stats.Imports);
                w.Member(K.ImportsResolved, stats.ImportsResolved);
                w.Member(K.CallEdgesResolved, stats.CallEdgesResolved);
                w.Member(K.CallEdgesUnresolved, stats.CallEdgesUnresolved);
                w.Member(K.Redactions, stats.Redactions);
                Objects(w, K.Languages, stats.Languages, static (w, l) =>
                {
                    w.FlatMember(K.Language, l.Language);
                    w.FlatMember(K.Modules, l.Modules);
                    w.FlatMember(K.Definitions, l.Definitions);
                    w.FlatMember(K.Lines, l.Lines);
                });
                w.EndObject();
                return true;
            case DocumentPart.Errors:
                return TopArray(w, document.Errors, ErrorMembers);
            case DocumentPart.Skipped:
                return TopArray(w, document.Skipped, static (w, s) =>
                {
                    w.FlatMember(K.Path, s.Path);
                    w.FlatMember(K.Reason, s.Reason);
                });
            case DocumentPart.Tasks:
                if (Empty(document.Tasks))
                {
                    return false;
                }
                w.BeginArray(flat: false);
                foreach (var t in document.Tasks)
                {
                    w.Item();
                    w.BeginObject(flat: Empty(t.Labels) && Empty(t.Assignees) && Empty(t.DependsOn) && Empty(t.Files) && Empty(t.Symbols)
                        && Empty(t.Unresolved) && t.Github is null && t.Gitlab is null);
                    w.Member(K.Id, t.Id);
                    w.Member(K.Title, t.Title);
                    w.Member(K.Status, t.Status);
                    w.Member(K.Description, t.Description);
                    Strings(w, K.Labels, t.Labels);
                    w.Member(K.Priority, t.Priority);
                    Strings(w, K.Assignees, t.Assignees);
                    w.Member(K.Milestone, t.Milestone);
                    Strings(w, K.DependsOn, t.DependsOn);
                    Strings(w, K.Files, t.Files);
                    Strings(w, K.Symbols, t.Symbols);
                    Strings(w, K.Unresolved, t.Unresolved);
                    if (t.Github is { } github)
                    {
                        w.Key(K.Github);
                        w.BeginObject(flat: true);
                        w.Member(K.Number, github.Number);
                        w.Member(K.Url, github.Url);
                        w.EndObject();
                    }
                    if (t.Gitlab is { } gitlab)
                    {
                        w.Key(K.Gitlab);
                        w.BeginObject(flat: true);
                        w.Member(K.Iid, gitlab.Iid);
                        w.Member(K.Url, gitlab.Url);
                        w.EndObject();
                    }
                    w.EndObject();
                }
                w.EndArray();
                return true;
            case DocumentPart.Metrics:
                if (document.Metrics is not { } metrics)
                {
                    return false;
                }
                w.BeginObject(flat: Empty(metrics.Llm));
                Objects(w, K.Llm, metrics.Llm, static (w, u) =>
                {
                    w.FlatMember(K.Provider, u.Provider);
                    w.FlatMember(K.Model, u.Model);
                    w.FlatMember(K.Calls, u.Calls);
                    w.FlatMember(K.Failures, u.Failures);
                    w.FlatMember(K.PromptTokens, u.PromptTokens);
                    w.FlatMember(K.CompletionTokens, u.CompletionTokens);
                    w.FlatMember(K.LatencyMs, u.LatencyMs);
                    w.FlatMember(K.MaxLatencyMs, u.MaxLatencyMs);
                    w.FlatMember(K.StreamedCalls, u.StreamedCalls);
                    w.FlatMember(K.FirstTokenMs, u.FirstTokenMs);
                    w.FlatMember(K.CpuMs, u.CpuMs);
                    w.FlatMember(K.PeakRamBytes, u.PeakRamBytes);
                    if (u.PeakVramBytes is { } vram)
                    {
                        w.FlatMember(K.PeakVramBytes, vram);
                    }
                });
                w.EndObject();
                return true;
            default:
                throw new ArgumentOutOfRangeException(nameof(part));
        }
    }

    private static bool TopArray<T>(CanonicalWriter w, ImmutableArray<T> items, Action<CanonicalWriter, T> members)
    {
        if (Empty(items))
        {
            return false;
        }
        w.BeginArray(flat: false);
        foreach (var item in items)
        {
            w.Item();
            w.BeginFlatObject();
            members(w, item);
            w.EndFlatObject();
        }
        w.EndArray();
        return true;
    }

    // An array of scalar-only objects (each one line).
    private static void Objects<T>(CanonicalWriter w, byte[] key, ImmutableArray<T> items, Action<CanonicalWriter, T> members)
    {
        if (Empty(items))
        {
            return;
        }
        w.Key(key);
        TopArray(w, items, members);
    }

    private static void Strings(CanonicalWriter w, byte[] key, ImmutableArray<string> items)
    {
        if (Empty(items))
        {
            return;
        }
        w.Key(key);
        w.BeginArray(flat: true);
        foreach (var item in items)
        {
            w.Item();
            if (item is null)
            {
                w.Raw("null"u8);
            }
            else
            {
                w.String(item);
            }
        }
        w.EndArray();
    }

    private static bool Empty<T>(ImmutableArray<T> items) => items.IsDefaultOrEmpty;

    /// <summary>The document's properties in declaration order (modules are written apart).</summary>
    public static readonly (DocumentPart Part, byte[] Head)[] DocumentParts =
    [
        (DocumentPart.Version, "\"version\": "u8.ToArray()),
        (DocumentPart.Project, "\"project\": "u8.ToArray()),
        (DocumentPart.Context, "\"context\": "u8.ToArray()),
        (DocumentPart.Instructions, "\"instructions\": "u8.ToArray()),
        (DocumentPart.Stats, "\"stats\": "u8.ToArray()),
        (DocumentPart.Modules, "\"modules\": "u8.ToArray()),
        (DocumentPart.Errors, "\"errors\": "u8.ToArray()),
        (DocumentPart.Skipped, "\"skipped\": "u8.ToArray()),
        (DocumentPart.Tasks, "\"tasks\": "u8.ToArray()),
        (DocumentPart.Metrics, "\"metrics\": "u8.ToArray()),
    ];

    /// <summary>The property keys, as written (<c>"name": </c>).</summary>
    private static class K
    {
        public static readonly byte[] Path = CanonicalWriter.KeyOf("path");
        public static readonly byte[] Language = CanonicalWriter.KeyOf("language");
        public static readonly byte[] Sha256 = CanonicalWriter.KeyOf("sha256");
        public static readonly byte[] Lines = CanonicalWriter.KeyOf("lines");
        public static readonly byte[] Docstring = CanonicalWriter.KeyOf("docstring");
        public static readonly byte[] Imports = CanonicalWriter.KeyOf("imports");
        public static readonly byte[] Exports = CanonicalWriter.KeyOf("exports");
        public static readonly byte[] Variables = CanonicalWriter.KeyOf("variables");
        public static readonly byte[] Definitions = CanonicalWriter.KeyOf("definitions");
        public static readonly byte[] Name = CanonicalWriter.KeyOf("name");
        public static readonly byte[] Line = CanonicalWriter.KeyOf("line");
        public static readonly byte[] Type = CanonicalWriter.KeyOf("type");
        public static readonly byte[] Module = CanonicalWriter.KeyOf("module");
        public static readonly byte[] Kind = CanonicalWriter.KeyOf("kind");
        public static readonly byte[] Names = CanonicalWriter.KeyOf("names");
        public static readonly byte[] Alias = CanonicalWriter.KeyOf("alias");
        public static readonly byte[] Level = CanonicalWriter.KeyOf("level");
        public static readonly byte[] Resolved = CanonicalWriter.KeyOf("resolved");
        public static readonly byte[] Id = CanonicalWriter.KeyOf("id");
        public static readonly byte[] QualifiedName = CanonicalWriter.KeyOf("qualified_name");
        public static readonly byte[] StartLine = CanonicalWriter.KeyOf("start_line");
        public static readonly byte[] EndLine = CanonicalWriter.KeyOf("end_line");
        public static readonly byte[] TypeParameters = CanonicalWriter.KeyOf("type_parameters");
        public static readonly byte[] Parameters = CanonicalWriter.KeyOf("parameters");
        public static readonly byte[] Default = CanonicalWriter.KeyOf("default");
        public static readonly byte[] ReturnType = CanonicalWriter.KeyOf("return_type");
        public static readonly byte[] Decorators = CanonicalWriter.KeyOf("decorators");
        public static readonly byte[] Bases = CanonicalWriter.KeyOf("bases");
        public static readonly byte[] Visibility = CanonicalWriter.KeyOf("visibility");
        public static readonly byte[] Async = CanonicalWriter.KeyOf("async");
        public static readonly byte[] Static = CanonicalWriter.KeyOf("static");
        public static readonly byte[] Modifiers = CanonicalWriter.KeyOf("modifiers");
        public static readonly byte[] Calls = CanonicalWriter.KeyOf("calls");
        public static readonly byte[] Callee = CanonicalWriter.KeyOf("callee");
        public static readonly byte[] Count = CanonicalWriter.KeyOf("count");
        public static readonly byte[] Target = CanonicalWriter.KeyOf("target");
        public static readonly byte[] CalledBy = CanonicalWriter.KeyOf("called_by");
        public static readonly byte[] Children = CanonicalWriter.KeyOf("children");
        public static readonly byte[] Summary = CanonicalWriter.KeyOf("summary");
        public static readonly byte[] Files = CanonicalWriter.KeyOf("files");
        public static readonly byte[] Reason = CanonicalWriter.KeyOf("reason");
        public static readonly byte[] Base = CanonicalWriter.KeyOf("base");
        public static readonly byte[] Custom = CanonicalWriter.KeyOf("custom");
        public static readonly byte[] Modules = CanonicalWriter.KeyOf("modules");
        public static readonly byte[] Errors = CanonicalWriter.KeyOf("errors");
        public static readonly byte[] Skipped = CanonicalWriter.KeyOf("skipped");
        public static readonly byte[] ImportsResolved = CanonicalWriter.KeyOf("imports_resolved");
        public static readonly byte[] CallEdgesResolved = CanonicalWriter.KeyOf("call_edges_resolved");
        public static readonly byte[] CallEdgesUnresolved = CanonicalWriter.KeyOf("call_edges_unresolved");
        public static readonly byte[] Redactions = CanonicalWriter.KeyOf("redactions");
        public static readonly byte[] Languages = CanonicalWriter.KeyOf("languages");
        public static readonly byte[] File = CanonicalWriter.KeyOf("file");
        public static readonly byte[] Column = CanonicalWriter.KeyOf("column");
        public static readonly byte[] Title = CanonicalWriter.KeyOf("title");
        public static readonly byte[] Status = CanonicalWriter.KeyOf("status");
        public static readonly byte[] Description = CanonicalWriter.KeyOf("description");
        public static readonly byte[] Labels = CanonicalWriter.KeyOf("labels");
        public static readonly byte[] Priority = CanonicalWriter.KeyOf("priority");
        public static readonly byte[] Assignees = CanonicalWriter.KeyOf("assignees");
        public static readonly byte[] Milestone = CanonicalWriter.KeyOf("milestone");
        public static readonly byte[] DependsOn = CanonicalWriter.KeyOf("depends_on");
        public static readonly byte[] Symbols = CanonicalWriter.KeyOf("symbols");
        public static readonly byte[] Unresolved = CanonicalWriter.KeyOf("unresolved");
        public static readonly byte[] Github = CanonicalWriter.KeyOf("github");
        public static readonly byte[] Gitlab = CanonicalWriter.KeyOf("gitlab");
        public static readonly byte[] Number = CanonicalWriter.KeyOf("number");
        public static readonly byte[] Iid = CanonicalWriter.KeyOf("iid");
        public static readonly byte[] Url = CanonicalWriter.KeyOf("url");
        public static readonly byte[] Llm = CanonicalWriter.KeyOf("llm");
        public static readonly byte[] Provider = CanonicalWriter.KeyOf("provider");
        public static readonly byte[] Model = CanonicalWriter.KeyOf("model");
        public static readonly byte[] Failures = CanonicalWriter.KeyOf("failures");
        public static readonly byte[] PromptTokens = CanonicalWriter.KeyOf("prompt_tokens");
        public static readonly byte[] CompletionTokens = CanonicalWriter.KeyOf("completion_tokens");
        public static readonly byte[] LatencyMs = CanonicalWriter.KeyOf("latency_ms");
        public static readonly byte[] MaxLatencyMs = CanonicalWriter.KeyOf("max_latency_ms");
        public static readonly byte[] StreamedCalls = CanonicalWriter.KeyOf("streamed_calls");
        public static readonly byte[] FirstTokenMs = CanonicalWriter.KeyOf("first_token_ms");
        public static readonly byte[] CpuMs = CanonicalWriter.KeyOf("cpu_ms");
        public static readonly byte[] PeakRamBytes = CanonicalWriter.KeyOf("peak_ram_bytes");
        public static readonly byte[] PeakVramBytes = CanonicalWriter.KeyOf("peak_vram_bytes");
    }
}

/// <summary>The top-level properties of struct.json, in order.</summary>
internal enum DocumentPart
{
    Version, Project, Context, Instructions, Stats, Modules, Errors, Skipped, Tasks, Metrics,
}
