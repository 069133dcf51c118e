using LlmStruct.Llm.Secrets;
using Microsoft.Extensions.AI;

namespace LlmStruct.Llm.Chain;

/// <summary>
/// Stands in for a provider whose client could not be created (missing key variable, missing model file…): every
/// call fails with the reason, so the chain logs it and moves on instead of the whole chain failing to start.
/// </summary>
internal sealed class UnavailableChatClient(string provider, Exception cause) : IChatClient
{
    private readonly string _reason = SecretRedactor.Redact(cause.Message);

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw Fail();

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw Fail();

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }

    private InvalidOperationException Fail() => new($"provider '{provider}' is unavailable: {_reason}");
}
