using System.Text;
using System.Text.Json;
using LlmStruct.Model;
using LlmStruct.Parsing;

namespace LlmStruct.Parsers.Python.Tests.Oracle;

/// <summary>Compares our parser with CPython's ast file by file and counts agreement.</summary>
internal sealed class DifferentialComparison
{
    public int Files { get; private set; }
    public int AcceptRejectAgree { get; private set; }
    public int OnlyPython312Differs { get; private set; }
    public int CpythonRejected { get; private set; }
    public int OracleDefinitions { get; private set; }
    public int IdenticalDefinitions { get; private set; }
    public int IdenticalCallSets { get; private set; }
    public int ImportFiles { get; private set; }
    public int IdenticalImportFiles { get; private set; }
    public List<string> Disagreements { get; } = [];
    public List<string> Python312Files { get; } = [];

    public double AcceptRejectPercent => Percent(AcceptRejectAgree + OnlyPython312Differs, Files);
    public double DefinitionsPercent => Percent(IdenticalDefinitions, OracleDefinitions);
    public double CallSetsPercent => Percent(IdenticalCallSets, OracleDefinitions);

    private static double Percent(int a, int b) => b == 0 ? 100 : 100.0 * a / b;

    public void Compare(string file, JsonElement oracle)
    {
        Files++;
        var (result, uses312) = PythonParser.ParseDetailed(new SourceFile(file, File.ReadAllBytes(file)));
        bool weAccept = result.Errors.Count == 0;
        bool theyAccept = oracle.GetProperty("ok").GetBoolean();
        if (!theyAccept)
        {
            CpythonRejected++;
        }
        if (weAccept != theyAccept)
        {
            if (weAccept && uses312)
            {
                OnlyPython312Differs++;
                Python312Files.Add($"{file}: CPython 3.11 says {oracle.GetProperty("msg").GetString()} at line {oracle.GetProperty("line")}");
                return;
            }
            Disagreements.Add(weAccept
                ? $"ACCEPT {file}: CPython rejects: {oracle.GetProperty("msg").GetString()} @{oracle.GetProperty("line")}:{oracle.GetProperty("col")}"
                : $"REJECT {file}: we say {result.Errors[0].Reason} @{result.Errors[0].Line}:{result.Errors[0].Column}");
            return;
        }
        AcceptRejectAgree++;
        if (!theyAccept)
        {
            return;
        }
        var ours = new Dictionary<string, Definition>(StringComparer.Ordinal);
        Flatten(result.Module.Definitions, ours);
        foreach (var d in oracle.GetProperty("defs").EnumerateArray())
        {
            OracleDefinitions++;
            string key = d.GetProperty("q").GetString() + "@" + d.GetProperty("start").GetInt32();
            if (!ours.TryGetValue(key, out var def))
            {
                Disagreements.Add($"MISSING {file}: {key}");
                continue;
            }
            string expected = DescribeOracle(d);
            string actual = Describe(def);
            if (expected == actual)
            {
                IdenticalDefinitions++;
            }
            else
            {
                Disagreements.Add($"DEF {file}: {key}\n  cpython: {expected}\n  ours:    {actual}");
            }
            string expectedCalls = string.Join(" | ", d.GetProperty("calls").EnumerateArray().Select(c => c.GetString()).Order(StringComparer.Ordinal));
            string actualCalls = string.Join(" | ", def.Calls.Select(c => c.Callee).Order(StringComparer.Ordinal));
            if (expectedCalls == actualCalls)
            {
                IdenticalCallSets++;
            }
            else
            {
                Disagreements.Add($"CALLS {file}: {key}\n  cpython: {expectedCalls}\n  ours:    {actualCalls}");
            }
        }
        ImportFiles++;
        string expectedImports = string.Join("; ", oracle.GetProperty("imports").EnumerateArray().Select(i =>
            $"{i.GetProperty("kind").GetString()} {new string('.', i.GetProperty("level").GetInt32())}{i.GetProperty("module").GetString()} as {i.GetProperty("alias")} [{string.Join(",", i.GetProperty("names").EnumerateArray().Select(n => n[0].GetString() + ":" + n[1]))}]"));
        string actualImports = string.Join("; ", result.Module.Imports.Select(i =>
            $"{i.Kind} {new string('.', i.Level)}{i.Module} as {i.Alias} [{string.Join(",", i.Names.Select(n => n.Name + ":" + n.Alias))}]"));
        if (expectedImports == actualImports)
        {
            IdenticalImportFiles++;
        }
        else
        {
            Disagreements.Add($"IMPORTS {file}\n  cpython: {expectedImports}\n  ours:    {actualImports}");
        }
    }

