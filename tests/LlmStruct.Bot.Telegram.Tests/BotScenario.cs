using System.Collections.Concurrent;
using System.Diagnostics;
using LlmStruct.Bot.Telegram.Hosting;
using LlmStruct.Bot.Telegram.Tests.Fakes;
using LlmStruct.Llm.Tests.Servers;
using LlmStruct.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

#pragma warning disable MEAI001 // experimental speech-to-text abstraction (local Whisper)

namespace LlmStruct.Bot.Telegram.Tests;

/// <summary>
/// A temporary git repository with a small Python project (parsed into struct.json by the real pipeline), the fake
/// Bot API, LLM and transcription servers on 127.0.0.1, and the bot polling them, its log lines captured.
/// </summary>
public sealed class BotScenario : IAsyncDisposable
{
    public const long Owner = 111_222_333;
    public const long Stranger = 444_555_666;
    public const long Group = -100_777;
    public const string Token = "7012345678:AAFakeTokenForTests_0123456789abcdefXYZ";
    public const string GitHubToken = "ghp_fakeGitHubTokenForTests0123";

    public const string Plan = """{"summary":"Reject negative prices in total.","affected_files":["app/pricing.py"],"affected_symbols":["app/pricing.py#total"],"steps":["Check the net amount","Raise ValueError"],"risks":["Refunds"],"estimate":"small"}""";

    public const string PricingBefore = "def total(prices: list[int]) -> int:\n    return sum(prices)\n";

    public const string Diff = "--- a/app/pricing.py\n+++ b/app/pricing.py\n@@ -1,2 +1,4 @@\n def total(prices: list[int]) -> int:\n+    if any(p < 0 for p in prices):\n+        raise ValueError(\"negative price\")\n     return sum(prices)\n";

    private readonly CancellationTokenSource _stop = new();
    private Task? _bot;
    private Func<string, Microsoft.Extensions.AI.ISpeechToTextClient>? _localWhisper;

    private BotScenario(string root, FakeTelegramServer telegram, FakeLlmServer llm, FakeTranscriptionServer speech)
    {
        Root = root;
        Telegram = telegram;
        Llm = llm;
        Speech = speech;
    }

    public string Root { get; }

    public FakeTelegramServer Telegram { get; }

    public FakeLlmServer Llm { get; }

    public FakeTranscriptionServer Speech { get; }

    /// <summary>The log without the poll lines, for failure messages.</summary>
    public string Log => string.Join('\n', Logs.Where(l => !l.Contains("getUpdates: 200", StringComparison.Ordinal)));

    /// <summary>Every log line the bot wrote (formatted, with exceptions).</summary>
    public ConcurrentQueue<string> Logs { get; } = new();

    public string Pricing => File.ReadAllText(Path.Combine(Root, "app", "pricing.py"));

    /// <summary>Starts everything; <paramref name="telegramToml"/> is added to the [telegram] section.</summary>
    public static async Task<BotScenario> StartAsync(string telegramToml = "", string transcription = "Reject negative prices", string transcriptionToml = "", Func<BotScenario, Task>? beforeStart = null,
        Func<string, Microsoft.Extensions.AI.ISpeechToTextClient>? localWhisper = null)
    {
        var root = Directory.CreateTempSubdirectory("llmstruct-bot-").FullName;
        var telegram = await FakeTelegramServer.StartAsync(Token);
        var llm = await FakeLlmServer.StartAsync();
        var speech = await FakeTranscriptionServer.StartAsync(transcription);
        var scenario = new BotScenario(root, telegram, llm, speech) { _localWhisper = localWhisper };
        scenario.Write("app/__init__.py", "");
        scenario.Write("app/pricing.py", PricingBefore);
        scenario.Write(".gitignore", ".llmstruct/\n");
        scenario.Write("llmstruct.toml", $"""
            [project]
            name = "shop"

            [llm]
            order = ["fake"]

            [[llm.providers]]
            name = "fake"
            kind = "openai"
            endpoint = "{llm.OpenAIEndpoint}"
            model = "fake-model"
            max_retries = 0
            daily_quota = 100

            [[tasks]]
            id = "TSK-001"
            title = "Reject negative prices"
            status = "open"

            [telegram]
            allowed_users = [{Owner}]
            poll_timeout_seconds = 1
            {telegramToml}

            [telegram.transcription]
            endpoint = "{speech.Endpoint}"
            model = "whisper-test"
            api_key_env = "LLMSTRUCT_TEST_STT_KEY"
            {transcriptionToml}
            """);
        await scenario.ParseAsync();
        Git(root, "init", "-q", "-b", "main");
        Git(root, "add", "-A");
        Git(root, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "initial");
        if (beforeStart is not null)
        {
            await beforeStart(scenario);
        }
        scenario.StartBot();
        return scenario;
    }

