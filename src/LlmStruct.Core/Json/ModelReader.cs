using System.Collections.Immutable;
using System.Text.Json;
using LlmStruct.Caching;
using LlmStruct.Model;

namespace LlmStruct.Json;

/// <summary>
/// Reads the model's records from struct.json (or the compact form the cache stores) with a <see cref="Utf8JsonReader"/>,
/// the counterpart of <see cref="ModelWriter"/>: snake_case names, any whitespace, a property left out keeps the
/// record's default (empty arrays, <c>false</c>, nulls). Unknown properties, values of the wrong type and malformed JSON
/// are <see cref="JsonException"/>s. No reflection, so it costs the same under Native AOT, and reading a module does
/// not go through a serializer's metadata for every property.
/// </summary>
internal static class ModelReader
{
    private static JsonReaderOptions Options => new() { MaxDepth = CanonicalWriter.MaxDepth };

    /// <summary>Reads a whole document (or the header the cache keeps: a document without modules).</summary>
    public static StructDocument Document(ReadOnlySpan<byte> utf8Json) => Whole(utf8Json, static (ref Utf8JsonReader r) => Document(ref r), "struct.json");

    /// <summary>Reads one module.</summary>
    public static ModuleInfo Module(ReadOnlySpan<byte> utf8Json) => Whole(utf8Json, static (ref Utf8JsonReader r) => Module(ref r), "module");

    /// <summary>Reads a cached parse result.</summary>
    public static CachedParse CachedParse(ReadOnlySpan<byte> utf8Json) => Whole(utf8Json, static (ref Utf8JsonReader r) =>
    {
        var module = new ModuleInfo();
        ImmutableArray<ParseError> errors = [];
        Begin(ref r, nameof(Caching.CachedParse));
        while (Property(ref r, out var name))
        {
            if (name.SequenceEqual("module"u8))
            {
                module = Module(ref r);
            }
            else if (name.SequenceEqual("errors"u8))
            {
                errors = Array(ref r, static (ref Utf8JsonReader r) => Error(ref r));
            }
            else
            {
                Unknown(name, nameof(Caching.CachedParse));
            }
        }
        return new CachedParse { Module = module, Errors = errors };
    }, "cached parse");

    private delegate T ReadValue<T>(ref Utf8JsonReader reader);

    // Called with the reader on a property's value; false when the type has no such property.
    private static T Whole<T>(ReadOnlySpan<byte> utf8Json, ReadValue<T> read, string what)
    {
        var reader = new Utf8JsonReader(utf8Json, Options);
        try
        {
            if (!reader.Read())
            {
                throw new JsonException($"{what} is empty.");
            }
            if (reader.TokenType == JsonTokenType.Null)
            {
                throw new JsonException($"{what} is 'null'.");
            }
            var value = read(ref reader);
            if (reader.Read())
            {
                throw new JsonException($"{what}: unexpected data after the end of the value (byte {reader.TokenStartIndex}).");
            }
            return value;
        }
        catch (JsonException ex) when (ex.GetType() != typeof(JsonException))
        {
            // The reader's own subclass for malformed text: surfaced as the plain type callers catch.
            throw new JsonException(ex.Message, ex);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException)
        {
            // A token of the wrong type for the value read (a string where a number belongs, …), or a number out of range.
            throw new JsonException($"{what}: {ex.Message} (byte {reader.TokenStartIndex}).", ex);
        }
    }

    /// <summary>Checks that the reader is on the start of an object of <paramref name="type"/>.</summary>
    private static void Begin(ref Utf8JsonReader r, string type) => Expect(ref r, JsonTokenType.StartObject, type);

