using System.Text;
using LLama;
using LLama.Common;
using LLama.Exceptions;
using LlmStruct.Llm.Tokens;
using Microsoft.Extensions.Logging;

namespace LlmStruct.Llm.Local;

/// <summary>
/// A GGUF model loaded once into memory, with its own tokenizer. Every chat call creates a fresh llama.cpp context
/// over the same weights, so the (large) weights are read once and reused.
/// </summary>
public sealed class LocalModel : IPromptTokenCounter, IConversationTokenCounter, IDisposable
{
    private static int _loads;

    private LocalModel(LocalModelOptions options, ModelParams parameters, LLamaWeights weights)
    {
        Options = options;
        Parameters = parameters;
        Weights = weights;
    }

    /// <summary>The options the model was loaded with.</summary>
    public LocalModelOptions Options { get; }

    /// <summary>Context size in tokens of every context created for this model.</summary>
    public uint ContextSize => Parameters.ContextSize ?? (uint)Weights.ContextSize;

    /// <summary>How often any model was loaded in this process (lets tests prove a model is loaded once).</summary>
    internal static int Loads => Volatile.Read(ref _loads);

    internal ModelParams Parameters { get; }

    internal LLamaWeights Weights { get; }

    /// <summary>Tokens whose text differs when rendered as special (control tokens), end-of-generation ones excepted.</summary>
    internal IReadOnlyList<LLama.Native.LLamaToken> ControlTokens => LazyInitializer.EnsureInitialized(ref _controlTokens, FindControlTokens);

    private List<LLama.Native.LLamaToken>? _controlTokens;

    private List<LLama.Native.LLamaToken> FindControlTokens()
    {
        var vocab = Weights.Vocab;
        var ends = new HashSet<int>();
        foreach (var end in new[] { vocab.EOS, vocab.EOT })
        {
            if (end is { } token)
            {
                ends.Add((int)token);
            }
        }
        var found = new List<LLama.Native.LLamaToken>();
        for (int id = 0; id < vocab.Count; id++)
        {
            if (ends.Contains(id))
            {
                continue;
            }
            var token = (LLama.Native.LLamaToken)id;
            if (!string.Equals(vocab.LLamaTokenToString(token, true), vocab.LLamaTokenToString(token, false), StringComparison.Ordinal))
            {
                found.Add(token);
            }
        }
        return found;
    }

    /// <summary>
    /// Loads the model. Throws <see cref="LocalModelException"/> when the file is missing, is not a GGUF file, or
    /// llama.cpp cannot load it.
    /// </summary>
    public static LocalModel Load(LocalModelOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var path = Path.GetFullPath(options.ModelPath);
        CheckFile(path);
        NativeLibrarySetup.Use(options.NativeLibraryPath);
        NativeLog.EnsureConfigured(logger);

        var parameters = new ModelParams(path)
        {
            ContextSize = options.ContextSize,
            GpuLayerCount = options.GpuLayers,
        };
        if (options.Threads is int threads)
        {
            parameters.Threads = threads;
            parameters.BatchThreads = threads;
        }
        try
        {
            Interlocked.Increment(ref _loads);
            NativeLog.ClearErrors();
            var weights = LLamaWeights.LoadFromFile(parameters);
            if (options.GpuLayers > 0 && !LLama.Native.NativeApi.llama_supports_gpu_offload())
            {
                logger?.LogWarning("gpu_layers = {GpuLayers} is ignored: the llama.cpp backend in use runs on the CPU only", options.GpuLayers);
            }
            return new LocalModel(options, parameters, weights);
        }
        catch (LoadWeightsFailedException ex)
        {
            // llama.cpp says why only in its log: its last error lines are the reason.
            var reason = NativeLog.RecentErrorText();
            throw new LocalModelException(
                $"llama.cpp could not load the model {path}: {(reason.Length > 0 ? reason : "no reason given (corrupt, truncated, or an unsupported architecture)")}", ex);
        }
    }

    /// <summary>Exact number of tokens <paramref name="text"/> takes in this model's vocabulary (no BOS token added).</summary>
    public int CountTokens(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length == 0 ? 0 : Weights.Tokenize(text, add_bos: false, special: true, Encoding.UTF8).Length;
    }

    /// <summary>Tokens of the conversation as the model sees it: formatted with its chat template, with the BOS token.</summary>
    int IConversationTokenCounter.CountConversation(IEnumerable<Microsoft.Extensions.AI.ChatMessage> messages) => CountPrompt(FormatPrompt(messages));

    /// <summary>Tokens of a formatted prompt (<see cref="FormatPrompt"/>), BOS included, special tokens parsed.</summary>
    internal int CountPrompt(string prompt) => Weights.Tokenize(prompt, add_bos: true, special: true, Encoding.UTF8).Length;

    /// <summary>
    /// The conversation as one prompt: with the model's chat template when the file has one (llama.cpp renders the
    /// formats it knows), else ChatML, Qwen's format; either way ending with the opening of the assistant's reply.
    /// </summary>
    internal string FormatPrompt(IEnumerable<Microsoft.Extensions.AI.ChatMessage> messages)
    {
        if (Weights.Metadata.ContainsKey("tokenizer.chat_template"))
        {
            var template = new LLamaTemplate(Weights) { AddAssistant = true };
            foreach (var message in messages)
            {
                template.Add(message.Role.Value, message.Text);
            }
            return LLama.Transformers.PromptTemplateTransformer.ToModelPrompt(template);
        }
        var prompt = new StringBuilder();
        foreach (var message in messages)
        {
            prompt.Append("<|im_start|>").Append(message.Role.Value).Append('\n').Append(message.Text).Append("<|im_end|>\n");
        }
        return prompt.Append("<|im_start|>assistant\n").ToString();
    }

    /// <summary>The model as an <see cref="Microsoft.Extensions.AI.IChatClient"/> (streaming and not), reporting token usage.</summary>
    public Microsoft.Extensions.AI.IChatClient AsChatClient(ILogger? logger = null) => new LocalChatClient(this, logger);

    /// <summary>Frees the weights.</summary>
    public void Dispose() => Weights.Dispose();

    private static void CheckFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new LocalModelException($"model file not found: {path}");
        }
        Span<byte> magic = stackalloc byte[4];
        int read;
        try
        {
            using var stream = File.OpenRead(path);
            read = stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new LocalModelException($"cannot read model file {path}: {ex.Message}", ex);
        }
        if (read < 4 || !magic.SequenceEqual("GGUF"u8))
        {
            throw new LocalModelException($"not a GGUF model file (no GGUF header): {path}");
        }
    }
}
