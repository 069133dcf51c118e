using System.Text.Json.Nodes;
using LlmStruct.Llm.Cloud;
using LlmStruct.Llm.Tests.Servers;
using LlmStruct.Llm.Work;
using LlmStruct.Llm.Work.Diffs;
using Microsoft.SemanticKernel;

namespace LlmStruct.Llm.Tests.Work;

/// <summary>analyze_task and generate_diff end to end, against the local OpenAI-compatible server with scripted replies.</summary>
public sealed class StructWorkPluginTests : IDisposable
{
    private const string GoodDiff =
        "--- a/src/calc.py\n+++ b/src/calc.py\n@@ -4,3 +4,7 @@\n \n def sub(a, b):\n     return add(a, -b)\n+\n+\n+def mul(a, b):\n+    return a * b\n";

    private const string GoodAnalysis =
        """{"summary":"Add mul beside add and sub.","affected_files":["src/calc.py"],"affected_symbols":["src/calc.py#add"],"steps":["Write mul","Test it"],"risks":["none"],"estimate":"small"}""";

    private readonly WorkFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    private static Harness NewHarness(FakeLlmServer server) => new(llm => llm.AddCloudModel(Harness.Cloud("fake", server.OpenAIEndpoint)));

    private StructWorkPlugin Plugin(Harness harness, int retries = 2) =>
        harness.Assistant.CreateWorkPlugin(WorkFixture.Document, _fixture.Root, new WorkOptions { MaxRetries = retries, ContextTokens = 2000 });