    /// <summary>
    /// Moves to the object's next property and then onto its value, giving the property's name (the text of the input,
    /// unescaped only when it has escapes); false at the end of the object.
    /// </summary>
    private static bool Property(ref Utf8JsonReader r, out ReadOnlySpan<byte> name)
    {
        Next(ref r);
        if (r.TokenType == JsonTokenType.EndObject)
        {
            name = default;
            return false;
        }
        name = r.ValueIsEscaped ? System.Text.Encoding.UTF8.GetBytes(r.GetString()!) : r.ValueSpan;
        Next(ref r);
        return true;
    }

    private static void Unknown(ReadOnlySpan<byte> name, string type) =>
        throw new JsonException($"The JSON property '{System.Text.Encoding.UTF8.GetString(name)}' could not be mapped to any member of '{type}'.");

    private static void Next(ref Utf8JsonReader r)
    {
        if (!r.Read())
        {
            throw new JsonException("unexpected end of the JSON data.");
        }
    }

    private static void Expect(ref Utf8JsonReader r, JsonTokenType token, string type)
    {
        if (r.TokenType != token)
        {
            throw new JsonException($"expected {(token == JsonTokenType.StartObject ? "an object" : "an array")} for '{type}', found {r.TokenType} (byte {r.TokenStartIndex}).");
        }
    }

    private static ImmutableArray<T> Array<T>(ref Utf8JsonReader r, ReadValue<T> item)
    {
        Expect(ref r, JsonTokenType.StartArray, typeof(T).Name);
        Next(ref r);
        if (r.TokenType == JsonTokenType.EndArray)
        {
            return [];
        }
        var items = ImmutableArray.CreateBuilder<T>();
        do
        {
            items.Add(item(ref r));
            Next(ref r);
        }
        while (r.TokenType != JsonTokenType.EndArray);
        return items.DrainToImmutable();
    }

    private static ImmutableArray<string> Strings(ref Utf8JsonReader r) => Array(ref r, static (ref Utf8JsonReader r) => Text(ref r));

    // A string value; JSON null gives null (as System.Text.Json gives it for a string property).
    private static string Text(ref Utf8JsonReader r) => r.TokenType == JsonTokenType.Null ? null! : r.GetString()!;

    private static string? OptionalText(ref Utf8JsonReader r) => r.TokenType == JsonTokenType.Null ? null : r.GetString();

    // The texts most documents repeat thousands of times (kinds, languages) as one shared instance each.
    private static string Known(ref Utf8JsonReader r, ImmutableArray<string> known)
    {
        if (r.TokenType == JsonTokenType.String && !r.ValueIsEscaped)
        {
            foreach (var text in known)
            {
                if (r.ValueTextEquals(text))
                {
                    return text;
                }
            }
        }
        return Text(ref r);
    }

    private static readonly ImmutableArray<string> Languages = ["python", "javascript", "typescript", "csharp"];
    private static readonly ImmutableArray<string> ImportKinds = ["import", "from", "require", "dynamic", "using", "export"];

    private static bool Flag(ref Utf8JsonReader r) => r.GetBoolean();

    private static StructDocument Document(ref Utf8JsonReader r)
    {
        var d = new StructDocument();
        Begin(ref r, nameof(StructDocument));
        while (Property(ref r, out var name))
        {
            if (name.SequenceEqual("modules"u8))
            {
                d = d with { Modules = Array(ref r, static (ref Utf8JsonReader r) => Module(ref r)) };
            }
            else if (name.SequenceEqual("version"u8))
            {
                d = d with { Version = Text(ref r) };
            }
            else if (name.SequenceEqual("project"u8))
            {
                d = d with { Project = Project(ref r) };
            }
            else if (name.SequenceEqual("context"u8))
            {
                d = d with { Context = Context(ref r) };
            }
            else if (name.SequenceEqual("instructions"u8))
            {
                d = d with { Instructions = Instructions(ref r) };
            }
            else if (name.SequenceEqual("stats"u8))
            {
                d = d with { Stats = Stats(ref r) };
            }
            else if (name.SequenceEqual("errors"u8))
            {
                d = d with { Errors = Array(ref r, static (ref Utf8JsonReader r) => Error(ref r)) };
            }
            else if (name.SequenceEqual("skipped"u8))
            {
                d = d with { Skipped = Array(ref r, static (ref Utf8JsonReader r) => Skipped(ref r)) };
            }
            else if (name.SequenceEqual("tasks"u8))
            {
                d = d with { Tasks = Array(ref r, static (ref Utf8JsonReader r) => Task(ref r)) };
            }
            else if (name.SequenceEqual("metrics"u8))
            {
                d = d with { Metrics = Metrics(ref r) };
            }
            else
            {
                Unknown(name, nameof(StructDocument));
            }
        }
        return d;
    }

