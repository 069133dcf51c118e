using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LlmStruct.Context;
using LlmStruct.Model;
using LlmStruct.Ranking;
using static LlmStruct.Core.Tests.Linking.Models;

namespace LlmStruct.Core.Tests.Context;

/// <summary>Contexts around a focus: ranking from both edge directions, co-change, tests, levels, explanations.</summary>
public sealed class FocusedContextTests
{
    private static readonly ContextBuilder Builder = new();

    // app/core.py is the focus; app/cli.py calls it (a caller), tests/test_core.py imports it (its test),
    // app/util.py is called by it, app/other.py is unrelated; docs/x.py is far away.
    private static StructDocument Project() => Link(Document(
        Module("app/cli.py", "python", [Import("app.core")], [Fn("main", "app.core.run")]),
        Module("app/core.py", "python", [Import("app.util")], [Fn("run", "app.util.helper")]),
        Module("app/other.py", "python", [], [Fn("unrelated")]),
        Module("app/util.py", "python", [], [Fn("helper")]),
        Module("docs/x.py", "python", [], [Fn("far")]),
        Module("tests/test_core.py", "python", [Import("app.core")], [Fn("test_run", "app.core.run")])));

    private static List<string> Order(StructDocument document, CoChangeIndex? coChange = null) =>
        [.. ContextRanker.Rank(document, ["app/core.py"], coChange).Select(f => f.Path)];

    [Fact]
    public void Callers_importers_and_tests_of_the_focus_rank_above_unrelated_files()
    {
        var order = Order(Project());
        Assert.Equal("app/core.py", order[0]);
        int other = order.IndexOf("app/other.py");
        Assert.True(order.IndexOf("app/cli.py") < other, string.Join(", ", order));
        Assert.True(order.IndexOf("tests/test_core.py") < other, string.Join(", ", order));
        Assert.True(order.IndexOf("app/util.py") < other, string.Join(", ", order));
        // Unrelated files follow by folder-tree distance, not path: app/other.py (same folder) before docs/x.py.
        Assert.True(other < order.IndexOf("docs/x.py"), string.Join(", ", order));
    }

    [Fact]
    public void Score_parts_name_each_direction()
    {
        var files = ContextRanker.Rank(Project(), ["app/core.py"]).ToDictionary(f => f.Path);
        Assert.Equal(1, files["app/util.py"].Parts.Import);
        Assert.Equal(1, files["app/util.py"].Parts.Call);
        Assert.Equal(0, files["app/util.py"].Parts.Reverse);
        Assert.Equal(2, files["app/cli.py"].Parts.Reverse);
        Assert.Equal(1, files["tests/test_core.py"].Parts.Test);
        Assert.True(files["app/other.py"].Score <= ContextRanker.RelevanceThreshold);
        Assert.True(files["app/other.py"].Score > files["docs/x.py"].Score, "nearer in the folder tree");
    }

    [Fact]
    public void Co_change_lifts_files_changed_with_the_focus()
    {
        var log = "\u0001c3\napp/core.py\ndocs/x.py\n\u0001c2\napp/other.py\napp/util.py\n\u0001c1\napp/core.py\ndocs/x.py\n";
        var index = CoChangeIndex.Parse("c3", log);
        Assert.Equal(3, index.Commits);
        var partners = index.Partners(["app/core.py"]);
        Assert.Equal(Math.Pow(0.5, 0 / CoChangeIndex.HalfLifeCommits) + Math.Pow(0.5, 2 / CoChangeIndex.HalfLifeCommits), partners["docs/x.py"], 12);
        Assert.False(partners.ContainsKey("app/other.py"));
        var order = Order(Project(), index);
        Assert.True(order.IndexOf("docs/x.py") < order.IndexOf("app/other.py"), string.Join(", ", order));
        Assert.True(order.IndexOf("docs/x.py") < Order(Project()).IndexOf("docs/x.py"));
    }