    public void Write(string relative, string text)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text.ReplaceLineEndings("\n"));
    }

    public async Task ParseAsync()
    {
        var services = new ServiceCollection();
        services.AddLlmStruct().AddPythonParser();
        await using var provider = services.BuildServiceProvider();
        var result = await provider.GetRequiredService<StructPipeline>().RunAsync(new PipelineRequest { Root = Root, MaxDegreeOfParallelism = 1 });
        await StructFileWriter.WriteAsync(Path.Combine(Root, "struct.json"), result.Document);
    }

    /// <summary>The files of the project, by relative path (struct.json, .git and .llmstruct left out).</summary>
    public SortedDictionary<string, string> Files()
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(Root, path).Replace('\\', '/');
            if (!relative.StartsWith(".git/", StringComparison.Ordinal) && !relative.StartsWith(".llmstruct/", StringComparison.Ordinal) && relative != "struct.json")
            {
                files[relative] = File.ReadAllText(path);
            }
        }
        return files;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_bot is not null)
        {
            try
            {
                await _bot;
            }
            catch (OperationCanceledException)
            {
            }
        }
        await Telegram.DisposeAsync();
        await Llm.DisposeAsync();
        await Speech.DisposeAsync();
        _stop.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>The bot's task (faults when the bot stops with an error).</summary>
    public Task BotTask => _bot!;

    private void StartBot()
    {
        var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new ListLoggerProvider(Logs)));
        var request = new TelegramBotRequest
        {
            ProjectDirectory = Root,
            Token = Token,
            ApiBaseUrl = Telegram.BaseUrl,
            LlmServices = LlmStruct.Serve.Tests.TestLlm.Services,
            LocalWhisper = _localWhisper,
            Environment = name => name switch
            {
                "LLMSTRUCT_TEST_STT_KEY" => "stt-key-123",
                "GITHUB_TOKEN" => GitHubToken,
                _ => null,
            },
        };
        _bot = Task.Run(() => TelegramBot.RunAsync(request, loggers, _stop.Token));
    }

    /// <summary>True when git succeeds with <paramref name="args"/> in <paramref name="root"/>.</summary>
    public static bool GitSucceeds(string root, params string[] args) => RunGit(root, args).ExitCode == 0;

    /// <summary>git's output; a failure fails the test with git's message.</summary>
    public static string Git(string root, params string[] args)
    {
        var (code, output, error) = RunGit(root, args);
        Assert.True(code == 0, $"git {string.Join(' ', args)}: {error}");
        return output;
    }

    private static (int ExitCode, string Output, string Error) RunGit(string root, string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var git = Process.Start(start)!;
        var error = git.StandardError.ReadToEndAsync();
        var output = git.StandardOutput.ReadToEnd();
        git.WaitForExit();
        return (git.ExitCode, output, error.Result);
    }

    private sealed class ListLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new ListLogger(lines, categoryName);

        public void Dispose()
        {
        }
    }

    private sealed class ListLogger(ConcurrentQueue<string> lines, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : " " + exception)}");
    }
}
