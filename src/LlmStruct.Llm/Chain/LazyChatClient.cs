using Microsoft.Extensions.AI;

namespace LlmStruct.Llm.Chain;

/// <summary>
/// Creates a provider's client on its first call, not when the chain is built: a local model last in the order is
/// never loaded while a provider before it answers. A client that cannot be created becomes an
/// <see cref="UnavailableChatClient"/> (every call fails with the reason, so the chain moves on).
/// </summary>
internal sealed class LazyChatClient(string provider, Func<IChatClient> factory) : IChatClient
{
    private readonly Lazy<IChatClient> _client = new(() => Create(provider, factory), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Whether the client has been created (the model loaded, for a local one).</summary>
    public bool IsCreated => _client.IsValueCreated;

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        _client.Value.GetResponseAsync(messages, options, cancellationToken);

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        _client.Value.GetStreamingResponseAsync(messages, options, cancellationToken);

    // The chain's middleware asks for services (the model's tokenizer for the context fit) only right before it calls
    // this provider, so answering creates the client: that is its first use.
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : _client.Value.GetService(serviceType, serviceKey);

    public void Dispose()
    {
        if (_client.IsValueCreated)
        {
            _client.Value.Dispose();
        }
    }

    private static IChatClient Create(string provider, Func<IChatClient> factory)
    {
        try
        {
            return factory();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Whatever keeps one provider from starting (a missing key or model file, a native library that does
            // not load) must not keep the others from answering.
            return new UnavailableChatClient(provider, ex);
        }
    }
}