    [Fact]
    public void Churn_orders_files_without_other_evidence_and_never_lifts_them_over_the_threshold()
    {
        // docs/x.py changed in three commits (the newest two with app/other.py), app/util.py in none with the focus;
        // app/core.py (the focus) never changed with either.
        var log = "\u0001c3\ndocs/x.py\napp/other.py\n\u0001c2\ndocs/x.py\napp/other.py\n\u0001c1\ndocs/x.py\napp/cli.py\n";
        var index = CoChangeIndex.Parse("c3", log);
        Assert.Equal(1 + Math.Pow(0.5, 1 / CoChangeIndex.HalfLifeCommits) + Math.Pow(0.5, 2 / CoChangeIndex.HalfLifeCommits), index.Churn["docs/x.py"], 12);
        Assert.False(index.Churn.ContainsKey("app/util.py"));
        var files = ContextRanker.Rank(Project(), ["app/core.py"], index).ToDictionary(f => f.Path);
        Assert.Equal(1, files["docs/x.py"].Parts.Churn, 12);
        Assert.Equal(0, files["app/util.py"].Parts.Churn);
        Assert.True(files["app/other.py"].Parts.Churn > 0.5);
        // Without churn docs/x.py (far away) trails app/other.py; with it, its churn makes up part of the distance but
        // neither file, having no evidence of relevance, gets over the threshold.
        Assert.True(files["docs/x.py"].Score > ContextRanker.Rank(Project(), ["app/core.py"]).Single(f => f.Path == "docs/x.py").Score);
        Assert.True(files["docs/x.py"].Score <= ContextRanker.RelevanceThreshold);
        Assert.True(files["app/other.py"].Score <= ContextRanker.RelevanceThreshold);
        Assert.True(ContextRanker.ProximityWeight + ContextRanker.ChurnWeight <= ContextRanker.RelevanceThreshold);
    }

    [Fact]
    public void Files_taking_the_focus_s_rarer_parameters_rank_above_files_without_other_evidence()
    {
        // app/api.py (the focus) imports and calls nothing. app/cli.py's main takes `proxies`, which no other file
        // takes; app/transport.py's method takes `trust_env` (a nested definition); every file takes `url`.
        static Definition Takes(Definition definition, params string[] parameters) =>
            definition with { Parameters = [.. parameters.Select(p => new ParameterInfo { Name = p })] };
        var document = Link(Document(
            Module("app/aaa.py", "python", [], Takes(Fn("fetch"), "url")),
            Module("app/api.py", "python", [], Takes(Fn("get"), "url", "proxies", "trust_env")),
            Module("app/bbb.py", "python", [], Takes(Fn("parse"), "url", "text")),
            Module("app/cli.py", "python", [], Takes(Fn("main"), "url", "proxies", "verbose")),
            Module("app/transport.py", "python", [], Class("Transport", [], Takes(Method("send"), "self", "url", "trust_env")))));
        var ranked = ContextRanker.Rank(document, ["app/api.py"]);
        var files = ranked.ToDictionary(f => f.Path);
        // A name one other file takes counts 1 (capped at 1 with `url`'s 1/4); a name four other files take, 1/4.
        Assert.Equal(1, files["app/cli.py"].Parts.Parameters, 12);
        Assert.Equal(1, files["app/transport.py"].Parts.Parameters, 12);
        Assert.Equal(0.25, files["app/aaa.py"].Parts.Parameters, 12);
        Assert.Equal(0, files["app/api.py"].Parts.Parameters);
        Assert.Equal(["app/api.py", "app/cli.py", "app/transport.py"], ranked.Take(3).Select(f => f.Path).Order(StringComparer.Ordinal));
        Assert.True(files["app/cli.py"].Score > ContextRanker.RelevanceThreshold, "a rare shared parameter is evidence");
        Assert.True(files["app/aaa.py"].Score <= ContextRanker.RelevanceThreshold, "a common one is not");
    }

