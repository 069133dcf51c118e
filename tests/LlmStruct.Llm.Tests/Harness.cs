using System.Collections.Concurrent;
using LlmStruct.Llm.Cloud;
using LlmStruct.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmStruct.Llm.Tests;

/// <summary>Collects every formatted log line (and exception text) written through it.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public string All => string.Join("\n", Lines);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}

/// <summary>A service provider with the LLM chain over the given models, a temp usage store and a capturing logger.</summary>
public sealed class Harness : IDisposable
{
    private readonly ServiceProvider _provider;

    public Harness(Action<LlmBuilder> addModels, Action<LlmChainOptions>? configure = null)
    {
        Directory = Path.Combine(Path.GetTempPath(), "llmstruct-llm-tests", Guid.NewGuid().ToString("n"));
        System.IO.Directory.CreateDirectory(Directory);
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        var llm = services.AddLlmStruct().AddLlmStructLlm(o =>
        {
            o.UsageStorePath = StorePath;
            configure?.Invoke(o);
        });
        addModels(llm);
        _provider = services.BuildServiceProvider();
    }

    public string Directory { get; }

    public string StorePath => Path.Combine(Directory, ".llmstruct", "usage.db");

    public CapturingLoggerProvider Logs { get; } = new();

    public LlmAssistant Assistant => _provider.GetRequiredService<LlmAssistant>();

    public Usage.IUsageStore Store => _provider.GetRequiredService<Usage.IUsageStore>();

    public T Get<T>() where T : notnull => _provider.GetRequiredService<T>();

    public void Dispose()
    {
        _provider.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>The per-attempt timeout of <see cref="Cloud"/> unless one is given.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Cloud model options for a fake server, with fast retries and timeouts.</summary>
    public static CloudModelOptions Cloud(
        string name, Uri endpoint, CloudProtocol protocol = CloudProtocol.OpenAI, int retries = 1, int? contextWindow = null,
        int? dailyQuota = null, TimeSpan? timeout = null, string? apiKeyEnv = null, TimeSpan? idleTimeout = null,
        TimeSpan? retryDelay = null, TimeProvider? time = null) => new()
        {
            Name = name,
            Protocol = protocol,
            Model = $"{name}-model",
            Endpoint = endpoint,
            // Anthropic's API (and the fake server) rejects a request without x-api-key.
            ApiKeyEnv = apiKeyEnv ?? (protocol == CloudProtocol.Anthropic ? AnthropicKeyVariable : null),
            MaxRetries = retries,
            RetryDelay = retryDelay ?? TimeSpan.FromMilliseconds(50),
            Timeout = timeout ?? DefaultTimeout,
            Time = time ?? TimeProvider.System,
            IdleTimeout = idleTimeout ?? TimeSpan.FromSeconds(10),
            ContextWindow = contextWindow,
            DailyQuota = dailyQuota,
            MaxOutputTokens = 64,
        };

    /// <summary>The variable that holds the test key of Anthropic-protocol providers (set for the whole test run).</summary>
    public const string AnthropicKeyVariable = "LLMSTRUCT_TEST_ANTHROPIC_KEY";

    /// <summary>The key itself: fake, but shaped like a real one so redaction applies.</summary>
    public const string AnthropicKey = "sk-ant-test-0123456789abcdef";

    static Harness() => Environment.SetEnvironmentVariable(AnthropicKeyVariable, AnthropicKey);

    /// <summary>An endpoint where nothing listens (a port just released).</summary>
    public static Uri RefusedEndpoint() => new($"http://127.0.0.1:{LoopbackListener.FreePort()}/v1");
}
