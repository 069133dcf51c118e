using LlmStruct.Llm.Usage;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace LlmStruct.Llm.Local.Tests;

/// <summary>A tiny GGUF model written by the test, loaded by the real llama.cpp natives, really generating tokens.</summary>
// One collection with every class that loads models: LocalModel.Loads is process-wide, so a load in a parallel class would be counted here.
[Collection("llama.cpp models")]
public sealed class LocalModelTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "llmstruct-local-tests", Guid.NewGuid().ToString("n"));

    public LocalModelTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string ModelPath(string name = "tiny.gguf", string? chatTemplate = null) => TinyGguf.Write(Path.Combine(_dir, name), chatTemplate: chatTemplate);

    private static LocalModelOptions Options(string path, int maxTokens = 16, int gpuLayers = 0) => new()
    {
        GpuLayers = gpuLayers,
        Name = "local",
        ModelPath = path,
        ContextSize = TinyGguf.ContextLength,
        Threads = 1,
        MaxOutputTokens = maxTokens,
        Temperature = 0.8f,
        Seed = 1234,
    };

    [Fact]
    public void MissingFile_ClearError()
    {
        var path = Path.Combine(_dir, "absent.gguf");
        var ex = Assert.Throws<LocalModelException>(() => LocalModel.Load(Options(path)));
        Assert.Equal($"model file not found: {path}", ex.Message);
    }

    [Fact]
    public void NotAGgufFile_ClearError()
    {
        var path = Path.Combine(_dir, "model.gguf");
        File.WriteAllText(path, "this is not a model");
        var ex = Assert.Throws<LocalModelException>(() => LocalModel.Load(Options(path)));
        Assert.Equal($"not a GGUF model file (no GGUF header): {path}", ex.Message);
    }

    [Fact]
    public void TruncatedGguf_RefusedByLlamaCpp_ClearError()
    {
        var good = File.ReadAllBytes(ModelPath());
        var path = Path.Combine(_dir, "truncated.gguf");
        File.WriteAllBytes(path, good[..(good.Length / 2)]);
        var ex = Assert.Throws<LocalModelException>(() => LocalModel.Load(Options(path)));
        Assert.Contains("llama.cpp could not load the model", ex.Message);
        Assert.Contains(path, ex.Message);
        // The reason is llama.cpp's own (from its log), not a guess.
        Assert.DoesNotContain("no reason given", ex.Message);
    }

    [Fact]
    public void GpuLayers_OnTheCpuOnlyBackend_LogsThatTheyAreIgnored()
    {
        var logger = new ListLogger();
        using var model = LocalModel.Load(Options(ModelPath(), gpuLayers: 4), logger);
        Assert.Contains(logger.Lines, l => l.StartsWith("Warning: gpu_layers = 4 is ignored", StringComparison.Ordinal));
    }

    private sealed class ListLogger : Microsoft.Extensions.Logging.ILogger
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Lines)
            {
                Lines.Add($"{logLevel}: {formatter(state, exception)}");
            }
        }
    }

    [Fact]
    public void Tokenizer_IsTheModelsOwn()
    {
        using var model = LocalModel.Load(Options(ModelPath()));
        // "▁hello" and "▁world" are whole tokens of the tiny vocabulary; "xyzzy" falls back to letters.
        Assert.Equal(2, model.CountTokens("hello world"));
        Assert.Equal(6, model.CountTokens("xyzzy")); // "▁", then one letter each
        Assert.Equal(0, model.CountTokens(""));
        Assert.Equal((uint)TinyGguf.ContextLength, model.ContextSize);
    }

    [Fact]
    public async Task Generates_Tokens_WithUsage_AndRepeatsWithTheSameSeed()
    {
        using var model = LocalModel.Load(Options(ModelPath(), maxTokens: 12));
        using var client = model.AsChatClient();
        ChatMessage[] prompt = [new(ChatRole.System, "You are a test."), new(ChatRole.User, "hello world")];

        var first = await client.GetResponseAsync(prompt);
        var second = await client.GetResponseAsync(prompt);

        var usage = first.Usage!;
        Assert.True(usage.OutputTokenCount is > 0 and <= 12, $"generated {usage.OutputTokenCount} tokens");
        Assert.True(usage.InputTokenCount > model.CountTokens("You are a test. hello world"));
        Assert.Equal(first.Text, second.Text);
        Assert.Equal(usage.OutputTokenCount, second.Usage!.OutputTokenCount);
        Assert.DoesNotContain("<|im_end|>", first.Text);
    }

    [Fact]
    public void DeviceMemory_IsQueriedNatively_AndAbsentOnTheCpuBackend()
    {
        using var model = LocalModel.Load(Options(ModelPath()));
        using var client = model.AsChatClient();
        var probe = Assert.IsType<GgmlDeviceMemory>(client.GetService(typeof(IDeviceMemoryProbe)));

        Assert.Null(probe.UsedBytes());
        Assert.True(probe.Bound, "ggml_backend_dev_memory could not be bound");
        // The query itself works: the CPU device (type 0) reports the machine's memory.
        Assert.Contains(GgmlDeviceMemory.Devices(), d => d.Type == 0 && d.Total > 0 && d.Free <= d.Total);
    }

    [Fact]
    public async Task Streams_Pieces()
    {
        using var model = LocalModel.Load(Options(ModelPath(), maxTokens: 8));
        using var client = model.AsChatClient();
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "the code")]))
        {
            updates.Add(update);
        }
        Assert.True(updates.Count >= 2);
        var usage = updates.SelectMany(u => u.Contents).OfType<UsageContent>().Single();
        Assert.True(usage.Details.OutputTokenCount is > 0 and <= 8);
    }

    // Real Jinja chat templates as model files carry them. llama.cpp (which LLamaSharp's LLamaTemplate calls) does not
    // run Jinja: it recognises a known template by its markers and renders that format itself.
    private const string GemmaTemplate =
        "{{ bos_token }}{% if messages[0]['role'] == 'system' %}{{ raise_exception('System role not supported') }}{% endif %}"
        + "{% for message in messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
        + "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}"
        + "{% if (message['role'] == 'assistant') %}{% set role = 'model' %}{% else %}{% set role = message['role'] %}{% endif %}"
        + "{{ '<start_of_turn>' + role + '\\n' + message['content'] | trim + '<end_of_turn>\\n' }}{% endfor %}"
        + "{% if add_generation_prompt %}{{'<start_of_turn>model\\n'}}{% endif %}";

    private const string Qwen2Template =
        "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}"
        + "{{ '<|im_start|>system\\nYou are a helpful assistant.<|im_end|>\\n' }}{% endif %}"
        + "{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}"
        + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    private const string ChatMl = "<|im_start|>user\nhello world<|im_end|>\n<|im_start|>assistant\n";

    private static int PromptTokens(LocalModel model, string prompt) => model.Weights.Tokenize(prompt, add_bos: true, special: true, System.Text.Encoding.UTF8).Length;

    [Fact]
    public async Task ModelsChatTemplate_IsUsedWhenPresent()
    {
        // Gemma's format differs from the ChatML fallback, so the prompt's token count tells which one was used.
        using var model = LocalModel.Load(Options(ModelPath("gemma.gguf", chatTemplate: GemmaTemplate), maxTokens: 4));
        using var client = model.AsChatClient();

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "hello world")]);

        int gemma = PromptTokens(model, "<start_of_turn>user\nhello world<end_of_turn>\n<start_of_turn>model\n");
        Assert.NotEqual(PromptTokens(model, ChatMl), gemma);
        Assert.Equal(gemma, response.Usage!.InputTokenCount);
    }

    [Fact]
    public async Task Qwen2Template_RendersAsChatMl_AndTheFallbackWhenAbsent()
    {
        // llama.cpp renders any template with <|im_start|> as ChatML (Qwen's own default system line is not added: our
        // requests always carry a system message); a model without a template gets the same ChatML from the fallback.
        using var qwen = LocalModel.Load(Options(ModelPath("qwen2.gguf", chatTemplate: Qwen2Template), maxTokens: 4));
        using var plain = LocalModel.Load(Options(ModelPath(), maxTokens: 4));
        using var qwenClient = qwen.AsChatClient();
        using var plainClient = plain.AsChatClient();
        ChatMessage[] prompt = [new(ChatRole.User, "hello world")];

        var templated = await qwenClient.GetResponseAsync(prompt);
        var fallback = await plainClient.GetResponseAsync(prompt);

        Assert.Equal(PromptTokens(qwen, ChatMl), templated.Usage!.InputTokenCount);
        Assert.Equal(PromptTokens(plain, ChatMl), fallback.Usage!.InputTokenCount);
    }

    [Fact]
    public async Task PromptThatFitsOnlyWithoutTheAnswersAllowance_SkipsWithAClearReason()
    {
        // The prompt as the model sees it (ChatML around the text) fits the 256-token window on its own; the answer's
        // allowance decides: exactly the room left answers, one token more is skipped before llama.cpp is called.
        string text = string.Join(' ', Enumerable.Repeat("hello world", 100));
        ChatMessage[] prompt = [new(ChatRole.User, text)];
        int exact;
        using (var model = LocalModel.Load(Options(ModelPath())))
        {
            exact = PromptTokens(model, $"<|im_start|>user\n{text}<|im_end|>\n<|im_start|>assistant\n");
        }
        Assert.InRange(exact, 200, TinyGguf.ContextLength - 8);
        int room = TinyGguf.ContextLength - exact;

        async Task<(ServiceProvider Provider, ChatResponse Response, List<FallbackDecision> Decisions)> AskAsync(int maxTokens)
        {
            var services = new ServiceCollection();
            services.AddLlmStruct()
                .AddLlmStructLlm(o => o.UsageStorePath = Path.Combine(_dir, $"usage-{maxTokens}.db"))
                .AddLocalModel(Options(ModelPath(), maxTokens: maxTokens))
                .AddProvider(new LlmProviderSettings { Name = "echo", Model = "echo" }, _ => new EchoClient());
            var provider = services.BuildServiceProvider();
            var trace = LlmStruct.Llm.Chain.ChainTrace.Begin();
            var response = await provider.GetRequiredService<LlmAssistant>().ChatClient.GetResponseAsync(prompt);
            return (provider, response, trace.Decisions);
        }

        var (roomy, answered, roomyDecisions) = await AskAsync(room);
        using (roomy)
        {
            Assert.True("local".Equals(answered.AdditionalProperties?["llmstruct.provider"]), string.Join("\n", roomyDecisions));
        }
        var (tight, skipped, decisions) = await AskAsync(room + 1);
        using (tight)
        {
            Assert.Equal("echo", skipped.AdditionalProperties?["llmstruct.provider"]);
            var decision = decisions[0];
            Assert.Equal(("local", FallbackOutcome.SkippedContextWindow), (decision.Provider, decision.Outcome));
            Assert.Equal($"prompt of {exact} tokens plus {room + 1} for the answer does not fit the 256-token context window", decision.Reason);
            var store = await tight.GetRequiredService<IUsageStore>().SummarizeAsync();
            Assert.Equal(["echo"], store.Select(u => u.Provider));
        }
    }

    [Fact]
    public async Task PromptThatFitsOnlyWithoutTheAnswersAllowance_CalledDirectly_IsAClearError()
    {
        string text = string.Join(' ', Enumerable.Repeat("hello world", 100));
        using var model = LocalModel.Load(Options(ModelPath(), maxTokens: 64));
        using var client = model.AsChatClient();
        int exact = PromptTokens(model, $"<|im_start|>user\n{text}<|im_end|>\n<|im_start|>assistant\n");

        var error = await Assert.ThrowsAsync<LocalModelException>(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, text)]));

        Assert.Equal($"prompt of {exact} tokens plus 64 for the answer does not fit the 256-token context window of tiny", error.Message);
    }

    [Fact]
    public async Task ThroughTheChain_LoadsOnce_AnswersAndMeters()
    {
        int loadsBefore = LocalModel.Loads;
        var services = new ServiceCollection();
        services.AddLlmStruct()
            .AddLlmStructLlm(o => o.UsageStorePath = Path.Combine(_dir, "usage.db"))
            .AddLocalModel(Options(ModelPath(), maxTokens: 10));
        using var provider = services.BuildServiceProvider();
        var assistant = provider.GetRequiredService<LlmAssistant>();

        var answer = await assistant.AskAsync("hello world");
        var streamed = new List<string>();
        var again = await assistant.AskAsync("the code", onText: streamed.Add);

        Assert.Equal(loadsBefore + 1, LocalModel.Loads);
        Assert.Equal(("local", "tiny"), (answer.Provider, answer.Model));
        Assert.True(answer.CompletionTokens is > 0 and <= 10);
        Assert.Equal(again.Text, string.Concat(streamed));
        var usage = Assert.Single(await provider.GetRequiredService<IUsageStore>().SummarizeAsync());
        Assert.Equal((2L, 0L), (usage.Calls, usage.Failures));
        Assert.Equal(answer.CompletionTokens + again.CompletionTokens, usage.CompletionTokens);
    }

    [Fact]
    public async Task PromptLongerThanContext_CountedWithTheModelsTokenizer_SkipsToTheNextProvider()
    {
        var services = new ServiceCollection();
        services.AddLlmStruct()
            .AddLlmStructLlm(o => o.UsageStorePath = Path.Combine(_dir, "usage.db"))
            .AddLocalModel(Options(ModelPath(), maxTokens: 16))
            .AddProvider(new LlmProviderSettings { Name = "echo", Model = "echo" }, _ => new EchoClient());
        using var provider = services.BuildServiceProvider();
        var assistant = provider.GetRequiredService<LlmAssistant>();

        var answer = await assistant.AskAsync(string.Join(' ', Enumerable.Repeat("hello world", 150)));

        Assert.Equal("echo", answer.Provider);
        Assert.Equal(FallbackOutcome.SkippedContextWindow, answer.Decisions[0].Outcome);
        Assert.Contains("256-token context window", answer.Decisions[0].Reason);
    }

    [Fact]
    public async Task MissingModel_ThroughTheChain_FailsThatProviderWithTheReason()
    {
        var services = new ServiceCollection();
        var path = Path.Combine(_dir, "missing.gguf");
        services.AddLlmStruct()
            .AddLlmStructLlm(o => o.UsageStorePath = Path.Combine(_dir, "usage.db"))
            .AddLocalModel(Options(path))
            .AddProvider(new LlmProviderSettings { Name = "echo", Model = "echo" }, _ => new EchoClient());
        using var provider = services.BuildServiceProvider();

        var answer = await provider.GetRequiredService<LlmAssistant>().AskAsync("hi");

        Assert.Equal("echo", answer.Provider);
        Assert.Contains($"model file not found: {path}", answer.Decisions[0].Reason);
    }

    private sealed class EchoClient : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "echo")));

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, "echo");
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