    [Fact]
    public void Co_change_paths_are_cut_to_the_input_folder()
    {
        var index = CoChangeIndex.Parse("h", "\u0001h\nsub/a.py\nsub/b.py\nother/c.py\n", "sub/");
        Assert.Equal(["b.py"], index.Partners(["a.py"]).Keys);
    }

    [Fact]
    public void Explain_says_why_each_file_is_listed_and_the_note_counts_levels()
    {
        var result = Builder.Build(Project(), new ContextRequest { Budget = 2000, Focus = ["app/core.py"], Explain = true });
        Assert.Contains("### app/core.py — why: focus", result.Text);
        Assert.Contains("app/cli.py", result.Text);
        Assert.Matches("app/cli.py.*why: score [0-9.]+ = graph [0-9.]+ \\+ 2×co-change 0 \\+ 0.5×test 0 \\+ near 0.3 \\+ 0.2×churn 0 \\+ 0.3×parameters 0; import 0, call 0, reverse 2", result.Text);
        Assert.Contains("Tokens counted with o200k.", result.Text);
        Assert.Matches("Shown: [0-9]+ full, [0-9]+ signatures only, [0-9]+ names only, [0-9]+ paths only; [0-9]+ files left out", result.Text);
        Assert.Equal(result.Files.Length, result.FullFiles + result.SignatureFiles + result.NameFiles + result.PathFiles);
    }

    [Fact]
    public void A_small_budget_still_names_the_closest_files()
    {
        var document = ContextBuilderTests.Synthetic(120);
        var result = Builder.Build(document, new ContextRequest { Budget = 1000, Focus = ["m3.py"] });
        var ranked = ContextRanker.Rank(document, ["m3.py"]).Where(f => f.Score > ContextRanker.RelevanceThreshold).Take(8).Select(f => f.Path);
        Assert.NotEmpty(ranked);
        Assert.All(ranked, path => Assert.Contains(path, result.Files));
        Assert.True(result.Tokens <= 1000);
        Assert.True(result.PathFiles + result.NameFiles > 0, "later files are shortened, not dropped");
    }

    [Fact]
    public void A_budget_that_full_detail_leaves_unused_names_more_of_the_next_likely_files()
    {
        // The focus has two related files (about 600 tokens in full detail); 40 more files have no evidence of relevance.
        var helpers = Enumerable.Range(0, 20).Select(i => Fn($"helper_{i}") with { Docstring = $"Helper number {i}: normalises the value it is given and returns it." });
        var document = Link(Document([
            Module("app/core.py", "python", [Import("app.util")], [Fn("run", "app.util.helper_0")]),
            Module("app/util.py", "python", [], [.. helpers]),
            Module("app/cli.py", "python", [Import("app.core")], [Fn("main", "app.core.run")]),
            .. Enumerable.Range(0, 40).Select(i => Module($"lib/m{i:00}.py", "python", [], [Fn($"f{i}")]))]));
        var ranked = ContextRanker.Rank(document, ["app/core.py"]);
        int related = ranked.Count(f => !f.Focused && f.Score > ContextRanker.RelevanceThreshold);
        Assert.Equal(2, related);

        // Without room left over (a budget the related files' detail fills), only the first few weak files are named.
        var small = Builder.Build(document, new ContextRequest { Budget = 150, Focus = ["app/core.py"] });
        Assert.True(small.Tokens <= 150);
        Assert.True(small.Files.Length <= 1 + related + ContextPlan.UnrelatedFiles, string.Join(", ", small.Files));

        // A large budget has room left after everything related is shown in full: the next files are named (paths),
        // in rank order, up to the growth limit, and the budget still holds.
        var large = Builder.Build(document, new ContextRequest { Budget = 8000, Focus = ["app/core.py"] });
        int named = 1 + related + ContextPlan.UnrelatedFiles + ContextPlan.GrowthPerRelated * related;
        Assert.True(named > 1 + related + ContextPlan.UnrelatedFiles);
        Assert.Equal(named, large.Files.Length);
        Assert.Equal(ranked.Take(named).Select(f => f.Path).Order(StringComparer.Ordinal), large.Files.Order(StringComparer.Ordinal));
        Assert.True(large.PathFiles >= ContextPlan.GrowthPerRelated * related, $"{large.PathFiles} paths");
        Assert.True(large.Tokens <= 8000);
    }