    private static ProjectInfo Project(ref Utf8JsonReader r)
    {
        string name = "";
        string? summary = null;
        Begin(ref r, nameof(ProjectInfo));
        while (Property(ref r, out var key))
        {
            if (key.SequenceEqual("name"u8))
            {
                name = Text(ref r);
            }
            else if (key.SequenceEqual("summary"u8))
            {
                summary = OptionalText(ref r);
            }
            else
            {
                Unknown(key, nameof(ProjectInfo));
            }
        }
        return new ProjectInfo { Name = name, Summary = summary };
    }

    private static ContextInfo Context(ref Utf8JsonReader r)
    {
        var context = new ContextInfo();
        Begin(ref r, nameof(ContextInfo));
        while (Property(ref r, out var key))
        {
            if (key.SequenceEqual("summary"u8))
            {
                context = context with { Summary = OptionalText(ref r) };
            }
            else if (key.SequenceEqual("files"u8))
            {
                context = context with
                {
                    Files = Array(ref r, static (ref Utf8JsonReader r) => ContextFile(ref r)),
                };
            }
            else
            {
                Unknown(key, nameof(ContextInfo));
            }
        }
        return context;
    }

    private static InstructionSet Instructions(ref Utf8JsonReader r)
    {
        var set = new InstructionSet();
        Begin(ref r, nameof(InstructionSet));
        while (Property(ref r, out var key))
        {
            if (key.SequenceEqual("base"u8))
            {
                set = set with { Base = Strings(ref r) };
            }
            else if (key.SequenceEqual("custom"u8))
            {
                set = set with { Custom = Strings(ref r) };
            }
            else
            {
                Unknown(key, nameof(InstructionSet));
            }
        }
        return set;
    }

    private static StructStats Stats(ref Utf8JsonReader r)
    {
        var s = new StructStats();
        Begin(ref r, nameof(StructStats));
        while (Property(ref r, out var key))
        {
            if (key.SequenceEqual("modules"u8))
            {
                s = s with { Modules = r.GetInt32() };
            }
            else if (key.SequenceEqual("definitions"u8))
            {
                s = s with { Definitions = r.GetInt32() };
            }
            else if (key.SequenceEqual("lines"u8))
            {
                s = s with { Lines = r.GetInt64() };
            }
            else if (key.SequenceEqual("errors"u8))
            {
                s = s with { Errors = r.GetInt32() };
            }
            else if (key.SequenceEqual("skipped"u8))
            {
                s = s with { Skipped = r.GetInt32() };
            }
            else if (key.SequenceEqual("imports"u8))
            {
                s = s with { Imports = r.GetInt32() };
            }
            else if (key.SequenceEqual("imports_resolved"u8))
            {
                s = s with { ImportsResolved = r.GetInt32() };
            }
            else if (key.SequenceEqual("call_edges_resolved"u8))
            {
                s = s with { CallEdgesResolved = r.GetInt32() };
            }
            else if (key.SequenceEqual("call_edges_unresolved"u8))
            {
                s = s with { CallEdgesUnresolved = r.GetInt32() };
            }
            else if (key.SequenceEqual("languages"u8))
            {
                s = s with
                {
                    Languages = Array(ref r, static (ref Utf8JsonReader r) => LanguageStats(ref r)),
                };
            }
            else
            {
                Unknown(key, nameof(StructStats));
            }
        }
        return s;
    }

