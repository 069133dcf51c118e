using System.Runtime.CompilerServices;
using System.Text;
using LLama;
using LLama.Common;
using LLama.Sampling;
using LlmStruct.Llm.Local.Grammar;
using LlmStruct.Llm.Tokens;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace LlmStruct.Llm.Local;

/// <summary>
/// A <see cref="LocalModel"/> as an <see cref="IChatClient"/>: formats the conversation with the model's chat template
/// (ChatML, Qwen's format, when the file has none), generates with a stateless executor, and reports usage counted
/// with the model's own tokenizer. A request for JSON of a schema samples under the schema's grammar
/// (<see cref="JsonSchemaGrammar"/>). Calls are serialised: one generation at a time per model.
/// </summary>
internal sealed class LocalChatClient(LocalModel model, ILogger? logger) : IChatClient
{
    private static readonly GgmlDeviceMemory DeviceMemory = new();
    private static readonly string[] StopTexts = ["<|im_end|>", "<|endoftext|>", "</s>"];
    private readonly SemaphoreSlim _gate = new(1, 1);


    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            updates.Add(update);
        }
        return updates.ToChatResponse();
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var prompt = model.FormatPrompt(messages);
        int promptTokens = model.CountPrompt(prompt);
        int maxTokens = options?.MaxOutputTokens ?? model.Options.MaxOutputTokens;
        if (promptTokens + maxTokens > model.ContextSize)
        {
            // The chain skips such a prompt before it gets here (counted the same way); a direct caller gets the reason,
            // not llama.cpp's overflow in the middle of the answer.
            throw new LocalModelException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"prompt of {promptTokens} tokens plus {maxTokens} for the answer does not fit the {model.ContextSize}-token context window of {model.Options.DisplayModel}"));
        }
        uint seed = options?.Seed is long requested ? unchecked((uint)requested) : model.Options.Seed;
        LLama.Sampling.Grammar? grammar = null;
        if (options?.ResponseFormat is ChatResponseFormatJson { Schema: { } schema })
        {
            // The answer can only be JSON valid against the schema, and always ends within the token allowance.
            var translated = JsonSchemaGrammar.Translate(schema, maxTokens);
            if (translated.MaxBytes > maxTokens)
            {
                logger?.LogWarning(
                    "The JSON schema's shortest bounded answer ({Bytes} bytes) may not fit {Tokens} output tokens; the answer may be cut short",
                    translated.MaxBytes == long.MaxValue ? "unbounded" : translated.MaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), maxTokens);
            }
            grammar = new LLama.Sampling.Grammar(translated.Gbnf, "root");
        }
        var sampling = (options?.Temperature ?? model.Options.Temperature) is float temperature
            ? new DefaultSamplingPipeline { Seed = seed, Temperature = temperature, Grammar = grammar, LogitBias = Bias(grammar) }
            : new DefaultSamplingPipeline { Seed = seed, Grammar = grammar, LogitBias = Bias(grammar) };
        var inference = new InferenceParams
        {
            MaxTokens = maxTokens,
            AntiPrompts = StopTexts,
            SamplingPipeline = sampling,
        };

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var executor = new StatelessExecutor(model.Weights, model.Parameters, logger);
            int completionTokens = 0;
            var pending = new StringBuilder();
            await foreach (var piece in executor.InferAsync(prompt, inference, cancellationToken).ConfigureAwait(false))
            {
                completionTokens++;
                // Hold back text that may be the start of a stop marker, so the marker never reaches the caller.
                pending.Append(piece);
                var (ready, stop) = SplitAtStop(pending);
                if (ready.Length > 0)
                {
                    yield return new ChatResponseUpdate(ChatRole.Assistant, ready) { ModelId = model.Options.DisplayModel };
                }
                // Stop at the allowance ourselves: the executor would first feed the last token back into the context,
                // which overflows a prompt that fills the window up to exactly the allowance.
                if (stop || completionTokens >= maxTokens)
                {
                    break;
                }
            }
            if (pending.Length > 0 && !StopTexts.Any(s => s.StartsWith(pending.ToString(), StringComparison.Ordinal)))
            {
                yield return new ChatResponseUpdate(ChatRole.Assistant, pending.ToString()) { ModelId = model.Options.DisplayModel };
            }
            yield return new ChatResponseUpdate
            {
                Role = ChatRole.Assistant,
                ModelId = model.Options.DisplayModel,
                FinishReason = completionTokens >= inference.MaxTokens ? ChatFinishReason.Length : ChatFinishReason.Stop,
                Contents = [new UsageContent(new UsageDetails { InputTokenCount = promptTokens, OutputTokenCount = completionTokens, TotalTokenCount = promptTokens + completionTokens })],
            };
        }
        finally
        {
            _gate.Release();
        }
    }

    // llama.cpp's grammar reads a control token as its text ("<s>" can fill a JSON string), while the answer's text
    // leaves it out: under a grammar, control tokens other than end-of-generation are never sampled.
    private Dictionary<LLama.Native.LLamaToken, float> Bias(LLama.Sampling.Grammar? grammar) =>
        grammar is null ? [] : model.ControlTokens.ToDictionary(t => t, _ => float.NegativeInfinity);

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        if (serviceKey is not null)
        {
            return null;
        }
        if (serviceType == typeof(IPromptTokenCounter) || serviceType == typeof(LocalModel))
        {
            return model;
        }
        if (serviceType == typeof(Usage.IDeviceMemoryProbe))
        {
            return DeviceMemory;
        }
        if (serviceType == typeof(ChatClientMetadata))
        {
            return new ChatClientMetadata("llama.cpp", null, model.Options.DisplayModel);
        }
        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>The text before any stop marker that is complete or may still be completing; the rest stays pending.</summary>
    internal static (string Ready, bool Stop) SplitAtStop(StringBuilder pending)
    {
        var text = pending.ToString();
        foreach (var stop in StopTexts)
        {
            int at = text.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0)
            {
                pending.Clear();
                return (text[..at], true);
            }
        }
        int keep = 0;
        foreach (var stop in StopTexts)
        {
            for (int n = Math.Min(stop.Length - 1, text.Length); n > keep; n--)
            {
                if (text.AsSpan(text.Length - n).SequenceEqual(stop.AsSpan(0, n)))
                {
                    keep = n;
                    break;
                }
            }
        }
        pending.Clear().Append(text, text.Length - keep, keep);
        return (text[..^keep], false);
    }
}