    private static void Flatten(IEnumerable<Definition> defs, Dictionary<string, Definition> into)
    {
        foreach (var d in defs)
        {
            into.TryAdd(d.QualifiedName + "@" + d.StartLine, d);
            Flatten(d.Children, into);
        }
    }

    private static string DescribeOracle(JsonElement d)
    {
        var sb = new StringBuilder();
        sb.Append(d.GetProperty("kind").GetString()).Append(' ').Append(d.GetProperty("start").GetInt32()).Append('-').Append(d.GetProperty("end").GetInt32());
        if (d.TryGetProperty("async", out var a) && a.GetBoolean())
        {
            sb.Append(" async");
        }
        sb.Append(" (");
        foreach (var p in d.GetProperty("params").EnumerateArray())
        {
            sb.Append(p[0].GetString()).Append('/').Append(p[1].GetString()).Append(':').Append(Str(p[2])).Append('=').Append(Str(p[3])).Append(", ");
        }
        sb.Append(") -> ").Append(d.TryGetProperty("returns", out var r) ? Str(r) : "");
        sb.Append(" @[").AppendJoin(", ", d.GetProperty("decorators").EnumerateArray().Select(x => x.GetString())).Append(']');
        sb.Append(" bases[").AppendJoin(", ", d.GetProperty("bases").EnumerateArray().Select(x => x.GetString())).Append(']');
        sb.Append(" doc=").Append(Str(d.GetProperty("doc")));
        return sb.ToString();
    }

    private static string Describe(Definition d)
    {
        var sb = new StringBuilder();
        sb.Append(d.Kind).Append(' ').Append(d.StartLine).Append('-').Append(d.EndLine);
        if (d.Async)
        {
            sb.Append(" async");
        }
        sb.Append(" (");
        foreach (var p in d.Parameters)
        {
            sb.Append(p.Name).Append('/').Append(p.Kind).Append(':').Append(p.Type ?? "∅").Append('=').Append(p.Default ?? "∅").Append(", ");
        }
        sb.Append(") -> ").Append(d.Kind == DefinitionKinds.Class ? "" : d.ReturnType ?? "∅");
        sb.Append(" @[").AppendJoin(", ", d.Decorators).Append(']');
        sb.Append(" bases[").AppendJoin(", ", d.Bases).Append(']');
        sb.Append(" doc=").Append(d.Docstring ?? "∅");
        return sb.ToString();
    }

    private static string Str(JsonElement e) => e.ValueKind == JsonValueKind.Null ? "∅" : e.GetString()!;

    public string Summary() =>
        $"files {Files}, CPython rejected {CpythonRejected}; accept/reject agreement {AcceptRejectPercent:F3}% " +
        $"({AcceptRejectAgree} same, {OnlyPython312Differs} differ only by 3.12 syntax); " +
        $"definitions {IdenticalDefinitions}/{OracleDefinitions} identical ({DefinitionsPercent:F3}%); " +
        $"call sets {IdenticalCallSets}/{OracleDefinitions} identical ({CallSetsPercent:F3}%); " +
        $"imports identical in {IdenticalImportFiles}/{ImportFiles} files";
}
