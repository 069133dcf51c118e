using System.Collections.Immutable;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LlmStruct.Json;
using LlmStruct.Model;
using LlmStruct.Schema;

namespace LlmStruct.Core.Tests;

/// <summary>
/// <see cref="ModelConstraints"/> (what every struct.json is checked against before it is written) against a full
/// JSON Schema evaluation of the written bytes (<see cref="StructSchema.Validate(ReadOnlyMemory{byte})"/>, what
/// <c>llmstruct validate</c> runs). Random valid documents get one value put into one place the schema constrains —
/// a value that may or may not break the rule there (nulls, empty strings, line breaks, <c>#</c>, <c>..</c>, drive
/// letters, negative numbers, words outside an enum) — and both checks must agree on whether the document is valid
/// and, when it is not, both must name that place. Every rule of the schema that a model can break must have a place
/// in <see cref="Places"/>: <see cref="EveryRuleOfTheSchema_HasAPlaceHere"/> reads the rules from the schema itself,
/// so a rule added to the schema (a new array, a changed pattern) fails the tests until it is checked and tested.
/// The evaluator matches <c>pattern</c>s with .NET regular expressions, where <c>$</c> also matches before a final line
/// feed (so 64 hex digits and a line feed pass <c>^[0-9a-f]{64}$</c>); the checks follow the evaluator, since they
/// read the same patterns.
/// </summary>
public class ModelConstraintsProperties
{
    /// <summary>A place in a document the schema constrains, and how to put a value there.</summary>
    /// <param name="Rule">The schema keyword(s) this place tests, as JSON Pointers into the schema.</param>
    /// <param name="Put">Puts a value into a valid document; returns the document and the value's JSON location.</param>
    /// <param name="Values">Values to try there: some break the rule, some do not.</param>
    /// <param name="Bad">A value that surely breaks it (tried for every place, whatever FsCheck draws).</param>
    public sealed record Place(string[] Rule, Func<StructDocument, object?, (StructDocument Document, string Location)> Put, Gen<object?> Values, object? Bad)
    {
        /// <summary>Shown by xunit and FsCheck.</summary>
        public override string ToString() => string.Join(" ", Rule);
    }

    private const string Defs = "#/$defs/";

    // Strings made to sit on the edges of the schema's patterns and lengths.
    private static readonly string[] Pieces = ["a", "b", "Z", "0", "f", "#", "/", "\\", ".", "..", ":", "C:", "\n", "\r", "\u2028", " ", "é", "x.py"];

    private static Gen<object?> Strings(params string[] extra) =>
        Gen.Frequency(
            (1, Gen.Constant<object?>(null)),
            (1, Gen.Constant<object?>("")),
            (3, Gen.Elements(extra.Length == 0 ? ["ok"] : extra).Select(s => (object?)s)),
            (6, Gen.Choose(1, 5).SelectMany(n => Gen.ArrayOf(Gen.Elements(Pieces), n)).Select(p => (object?)string.Concat(p))),
            (2, Gen.Elements(extra.Length == 0 ? ["ok"] : extra).SelectMany(s => Gen.Elements(Pieces).Select(p => (object?)(s + p)))));

    private static Gen<object?> Numbers => Gen.Choose(-3, 3).Select(n => (object?)n);

    private static string S(object? value) => (string)value!;

    private static int I(object? value) => (int)value!;

    private static readonly string Hex = new('a', 64);

    private static StructDocument Mod(StructDocument d, Func<ModuleInfo, ModuleInfo> change) =>
        d with { Modules = d.Modules.SetItem(d.Modules.Length - 1, change(d.Modules[^1])) };

    private static string ModAt(StructDocument d) => $"/modules/{d.Modules.Length - 1}";

    // The deepest first definition of the last module, and its location.
    private static (StructDocument, string) Def(StructDocument d, Func<Definition, Definition> change)
    {
        string location = ModAt(d) + "/definitions/0";
        Definition Walk(Definition definition, ref string at)
        {
            if (definition.Children.IsDefaultOrEmpty)
            {
                return change(definition);
            }
            at += "/children/0";
            return definition with { Children = definition.Children.SetItem(0, Walk(definition.Children[0], ref at)) };
        }
        var module = d.Modules[^1];
        var changed = Walk(module.Definitions[0], ref location);
        return (Mod(d, m => m with { Definitions = m.Definitions.SetItem(0, changed) }), location);
    }