    private static ParseError Error(ref Utf8JsonReader r)
    {
        string file = "", reason = "";
        int line = 0, column = 0;
        Begin(ref r, nameof(ParseError));
        while (Property(ref r, out var key))
        {
            if (key.SequenceEqual("file"u8))
            {
                file = Text(ref r);
            }
            else if (key.SequenceEqual("line"u8))
            {
                line = r.GetInt32();
            }
            else if (key.SequenceEqual("column"u8))
            {
                column = r.GetInt32();
            }
            else if (key.SequenceEqual("reason"u8))
            {
                reason = Text(ref r);
            }
            else
            {
                Unknown(key, nameof(ParseError));
            }
        }
        return new ParseError { File = file, Line = line, Column = column, Reason = reason };
    }

    private static SkippedFile Skipped(ref Utf8JsonReader r)
    {
        var (path, reason) = PathAndReason(ref r, nameof(SkippedFile));
        return new SkippedFile { Path = path, Reason = reason };
    }

    // The two records made of a path and a reason (a skipped file, a key file of the context).
    private static (string Path, string Reason) PathAndReason(ref Utf8JsonReader r, string type)
    {
        string path = "", reason = "";
        Begin(ref r, type);
        while (Property(ref r, out var key))
        {
            if (key.SequenceEqual("path"u8))
            {
                path = Text(ref r);
            }
            else if (key.SequenceEqual("reason"u8))
            {
                reason = Text(ref r);
            }
            else
            {
                Unknown(key, type);
            }
        }
        return (path, reason);
    }

    private static TaskItem Task(ref Utf8JsonReader r)
    {
        var t = new TaskItem();
        Begin(ref r, nameof(TaskItem));
        while (Property(ref r, out var key))
        {
            if (key.SequenceEqual("id"u8))
            {
                t = t with { Id = Text(ref r) };
            }
            else if (key.SequenceEqual("title"u8))
            {
                t = t with { Title = Text(ref r) };
            }
            else if (key.SequenceEqual("status"u8))
            {
                t = t with { Status = Text(ref r) };
            }
            else if (key.SequenceEqual("description"u8))
            {
                t = t with { Description = OptionalText(ref r) };
            }
            else if (key.SequenceEqual("labels"u8))
            {
                t = t with { Labels = Strings(ref r) };
            }
            else
            {
                Unknown(key, nameof(TaskItem));
            }
        }
        return t;
    }

    private static MetricsInfo Metrics(ref Utf8JsonReader r)
    {
        var m = new MetricsInfo();
        Begin(ref r, nameof(MetricsInfo));
        while (Property(ref r, out var key))
        {
            if (!key.SequenceEqual("llm"u8))
            {
                Unknown(key, nameof(MetricsInfo));
            }
            m = m with { Llm = Array(ref r, static (ref Utf8JsonReader r) => Usage(ref r)) };
        }
        return m;
    }

