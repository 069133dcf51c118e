using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace LlmStruct.Cli.Tests;

/// <summary><c>llmstruct analyze</c> and <c>llmstruct diff</c> against a scripted OpenAI-compatible server: outputs and exit codes.</summary>
public sealed class WorkCommandTests : IDisposable
{
    private const string Calc = "def add(a, b):\n    return a + b\n";
    private const string Diff = "--- a/src/calc.py\n+++ b/src/calc.py\n@@ -1,2 +1,5 @@\n def add(a, b):\n     return a + b\n+\n+def mul(a, b):\n+    return a * b\n";

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<string> ProjectAsync(FakeOpenAIServer? server)
    {
        _dir.Write("project/src/calc.py", Calc);
        var structPath = _dir.PathOf("project/struct.json");
        var parse = await CliRunner.RunAsync("parse", "-i", _dir.PathOf("project"), "-o", structPath, "--quiet");
        Assert.True(parse.ExitCode == 0, parse.Error);
        _dir.Write("project/llmstruct.toml", server is null ? "" : $"""
            [[llm.providers]]
            name = "fake"
            kind = "openai"
            endpoint = "{server.Endpoint}"
            model = "fake-model"
            max_retries = 0
            """);
        return structPath;
    }

    [Fact]
    public async Task Diff_Apply_WritesTheChange_AndPrintsTheDiff()
    {
        using var server = FakeOpenAIServer.Start("```diff\n" + Diff + "```");
        var structPath = await ProjectAsync(server);

        var outcome = await CliRunner.RunAsync("diff", "--task", "Add mul.", "--focus", "src/calc.py", "--apply", "--struct", structPath);

        Assert.True(outcome.ExitCode == 0, outcome.Error);
        Assert.Equal(Diff, outcome.Out.ReplaceLineEndings("\n"));
        Assert.Contains("modified src/calc.py", outcome.Error);
        Assert.Equal(Calc + "\ndef mul(a, b):\n    return a * b\n", File.ReadAllText(_dir.PathOf("project/src/calc.py")));
        Assert.Contains("return a + b", Assert.Single(server.Bodies)); // the focused file's text was sent
    }

    [Fact]
    public async Task Diff_Garbage_Exits1_AfterTheRetryBudget_AndLeavesTheTree()
    {
        using var server = FakeOpenAIServer.Start("no idea", "still no idea");
        var structPath = await ProjectAsync(server);

        var outcome = await CliRunner.RunAsync("diff", "--task", "Add mul.", "--apply", "--retries", "1", "--struct", structPath);

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("error: the model did not produce a valid diff in 2 attempts", outcome.Error);
        Assert.Contains("attempt 1: no file patches found", outcome.Error);
        Assert.Equal(Calc, File.ReadAllText(_dir.PathOf("project/src/calc.py")));
    }

    [Fact]
    public async Task Diff_OutsideTheRoot_Exits1_Refused()
    {
        using var server = FakeOpenAIServer.Start("--- /dev/null\n+++ b/../outside.txt\n@@ -0,0 +1 @@\n+x\n");
        var structPath = await ProjectAsync(server);

        var outcome = await CliRunner.RunAsync("diff", "--task", "Escape.", "--apply", "--struct", structPath);

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("refused", outcome.Error);
        Assert.False(File.Exists(_dir.PathOf("outside.txt")));
    }

    [Fact]
    public async Task Analyze_Json_RetriesAnUnknownId_AndPrintsThePlan()
    {
        const string plan = """{"summary":"Add mul.","affected_files":["src/calc.py"],"affected_symbols":["ID"],"steps":["Write it"],"risks":[],"estimate":"small"}""";
        using var server = FakeOpenAIServer.Start(plan.Replace("ID", "src/calc.py#mul", StringComparison.Ordinal), plan.Replace("ID", "src/calc.py#add", StringComparison.Ordinal));
        var structPath = await ProjectAsync(server);

        var outcome = await CliRunner.RunAsync("analyze", "--task", "Add mul.", "--json", "--struct", structPath);

        Assert.True(outcome.ExitCode == 0, outcome.Error);
        var json = JsonNode.Parse(outcome.Out)!;
        Assert.Equal("src/calc.py#add", json["affected_symbols"]![0]!.GetValue<string>());
        Assert.Equal(2, json["attempts"]!.GetValue<int>());
    }

