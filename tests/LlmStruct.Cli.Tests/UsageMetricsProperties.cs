using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LlmStruct.Json;
using LlmStruct.Llm.Usage;

namespace LlmStruct.Cli.Tests;

/// <summary>
/// struct.json's <c>metrics.llm</c> equals the usage store's aggregate after any mix of commands: random sequences of
/// <c>ask</c> (streamed and not), <c>analyze</c>, <c>diff</c>, an <c>analyze</c> that fails its retry budget and an
/// <c>ask</c> no provider answers, each through the fallback chain (a refused provider first), an OpenAI-compatible or an
/// Anthropic provider, all on one 127.0.0.1 server, run through the CLI (the installed tool in CI).
/// </summary>
public sealed class UsageMetricsProperties
{
    private const string KeyVariable = "LLMSTRUCT_CLI_METRICS_KEY";
    private const string Calc = "def add(a, b):\n    return a + b\n";
    private const string Diff = "--- a/src/calc.py\n+++ b/src/calc.py\n@@ -1,2 +1,5 @@\n def add(a, b):\n     return a + b\n+\n+def mul(a, b):\n+    return a * b\n";
    private const string Plan = """{"summary":"Add mul.","affected_files":["src/calc.py"],"affected_symbols":["src/calc.py#add"],"steps":["Write it"],"risks":[],"estimate":"small"}""";

    public enum Work
    {
        AskStreamed,
        AskNotStreamed,
        Analyze,
        Diff,
        AnalyzeGarbage, // two invalid answers: exit 1 after the retry budget
        AskNobodyAnswers, // --provider down: exit 2
    }

    public enum Route
    {
        Chain, // "down" (a refused port) fails, then "fake" answers
        OpenAI,
        Anthropic,
    }

    private static readonly Gen<(Work, Route)[]> Mixes =
        from count in Gen.Choose(1, 4)
        from steps in Gen.ArrayOf(Gen.Elements(Enum.GetValues<Work>()).Zip(Gen.Elements(Enum.GetValues<Route>())), count)
        select steps;

    [Property(MaxTest = 6)]
    public Property MetricsLlm_EqualsTheUsageStoresAggregate_AfterAnyMixOfCommands() =>
        Prop.ForAll(Mixes.ToArbitrary(), steps =>
        {
            RunMixAsync(steps).GetAwaiter().GetResult();
            return true;
        });

    // The case the property found: an ask no provider answers recorded its failed call, but left metrics.llm behind.
    [Fact]
    public Task AskThatNobodyAnswers_StillFoldsItsFailedCall() =>
        RunMixAsync([(Work.AskStreamed, Route.Anthropic), (Work.AskNobodyAnswers, Route.Chain)]);

    private static async Task RunMixAsync((Work Work, Route Route)[] steps)
    {
        Environment.SetEnvironmentVariable(KeyVariable, "sk-metrics-test-0123456789abcdef");
        using var dir = new TempDir();
        var script = steps.SelectMany(s => s.Work switch
        {
            Work.Analyze => [Plan],
            Work.Diff => ["```diff\n" + Diff + "```"],
            Work.AnalyzeGarbage => ["no idea", "still no idea"],
            Work.AskNobodyAnswers => Array.Empty<string>(),
            _ => ["Nothing to say."],
        }).ToArray();
        using var server = FakeOpenAIServer.Start(script);
        dir.Write("project/src/calc.py", Calc);
        var structPath = dir.PathOf("project/struct.json");
        var parse = await CliRunner.RunAsync("parse", "-i", dir.PathOf("project"), "-o", structPath, "--quiet");
        Assert.True(parse.ExitCode == 0, parse.Error);
        dir.Write("project/llmstruct.toml", $"""
            [[llm.providers]]
            name = "down"
            kind = "openai"
            endpoint = "http://127.0.0.1:{FakeOpenAIServer.FreePort()}/v1"
            model = "none"
            max_retries = 0

            [[llm.providers]]
            name = "fake"
            kind = "openai"
            endpoint = "{server.Endpoint}"
            model = "fake-model"
            max_retries = 0

            [[llm.providers]]
            name = "claude"
            kind = "anthropic"
            endpoint = "{server.AnthropicEndpoint}"
            api_key_env = "{KeyVariable}"
            model = "claude-model"
            max_retries = 0
            """);

        long calls = 0, failures = 0;
        foreach (var (work, route) in steps)
        {
            var args = work switch
            {
                Work.AskStreamed or Work.AskNobodyAnswers => new List<string> { "ask", "Hi?" },
                Work.AskNotStreamed => ["ask", "Hi?", "--no-stream"],
                Work.Analyze => ["analyze", "--task", "Add mul.", "--retries", "0"],
                Work.AnalyzeGarbage => ["analyze", "--task", "Add mul.", "--retries", "1"],
                _ => ["diff", "--task", "Add mul.", "--focus", "src/calc.py"],
            };
            args.AddRange(["--struct", structPath]);
            var provider = work == Work.AskNobodyAnswers ? "down" : route switch { Route.OpenAI => "fake", Route.Anthropic => "claude", _ => null };
            if (provider is not null)
            {
                args.AddRange(["--provider", provider]);
            }

            var outcome = await CliRunner.RunAsync([.. args]);

            int expectedExit = work switch { Work.AnalyzeGarbage => 1, Work.AskNobodyAnswers => 2, _ => 0 };
            Assert.True(outcome.ExitCode == expectedExit, $"{work} via {route}: exit {outcome.ExitCode}\n{outcome.Error}");
            int answers = work == Work.AnalyzeGarbage ? 2 : work == Work.AskNobodyAnswers ? 0 : 1;
            bool viaDown = work == Work.AskNobodyAnswers || route == Route.Chain;
            int downCalls = work == Work.AskNobodyAnswers ? 1 : viaDown ? answers : 0;
            calls += answers + downCalls;
            failures += downCalls;
        }

        var document = await StructJson.ReadFileAsync(structPath);
        var store = await new SqliteUsageStore(dir.PathOf("project/.llmstruct/usage.db")).SummarizeAsync();
        // The mix really happened: every call and failure is in the store ...
        Assert.Equal((calls, failures), (store.Sum(u => u.Calls), store.Sum(u => u.Failures)));
        // ... and struct.json holds the store's aggregate, row by row and field by field.
        Assert.Equal(store.Count, document.Metrics.Llm.Length);
        for (int i = 0; i < store.Count; i++)
        {
            Assert.Equal(store[i], document.Metrics.Llm[i]);
        }
    }
}
