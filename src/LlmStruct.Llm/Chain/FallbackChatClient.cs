using LlmStruct.Llm.Secrets;
using LlmStruct.Llm.Telemetry;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace LlmStruct.Llm.Chain;

/// <summary>One provider in the chain: its settings and its fully composed client (quota, context fit, metering, retries).</summary>
internal sealed record ChainLink(LlmProviderSettings Settings, IChatClient Client);

/// <summary>
/// Asks the providers in order and returns the first answer. A provider is skipped when its middleware says so
/// (context window, daily quota) and passed over when it fails after its own retries; every decision is logged and
/// recorded, and the response (every streamed update) names the provider that answered (<see cref="ProviderKey"/>).
/// A streamed answer falls back only until its first update arrives; a failure after that ends the stream with
/// <see cref="LlmStreamInterruptedException"/> (redacted, one line).
/// </summary>
internal sealed class FallbackChatClient(IReadOnlyList<ChainLink> links, ILogger logger) : IChatClient
{
    /// <summary>Key of the answering provider's name in <see cref="ChatResponse.AdditionalProperties"/>.</summary>
    public const string ProviderKey = "llmstruct.provider";

    public IReadOnlyList<ChainLink> Links => links;

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages as IReadOnlyCollection<ChatMessage> ?? [.. messages];
        var decisions = new List<FallbackDecision>();
        foreach (var link in links)
        {
            try
            {
                var response = await link.Client.GetResponseAsync(list, options, cancellationToken).ConfigureAwait(false);
                Answered(link, decisions);
                (response.AdditionalProperties ??= [])[ProviderKey] = link.Settings.Name;
                return response;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                PassOver(link, ex, decisions);
            }
        }
        throw new LlmUnavailableException(decisions);
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var list = messages as IReadOnlyCollection<ChatMessage> ?? [.. messages];
        var decisions = new List<FallbackDecision>();
        foreach (var link in links)
        {
            IAsyncEnumerator<ChatResponseUpdate>? enumerator = null;
            bool hasFirst;
            try
            {
                enumerator = link.Client.GetStreamingResponseAsync(list, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
                hasFirst = await enumerator.MoveNextAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                if (enumerator is not null)
                {
                    await DisposeQuietlyAsync(enumerator).ConfigureAwait(false);
                }
                PassOver(link, ex, decisions);
                continue;
            }

            await using (enumerator.ConfigureAwait(false))
            {
                Answered(link, decisions);
                if (!hasFirst)
                {
                    yield break;
                }
                while (true)
                {
                    var update = enumerator.Current;
                    (update.AdditionalProperties ??= [])[ProviderKey] = link.Settings.Name;
                    yield return update;
                    bool more;
                    try
                    {
                        more = await enumerator.MoveNextAsync().ConfigureAwait(false);
                    }
                    catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                    {
                        // Part of the answer is already with the caller: no fallback can take it back, so the stream
                        // ends with one redacted line that says who broke off and why.
                        var failure = SecretRedactor.Redact(Describe(ex));
                        logger.LogWarning("LLM provider {Provider} broke off its streamed answer: {Failure}", link.Settings.Name, failure);
                        throw new LlmStreamInterruptedException(link.Settings.Name, failure);
                    }
                    if (!more)
                    {
                        break;
                    }
                }
            }
            yield break;
        }
        throw new LlmUnavailableException(decisions);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
        foreach (var link in links)
        {
            link.Client.Dispose();
        }
    }

    private void Answered(ChainLink link, List<FallbackDecision> decisions)
    {
        decisions.Add(new FallbackDecision(link.Settings.Name, FallbackOutcome.Answered, ""));
        logger.LogInformation("LLM provider {Provider} ({Model}) answered", link.Settings.Name, link.Settings.Model);
        if (ChainTrace.Current is { } trace)
        {
            trace.Decisions.AddRange(decisions);
            trace.Provider = link.Settings.Name;
            trace.Model = link.Settings.Model;
        }
    }

    private void PassOver(ChainLink link, Exception ex, List<FallbackDecision> decisions)
    {
        if (ex is ProviderSkippedException skipped)
        {
            var reason = SecretRedactor.Redact(skipped.Message);
            decisions.Add(new FallbackDecision(link.Settings.Name, skipped.Outcome, reason));
            LlmTelemetry.RecordSkip(link.Settings, skipped.Outcome);
            logger.LogInformation("LLM provider {Provider} skipped: {Reason}", link.Settings.Name, reason);
            return;
        }
        var failure = SecretRedactor.Redact(Describe(ex));
        decisions.Add(new FallbackDecision(link.Settings.Name, FallbackOutcome.Failed, failure));
        LlmTelemetry.RecordFallback(link.Settings, ex);
        logger.LogWarning("LLM provider {Provider} failed, trying the next one: {Failure}", link.Settings.Name, failure);
    }

    // The server's own words (after the SDK's status line) and the inner causes (a refused socket, a timeout) say
    // most; all of it is redacted by the caller, and kept to one line of bounded length.
    private static string Describe(Exception ex)
    {
        var parts = new List<string>();
        for (var e = ex; e is not null && parts.Count < 3; e = e.InnerException)
        {
            var message = string.Join(' ', e.Message.Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            parts.Add($"{e.GetType().Name}: {(message.Length <= 300 ? message : message[..300] + "…")}");
        }
        return string.Join(" <- ", parts);
    }

    private static async Task DisposeQuietlyAsync(IAsyncEnumerator<ChatResponseUpdate> enumerator)
    {
        try
        {
            await enumerator.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Disposing a failed stream can fail again; the first failure is the one reported.
        }
    }
}
