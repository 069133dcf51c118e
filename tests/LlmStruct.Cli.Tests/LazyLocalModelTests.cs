namespace LlmStruct.Cli.Tests;

/// <summary>
/// Through the CLI (the installed tool in CI): a local model last in the order, behind a cloud provider that answers, is
/// never read — its 100 MB (sparse) model file keeps the access time the test gave it, and neither stderr nor the usage
/// store mention it. When the cloud provider fails, the local one is tried, and a file that is not GGUF says so.
/// </summary>
public sealed class LazyLocalModelTests : IDisposable
{
    private static readonly DateTime LongAgo = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string DummyModel(string name)
    {
        var path = _dir.PathOf(name);
        using (var file = File.Create(path))
        {
            file.SetLength(100L * 1024 * 1024);
        }
        File.SetLastAccessTimeUtc(path, LongAgo);
        return path;
    }

    // relatime and strictatime show a read after the last write; noatime shows nothing (then only stderr and the store count).
    private bool ReadsAreVisible()
    {
        var probe = DummyModel("atime-probe.bin");
        using (var stream = File.OpenRead(probe))
        {
            stream.ReadExactly(new byte[4]);
        }
        return File.GetLastAccessTimeUtc(probe) != LongAgo;
    }

    private async Task<string> ProjectAsync(string cloudEndpoint)
    {
        _dir.Write("src/app.py", "def main():\n    return 1\n");
        var structPath = _dir.PathOf("struct.json");
        var parse = await CliRunner.RunAsync("parse", "-i", _dir.Root, "-o", structPath, "--quiet");
        Assert.True(parse.ExitCode == 0, parse.Error);
        _dir.Write("llmstruct.toml", $"""
            [llm]
            order = ["cloud", "qwen"]

            [[llm.providers]]
            name = "qwen"
            kind = "local"
            model_path = "qwen-100mb.gguf"
            threads = 1

            [[llm.providers]]
            name = "cloud"
            kind = "openai"
            endpoint = "{cloudEndpoint}"
            model = "fake-model"
            max_retries = 0
            """);
        return structPath;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task LocalModelLast_CloudAnswers_TheModelFileIsNeverRead(bool noStream)
    {
        using var server = FakeOpenAIServer.Start("From the cloud.");
        var model = DummyModel("qwen-100mb.gguf");
        var structPath = await ProjectAsync(server.Endpoint);

        var outcome = noStream
            ? await CliRunner.RunAsync("ask", "Hi?", "--struct", structPath, "--no-stream")
            : await CliRunner.RunAsync("ask", "Hi?", "--struct", structPath);

        Assert.True(outcome.ExitCode == 0, outcome.Error);
        Assert.Contains("answered by cloud (fake-model)", outcome.Error);
        Assert.DoesNotContain("qwen", outcome.Error);
        var document = await LlmStruct.Json.StructJson.ReadFileAsync(structPath);
        Assert.Equal(["cloud"], document.Metrics.Llm.Select(u => u.Provider));
        var store = await new LlmStruct.Llm.Usage.SqliteUsageStore(_dir.PathOf(".llmstruct/usage.db")).SummarizeAsync();
        Assert.Equal(["cloud"], store.Select(u => u.Provider));
        if (ReadsAreVisible())
        {
            Assert.Equal(LongAgo, File.GetLastAccessTimeUtc(model));
        }
    }

    [Fact]
    public async Task CloudFails_TheLocalDummyIsTried_AndSaysItIsNotAGgufModel()
    {
        var model = DummyModel("qwen-100mb.gguf");
        var structPath = await ProjectAsync($"http://127.0.0.1:{FakeOpenAIServer.FreePort()}/v1");

        var outcome = await CliRunner.RunAsync("ask", "Hi?", "--struct", structPath);

        Assert.Equal(ExitCodes.UsageOrIo, outcome.ExitCode);
        // The error line names each provider with its reason: the local one's says what is wrong with which file.
        Assert.Matches($"error: no LLM provider could answer: cloud: [^;]*; qwen: [^;]*not a GGUF model file \\(no GGUF header\\): {System.Text.RegularExpressions.Regex.Escape(model)}", outcome.Error);
        Assert.DoesNotContain("   at ", outcome.Error); // no stack trace
        var store = await new LlmStruct.Llm.Usage.SqliteUsageStore(_dir.PathOf(".llmstruct/usage.db")).SummarizeAsync();
        Assert.Equal([("cloud", 1L, 1L), ("qwen", 1L, 1L)], store.Select(u => (u.Provider, u.Calls, u.Failures)));
        if (ReadsAreVisible())
        {
            Assert.NotEqual(LongAgo, File.GetLastAccessTimeUtc(model)); // the observable above works: trying read the header
        }
    }
}
