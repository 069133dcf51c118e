using LlmStruct.Tasks.Chat;
using Microsoft.Extensions.AI;

namespace LlmStruct.Tasks.Tests.Chat;

public class ChatTaskExtractorTests
{
    private const string Transcript = """
        Sure! Here is the plan.

        - [ ] TSK-012: Add a --verbose flag (@kim)
        - [x] **TSK-010** — Fix the parser crash
        - [ ] Write docs for the cache

        Next steps:
        1. Measure start-up time
        2. TSK-013: Cut allocations in the linker

        And a shopping list:

        1. apples
        2. pears

        | ID | Task | Status | Assignee | Labels |
        |----|------|--------|----------|--------|
        | TSK-020 | Table task | in progress | @lee | perf, cli |
        |  | Untitled id task | blocked |  |  |

        ```json
        {"tasks": [{"id": "TSK-030", "title": "From JSON", "status": "done", "files": ["app/main.py"], "github": {"number": 5}}]}
        ```

        ```toml
        [[tasks]]
        id = "TSK-031"
        title = "From TOML"
        labels = ["x"]
        ```

        - [x] TSK-012: Add a --verbose flag
        """;

    [Fact]
    public void Every_form_is_found_in_order_and_duplicates_merge()
    {
        var tasks = ChatTaskExtractor.Extract(Transcript);
        Assert.Equal(
            [
                ("TSK-012", "Add a --verbose flag (@kim)", ProjectTaskStatus.Done),
                ("TSK-010", "Fix the parser crash", ProjectTaskStatus.Done),
                ("", "Write docs for the cache", ProjectTaskStatus.Open),
                ("", "Measure start-up time", ProjectTaskStatus.Open),
                ("TSK-013", "Cut allocations in the linker", ProjectTaskStatus.Open),
                ("TSK-020", "Table task", ProjectTaskStatus.InProgress),
                ("", "Untitled id task", ProjectTaskStatus.Blocked),
                ("TSK-030", "From JSON", ProjectTaskStatus.Done),
                ("TSK-031", "From TOML", ProjectTaskStatus.Open),
            ],
            tasks.Select(t => (t.Id, t.Title, t.Status)));
        Assert.Equal(["@kim"], tasks[0].Assignees.ToArray());
        Assert.Equal(["@lee"], tasks[5].Assignees.ToArray());
        Assert.Equal(["perf", "cli"], tasks[5].Labels.ToArray());
        Assert.Equal(5, tasks[7].GitHub!.Number);
        Assert.Equal(["x"], tasks[8].Labels.ToArray());
        Assert.Equal(tasks.Select(t => t.Id + t.Title), ChatTaskExtractor.Extract(Transcript.Replace("\n", "\r\n", StringComparison.Ordinal)).Select(t => t.Id + t.Title));
    }

    [Fact]
    public void Plain_chat_without_tasks_gives_none()
    {
        Assert.Empty(ChatTaskExtractor.Extract("Hello! The answer is 42.\n\n1. apples\n2. pears\n```json\n{\"not\": \"tasks\"}\n```\n"));
    }

    /// <summary>A chat client that answers from a script and records what it was sent (the model the host configures stands here).</summary>
    private sealed class ScriptedChat(params string[] answers) : IChatClient
    {
        private int _next;

        public List<ChatOptions?> Options { get; } = [];

        public List<int> MessageCounts { get; } = [];

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Options.Add(options);
            MessageCounts.Add(messages.Count());
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answers[Math.Min(_next++, answers.Length - 1)])));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("the extractor does not stream");

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    [Fact]
    public async Task The_llm_answer_is_validated_and_a_bad_one_sent_back_with_the_reason()
    {
        var chat = new ScriptedChat(
            "not json at all",
            """{"tasks": [{"title": "ok", "status": "someday"}]}""",
            """Here: {"tasks": [{"id": "TSK-040", "title": "Do it", "status": "in_progress", "assignees": ["@kim"]}, {"title": "Other"}]}""");
        var tasks = await new LlmTaskExtractor(chat, maxRetries: 2).ExtractAsync("we should do it");
        Assert.Equal([("TSK-040", "Do it", ProjectTaskStatus.InProgress), ("", "Other", ProjectTaskStatus.Open)], tasks.Select(t => (t.Id, t.Title, t.Status)));
        Assert.Equal([2, 4, 6], chat.MessageCounts);
        Assert.IsType<ChatResponseFormatJson>(chat.Options[0]!.ResponseFormat);
        Assert.NotNull(((ChatResponseFormatJson)chat.Options[0]!.ResponseFormat!).Schema);
    }

    [Fact]
    public async Task No_valid_answer_within_the_budget_is_an_error_listing_each_reason()
    {
        var chat = new ScriptedChat("""{"tasks": [{"title": ""}]}""");
        var ex = await Assert.ThrowsAsync<TaskExtractionException>(() => new LlmTaskExtractor(chat, maxRetries: 1).ExtractAsync("x"));
        Assert.Equal(2, ex.Errors.Count);
        Assert.Contains("no title", ex.Message, StringComparison.Ordinal);
    }
}
