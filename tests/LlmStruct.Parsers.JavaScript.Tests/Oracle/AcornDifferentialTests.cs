using System.Text;
using LlmStruct.Parsing;
using Xunit.Abstractions;

namespace LlmStruct.Parsers.JavaScript.Tests.Oracle;

/// <summary>Skips the test with a reason when node (or both the oracle's node_modules and npm) are missing.</summary>
public sealed class OracleFactAttribute : FactAttribute
{
    public OracleFactAttribute(bool needsNpmCorpus = false)
    {
        if (OracleRunner.UnavailableReason() is { } reason)
        {
            Skip = reason;
        }
        else if (needsNpmCorpus && OracleRunner.NpmCorpusRoot() is null)
        {
            Skip = "npm's own JavaScript ($(npm root -g)/npm) is not on this machine";
        }
    }
}

/// <summary>
/// Our parser against acorn, file by file: accept/reject agreement and identical definitions, imports, exports and
/// variables. A fast sample runs by default; <c>LLMSTRUCT_FULL_CORPUS=1</c> runs every file (see run-full.sh).
/// </summary>
public class AcornDifferentialTests(ITestOutputHelper output)
{
    private static readonly bool Full = Environment.GetEnvironmentVariable("LLMSTRUCT_FULL_CORPUS") == "1";

    [OracleFact]
    public void Fixtures_agree_with_acorn()
    {
        var report = Compare(OracleRunner.FixturesDirectory, OracleRunner.JavaScriptFiles(OracleRunner.FixturesDirectory), "fixtures");
        Assert.True(report.AcceptMismatches.Count == 0, "accept/reject differs: " + string.Join(", ", report.AcceptMismatches));
        Assert.True(report.DefinitionMismatches.Count == 0, "definitions differ:\n" + string.Join("\n", report.DefinitionMismatches));
        Assert.True(report.OtherMismatches.Count == 0, "docstring/imports/exports/variables differ:\n" + string.Join("\n", report.OtherMismatches));
    }

    [OracleFact(needsNpmCorpus: true)]
    public void Npm_corpus_agrees_with_acorn()
    {
        var root = OracleRunner.NpmCorpusRoot();
        var files = OracleRunner.JavaScriptFiles(root!);
        // The fast sample: every 15th file, always the same ones.
        var chosen = Full ? files : [.. files.Where((_, i) => i % 15 == 0)];
        var report = Compare(root!, chosen, Full ? "npm corpus (full)" : "npm corpus (sample)");
        Assert.True(report.AcceptMismatches.Count == 0, "accept/reject differs: " + string.Join(", ", report.AcceptMismatches.Take(20)));
        Assert.True(report.DefinitionAgreement >= 0.995, $"definition agreement {report.DefinitionAgreement:P2}:\n" + string.Join("\n", report.DefinitionMismatches.Take(30)));
    }

    [OracleFact]
    public void Generated_jsx_agrees_with_acorn_jsx()
    {
        var directory = Path.Combine(Path.GetTempPath(), "llmstruct-jsx-corpus-" + Environment.ProcessId);
        try
        {
            var files = JsxCorpus.Write(directory, Full ? 400 : 80, seed: 20261125);
            var report = Compare(directory, files, "generated jsx");
            Assert.True(report.AcceptMismatches.Count == 0, "accept/reject differs: " + string.Join(", ", report.AcceptMismatches.Take(20)));
            Assert.True(report.DefinitionMismatches.Count == 0, "definitions differ:\n" + string.Join("\n", report.DefinitionMismatches.Take(30)));
            Assert.True(report.OtherMismatches.Count == 0, "docstring/imports/exports/variables differ:\n" + string.Join("\n", report.OtherMismatches.Take(30)));
        }
        finally
        {
            if (Environment.GetEnvironmentVariable("LLMSTRUCT_KEEP_JSX_CORPUS") != "1")
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    private sealed record Report(List<string> AcceptMismatches, List<string> DefinitionMismatches, List<string> OtherMismatches, double DefinitionAgreement);

    private Report Compare(string root, List<string> files, string label)
    {
        OracleRunner.EnsureSetUp();
        var oracle = OracleRunner.Read(root, files);
        var parser = new JavaScriptParser();
        var accept = new List<string>();
        var defs = new List<string>();
        var other = new List<string>();
        int acornAccepted = 0, bothAccepted = 0, defTotal = 0, defSame = 0, filesIdentical = 0;
        foreach (var path in files)
        {
            var expected = oracle[path];
            var result = parser.Parse(new SourceFile(path, File.ReadAllBytes(Path.Combine(root, path))));
            bool ours = result.Errors.Count == 0;
            if (expected.Accepted)
            {
                acornAccepted++;
            }
            if (expected.Accepted != ours)
            {
                // Accepting more than acorn's ES2024 (newer syntax, decorators) is fine; rejecting what it accepts is not.
                if (expected.Accepted)
                {
                    accept.Add($"{path} (ours: {string.Join("; ", result.Errors.Select(e => $"{e.Line}:{e.Column} {e.Reason}"))})");
                }
                continue;
            }
            if (!ours)
            {
                continue;
            }
            bothAccepted++;
            var mine = Canonical.Definitions(result.Module).ToHashSet(StringComparer.Ordinal);
            var theirs = expected.Definitions.ToHashSet(StringComparer.Ordinal);
            defTotal += theirs.Count;
            defSame += theirs.Count(mine.Contains);
            foreach (var d in theirs.Except(mine))
            {
                defs.Add("acorn: " + d);
            }
            foreach (var d in mine.Except(theirs))
            {
                defs.Add("ours:  " + d);
            }
            bool sameOther = result.Module.Docstring == expected.Docstring
                && Canonical.Imports(result.Module).SequenceEqual(expected.Imports)
                && result.Module.Exports.SequenceEqual(expected.Exports)
                && Canonical.Variables(result.Module).SequenceEqual(expected.Variables);
            if (!sameOther)
            {
                other.Add(path);
            }
            if (sameOther && mine.SetEquals(theirs))
            {
                filesIdentical++;
            }
        }
        double agreement = defTotal == 0 ? 1 : (double)defSame / defTotal;
        var text = new StringBuilder()
            .AppendLine($"{label}: {files.Count} files, acorn accepts {acornAccepted}, accept/reject disagreements on acorn-accepted files {accept.Count}")
            .AppendLine($"  definitions: {defSame}/{defTotal} identical ({agreement:P2}); files fully identical {filesIdentical}/{bothAccepted}; docstring/import/export/variable differences in {other.Count} files")
            .ToString();
        output.WriteLine(text);
        foreach (var line in defs.Take(40).Concat(other.Take(20).Select(p => "docstring/imports/exports/variables differ: " + p)))
        {
            output.WriteLine(line);
        }
        File.WriteAllText(Path.Combine(AppContext.BaseDirectory, $"oracle-report-{label.Replace(' ', '-').Replace("(", "").Replace(")", "")}.txt"),
            text + string.Join("\n", defs) + "\n" + string.Join("\n", other) + "\n");
        return new Report(accept, defs, other, agreement);
    }
}
