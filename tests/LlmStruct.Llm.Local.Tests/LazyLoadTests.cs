using LlmStruct.Llm.Chain;
using LlmStruct.Llm.Usage;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace LlmStruct.Llm.Local.Tests;

/// <summary>
/// A local model last in the chain is created on first use: while a provider before it answers, its 100 MB model file
/// is never read (its access time stays where the test put it), the client is never created, and the usage store has no
/// row for it. When the providers before it fail, it is tried, and a file that is not GGUF says so.
/// </summary>
[Collection("llama.cpp models")]
public sealed class LazyLoadTests : IDisposable
{
    private static readonly DateTime LongAgo = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "llmstruct-lazy-tests", Guid.NewGuid().ToString("n"));

    public LazyLoadTests() => Directory.CreateDirectory(_dir);

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

    /// <summary>A sparse 100 MB file of zeros whose access time is set long before its modification time.</summary>
    internal static string DummyModel(string path)
    {
        using (var file = File.Create(path))
        {
            file.SetLength(100L * 1024 * 1024);
        }
        File.SetLastAccessTimeUtc(path, LongAgo);
        return path;
    }

    /// <summary>
    /// Whether reading a file updates its access time here (relatime or strictatime: a read after the modification
    /// does). On a noatime file system the read cannot be observed this way, and only the other observables count.
    /// </summary>
    internal static bool ReadsAreVisible(string folder)
    {
        var probe = DummyModel(Path.Combine(folder, "atime-probe.bin"));
        using (var stream = File.OpenRead(probe))
        {
            stream.ReadExactly(new byte[4]);
        }
        bool visible = File.GetLastAccessTimeUtc(probe) != LongAgo;
        File.Delete(probe);
        return visible;
    }

    private ServiceProvider Chain(string modelPath, IChatClient first)
    {
        var services = new ServiceCollection();
        services.AddLlmStruct()
            .AddLlmStructLlm(o => o.UsageStorePath = Path.Combine(_dir, "usage.db"))
            .AddProvider(new LlmProviderSettings { Name = "cloud", Model = "cloud-model" }, _ => first)
            .AddLocalModel(new LocalModelOptions { Name = "qwen", ModelPath = modelPath, Threads = 1 });
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task LocalModelLast_NeverNeeded_IsNeverRead_NorCreated_NorMetered()
    {
        var model = DummyModel(Path.Combine(_dir, "qwen-100mb.gguf"));
        int loads = LocalModel.Loads;
        using var provider = Chain(model, new AnsweringClient());
        var assistant = provider.GetRequiredService<LlmAssistant>();

        var answer = await assistant.AskAsync("hello");
        var streamed = await assistant.AskAsync("hello again", onText: _ => { });

        Assert.Equal(("cloud", "cloud"), (answer.Provider, streamed.Provider));
        Assert.Equal(loads, LocalModel.Loads);
        var local = ((FallbackChatClient)assistant.ChatClient).Links.Single(l => l.Settings.Name == "qwen").Client;
        Assert.False(Assert.IsType<LazyChatClient>(local.GetService(typeof(LazyChatClient))).IsCreated);
        var usage = Assert.Single(await provider.GetRequiredService<IUsageStore>().SummarizeAsync());
        Assert.Equal(("cloud", 2L), (usage.Provider, usage.Calls));
        if (ReadsAreVisible(_dir))
        {
            Assert.Equal(LongAgo, File.GetLastAccessTimeUtc(model));
        }
    }

    [Fact]
    public async Task CloudFails_TheLocalDummyIsTried_AndSaysItIsNotAGgufModel()
    {
        var model = DummyModel(Path.Combine(_dir, "qwen-100mb.gguf"));
        using var provider = Chain(model, new FailingClient());
        var assistant = provider.GetRequiredService<LlmAssistant>();

        var error = await Assert.ThrowsAsync<LlmUnavailableException>(() => assistant.AskAsync("hello"));

        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(error.Message,
            $"cloud: [^;]*Connection refused[^;]*; qwen: [^;]*not a GGUF model file \\(no GGUF header\\): {System.Text.RegularExpressions.Regex.Escape(model)}"), error.Message);
        var local = ((FallbackChatClient)assistant.ChatClient).Links.Single(l => l.Settings.Name == "qwen").Client;
        Assert.True(Assert.IsType<LazyChatClient>(local.GetService(typeof(LazyChatClient))).IsCreated);
        var usage = await provider.GetRequiredService<IUsageStore>().SummarizeAsync();
        Assert.Equal(["cloud", "qwen"], usage.Select(u => u.Provider));
        Assert.All(usage, u => Assert.Equal((1L, 1L), (u.Calls, u.Failures)));
        if (ReadsAreVisible(_dir))
        {
            // The observable of the other test works: trying the model read its header.
            Assert.NotEqual(LongAgo, File.GetLastAccessTimeUtc(model));
        }
    }

    private sealed class AnsweringClient : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "cloud")));

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, "cloud");
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    private sealed class FailingClient : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new HttpRequestException("Connection refused (127.0.0.1:9)");

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new HttpRequestException("Connection refused (127.0.0.1:9)");

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