    private static (StructDocument, string) Doc(StructDocument d, string at) => (d, at);

    private static (StructDocument, string) InModule(StructDocument d, string member, Func<ModuleInfo, ModuleInfo> change) =>
        (Mod(d, change), ModAt(d) + member);

    /// <summary>Every place a model can break a rule of the schema.</summary>
    public static IReadOnlyList<Place> Places { get; } =
    [
        new([ "#/properties/version/const", "#/required/version" ], (d, v) => Doc(d with { Version = S(v) }, "/version"), Strings("1", "2", "v1"), "2"),
        new([ "#/required/project" ], (d, v) => Doc(d with { Project = null! }, "/project"), Gen.Constant<object?>(null), null),
        new([ "#/required/context" ], (d, v) => Doc(d with { Context = null! }, "/context"), Gen.Constant<object?>(null), null),
        new([ "#/required/instructions" ], (d, v) => Doc(d with { Instructions = null! }, "/instructions"), Gen.Constant<object?>(null), null),
        new([ "#/required/stats" ], (d, v) => Doc(d with { Stats = null! }, "/stats"), Gen.Constant<object?>(null), null),
        new([ "#/required/metrics" ], (d, v) => Doc(d with { Metrics = null! }, "/metrics"), Gen.Constant<object?>(null), null),
        new([ "#/properties/project/required/name" ], (d, v) => Doc(d with { Project = d.Project with { Name = S(v) } }, "/project/name"), Strings("p"), null),
        new([ "#/properties/context/properties/files/items/required/path", Defs + "relativePath/pattern" ],
            (d, v) => Doc(d with { Context = d.Context with { Files = [new ContextFile { Path = S(v), Reason = "r" }] } }, "/context/files/0/path"), Strings("a.py", "a/b.py"), "/abs"),
        new([ "#/properties/context/properties/files/items/required/reason", "#/properties/context/properties/files/items/properties/reason/minLength" ],
            (d, v) => Doc(d with { Context = d.Context with { Files = [new ContextFile { Path = "a", Reason = S(v) }] } }, "/context/files/0/reason"), Strings("entry_point"), ""),
        new([ "#/$defs/stringList/items/type" ], (d, v) => Doc(d with { Instructions = new InstructionSet { Base = ["x", S(v)] } }, "/instructions/base"), Strings("rule"), null),
        new([ "#/$defs/stringList/items/type" ], (d, v) => Doc(d with { Instructions = new InstructionSet { Custom = [S(v)] } }, "/instructions/custom"), Strings("rule"), null),
        .. StatsPlaces(),
        new([ "#/properties/stats/properties/languages/items/required/language", "#/properties/stats/properties/languages/items/properties/language/minLength" ],
            (d, v) => Doc(d with { Stats = d.Stats with { Languages = [new LanguageStats { Language = S(v) }] } }, "/stats/languages/0/language"), Strings("python"), ""),
        .. new[] { "modules", "definitions", "lines" }.Select(name => new Place(
            [ $"#/properties/stats/properties/languages/items/properties/{name}/minimum" ],
            (d, v) => Doc(d with { Stats = d.Stats with { Languages = [name switch
            {
                "modules" => new LanguageStats { Language = "python", Modules = I(v) },
                "definitions" => new LanguageStats { Language = "python", Definitions = I(v) },
                _ => new LanguageStats { Language = "python", Lines = I(v) },
            }] } }, $"/stats/languages/0/{name}"), Numbers, -1)),
        // Modules.
        new([ Defs + "module/required/path", Defs + "relativePath/pattern" ], (d, v) => InModule(d, "/path", m => m with { Path = S(v) }), Strings("m.py", "a/b/c.py", "a..b/c"), "a/../../b"),
        new([ Defs + "module/required/language", Defs + "module/properties/language/minLength" ], (d, v) => InModule(d, "/language", m => m with { Language = S(v) }), Strings("python"), ""),
        new([ Defs + "module/required/sha256", Defs + "module/properties/sha256/pattern" ], (d, v) => InModule(d, "/sha256", m => m with { Sha256 = S(v) }),
            Strings(Hex, Hex[..63], Hex.ToUpperInvariant(), Hex[..63] + "g", Hex + "\n"), Hex[..63] + "G"),
        new([ Defs + "module/properties/lines/minimum" ], (d, v) => InModule(d, "/lines", m => m with { Lines = I(v) }), Numbers, -1),
        new([ "#/$defs/stringList/items/type" ], (d, v) => InModule(d, "/exports", m => m with { Exports = ["a", S(v)] }), Strings("x"), null),
        new([ Defs + "import/required/module" ], (d, v) => InModule(d, "/imports/0/module", m => m with { Imports = m.Imports.SetItem(0, m.Imports[0] with { Module = S(v) }) }), Strings("os", ""), null),
        new([ Defs + "import/required/kind", Defs + "import/properties/kind/enum" ], (d, v) => InModule(d, "/imports/0/kind", m => m with { Imports = m.Imports.SetItem(0, m.Imports[0] with { Kind = S(v) }) }),
            Strings("import", "from", "require", "dynamic", "reexport", "using", "using_static", "using_alias", "Import", "include"), "include"),
        new([ Defs + "import/properties/level/minimum" ], (d, v) => InModule(d, "/imports/0/level", m => m with { Imports = m.Imports.SetItem(0, m.Imports[0] with { Level = I(v) }) }), Numbers, -1),
        new([ Defs + "line/minimum" ], (d, v) => InModule(d, "/imports/0/line", m => m with { Imports = m.Imports.SetItem(0, m.Imports[0] with { Line = I(v) }) }), Numbers, 0),
        new([ Defs + "import/properties/names/items/required/name", Defs + "import/properties/names/items/properties/name/minLength" ],
            (d, v) => InModule(d, "/imports/0/names/0/name", m => m with { Imports = m.Imports.SetItem(0, m.Imports[0] with { Names = [new ImportedName { Name = S(v) }] }) }), Strings("*", "default"), ""),
        new([ Defs + "relativePath/pattern" ], (d, v) => InModule(d, "/imports/0/resolved", m => m with { Imports = m.Imports.SetItem(0, m.Imports[0] with { Resolved = S(v) }) }),
            Strings("os.py", "pkg/__init__.py", "C:x.py", "a\\b.py"), "C:/x.py"),
        new([ Defs + "module/properties/variables/items/required/name", Defs + "module/properties/variables/items/properties/name/minLength" ],
            (d, v) => InModule(d, "/variables/0/name", m => m with { Variables = [new VariableInfo { Name = S(v), Line = 1 }] }), Strings("X"), ""),
        new([ Defs + "line/minimum" ], (d, v) => InModule(d, "/variables/0/line", m => m with { Variables = [new VariableInfo { Name = "X", Line = I(v) }] }), Numbers, 0),
        // Definitions (the deepest first one of the last module).
        new([ Defs + "definition/required/id", Defs + "definition/properties/id/pattern" ], (d, v) => Def(d, x => x with { Id = S(v) }),
            Strings("a.py#f", "a#b#c", "#f", "a#", "a\n#b", "a#b\n", "a#\n"), "a.py#"),
        new([ Defs + "definition/required/kind", Defs + "definition/properties/kind/enum" ], (d, v) => Def(d, x => x with { Kind = S(v) }), Strings([.. DefinitionKinds.All, "macro", "Class"]), "macro"),
        new([ Defs + "definition/required/name", Defs + "definition/properties/name/minLength" ], (d, v) => Def(d, x => x with { Name = S(v) }), Strings("f"), ""),
        new([ Defs + "definition/required/qualified_name", Defs + "definition/properties/qualified_name/minLength" ], (d, v) => Def(d, x => x with { QualifiedName = S(v) }), Strings("C.f"), ""),
        new([ Defs + "line/minimum" ], (d, v) => Def(d, x => x with { StartLine = I(v) }), Numbers, 0),
        new([ Defs + "line/minimum" ], (d, v) => Def(d, x => x with { EndLine = I(v) }), Numbers, 0),
        new([ Defs + "definition/properties/parameters/items/required/name", Defs + "definition/properties/parameters/items/properties/name/minLength" ],
            (d, v) => Def(d, x => x with { Parameters = [new ParameterInfo { Name = S(v) }] }), Strings("self", "{ a, b }"), ""),
        new([ Defs + "definition/properties/parameters/items/required/kind", Defs + "definition/properties/parameters/items/properties/kind/enum" ],
            (d, v) => Def(d, x => x with { Parameters = [new ParameterInfo { Name = "p", Kind = S(v) }] }), Strings([.. ParameterKinds.All, "optional"]), "optional"),
        new([ Defs + "definition/properties/visibility/enum" ], (d, v) => Def(d, x => x with { Visibility = (string?)v }),
            Strings("public", "private", "protected", "internal", "protected_internal", "private_protected", "friend", "Public"), "friend"),
        new([ Defs + "definition/properties/calls/items/required/callee", Defs + "definition/properties/calls/items/properties/callee/minLength" ],
            (d, v) => Def(d, x => x with { Calls = [new CallInfo { Callee = S(v), Line = 1 }] }), Strings("f", "a.b"), ""),
        new([ Defs + "line/minimum" ], (d, v) => Def(d, x => x with { Calls = [new CallInfo { Callee = "f", Line = I(v) }] }), Numbers, 0),
        new([ Defs + "definition/properties/calls/items/properties/count/minimum" ], (d, v) => Def(d, x => x with { Calls = [new CallInfo { Callee = "f", Line = 1, Count = I(v) }] }), Numbers, 0),
        .. new (string Member, Func<Definition, string?, Definition> Set)[]
        {
            ("/type_parameters", (x, s) => x with { TypeParameters = [s!] }), ("/decorators", (x, s) => x with { Decorators = [s!] }),
            ("/bases", (x, s) => x with { Bases = [s!] }), ("/modifiers", (x, s) => x with { Modifiers = [s!] }), ("/called_by", (x, s) => x with { CalledBy = [s!] }),
        }.Select(list => new Place([ "#/$defs/stringList/items/type" ], (d, v) =>
        {
            var (document, at) = Def(d, x => list.Set(x, (string?)v));
            return (document, at + list.Member);
        }, Strings("x"), null)),
        // Errors, skipped, tasks, metrics.
        new([ Defs + "error/required/file", Defs + "relativePath/pattern" ], (d, v) => Doc(d with { Errors = [new ParseError { File = S(v), Reason = "r" }] }, "/errors/0/file"), Strings("a.py", ".", "\\x"), "../x"),
        new([ Defs + "error/properties/line/minimum" ], (d, v) => Doc(d with { Errors = [new ParseError { File = "a", Line = I(v), Reason = "r" }] }, "/errors/0/line"), Numbers, -1),
        new([ Defs + "error/properties/column/minimum" ], (d, v) => Doc(d with { Errors = [new ParseError { File = "a", Column = I(v), Reason = "r" }] }, "/errors/0/column"), Numbers, -1),
        new([ Defs + "error/required/reason", Defs + "error/properties/reason/minLength" ], (d, v) => Doc(d with { Errors = [new ParseError { File = "a", Reason = S(v) }] }, "/errors/0/reason"), Strings("bad"), ""),
        new([ "#/properties/skipped/items/required/path", Defs + "relativePath/pattern" ], (d, v) => Doc(d with { Skipped = [new SkippedFile { Path = S(v), Reason = "r" }] }, "/skipped/0/path"), Strings("b.bin"), ""),
        new([ "#/properties/skipped/items/required/reason", "#/properties/skipped/items/properties/reason/minLength" ],
            (d, v) => Doc(d with { Skipped = [new SkippedFile { Path = "b", Reason = S(v) }] }, "/skipped/0/reason"), Strings("binary file"), ""),
        new([ "#/properties/tasks/items/required/id", "#/properties/tasks/items/properties/id/minLength" ], (d, v) => Doc(d with { Tasks = [new TaskItem { Id = S(v), Title = "t" }] }, "/tasks/0/id"), Strings("1"), ""),
        new([ "#/properties/tasks/items/required/title" ], (d, v) => Doc(d with { Tasks = [new TaskItem { Id = "1", Title = S(v) }] }, "/tasks/0/title"), Strings("t", ""), null),
        new([ "#/properties/tasks/items/required/status", "#/properties/tasks/items/properties/status/minLength" ],
            (d, v) => Doc(d with { Tasks = [new TaskItem { Id = "1", Title = "t", Status = S(v) }] }, "/tasks/0/status"), Strings("open"), ""),
        new([ "#/$defs/stringList/items/type" ], (d, v) => Doc(d with { Tasks = [new TaskItem { Id = "1", Title = "t", Labels = [S(v)] }] }, "/tasks/0/labels"), Strings("bug"), null),
        new([ "#/properties/metrics/properties/llm/items/required/provider" ], (d, v) => Doc(d with { Metrics = new MetricsInfo { Llm = [new LlmUsageSummary { Provider = S(v), Model = "m" }] } }, "/metrics/llm/0/provider"), Strings("p", ""), null),
        new([ "#/properties/metrics/properties/llm/items/required/model" ], (d, v) => Doc(d with { Metrics = new MetricsInfo { Llm = [new LlmUsageSummary { Provider = "p", Model = S(v) }] } }, "/metrics/llm/0/model"), Strings("m", ""), null),
        new([ "#/properties/tasks/items/properties/github/properties/number/minimum" ],
            (d, v) => Doc(d with { Tasks = [new TaskItem { Id = "TSK-1", Title = "t", Status = "open", Github = new TaskGitHubLink { Number = I(v) } }] }, "/tasks/0/github/number"), Numbers, 0),
        new([ "#/properties/tasks/items/properties/gitlab/properties/iid/minimum" ],
            (d, v) => Doc(d with { Tasks = [new TaskItem { Id = "TSK-1", Title = "t", Status = "open", Gitlab = new TaskGitLabLink { Iid = I(v) } }] }, "/tasks/0/gitlab/iid"), Numbers, 0),
        .. LlmPlaces(),
    ];

