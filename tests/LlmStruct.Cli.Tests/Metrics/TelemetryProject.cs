namespace LlmStruct.Cli.Tests.Metrics;

/// <summary>The telemetry tests share the process-wide meter: they run alone, one after another.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "telemetry (alone: the LlmStruct meter is process-wide)";
}

/// <summary>
/// A small Python project with two providers (<c>down</c>: a port nothing listens on; <c>fake</c>: the fake OpenAI
/// server, with an API key from the environment), and the texts that must never leave the process in telemetry:
/// the question, a line of file content and the key.
/// </summary>
internal sealed class TelemetryProject : IDisposable
{
    public const string KeyVariable = "LLMSTRUCT_TELEMETRY_TEST_KEY";
    public const string ApiKey = "sk-telemetry-test-9f8e7d6c5b4a3210";
    public const string Question = "Where does the zebra_question_4711 start?";
    public const string FileText = "quokka_file_content_2718";
    public const int SourceFiles = 3;

    private readonly TempDir _dir = new();

    public TelemetryProject(FakeOpenAIServer llm)
    {
        Environment.SetEnvironmentVariable(KeyVariable, ApiKey);
        _dir.Write("app/__init__.py", "");
        _dir.Write("app/pricing.py", $"\"\"\"Prices: {FileText}.\"\"\"\nfrom .tax import tax_for\n\n\ndef total(net: int) -> int:\n    return net + tax_for(net)\n");
        _dir.Write("app/tax.py", "def tax_for(net: int) -> int:\n    return net // 5\n");
        _dir.Write("llmstruct.toml", $"""
            [[llm.providers]]
            name = "down"
            kind = "openai"
            endpoint = "http://127.0.0.1:{FakeOpenAIServer.FreePort()}/v1"
            model = "none"
            max_retries = 0

            [[llm.providers]]
            name = "fake"
            kind = "openai"
            endpoint = "{llm.Endpoint}"
            api_key_env = "{KeyVariable}"
            model = "fake-model"
            max_retries = 0
            """);
    }

    public string Root => _dir.Root;

    public string Struct => _dir.PathOf("struct.json");

    /// <summary>Runs the CLI in this process (so its instruments reach this process's listeners).</summary>
    public static async Task<CliOutcome> CliAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = await CliApp.RunAsync(args, stdout, stderr);
        return new CliOutcome(code, stdout.ToString(), stderr.ToString());
    }

    public async Task ParseAsync(params string[] extra)
    {
        var outcome = await CliAsync(["parse", "--input", Root, "--output", Struct, "--quiet", .. extra]);
        Assert.True(outcome.ExitCode == 0, outcome.Error);
    }

    public async Task AskAsync(params string[] extra)
    {
        var outcome = await CliAsync(["ask", Question, "--struct", Struct, "--no-stream", .. extra]);
        Assert.True(outcome.ExitCode == 0, outcome.Error);
        Assert.Contains("answered by fake (fake-model)", outcome.Error, StringComparison.Ordinal);
    }

    /// <summary>Fails when <paramref name="exported"/> holds the question, the file's text or the key.</summary>
    public static void AssertNothingLeaks(string what, string exported)
    {
        foreach (var secret in new[] { Question, "zebra_question_4711", FileText, ApiKey })
        {
            Assert.False(exported.Contains(secret, StringComparison.Ordinal), $"{what} holds '{secret}'");
        }
    }

    public void Dispose() => _dir.Dispose();
}
