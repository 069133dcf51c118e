// Context quality on real commit histories: "I am about to change F; does the context name the other files this
// change will touch?" For each corpus: the last N non-merge commits that change 2–6 source files, at least two of
// which exist in the parent; the parent is checked out and parsed, the first changed non-test file is the focus,
// and the context at 1k/2k/4k/8k/16k tokens is scored by the share of the commit's other changed files it names,
// against baselines that name the same number of files (same folder first, import neighbours, random) or spend the
// same tokens (random files in full detail). Seeds are fixed; the commit list is a function of the history.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using LlmStruct;
using LlmStruct.Caching;
using LlmStruct.Configuration;
using LlmStruct.Context;
using LlmStruct.Model;
using LlmStruct.Pipeline;
using LlmStruct.Ranking;
using Microsoft.Extensions.DependencyInjection;

var inv = CultureInfo.InvariantCulture;
int commitsWanted = 60;
string work = Path.GetTempPath();
StreamWriter? dump = null; // --dump FILE: one JSON line per commit (focus, targets, ranking parts, baselines) for tuning
var corpora = new List<(string Name, string Path)>();
for (int a = 0; a < args.Length; a++)
{
    switch (args[a])
    {
        case "--commits": commitsWanted = int.Parse(args[++a], inv); break;
        case "--work": work = args[++a]; break;
        case "--dump": dump = new StreamWriter(args[++a]); break;
        default:
            var eq = args[a].IndexOf('=');
            corpora.Add(eq < 0 ? (Path.GetFileName(args[a]), args[a]) : (args[a][..eq], args[a][(eq + 1)..]));
            break;
    }
}
int[] budgets = [1000, 2000, 4000, 8000, 16000];
string[] methods = ["tool", "tool (no co-change)", "same folder", "import neighbours", "random (same files)", "random (same tokens)"];
var services = new ServiceCollection();
services.AddLlmStruct().AddPythonParser().AddJavaScriptParser().AddCSharpParser();
using var provider = services.BuildServiceProvider();
var pipeline = provider.GetRequiredService<StructPipeline>();
var builder = new ContextBuilder();
var report = new StringBuilder();
var all = new Stopwatch();
all.Start();
foreach (var (name, repo) in corpora)
{
    var clock = Stopwatch.StartNew();
    var commits = Qualifying(repo, commitsWanted);
    // hits/targets per method and budget, all targets and non-test targets; files listed and tokens used
    var hits = new long[methods.Length, budgets.Length, 2];
    var totals = new long[budgets.Length, 2];
    var files = new long[methods.Length, budgets.Length];
    var tokens = new long[methods.Length, budgets.Length];
    int measured = 0;
    using var cache = ParseCache.Open(Path.Combine(work, ".cq-cache", name));
    foreach (var (index, commit) in commits.Index())
    {
        Git(repo, "checkout", "-q", "-f", "--detach", commit.Parent);
        var document = pipeline.RunAsync(new PipelineRequest { Root = repo, Options = new LlmStructOptions(), Cache = cache }).GetAwaiter().GetResult().Document!;
        var modules = document.Modules.Select(m => m.Path).ToHashSet(StringComparer.Ordinal);
        if (!modules.Contains(commit.Focus))
        {
            continue;
        }
        var targets = commit.Targets.Where(modules.Contains).ToArray();
        if (targets.Length == 0)
        {
            continue;
        }
        measured++;
        var coChange = CoChangeHistory.LoadAsync(repo, cacheRoot: Path.Combine(work, ".cq-cochange", name)).GetAwaiter().GetResult();
        var nonTest = targets.Where(t => !TestFiles.IsTest(t)).ToArray();
        var listedByBudget = new Dictionary<string, string[]>();
        for (int b = 0; b < budgets.Length; b++)
        {
            totals[b, 0] += targets.Length;
            totals[b, 1] += nonTest.Length;
            var tool = builder.Build(document, new ContextRequest { Budget = budgets[b], Focus = [commit.Focus], CoChange = coChange });
            var plain = builder.Build(document, new ContextRequest { Budget = budgets[b], Focus = [commit.Focus] });
            var listed = tool.Files.Where(f => f != commit.Focus).ToArray();
            int k = listed.Length;
            listedByBudget[budgets[b].ToString(inv)] = listed;
            var lists = new[]
            {
                listed,
                plain.Files.Where(f => f != commit.Focus).ToArray(),
                SameFolder(document, commit.Focus).Take(k).ToArray(),
                ImportNeighbours(document, commit.Focus).Take(k).ToArray(),
                Shuffled(document, commit.Focus, 1000 + index).Take(k).ToArray(),
                SameTokens(document, commit.Focus, 2000 + index, tool.Tokens),
            };
            for (int m = 0; m < methods.Length; m++)
            {
                var set = lists[m].ToHashSet(StringComparer.Ordinal);
                hits[m, b, 0] += targets.Count(set.Contains);
                hits[m, b, 1] += nonTest.Count(set.Contains);
                files[m, b] += lists[m].Length;
                tokens[m, b] += m switch { 0 => tool.Tokens, 1 => plain.Tokens, 5 => tool.Tokens, _ => 0 };
            }
        }
        if (dump is not null)
        {
            var ranked = ContextRanker.Rank(document, [commit.Focus], coChange).Take(300)
                .Select(f => new object[] { f.Path, f.Parts.Graph, f.Parts.CoChange, f.Parts.Test, f.Parts.Distance, f.Parts.Import + f.Parts.Call, f.Parts.Reverse, f.Parts.Churn, f.Parts.Parameters });
            dump.WriteLine(System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["corpus"] = name, ["focus"] = commit.Focus, ["targets"] = targets, ["nontest"] = nonTest, ["ranked"] = ranked.ToArray(),
                ["folder"] = SameFolder(document, commit.Focus).Take(300).ToArray(), ["imports"] = ImportNeighbours(document, commit.Focus).Take(300).ToArray(),
                ["random"] = Shuffled(document, commit.Focus, 1000 + index).Take(300).ToArray(), ["files"] = document.Modules.Length, ["listed"] = listedByBudget,
            }));
            dump.Flush();
        }
    }
    report.AppendLine(string.Create(inv, $"### {name}: {measured} commits ({commits.Count} qualifying), {clock.Elapsed.TotalSeconds:0} s"));
    report.AppendLine();
    report.AppendLine("| budget | targets | " + string.Join(" | ", methods) + " | tool files | tool tokens | margin (all / non-test) |");
    report.AppendLine("|---:|---|" + string.Concat(Enumerable.Repeat("---:|", methods.Length)) + "---:|---:|---:|");
    for (int b = 0; b < budgets.Length; b++)
    {
        for (int t = 0; t < 2; t++)
        {
            double Recall(int m) => totals[b, t] == 0 ? 0 : 100.0 * hits[m, b, t] / totals[b, t];
            double best = Enumerable.Range(2, methods.Length - 2).Max(Recall);
            var cells = string.Join(" | ", Enumerable.Range(0, methods.Length).Select(m => string.Create(inv, $"{Recall(m):0.0}%")));
            var margin = string.Create(inv, $"{Recall(0) - best:+0.0;-0.0;0.0}");
            report.AppendLine(string.Create(inv, $"| {budgets[b]:#,0} | {(t == 0 ? "all" : "non-test")} ({totals[b, t]}) | {cells} | {(double)files[0, b] / Math.Max(1, measured):0.0} | {(double)tokens[0, b] / Math.Max(1, measured):0} | {margin} |"));
        }
    }
    report.AppendLine();
    Console.Error.WriteLine(string.Create(inv, $"{name}: {measured} commits in {clock.Elapsed.TotalSeconds:0.0} s"));
}
Console.WriteLine(report.ToString());
Console.Error.WriteLine(string.Create(inv, $"total {all.Elapsed.TotalSeconds:0.0} s"));