    [Fact]
    public void A_relaxed_plan_shows_small_related_files_in_full_but_not_one_that_would_take_a_quarter_of_the_budget()
    {
        var big = Enumerable.Range(0, 60).Select(i => Fn($"big_{i}") with { Docstring = $"Big helper {i} documents a long story about the values it normalises." });
        var document = Link(Document([
            Module("app/core.py", "python", [Import("app.big"), Import("app.small")], [Fn("run", "app.big.big_0", "app.small.tiny")]),
            Module("app/big.py", "python", [], [.. big]),
            Module("app/small.py", "python", [], [Fn("tiny") with { Docstring = "Tiny helper story." }])]));
        var bigFull = Builder.CountTokens(string.Join("\n", ContextUnits.File(document.Modules.Single(m => m.Path == "app/big.py"), 0, FileLevel.Full, null).Select(u => u.Text)));
        int budget = 3 * bigFull;
        Assert.True(bigFull > ContextPlan.FullFileShare * budget);
        var result = Builder.Build(document, new ContextRequest { Budget = budget, Focus = ["app/core.py"] });
        Assert.Contains("Tiny helper story.", result.Text);
        Assert.Contains("big_59", result.Text);
        Assert.DoesNotContain("Big helper 0 documents", result.Text);
        Assert.True(result.Tokens <= budget);
    }

    [Property(MaxTest = 60)]
    public Property Random_documents_and_budgets_never_exceed_and_repeat_bytes(int seed, PositiveInt rawBudget, NonNegativeInt formatIndex)
    {
        var random = new Random(seed);
        int files = 1 + random.Next(40);
        var modules = new List<ModuleInfo>();
        for (int i = 0; i < files; i++)
        {
            var folder = random.Next(3) switch { 0 => "src/", 1 => "tests/", _ => "src/pkg/" };
            var defs = Enumerable.Range(0, random.Next(8))
                .Select(j => Fn($"f{j}_{new string('x', random.Next(30))}", $"m{random.Next(files)}.f0") with
                {
                    Docstring = random.Next(2) == 0 ? null : $"Doc {j} " + new string('y', random.Next(200)),
                    // Parameter names from a small pool, so files share some (the ranking's parameters part).
                    Parameters = [.. Enumerable.Range(0, random.Next(4)).Select(_ => new ParameterInfo { Name = $"p{random.Next(12)}" }).DistinctBy(p => p.Name)],
                })
                .ToArray();
            modules.Add(Module($"{folder}m{i}.py", "python", [.. Enumerable.Range(0, random.Next(3)).Select(_ => Import($"m{random.Next(files)}"))], defs));
        }
        var document = Link(Document([.. modules]));
        var log = string.Concat(Enumerable.Range(0, 30).Select(c => $"\u0001c{c}\n{modules[random.Next(files)].Path}\n{modules[random.Next(files)].Path}\n"));
        var request = new ContextRequest
        {
            Budget = 1 + rawBudget.Get % 6000,
            Format = ContextFormats.All[formatIndex.Get % ContextFormats.All.Length],
            Focus = [modules[random.Next(files)].Path],
            CoChange = CoChangeIndex.Parse("c0", log),
            Explain = random.Next(2) == 0,
        };
        var first = Builder.Build(document, request);
        var second = Builder.Build(Link(Document([.. modules.OrderBy(_ => random.Next())])), request);
        return (first.Tokens <= request.Budget && first.Text == second.Text && Builder.CountTokens(first.Text) == first.Tokens)
            .Label($"{request.Format} budget {request.Budget}: {first.Tokens} tokens");
    }
}