    private static LlmUsageSummary Usage(ref Utf8JsonReader r)
    {
        var u = new LlmUsageSummary();
        Begin(ref r, nameof(LlmUsageSummary));
        while (Property(ref r, out var key))
        {
            if (key.SequenceEqual("provider"u8))
            {
                u = u with { Provider = Text(ref r) };
            }
            else if (key.SequenceEqual("model"u8))
            {
                u = u with { Model = Text(ref r) };
            }
            else if (key.SequenceEqual("calls"u8))
            {
                u = u with { Calls = r.GetInt64() };
            }
            else if (key.SequenceEqual("failures"u8))
            {
                u = u with { Failures = r.GetInt64() };
            }
            else if (key.SequenceEqual("prompt_tokens"u8))
            {
                u = u with { PromptTokens = r.GetInt64() };
            }
            else if (key.SequenceEqual("completion_tokens"u8))
            {
                u = u with { CompletionTokens = r.GetInt64() };
            }
            else if (key.SequenceEqual("latency_ms"u8))
            {
                u = u with { LatencyMs = r.GetInt64() };
            }
            else if (key.SequenceEqual("max_latency_ms"u8))
            {
                u = u with { MaxLatencyMs = r.GetInt64() };
            }
            else if (key.SequenceEqual("streamed_calls"u8))
            {
                u = u with { StreamedCalls = r.GetInt64() };
            }
            else if (key.SequenceEqual("first_token_ms"u8))
            {
                u = u with { FirstTokenMs = r.GetInt64() };
            }
            else if (key.SequenceEqual("cpu_ms"u8))
            {
                u = u with { CpuMs = r.GetInt64() };
            }
            else if (key.SequenceEqual("peak_ram_bytes"u8))
            {
                u = u with { PeakRamBytes = r.GetInt64() };
            }
            else if (key.SequenceEqual("peak_vram_bytes"u8))
            {
                u = u with { PeakVramBytes = r.TokenType == JsonTokenType.Null ? null : r.GetInt64() };
            }
            else
            {
                Unknown(key, nameof(LlmUsageSummary));
            }
        }
        return u;
    }

    private static ModuleInfo Module(ref Utf8JsonReader r)
    {
        string path = "", language = "", sha256 = "";
        int lines = 0;
        string? docstring = null;
        ImmutableArray<ImportInfo> imports = [];
        ImmutableArray<string> exports = [];
        ImmutableArray<VariableInfo> variables = [];
        ImmutableArray<Definition> definitions = [];
        Begin(ref r, nameof(ModuleInfo));
        while (Property(ref r, out var key))
        {
            if (key.SequenceEqual("path"u8))
            {
                path = Text(ref r);
            }
            else if (key.SequenceEqual("definitions"u8))
            {
                definitions = Array(ref r, static (ref Utf8JsonReader r) => Definition(ref r));
            }
            else if (key.SequenceEqual("language"u8))
            {
                language = Known(ref r, Languages);
            }
            else if (key.SequenceEqual("sha256"u8))
            {
                sha256 = Text(ref r);
            }
            else if (key.SequenceEqual("lines"u8))
            {
                lines = r.GetInt32();
            }
            else if (key.SequenceEqual("docstring"u8))
            {
                docstring = OptionalText(ref r);
            }
            else if (key.SequenceEqual("imports"u8))
            {
                imports = Array(ref r, static (ref Utf8JsonReader r) => Import(ref r));
            }
            else if (key.SequenceEqual("exports"u8))
            {
                exports = Strings(ref r);
            }
            else if (key.SequenceEqual("variables"u8))
            {
                variables = Array(ref r, static (ref Utf8JsonReader r) => Variable(ref r));
            }
            else
            {
                Unknown(key, nameof(ModuleInfo));
            }
        }
        return new ModuleInfo
        {
            Path = path, Language = language, Sha256 = sha256, Lines = lines, Docstring = docstring,
            Imports = imports, Exports = exports, Variables = variables, Definitions = definitions,
        };
    }

    private static ImportInfo Import(ref Utf8JsonReader r)
    {
        string module = "", kind = "import";
        string? alias = null, resolved = null;
        int level = 0, line = 0;
        ImmutableArray<ImportedName> names = [];
        Begin(ref r, nameof(ImportInfo));
        while (Property(ref r, out var key))
        {
            if (key.SequenceEqual("module"u8))
            {
                module = Text(ref r);
            }
            else if (key.SequenceEqual("kind"u8))
            {
                kind = Known(ref r, ImportKinds);
            }
            else if (key.SequenceEqual("names"u8))
            {
                names = Array(ref r, static (ref Utf8JsonReader r) => ImportedName(ref r));
            }
            else if (key.SequenceEqual("alias"u8))
            {
                alias = OptionalText(ref r);
            }
            else if (key.SequenceEqual("level"u8))
            {
                level = r.GetInt32();
            }
            else if (key.SequenceEqual("line"u8))
            {
                line = r.GetInt32();
            }
            else if (key.SequenceEqual("resolved"u8))
            {
                resolved = OptionalText(ref r);
            }
            else
            {
                Unknown(key, nameof(ImportInfo));
            }
        }
        return new ImportInfo { Module = module, Kind = kind, Names = names, Alias = alias, Level = level, Line = line, Resolved = resolved };
    }