    // analyze and diff say who answered and what it cost, like ask, and every command folds the usage store into
    // struct.json: after ask (1 call), analyze with one retry (2 calls) and diff (1 call), metrics.llm holds all 4.
    [Fact]
    public async Task AnalyzeAndDiff_PrintProviderAndUsage_AndMetricsFollowEveryCommand()
    {
        const string plan = """{"summary":"Add mul.","affected_files":["src/calc.py"],"affected_symbols":["ID"],"steps":["Write it"],"risks":[],"estimate":"small"}""";
        using var server = FakeOpenAIServer.Start(
            "Nothing to say.",
            plan.Replace("ID", "src/calc.py#mul", StringComparison.Ordinal),
            plan.Replace("ID", "src/calc.py#add", StringComparison.Ordinal),
            "```diff\n" + Diff + "```");
        var structPath = await ProjectAsync(server);

        var ask = await CliRunner.RunAsync("ask", "Hi?", "--struct", structPath, "--no-stream");
        var analyze = await CliRunner.RunAsync("analyze", "--task", "Add mul.", "--struct", structPath);
        var diff = await CliRunner.RunAsync("diff", "--task", "Add mul.", "--struct", structPath);

        Assert.True(ask.ExitCode == 0, ask.Error);
        Assert.True(analyze.ExitCode == 0, analyze.Error);
        Assert.True(diff.ExitCode == 0, diff.Error);
        Assert.Contains("answered by fake (fake-model): 42 prompt + 18 completion tokens over 2 calls", analyze.Error);
        Assert.Contains("answered by fake (fake-model): 21 prompt + 9 completion tokens", diff.Error);
        var document = await LlmStruct.Json.StructJson.ReadFileAsync(structPath);
        var usage = Assert.Single(document.Metrics.Llm);
        Assert.Equal(("fake", 4L, 0L, 84L, 36L), (usage.Provider, usage.Calls, usage.Failures, usage.PromptTokens, usage.CompletionTokens));
        var validation = await CliRunner.RunAsync("validate", structPath);
        Assert.True(validation.ExitCode == 0, validation.Out + validation.Error);
    }

    // Only the local model (a tiny random-weight GGUF, through llama.cpp in the CLI or the installed tool): the grammar
    // made from the plan's schema makes its first answer a valid plan, so analyze spends no retry.
    [Fact]
    public async Task Analyze_WithOnlyTheLocalModel_PlansOnTheFirstAttempt()
    {
        var structPath = await ProjectAsync(null);
        LlmStruct.Llm.Local.Tests.TinyGguf.Write(_dir.PathOf("project/tiny.gguf"));
        _dir.Write("project/llmstruct.toml", """
            [llm]
            context_tokens = 300

            [[llm.providers]]
            name = "qwen"
            kind = "local"
            model_path = "tiny.gguf"
            context_window = 4096
            threads = 1
            temperature = 1.0
            """);

        var outcome = await CliRunner.RunAsync("analyze", "--task", "Add mul.", "--json", "--struct", structPath);

        Assert.True(outcome.ExitCode == 0, outcome.Error);
        var json = JsonNode.Parse(outcome.Out)!.AsObject();
        Assert.Equal(1, json["attempts"]!.GetValue<int>());
        Assert.Contains("answered by qwen (tiny)", outcome.Error);
        Assert.DoesNotContain("over 2 calls", outcome.Error);
        Assert.All(json["affected_symbols"]!.AsArray(), id => Assert.StartsWith("src/calc.py#", id!.GetValue<string>()));
        Assert.False(string.IsNullOrWhiteSpace(json["summary"]!.GetValue<string>()));
        Assert.NotEmpty(json["steps"]!.AsArray());
        var document = await LlmStruct.Json.StructJson.ReadFileAsync(structPath);
        var usage = Assert.Single(document.Metrics.Llm);
        Assert.Equal(("qwen", 1L, 0L), (usage.Provider, usage.Calls, usage.Failures));
    }

    [Fact]
    public async Task Analyze_NoProvider_OrNoStruct_Exits2()
    {
        var structPath = await ProjectAsync(null);
        var outcome = await CliRunner.RunAsync("analyze", "--task", "x", "--struct", structPath);
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("no LLM is configured", outcome.Error);

        outcome = await CliRunner.RunAsync("diff", "--task", "x", "--struct", _dir.PathOf("missing.json"));
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("struct file not found", outcome.Error);

        outcome = await CliRunner.RunAsync("diff", "--struct", structPath);
        Assert.Equal(2, outcome.ExitCode); // --task is required
    }
}