    private static IEnumerable<Place> StatsPlaces()
    {
        (string Name, Func<StructStats, int, StructStats> Set)[] members =
        [
            ("modules", (s, n) => s with { Modules = n }), ("definitions", (s, n) => s with { Definitions = n }), ("lines", (s, n) => s with { Lines = n }),
            ("errors", (s, n) => s with { Errors = n }), ("skipped", (s, n) => s with { Skipped = n }), ("imports", (s, n) => s with { Imports = n }),
            ("imports_resolved", (s, n) => s with { ImportsResolved = n }), ("call_edges_resolved", (s, n) => s with { CallEdgesResolved = n }),
            ("call_edges_unresolved", (s, n) => s with { CallEdgesUnresolved = n }), ("redactions", (s, n) => s with { Redactions = n }),
        ];
        return members.Select(m => new Place([ $"#/properties/stats/properties/{m.Name}/minimum" ], (d, v) => Doc(d with { Stats = m.Set(d.Stats, I(v)) }, $"/stats/{m.Name}"), Numbers, -1));
    }

    private static IEnumerable<Place> LlmPlaces()
    {
        (string Name, Func<LlmUsageSummary, int, LlmUsageSummary> Set)[] members =
        [
            ("calls", (u, n) => u with { Calls = n }), ("failures", (u, n) => u with { Failures = n }), ("prompt_tokens", (u, n) => u with { PromptTokens = n }),
            ("completion_tokens", (u, n) => u with { CompletionTokens = n }), ("latency_ms", (u, n) => u with { LatencyMs = n }),
            ("max_latency_ms", (u, n) => u with { MaxLatencyMs = n }), ("streamed_calls", (u, n) => u with { StreamedCalls = n }),
            ("first_token_ms", (u, n) => u with { FirstTokenMs = n }), ("cpu_ms", (u, n) => u with { CpuMs = n }),
            ("peak_ram_bytes", (u, n) => u with { PeakRamBytes = n }), ("peak_vram_bytes", (u, n) => u with { PeakVramBytes = n }),
        ];
        return members.Select(m => new Place(
            [ $"#/properties/metrics/properties/llm/items/properties/{m.Name}/minimum" ],
            (d, v) => Doc(d with { Metrics = new MetricsInfo { Llm = [m.Set(new LlmUsageSummary { Provider = "p", Model = "m" }, I(v))] } }, $"/metrics/llm/0/{m.Name}"),
            Numbers, -1));
    }