static List<Commit> Qualifying(string repo, int wanted)
{
    string[] extensions = [".py", ".pyi", ".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".mts", ".cts", ".cs"];
    // The history is read from the tip the clone started at, recorded once as refs/context-quality/tip: the run
    // checks out older commits, so HEAD moves, and a rerun on the same clone must pick the same commits.
    const string tipRef = "refs/context-quality/tip";
    if (Git(repo, "for-each-ref", "--format=%(objectname)", tipRef).Trim().Length == 0)
    {
        Git(repo, "update-ref", tipRef, "HEAD");
    }
    var log = Git(repo, "-c", "core.quotepath=off", "log", "--no-merges", "--no-renames", "--name-status", "--format=%x01%H %P", tipRef);
    var result = new List<Commit>();
    foreach (var block in log.Split('\u0001', StringSplitOptions.RemoveEmptyEntries))
    {
        var lines = block.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var ids = lines[0].Split(' ');
        if (ids.Length < 2)
        {
            continue;
        }
        var changed = lines.Skip(1).Select(l => l.Split('\t')).Where(p => p.Length == 2 && extensions.Contains(Path.GetExtension(p[1]))).ToArray();
        var existing = changed.Where(p => p[0] is "M" or "D").Select(p => p[1]).ToArray();
        var focus = existing.FirstOrDefault(p => !TestFiles.IsTest(p));
        if (changed.Length is < 2 or > 6 || existing.Length < 2 || focus is null)
        {
            continue;
        }
        result.Add(new Commit(ids[0], ids[1], focus, [.. existing.Where(p => p != focus)]));
        if (result.Count == wanted)
        {
            break;
        }
    }
    return result;
}

static IEnumerable<string> SameFolder(StructDocument document, string focus)
{
    var folder = Path.GetDirectoryName(focus) ?? "";
    var paths = document.Modules.Select(m => m.Path).Where(p => p != focus).Order(StringComparer.Ordinal).ToList();
    return paths.Where(p => (Path.GetDirectoryName(p) ?? "") == folder).Concat(paths.Where(p => (Path.GetDirectoryName(p) ?? "") != folder));
}

static IEnumerable<string> ImportNeighbours(StructDocument document, string focus)
{
    var module = document.Modules.First(m => m.Path == focus);
    var imports = module.Imports.Select(i => i.Resolved).OfType<string>().Where(p => p != focus).Distinct();
    var importers = document.Modules.Where(m => m.Path != focus && m.Imports.Any(i => i.Resolved == focus)).Select(m => m.Path).Order(StringComparer.Ordinal);
    return imports.Concat(importers).Distinct();
}

static IEnumerable<string> Shuffled(StructDocument document, string focus, int seed)
{
    var paths = document.Modules.Select(m => m.Path).Where(p => p != focus).Order(StringComparer.Ordinal).ToArray();
    new Random(seed).Shuffle(paths);
    return paths;
}

// Random files rendered in full detail (as the context renders its focus) until the tool's token count is spent.
static string[] SameTokens(StructDocument document, string focus, int seed, int tokens)
{
    var builder = new ContextBuilder();
    var modules = document.Modules.ToDictionary(m => m.Path, StringComparer.Ordinal);
    var result = new List<string>();
    long used = builder.CountTokens(ContextRendererCost(document, modules[focus]));
    foreach (var path in Shuffled(document, focus, seed))
    {
        used += builder.CountTokens(ContextRendererCost(document, modules[path]));
        if (used > tokens)
        {
            break;
        }
        result.Add(path);
    }
    return [.. result];
}

static string ContextRendererCost(StructDocument document, ModuleInfo module) =>
    string.Join("\n", ContextUnits.File(module, 0, FileLevel.Full, null).Select(u => u.Text));

static string Git(string repo, params string[] arguments)
{
    var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
    start.ArgumentList.Add("-C");
    start.ArgumentList.Add(repo);
    foreach (var argument in arguments)
    {
        start.ArgumentList.Add(argument);
    }
    using var process = Process.Start(start)!;
    var output = process.StandardOutput.ReadToEndAsync();
    var error = process.StandardError.ReadToEnd();
    process.WaitForExit();
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"git {string.Join(' ', arguments)}: {error}");
    }
    return output.Result;
}

internal sealed record Commit(string Id, string Parent, string Focus, string[] Targets);
