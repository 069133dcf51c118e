using System.Diagnostics;
using System.Text;
using LlmStruct.Llm.Chain;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace LlmStruct.Llm;

/// <summary>
/// The one entry point to the models: a Semantic Kernel <see cref="Microsoft.SemanticKernel.Kernel"/> whose chat
/// service is the fallback chain, and <see cref="AskAsync"/>, which answers a question about a codebase and says
/// which provider answered.
/// </summary>
public sealed class LlmAssistant
{
    private const string SystemPrompt =
        "You answer questions about a software project. The project's structure (from LlmStruct's struct.json) follows; "
        + "rely on it, name files and definitions exactly, and say so when it does not hold the answer.";

    private readonly ProviderChain _chain;
    private readonly IServiceProvider _services;

    internal LlmAssistant(ProviderChain chain, IServiceProvider services)
    {
        _chain = chain;
        _services = services;
        // Kernel functions the model calls (FunctionChoiceBehavior.Auto) are run and their results sent back.
        FunctionClient = new ChatClientBuilder(chain.Client)
            .UseKernelFunctionInvocation(services.GetService<Microsoft.Extensions.Logging.ILoggerFactory>())
            .Build(services);
        var builder = Kernel.CreateBuilder();
        builder.Services.AddSingleton<IChatCompletionService>(FunctionClient.AsChatCompletionService(services));
        Kernel = builder.Build();
    }

    /// <summary>The fallback chain with kernel function invocation on top (what the kernel's chat service uses).</summary>
    public IChatClient FunctionClient { get; }

    /// <summary>The Semantic Kernel with the fallback chain as its chat completion service (functions and prompts can be added to it).</summary>
    public Kernel Kernel { get; }

    /// <summary>The fallback chain as a plain <see cref="IChatClient"/> (responses carry the provider under <c>llmstruct.provider</c>).</summary>
    public IChatClient ChatClient => _chain.Client;

    /// <summary>Provider names in fallback order.</summary>
    public IReadOnlyList<string> Providers => [.. _chain.Client.Links.Select(l => l.Settings.Name)];

    /// <summary>
    /// A <see cref="Work.StructWorkPlugin"/> (analyze_task, generate_diff, struct queries) over <paramref name="document"/>
    /// whose files live under <paramref name="root"/>, asking this assistant's chain. Add it to a kernel with
    /// <c>kernel.Plugins.AddFromObject(plugin, "struct")</c>.
    /// </summary>
    public Work.StructWorkPlugin CreateWorkPlugin(LlmStruct.Model.StructDocument document, string root, Work.WorkOptions? options = null) =>
        new(ChatClient, document, root, _services.GetService<LlmStruct.Context.IContextBuilder>(), options);

    /// <summary>
    /// Answers <paramref name="question"/> with <paramref name="context"/> (struct context) before it. When
    /// <paramref name="onText"/> is given the answer is streamed and each piece is passed to it as it arrives.
    /// Throws <see cref="LlmUnavailableException"/> when no provider could answer.
    /// </summary>
    public async Task<LlmAnswer> AskAsync(string question, string? context = null, Action<string>? onText = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(question);
        var history = new ChatHistory();
        history.AddSystemMessage(string.IsNullOrWhiteSpace(context) ? SystemPrompt : SystemPrompt + "\n\n" + context);
        history.AddUserMessage(question);

        var service = Kernel.GetRequiredService<IChatCompletionService>();
        var trace = ChainTrace.Begin();
        var stopwatch = Stopwatch.StartNew();
        TimeSpan? firstToken = null;
        string text;
        if (onText is null)
        {
            var message = await service.GetChatMessageContentAsync(history, null, Kernel, cancellationToken).ConfigureAwait(false);
            text = message.Content ?? "";
        }
        else
        {
            var builder = new StringBuilder();
            await foreach (var piece in service.GetStreamingChatMessageContentsAsync(history, null, Kernel, cancellationToken).ConfigureAwait(false))
            {
                if (string.IsNullOrEmpty(piece.Content))
                {
                    continue;
                }
                firstToken ??= stopwatch.Elapsed;
                builder.Append(piece.Content);
                onText(piece.Content);
            }
            text = builder.ToString();
        }
        return new LlmAnswer
        {
            Text = text,
            Provider = trace.Provider ?? "",
            Model = trace.Model ?? "",
            PromptTokens = trace.PromptTokens,
            CompletionTokens = trace.CompletionTokens,
            Latency = stopwatch.Elapsed,
            TimeToFirstToken = firstToken,
            Decisions = [.. trace.Decisions],
        };
    }
}