    /// <summary>A random valid document: one to three modules, imports, variables, definitions nested up to three deep.</summary>
    private static Gen<StructDocument> Documents => Gen.Choose(0, int.MaxValue).Select(Document);

    private static StructDocument Document(int seed)
    {
        var random = new Random(seed);
        var modules = ImmutableArray.CreateBuilder<ModuleInfo>();
        int count = random.Next(1, 4);
        for (int m = 0; m < count; m++)
        {
            string path = $"pkg{m}/mod{m}.py";
            Definition Make(string qualified, int depth) => new()
            {
                Id = $"{path}#{qualified}", Kind = depth == 0 ? "class" : "method", Name = qualified.Split('.')[^1], QualifiedName = qualified,
                StartLine = 1 + depth, EndLine = 5, Parameters = depth == 0 ? [] : [new ParameterInfo { Name = "self" }],
                Calls = [new CallInfo { Callee = "g", Line = 2, Count = 1 + random.Next(3) }],
                Children = depth < random.Next(0, 3) ? [Make(qualified + ".n" + depth, depth + 1)] : [],
            };
            modules.Add(new ModuleInfo
            {
                Path = path, Language = "python", Sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData([(byte)m])), Lines = 5,
                Imports = [new ImportInfo { Module = "os", Kind = "from", Line = 1, Names = [new ImportedName { Name = "path" }], Resolved = random.Next(2) == 0 ? null : "os.py" }],
                Variables = [new VariableInfo { Name = "X", Line = 1 }],
                Definitions = [Make("C" + m, 0)],
            });
        }
        return new StructDocument
        {
            Project = new ProjectInfo { Name = "p" },
            Modules = modules.ToImmutable(),
            Stats = new StructStats { Modules = count, Languages = [new LanguageStats { Language = "python", Modules = count }] },
        };
    }

    [Property(MaxTest = 700)]
    public Property AValueInAnyConstrainedPlace_IsJudgedTheSameByBoth() =>
        Prop.ForAll(
            Gen.Elements(Places.ToArray()).SelectMany(place => place.Values.SelectMany(value => Documents.Select(document => (place, value, document)))).ToArbitrary(),
            c => Agree(c.place, c.document, c.value));

    public static TheoryData<int> PlaceIndexes()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < Places.Count; i++)
        {
            data.Add(i);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(PlaceIndexes))]
    public void BreakingEachRule_IsCaughtByBoth(int index)
    {
        var place = Places[index];
        foreach (var document in Enumerable.Range(index * 7, 8).Select(Document))
        {
            var (broken, location) = place.Put(document, place.Bad);
            var (schema, typed) = Judge(broken);
            Assert.True(schema.Count > 0, $"{place}: the schema accepted the bad value at {location}");
            Assert.True(typed.Count > 0, $"{place}: ModelConstraints accepted the bad value at {location}");
            Assert.Contains(schema, e => Related(location, e));
            Assert.Contains(typed, e => Related(location, e));
        }
    }

    [Fact]
    public void RandomValidDocuments_PassBoth()
    {
        foreach (var document in Enumerable.Range(0, 30).Select(Document))
        {
            var (schema, typed) = Judge(document);
            Assert.Empty(schema);
            Assert.Empty(typed);
        }
    }

    /// <summary>
    /// The rules read from the schema — every <c>pattern</c>, <c>minLength</c>, <c>minimum</c>, <c>enum</c>, non-boolean
    /// <c>const</c>, required member that the model can leave null (strings and objects; required numbers are value
    /// types, always written) and the string lists' item type — each have a place above.
    /// </summary>
    [Fact]
    public void EveryRuleOfTheSchema_HasAPlaceHere()
    {
        using var schema = JsonDocument.Parse(StructSchema.Text);
        var rules = new SortedSet<string>(StringComparer.Ordinal);
        Collect(schema.RootElement, schema.RootElement, "#", rules);
        var covered = Places.SelectMany(p => p.Rule).ToHashSet(StringComparer.Ordinal);
        var missing = rules.Where(r => !covered.Contains(r)).ToList();
        Assert.True(missing.Count == 0, "schema rules without a place in ModelConstraintsProperties.Places (check them in ModelConstraints, then add them here):\n" + string.Join("\n", missing));
        var unknown = covered.Where(r => !rules.Contains(r)).ToList();
        Assert.True(unknown.Count == 0, "places that name no rule of the schema:\n" + string.Join("\n", unknown));
    }

    /// <summary>Each fast accept of <see cref="SchemaRules"/> never accepts a value its pattern rejects.</summary>
    [Property(MaxTest = 3000)]
    public Property FastAccepts_NeverAcceptWhatThePatternRejects() =>
        Prop.ForAll(Strings("a.py#f", Hex, "a/b.py", "a#\n", "..").Where(v => v is not null).ToArbitrary(), v =>
        {
            var value = (string)v!;
            return (!SchemaRules.SurelyRelativePath(value) || SchemaRules.RelativePath.IsMatchSlow(value))
                && (!SchemaRules.SurelySha256(value) || SchemaRules.Sha256.IsMatchSlow(value))
                && (!SchemaRules.SurelyDefinitionId(value) || SchemaRules.DefinitionId.IsMatchSlow(value));
        });

    private static void Collect(JsonElement root, JsonElement node, string pointer, SortedSet<string> rules)
    {
        if (node.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        foreach (var property in node.EnumerateObject())
        {
            string at = pointer + "/" + property.Name;
            switch (property.Name)
            {
                case "pattern" or "minLength" or "minimum" or "enum":
                    rules.Add(at);
                    break;
                case "const" when property.Value.ValueKind != JsonValueKind.True:
                    rules.Add(at);
                    break;
                case "required":
                    foreach (var name in property.Value.EnumerateArray().Select(e => e.GetString()!))
                    {
                        if (!IsInteger(root, node.GetProperty("properties").GetProperty(name)))
                        {
                            rules.Add(at + "/" + name);
                        }
                    }
                    break;
                case "items" when pointer == "#/$defs/stringList":
                    rules.Add(at + "/type");
                    break;
                case "properties" or "$defs":
                    foreach (var child in property.Value.EnumerateObject())
                    {
                        Collect(root, child.Value, at + "/" + child.Name, rules);
                    }
                    break;
                case "items":
                    Collect(root, property.Value, at, rules);
                    break;
            }
        }
    }

    private static bool IsInteger(JsonElement root, JsonElement property)
    {
        if (property.TryGetProperty("$ref", out var reference))
        {
            property = root.GetProperty("$defs").GetProperty(reference.GetString()!["#/$defs/".Length..]);
        }
        return property.TryGetProperty("type", out var type) && type.GetString() == "integer";
    }

    private static Property Agree(Place place, StructDocument document, object? value)
    {
        var (changed, location) = place.Put(document, value);
        var (schema, typed) = Judge(changed);
        bool same = (schema.Count == 0) == (typed.Count == 0)
            && (schema.Count == 0 || (schema.Any(e => Related(location, e)) && typed.Any(e => Related(location, e))));
        return same.Label($"{place} = {JsonSerializer.Serialize(value)} at {location}\nschema: {string.Join("; ", schema)}\ntyped: {string.Join("; ", typed)}");
    }

    private static (IReadOnlyList<string> Schema, IReadOnlyList<string> Typed) Judge(StructDocument document) =>
        (StructSchema.Validate(StructJson.Serialize(document)).Errors, ModelConstraints.Check(document));

    // An error about the value's location, or about the object that holds it (a missing required member is reported there).
    private static bool Related(string location, string error)
    {
        string at = error[..error.IndexOf(": ", StringComparison.Ordinal)];
        return at == location || location.StartsWith(at == "/" ? "/" : at + "/", StringComparison.Ordinal) || at.StartsWith(location + "/", StringComparison.Ordinal);
    }
}