    private static ImportedName ImportedName(ref Utf8JsonReader r)
    {
        string name = "";
        string? alias = null;
        Begin(ref r, nameof(ImportedName));
        while (Property(ref r, out var key))
        {
            if (key.SequenceEqual("name"u8))
            {
                name = Text(ref r);
            }
            else if (key.SequenceEqual("alias"u8))
            {
                alias = OptionalText(ref r);
            }
            else
            {
                Unknown(key, nameof(ImportedName));
            }
        }
        return new ImportedName { Name = name, Alias = alias };
    }

    private static ContextFile ContextFile(ref Utf8JsonReader r)
    {
        var (path, reason) = PathAndReason(ref r, nameof(ContextFile));
        return new ContextFile { Path = path, Reason = reason };
    }

    private static LanguageStats LanguageStats(ref Utf8JsonReader r)
    {
        var l = new LanguageStats();
        Begin(ref r, nameof(LanguageStats));
        while (Property(ref r, out var key))
        {
            if (key.SequenceEqual("language"u8))
            {
                l = l with { Language = Known(ref r, Languages) };
            }
            else if (key.SequenceEqual("modules"u8))
            {
                l = l with { Modules = r.GetInt32() };
            }
            else if (key.SequenceEqual("definitions"u8))
            {
                l = l with { Definitions = r.GetInt32() };
            }
            else if (key.SequenceEqual("lines"u8))
            {
                l = l with { Lines = r.GetInt64() };
            }
            else
            {
                Unknown(key, nameof(LanguageStats));
            }
        }
        return l;
    }

    private static VariableInfo Variable(ref Utf8JsonReader r)
    {
        string name = "";
        int line = 0;
        string? type = null;
        Begin(ref r, nameof(VariableInfo));
        while (Property(ref r, out var key))
        {
            if (key.SequenceEqual("name"u8))
            {
                name = Text(ref r);
            }
            else if (key.SequenceEqual("line"u8))
            {
                line = r.GetInt32();
            }
            else if (key.SequenceEqual("type"u8))
            {
                type = OptionalText(ref r);
            }
            else
            {
                Unknown(key, nameof(VariableInfo));
            }
        }
        return new VariableInfo { Name = name, Line = line, Type = type };
    }

