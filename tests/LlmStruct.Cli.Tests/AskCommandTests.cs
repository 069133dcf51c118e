using System.Collections.Concurrent;
using System.Net;
using System.Text;
using LlmStruct.Json;

namespace LlmStruct.Cli.Tests;

public class AskCommandTests
{
    // A real struct.json, made by the parse command from a one-file C# project.
    private static async Task WriteStructAsync(TempDir dir, string path)
    {
        dir.Write("src/App.cs", "namespace Demo;\n\n/// <summary>The app.</summary>\npublic static class App\n{\n    public static void Main() { Run(); }\n\n    private static void Run() { }\n}\n");
        var parse = await CliRunner.RunAsync("parse", "-i", dir.Root, "-o", path, "--quiet");
        Assert.True(parse.ExitCode == 0, parse.Error);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Ask_AnswersWithContext_PrintsProvider_AndUpdatesMetrics(bool noStream)
    {
        using var dir = new TempDir();
        using var server = FakeOpenAIServer.Start("App.Main in src/App.cs starts the app.");
        var structPath = dir.PathOf("struct.json");
        await WriteStructAsync(dir, structPath);
        dir.Write("llmstruct.toml", $"""
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
            """);

        var args = new List<string> { "ask", "Where does the app start?", "--struct", structPath };
        if (noStream)
        {
            args.Add("--no-stream");
        }
        var outcome = await CliRunner.RunAsync([.. args]);

        Assert.True(outcome.ExitCode == 0, outcome.Error);
        Assert.Equal("App.Main in src/App.cs starts the app.\n", outcome.Out.ReplaceLineEndings("\n"));
        Assert.Contains("down failed:", outcome.Error);
        Assert.Contains("answered by fake (fake-model): 21 prompt + 9 completion tokens", outcome.Error);
        var body = Assert.Single(server.Bodies);
        Assert.Contains("src/App.cs", body);
        Assert.Contains("App", body);
        Assert.Contains("method Main() -> void", body); // the ranked, token-budgeted context of `llmstruct context`
        Assert.Contains("Where does the app start?", body);
        Assert.Equal(!noStream, body.Contains("\"stream\":true", StringComparison.Ordinal));

        var document = await StructJson.ReadFileAsync(structPath);
        Assert.Equal(["down", "fake"], document.Metrics.Llm.Select(u => u.Provider));
        var fake = document.Metrics.Llm[1];
        Assert.Equal((1L, 0L, 21L, 9L), (fake.Calls, fake.Failures, fake.PromptTokens, fake.CompletionTokens));
        Assert.True(File.Exists(dir.PathOf(".llmstruct/usage.db")));
        var validation = await CliRunner.RunAsync("validate", structPath);
        Assert.True(validation.ExitCode == 0, validation.Out + validation.Error);
    }

    // Every cloud kind through the CLI (and, in CI, through the installed Native AOT tool): the presets with their
    // endpoint pointed at the fake server, Anthropic through its own protocol; streamed and not.
    [Theory]
    [InlineData("openai", false)]
    [InlineData("openai", true)]
    [InlineData("xai", false)]
    [InlineData("xai", true)]
    [InlineData("huggingface", false)]
    [InlineData("huggingface", true)]
    [InlineData("ollama", false)]
    [InlineData("ollama", true)]
    [InlineData("openrouter", false)]
    [InlineData("openrouter", true)]
    [InlineData("anthropic", false)]
    [InlineData("anthropic", true)]
    public async Task Ask_EveryCloudKind_Answers(string kind, bool noStream)
    {
        const string variable = "LLMSTRUCT_CLI_TEST_KEY";
        const string key = "sk-cli-test-0123456789abcdef";
        Environment.SetEnvironmentVariable(variable, key);
        using var dir = new TempDir();
        using var server = FakeOpenAIServer.Start("The app starts in App.Main.");
        var structPath = dir.PathOf("struct.json");
        await WriteStructAsync(dir, structPath);
        dir.Write("llmstruct.toml", $"""
            [[llm.providers]]
            name = "cloud"
            kind = "{kind}"
            endpoint = "{(kind == "anthropic" ? server.AnthropicEndpoint : server.Endpoint)}"
            api_key_env = "{variable}"
            model = "fake-model"
            max_retries = 0
            """);
        var args = new List<string> { "ask", "Where does the app start?", "--struct", structPath };
        if (noStream)
        {
            args.Add("--no-stream");
        }

        var outcome = await CliRunner.RunAsync([.. args]);

        Assert.True(outcome.ExitCode == 0, outcome.Error);
        Assert.Equal("The app starts in App.Main.\n", outcome.Out.ReplaceLineEndings("\n"));
        Assert.Contains("answered by cloud (fake-model): 21 prompt + 9 completion tokens", outcome.Error);
        var headers = Assert.Single(server.Headers);
        if (kind == "anthropic")
        {
            Assert.Equal((key, "2023-06-01"), (headers["x-api-key"], headers["anthropic-version"]));
        }
        else
        {
            Assert.Equal($"Bearer {key}", headers["Authorization"]);
        }
        Assert.DoesNotContain(key, outcome.Out + outcome.Error);
    }

    // A local GGUF model through llama.cpp: the native libraries load from wherever the CLI is installed (the current
    // folder is not the tool's), and the answer is streamed and metered like a cloud one.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Ask_WithALocalModel_AnswersThroughLlamaCpp(bool noStream)
    {
        using var dir = new TempDir();
        var structPath = dir.PathOf("struct.json");
        await WriteStructAsync(dir, structPath);
        LlmStruct.Llm.Local.Tests.TinyGguf.Write(dir.PathOf("tiny.gguf"));
        dir.Write("llmstruct.toml", """
            [[llm.providers]]
            name = "tiny"
            kind = "local"
            model_path = "tiny.gguf"
            context_window = 1024
            max_output_tokens = 6
            threads = 1
            """);

        var outcome = noStream
            ? await CliRunner.RunAsync("ask", "Where does the app start?", "--struct", structPath, "--no-stream")
            : await CliRunner.RunAsync("ask", "Where does the app start?", "--struct", structPath);

        Assert.True(outcome.ExitCode == 0, outcome.Error);
        Assert.Matches(@"answered by tiny \(tiny\.gguf|tiny\): \d+ prompt \+ [1-6] completion tokens", outcome.Error);
        Assert.NotEmpty(outcome.Out.Trim());
        var document = await StructJson.ReadFileAsync(structPath);
        var usage = Assert.Single(document.Metrics.Llm);
        Assert.Equal(("tiny", 1L, 0L), (usage.Provider, usage.Calls, usage.Failures));
    }

    [Fact]
    public async Task Ask_WithoutProviders_IsAUsageError()
    {
        using var dir = new TempDir();
        var structPath = dir.PathOf("struct.json");
        await WriteStructAsync(dir, structPath);

        var outcome = await CliRunner.RunAsync("ask", "Hi?", "--struct", structPath);

        Assert.Equal(ExitCodes.UsageOrIo, outcome.ExitCode);
        Assert.Contains("no LLM is configured", outcome.Error);
    }

    [Fact]
    public async Task Ask_EveryProviderDown_SaysWhy()
    {
        using var dir = new TempDir();
        var structPath = dir.PathOf("struct.json");
        await WriteStructAsync(dir, structPath);
        dir.Write("llmstruct.toml", $"""
            [[llm.providers]]
            name = "down"
            kind = "openai"
            endpoint = "http://127.0.0.1:{FakeOpenAIServer.FreePort()}/v1"
            model = "none"
            max_retries = 0
            """);

        var outcome = await CliRunner.RunAsync("ask", "Hi?", "--struct", structPath);

        Assert.Equal(ExitCodes.UsageOrIo, outcome.ExitCode);
        Assert.Contains("error: no LLM provider could answer: down:", outcome.Error);
    }
}