    [Fact]
    public async Task GenerateDiff_ValidDiff_AppliesInMemory_ThenWritesAtomically()
    {
        await using var server = await FakeLlmServer.StartAsync(Reply.Ok("Sure.\n```diff\n" + GoodDiff + "```\n"));
        using var harness = NewHarness(server);
        var plugin = Plugin(harness);

        var proposal = await plugin.GenerateDiffAsync("Add a mul function.", ["src/calc.py"]);

        Assert.Equal(1, proposal.Attempts);
        Assert.Equal(GoodDiff, proposal.Diff);
        var change = Assert.Single(proposal.Changes);
        Assert.Equal(("src/calc.py", "modified"), (change.Path, change.Kind));
        Assert.Equal(WorkFixture.Calc, File.ReadAllText(Path.Combine(_fixture.Root, "src", "calc.py"))); // nothing written yet

        var prompt = WorkFixture.Texts(Assert.Single(server.Requests).Body);
        Assert.Contains("Keep functions small.", prompt);         // base instructions
        Assert.Contains("Use type hints in new code.", prompt);   // custom instructions
        Assert.Contains("### src/calc.py", prompt);                // focused file, full text
        Assert.Contains("    return add(a, -b)", prompt);
        Assert.Contains("Add a mul function.", prompt);

        await DiffApplier.WriteAsync(_fixture.Root, proposal.Changes);
        Assert.Equal(WorkFixture.Calc + "\n\ndef mul(a, b):\n    return a * b\n", File.ReadAllText(Path.Combine(_fixture.Root, "src", "calc.py")));
        Assert.DoesNotContain(Directory.EnumerateFiles(Path.Combine(_fixture.Root, "src")), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GenerateDiff_WrongHunkHeader_IsSentBack_AndTheRetrySucceeds()
    {
        var wrong = GoodDiff.Replace("@@ -4,3 +4,7 @@", "@@ -4,3 +4,9 @@", StringComparison.Ordinal);
        await using var server = await FakeLlmServer.StartAsync(Reply.Ok("```diff\n" + wrong + "```"), Reply.Ok("```diff\n" + GoodDiff + "```"));
        using var harness = NewHarness(server);

        var proposal = await Plugin(harness).GenerateDiffAsync("Add a mul function.", ["src/calc.py"]);

        Assert.Equal(2, proposal.Attempts);
        Assert.Single(proposal.Changes);
        var second = WorkFixture.Texts(server.Requests.ElementAt(1).Body);
        Assert.Contains("Your previous answer was rejected", second);
        Assert.Contains("header says -3 +9", second);
        Assert.Contains("@@ -4,3 +4,9 @@", second); // its own previous answer is in the conversation
    }

    [Fact]
    public async Task GenerateDiff_TouchingOutsideTheRoot_IsRefused_AndNothingIsWritten()
    {
        const string escape = "--- /dev/null\n+++ b/../outside\n@@ -0,0 +1 @@\n+pwned\n";
        await using var server = await FakeLlmServer.StartAsync(Reply.Ok("```diff\n" + escape + "```"), Reply.Ok("```diff\n" + GoodDiff + "```"));
        using var harness = NewHarness(server);

        var ex = await Assert.ThrowsAsync<LlmWorkException>(() => Plugin(harness).GenerateDiffAsync("Escape.", []));

        Assert.True(ex.Refused);
        Assert.Contains("refused", ex.Message);
        Assert.Contains("../outside", ex.Message);
        Assert.Single(server.Requests); // no retry for a refusal
        Assert.False(File.Exists(Path.Combine(_fixture.Parent, "outside")));
    }

    [Fact]
    public async Task AnalyzeTask_UsesAJsonSchema_RejectsUnknownIds_AndTheRetrySucceeds()
    {
        var unknown = GoodAnalysis.Replace("src/calc.py#add", "src/calc.py#Calculator.add", StringComparison.Ordinal);
        await using var server = await FakeLlmServer.StartAsync(Reply.Ok(unknown), Reply.Ok("```json\n" + GoodAnalysis + "\n```"));
        using var harness = NewHarness(server);

        var analysis = await Plugin(harness).AnalyzeTaskAsync("Add multiplication.");

        Assert.Equal(2, analysis.Attempts);
        Assert.Equal("Add mul beside add and sub.", analysis.Summary);
        Assert.Equal(["src/calc.py#add"], analysis.AffectedSymbols.ToArray());
        Assert.Equal(["Write mul", "Test it"], analysis.Steps.ToArray());
        Assert.Equal("small", analysis.Estimate);

        var first = JsonNode.Parse(server.Requests.First().Body)!;
        Assert.Equal("json_schema", first["response_format"]?["type"]?.GetValue<string>());
        Assert.Contains("affected_symbols", first["response_format"]!.ToJsonString());
        var second = WorkFixture.Texts(server.Requests.ElementAt(1).Body);
        Assert.Contains("src/calc.py#Calculator.add", second);
        Assert.Contains("not in struct.json", second);
        Assert.Contains("did you mean", second); // suggests src/calc.py#add
    }

    [Fact]
    public async Task Garbage_FailsClearly_AfterTheRetryBudget()
    {
        await using var server = await FakeLlmServer.StartAsync(Reply.Ok("lorem ipsum"), Reply.Ok("{not json"), Reply.Ok("still nothing"), Reply.Ok(GoodAnalysis));
        using var harness = NewHarness(server);

        var ex = await Assert.ThrowsAsync<LlmWorkException>(() => Plugin(harness).AnalyzeTaskAsync("Add multiplication."));

        Assert.False(ex.Refused);
        Assert.Equal(3, server.Requests.Count); // 1 + 2 retries; the fourth (valid) reply is never asked for
        Assert.Equal(3, ex.Errors.Count);
        Assert.StartsWith("the model did not produce a valid task analysis in 3 attempts; last error: the answer is not a JSON object", ex.Message);

        server.Then(Reply.Ok("no diff here"));
        var diffError = await Assert.ThrowsAsync<LlmWorkException>(() => Plugin(harness, retries: 0).GenerateDiffAsync("x"));
        Assert.Contains("in 1 attempt; last error: no file patches found", diffError.Message);
    }

    [Fact]
    public void Queries_AnswerFromStructJson_AndRunAsKernelFunctions()
    {
        var plugin = new StructWorkPlugin(new UnusedChatClient(), WorkFixture.Document, _fixture.Root);

        Assert.Equal("src/calc.py#add", Assert.Single(plugin.FindSymbol("add")).Id);
        Assert.Equal("src/calc.py#sub", Assert.Single(plugin.FindSymbol("src/calc.py#sub")).Id);
        Assert.Equal(["src/calc.py#sub"], plugin.ListCallers("src/calc.py#add").Select(s => s.Id));
        Assert.Equal([new CalleeInfo("add", "src/calc.py#add", 6, 1)], plugin.ListCallees("src/calc.py#sub"));
        Assert.Empty(plugin.ListCallers("nope#x"));
        var outline = plugin.ModuleOutline("src/calc.py");
        Assert.Contains("- function src/calc.py#add(a, b) L1-2", outline);

        var kernel = new Kernel();
        kernel.Plugins.AddFromObject(plugin, "struct");
        Assert.Equal(
            ["analyze_task", "find_symbol", "generate_diff", "list_callees", "list_callers", "module_outline"],
            kernel.Plugins["struct"].Select(f => f.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task KernelFunction_FindSymbol_ReturnsTypedResults()
    {
        var kernel = new Kernel();
        kernel.Plugins.AddFromObject(new StructWorkPlugin(new UnusedChatClient(), WorkFixture.Document, _fixture.Root), "struct");
        var result = await kernel.InvokeAsync("struct", "find_symbol", new KernelArguments { ["name"] = "sub" });
        Assert.Equal("src/calc.py#sub", Assert.Single(result.GetValue<IReadOnlyList<SymbolInfo>>()!).Id);
    }

    [Fact]
    public void Prompts_AreVersionedResources_AndTheSameInputsGiveTheSameBytes()
    {
        var versions = WorkPrompts.Versions();
        Assert.Equal(["analyze_task", "generate_diff", "retry"], versions.Keys);
        Assert.All(versions.Values, v => Assert.Equal("1", v));

        var a = new StructWorkPlugin(new UnusedChatClient(), WorkFixture.Document, _fixture.Root);
        var b = new StructWorkPlugin(new UnusedChatClient(), WorkFixture.Document, _fixture.Root);
        Assert.Equal(a.BuildDiffPrompt(["src/calc.py"]), b.BuildDiffPrompt(["src/calc.py"]));
        Assert.Equal(a.BuildAnalyzePrompt([]), b.BuildAnalyzePrompt([]));
        Assert.DoesNotContain("{{", a.BuildDiffPrompt(["src"]), StringComparison.Ordinal);
        Assert.Throws<UnsafeDiffPathException>(() => a.BuildDiffPrompt(["../etc"]));
    }

    private sealed class UnusedChatClient : Microsoft.Extensions.AI.IChatClient
    {
        public Task<Microsoft.Extensions.AI.ChatResponse> GetResponseAsync(
            IEnumerable<Microsoft.Extensions.AI.ChatMessage> messages, Microsoft.Extensions.AI.ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("no model in this test");

        public IAsyncEnumerable<Microsoft.Extensions.AI.ChatResponseUpdate> GetStreamingResponseAsync(
            IEnumerable<Microsoft.Extensions.AI.ChatMessage> messages, Microsoft.Extensions.AI.ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("no model in this test");

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