    private static Definition Definition(ref Utf8JsonReader r)
    {
        string id = "", kind = DefinitionKinds.Function, name = "", qualifiedName = "";
        int startLine = 0, endLine = 0;
        string? returnType = null, docstring = null, visibility = null;
        bool isAsync = false, isStatic = false;
        ImmutableArray<string> typeParameters = [], decorators = [], bases = [], modifiers = [], calledBy = [];
        ImmutableArray<ParameterInfo> parameters = [];
        ImmutableArray<CallInfo> calls = [];
        ImmutableArray<Definition> children = [];
        Begin(ref r, nameof(Model.Definition));
        while (Property(ref r, out var key))
        {
            // In the order the writer puts them (the commonest first).
            if (key.SequenceEqual("id"u8))
            {
                id = Text(ref r);
            }
            else if (key.SequenceEqual("kind"u8))
            {
                kind = Known(ref r, DefinitionKinds.All);
            }
            else if (key.SequenceEqual("name"u8))
            {
                name = Text(ref r);
            }
            else if (key.SequenceEqual("qualified_name"u8))
            {
                qualifiedName = Text(ref r);
            }
            else if (key.SequenceEqual("start_line"u8))
            {
                startLine = r.GetInt32();
            }
            else if (key.SequenceEqual("end_line"u8))
            {
                endLine = r.GetInt32();
            }
            else if (key.SequenceEqual("parameters"u8))
            {
                parameters = Array(ref r, static (ref Utf8JsonReader r) => Parameter(ref r));
            }
            else if (key.SequenceEqual("calls"u8))
            {
                calls = Array(ref r, static (ref Utf8JsonReader r) => Call(ref r));
            }
            else if (key.SequenceEqual("called_by"u8))
            {
                calledBy = Strings(ref r);
            }
            else if (key.SequenceEqual("children"u8))
            {
                children = Array(ref r, static (ref Utf8JsonReader r) => Definition(ref r));
            }
            else if (key.SequenceEqual("docstring"u8))
            {
                docstring = OptionalText(ref r);
            }
            else if (key.SequenceEqual("return_type"u8))
            {
                returnType = OptionalText(ref r);
            }
            else if (key.SequenceEqual("decorators"u8))
            {
                decorators = Strings(ref r);
            }
            else if (key.SequenceEqual("bases"u8))
            {
                bases = Strings(ref r);
            }
            else if (key.SequenceEqual("type_parameters"u8))
            {
                typeParameters = Strings(ref r);
            }
            else if (key.SequenceEqual("visibility"u8))
            {
                visibility = OptionalText(ref r);
            }
            else if (key.SequenceEqual("async"u8))
            {
                isAsync = Flag(ref r);
            }
            else if (key.SequenceEqual("static"u8))
            {
                isStatic = Flag(ref r);
            }
            else if (key.SequenceEqual("modifiers"u8))
            {
                modifiers = Strings(ref r);
            }
            else
            {
                Unknown(key, nameof(Model.Definition));
            }
        }
        return new Definition
        {
            Id = id, Kind = kind, Name = name, QualifiedName = qualifiedName, StartLine = startLine, EndLine = endLine,
            TypeParameters = typeParameters, Parameters = parameters, ReturnType = returnType, Decorators = decorators,
            Bases = bases, Docstring = docstring, Visibility = visibility, Async = isAsync, Static = isStatic,
            Modifiers = modifiers, Calls = calls, CalledBy = calledBy, Children = children,
        };
    }

    private static ParameterInfo Parameter(ref Utf8JsonReader r)
    {
        string name = "", kind = ParameterKinds.Regular;
        string? type = null, @default = null;
        Begin(ref r, nameof(ParameterInfo));
        while (Property(ref r, out var key))
        {
            if (key.SequenceEqual("name"u8))
            {
                name = Text(ref r);
            }
            else if (key.SequenceEqual("kind"u8))
            {
                kind = Known(ref r, ParameterKinds.All);
            }
            else if (key.SequenceEqual("type"u8))
            {
                type = OptionalText(ref r);
            }
            else if (key.SequenceEqual("default"u8))
            {
                @default = OptionalText(ref r);
            }
            else
            {
                Unknown(key, nameof(ParameterInfo));
            }
        }
        return new ParameterInfo { Name = name, Kind = kind, Type = type, Default = @default };
    }

    private static CallInfo Call(ref Utf8JsonReader r)
    {
        string callee = "";
        int line = 0, count = 1;
        string? target = null;
        Begin(ref r, nameof(CallInfo));
        while (Property(ref r, out var key))
        {
            if (key.SequenceEqual("callee"u8))
            {
                callee = Text(ref r);
            }
            else if (key.SequenceEqual("line"u8))
            {
                line = r.GetInt32();
            }
            else if (key.SequenceEqual("count"u8))
            {
                count = r.GetInt32();
            }
            else if (key.SequenceEqual("target"u8))
            {
                target = OptionalText(ref r);
            }
            else
            {
                Unknown(key, nameof(CallInfo));
            }
        }
        return new CallInfo { Callee = callee, Line = line, Count = count, Target = target };
    }
}
