using LlmStruct.Json;
using LlmStruct.Model;
using LlmStruct.Schema;

namespace LlmStruct.Core.Tests;

/// <summary>The typed checks used for large documents must agree with the JSON Schema, rule by rule.</summary>
public class ModelConstraintsTests
{
    private static readonly Definition Method = new()
    {
        Id = "a.py#C.m", Kind = "method", Name = "m", QualifiedName = "C.m", StartLine = 2, EndLine = 3,
        Parameters = [new ParameterInfo { Name = "self" }], Visibility = "public",
        Calls = [new CallInfo { Callee = "f", Line = 3 }],
    };

    private static readonly StructDocument Valid = new()
    {
        Project = new ProjectInfo { Name = "p" },
        Context = new ContextInfo { Files = [new ContextFile { Path = "a.py", Reason = "entry_point" }] },
        Modules =
        [
            new ModuleInfo
            {
                Path = "a.py", Language = "python", Sha256 = new string('a', 64), Lines = 3,
                Imports = [new ImportInfo { Module = "os", Kind = "import", Line = 1, Names = [new ImportedName { Name = "path" }], Resolved = "os.py" }],
                Variables = [new VariableInfo { Name = "X", Line = 1 }],
                Definitions = [new Definition { Id = "a.py#C", Kind = "class", Name = "C", QualifiedName = "C", StartLine = 1, EndLine = 3, Children = [Method] }],
            },
        ],
        Errors = [new ParseError { File = "a.py", Line = 1, Column = 1, Reason = "invalid syntax" }],
        Skipped = [new SkippedFile { Path = "b.bin", Reason = "binary file" }],
        Tasks = [new TaskItem { Id = "1", Title = "t", Status = "open" }],
        Metrics = new MetricsInfo { Llm = [new LlmUsageSummary { Provider = "p", Model = "m", Calls = 1 }] },
    };

    private static StructDocument WithModule(Func<ModuleInfo, ModuleInfo> change) => Valid with { Modules = [change(Valid.Modules[0])] };

    private static StructDocument WithMethod(Func<Definition, Definition> change) =>
        WithModule(m => m with { Definitions = [m.Definitions[0] with { Children = [change(Method)] }] });

    public static TheoryData<string, StructDocument> Violations() => new()
    {
        { "/version", Valid with { Version = "2" } },
        { "/context/files/0/path", Valid with { Context = new ContextInfo { Files = [new ContextFile { Path = "../x", Reason = "r" }] } } },
        { "/context/files/0/reason", Valid with { Context = new ContextInfo { Files = [new ContextFile { Path = "x", Reason = "" }] } } },
        { "/stats/lines", Valid with { Stats = new StructStats { Lines = -1 } } },
        { "/modules/0/path", WithModule(m => m with { Path = "/abs.py" }) },
        { "/modules/0/path", WithModule(m => m with { Path = "C:/x.py" }) },
        { "/modules/0/sha256", WithModule(m => m with { Sha256 = new string('A', 64) }) },
        { "/modules/0/language", WithModule(m => m with { Language = "" }) },
        { "/modules/0/imports/0/kind", WithModule(m => m with { Imports = [m.Imports[0] with { Kind = "include" }] }) },
        { "/modules/0/imports/0/line", WithModule(m => m with { Imports = [m.Imports[0] with { Line = 0 }] }) },
        { "/modules/0/imports/0/names/0/name", WithModule(m => m with { Imports = [m.Imports[0] with { Names = [new ImportedName { Name = "" }] }] }) },
        { "/modules/0/imports/0/resolved", WithModule(m => m with { Imports = [m.Imports[0] with { Resolved = "a/../../x.py" }] }) },
        { "/modules/0/variables/0/line", WithModule(m => m with { Variables = [new VariableInfo { Name = "X", Line = 0 }] }) },
        { "/modules/0/definitions/0/children/0/id", WithMethod(d => d with { Id = "no-hash" }) },
        { "/modules/0/definitions/0/children/0/kind", WithMethod(d => d with { Kind = "macro" }) },
        { "/modules/0/definitions/0/children/0/name", WithMethod(d => d with { Name = "" }) },
        { "/modules/0/definitions/0/children/0/start_line", WithMethod(d => d with { StartLine = 0 }) },
        { "/modules/0/definitions/0/children/0/parameters/0/kind", WithMethod(d => d with { Parameters = [new ParameterInfo { Name = "x", Kind = "optional" }] }) },
        { "/modules/0/definitions/0/children/0/visibility", WithMethod(d => d with { Visibility = "friend" }) },
        { "/modules/0/definitions/0/children/0/calls/0/count", WithMethod(d => d with { Calls = [new CallInfo { Callee = "f", Line = 1, Count = 0 }] }) },
        { "/modules/0/definitions/0/children/0/calls/0/callee", WithMethod(d => d with { Calls = [new CallInfo { Callee = "", Line = 1 }] }) },
        { "/errors/0/reason", Valid with { Errors = [new ParseError { File = "a.py", Reason = "" }] } },
        { "/errors/0/line", Valid with { Errors = [new ParseError { File = "a.py", Line = -1, Reason = "r" }] } },
        { "/skipped/0/path", Valid with { Skipped = [new SkippedFile { Path = "", Reason = "r" }] } },
        { "/tasks/0/status", Valid with { Tasks = [new TaskItem { Id = "1", Title = "t", Status = "" }] } },
        { "/metrics/llm/0/calls", Valid with { Metrics = new MetricsInfo { Llm = [new LlmUsageSummary { Provider = "p", Model = "m", Calls = -1 }] } } },
    };

    [Fact]
    public void ValidDocument_PassesBoth()
    {
        Assert.Empty(StructSchema.Validate(StructJson.Serialize(Valid)).Errors);
        Assert.Empty(ModelConstraints.Check(Valid));
    }

    [Theory]
    [MemberData(nameof(Violations))]
    public void EachViolation_IsReportedByBoth_AtTheSameLocation(string location, StructDocument document)
    {
        var schema = StructSchema.Validate(StructJson.Serialize(document)).Errors;
        var typed = ModelConstraints.Check(document);
        Assert.Contains(schema, e => e.StartsWith(location + ":", StringComparison.Ordinal));
        Assert.Contains(typed, e => e.StartsWith(location + ":", StringComparison.Ordinal));
    }
}
