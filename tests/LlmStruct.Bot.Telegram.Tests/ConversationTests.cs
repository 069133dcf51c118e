using System.Diagnostics;
using System.Text.Json.Nodes;
using LlmStruct.Bot.Telegram.Tests.Fakes;
using LlmStruct.Llm.Tests.Servers;

namespace LlmStruct.Bot.Telegram.Tests;

/// <summary>
/// Conversations of real update payloads against the stateful fake Bot API: the real Telegram.Bot client long-polls
/// it, the real OpenAI-compatible client asks the scripted LLM server, diffs land in a temporary git repository.
/// </summary>
public sealed class ConversationTests
{
    private const long Owner = BotScenario.Owner;

    /// <summary>The buttons of the document message with the diff: (text, callback data).</summary>
    private static List<(string Text, string Data)> Buttons(SentDocument document) =>
        [.. JsonNode.Parse(document.ReplyMarkup!)!["inline_keyboard"]!.AsArray().SelectMany(row => row!.AsArray())
            .Select(b => (b!["text"]!.GetValue<string>(), b["callback_data"]!.GetValue<string>()))];

    private static async Task<SentDocument> FixUntilDiffAsync(BotScenario s)
    {
        s.Llm.Then(Reply.Ok(BotScenario.Plan), Reply.Ok("```diff\n" + BotScenario.Diff + "```"));
        s.Telegram.Push(Updates.Text(Owner, "/fix reject negative prices in total"));
        Assert.True(await FakeTelegramServer.EventuallyAsync(() => !s.Telegram.Documents.IsEmpty), s.Log);
        await s.Telegram.WaitForTextAsync(Owner, "Done: Apply or Discard");
        return Assert.Single(s.Telegram.Documents);
    }

    [Fact]
    public async Task Fix_shows_the_plan_then_the_diff_and_Apply_changes_the_files()
    {
        await using var s = await BotScenario.StartAsync();

        var document = await FixUntilDiffAsync(s);

        var texts = s.Telegram.TextsTo(Owner);
        Assert.StartsWith("Working on it", texts[0], StringComparison.Ordinal);
        var plan = Assert.Single(texts, t => t.StartsWith("Plan: ", StringComparison.Ordinal));
        Assert.Contains("Reject negative prices in total.", plan, StringComparison.Ordinal);
        Assert.Contains("1. Check the net amount", plan, StringComparison.Ordinal);
        Assert.Contains(texts, t => t.TrimEnd() == BotScenario.Diff.TrimEnd()); // short: shown inline too
        Assert.Equal("fix.diff", document.FileName);
        Assert.Equal(BotScenario.Diff, document.Content);
        Assert.Contains("modified app/pricing.py", document.Caption, StringComparison.Ordinal);
        Assert.Contains(s.Telegram.Calls, c => c.Method == "sendChatAction" && c.Fields["action"]?.ToString() == "typing");
        Assert.Contains(s.Telegram.Calls, c => c.Method == "editMessageText"); // one status message, edited
        var buttons = Buttons(document);
        Assert.Equal(["Apply", "Discard"], buttons.Select(b => b.Text));
        Assert.Equal(BotScenario.PricingBefore, s.Pricing); // nothing written before the press

        s.Telegram.Push(Updates.Press(Owner, Owner, document.MessageId, buttons[0].Data));

        await s.Telegram.WaitForTextAsync(Owner, "Applied:");
        Assert.Contains("raise ValueError(\"negative price\")", s.Pricing, StringComparison.Ordinal);
        Assert.Contains("modified app/pricing.py", s.Telegram.TextsTo(Owner).Last(), StringComparison.Ordinal);
        Assert.Contains(s.Telegram.Calls, c => c.Method == "answerCallbackQuery");
        // The LLM saw the request and the project's structure.
        Assert.Contains(s.Llm.Requests, r => r.Body.Contains("reject negative prices in total", StringComparison.Ordinal));

        // A second press finds nothing waiting and changes nothing.
        var after = s.Files();
        s.Telegram.Push(Updates.Press(Owner, Owner, document.MessageId, buttons[0].Data));
        Assert.True(await FakeTelegramServer.EventuallyAsync(() => s.Telegram.Calls.Count(c => c.Method == "answerCallbackQuery") == 2));
        Assert.Contains("no longer waiting", s.Telegram.Calls.Last(c => c.Method == "answerCallbackQuery").Text, StringComparison.Ordinal);
        Assert.Equal(after, s.Files());
    }

    [Fact]
    public async Task Discard_changes_nothing()
    {
        await using var s = await BotScenario.StartAsync();
        var before = s.Files();
        var document = await FixUntilDiffAsync(s);

        s.Telegram.Push(Updates.Press(Owner, Owner, document.MessageId, Buttons(document)[1].Data));

        await s.Telegram.WaitForTextAsync(Owner, "Discarded: nothing was changed.");
        Assert.Equal(before, s.Files());
        Assert.Empty(BotScenario.Git(s.Root, "status", "--porcelain"));
    }

    [Fact]
    public async Task A_stranger_is_refused_once_with_a_log_line_and_cannot_press_Apply()
    {
        await using var s = await BotScenario.StartAsync();
        var before = s.Files();

        s.Telegram.Push(Updates.Text(BotScenario.Stranger, "/fix delete everything"));
        s.Telegram.Push(Updates.Text(BotScenario.Stranger, "/tasks"));
        s.Telegram.Push(Updates.Text(Owner, "/help"));
        await s.Telegram.WaitForTextAsync(Owner, "/fix <what to do>");

        var refusal = Assert.Single(s.Telegram.TextsTo(BotScenario.Stranger));
        Assert.Contains("only answer the people my owner listed", refusal, StringComparison.Ordinal);
        Assert.Single(s.Logs, l => l.Contains($"Refused a message from user {BotScenario.Stranger}", StringComparison.Ordinal));
        Assert.Empty(s.Llm.Requests);

        // A diff made for the owner cannot be applied by someone else's press.
        var document = await FixUntilDiffAsync(s);
        s.Telegram.Push(Updates.Press(BotScenario.Stranger, Owner, document.MessageId, Buttons(document)[0].Data));
        Assert.True(await FakeTelegramServer.EventuallyAsync(() => s.Logs.Any(l => l.Contains("Refused a button press", StringComparison.Ordinal))));
        Assert.Equal(before, s.Files());
    }

    [Fact]
    public async Task Cancel_stops_a_slow_provider_and_nothing_is_written()
    {
        await using var s = await BotScenario.StartAsync();
        var before = s.Files();
        s.Llm.Then(Reply.Slow(TimeSpan.FromMinutes(5), BotScenario.Plan));

        s.Telegram.Push(Updates.Text(Owner, "/fix reject negative prices"));
        Assert.True(await FakeTelegramServer.EventuallyAsync(() => !s.Llm.Requests.IsEmpty)); // the model is working
        s.Telegram.Push(Updates.Text(Owner, "/fix something else"));
        await s.Telegram.WaitForTextAsync(Owner, "still working on your last request");
        s.Telegram.Push(Updates.Text(Owner, "/cancel"));

        await s.Telegram.WaitForTextAsync(Owner, "Cancelled: nothing was changed.");
        Assert.Contains("Cancelling…", s.Telegram.TextsTo(Owner));
        Assert.Empty(s.Telegram.Documents);
        Assert.Equal(before, s.Files());
        // The chat is free again.
        s.Telegram.Push(Updates.Text(Owner, "/cancel"));
        await s.Telegram.WaitForTextAsync(Owner, "Nothing is running.");
    }

    [Fact]
    public async Task A_429_from_the_Bot_API_is_waited_out_for_the_retry_after_it_asked_for()
    {
        await using var s = await BotScenario.StartAsync();
        s.Telegram.TooManyRequests("sendMessage");

        s.Telegram.Push(Updates.Text(Owner, "/help"));

        await s.Telegram.WaitForTextAsync(Owner, "/fix <what to do>");
        var sends = s.Telegram.Calls.Where(c => c.Method == "sendMessage").ToList();
        Assert.Equal(429, sends[0].Status);
        Assert.Equal(200, sends[1].Status);
        Assert.Equal(sends[0].Text, sends[1].Text); // the same message, sent again
        // retry_after was 1 second: the retry came no sooner.
        Assert.True(Stopwatch.GetElapsedTime(sends[0].At, sends[1].At) >= TimeSpan.FromSeconds(0.95));
    }

    [Fact]
    public async Task Tasks_commands_read_and_change_the_tasks_store()
    {
        await using var s = await BotScenario.StartAsync();

        s.Telegram.Push(Updates.Text(Owner, "/tasks"));
        await s.Telegram.WaitForTextAsync(Owner, "TSK-001 [open] Reject negative prices");
        s.Telegram.Push(Updates.Text(Owner, "/new Document the checkout"));
        await s.Telegram.WaitForTextAsync(Owner, "Added TSK-002: Document the checkout");
        s.Telegram.Push(Updates.Text(Owner, "/done TSK-001"));
        await s.Telegram.WaitForTextAsync(Owner, "Done: TSK-001");
        s.Telegram.Push(Updates.Text(Owner, "/task TSK-001"));
        await s.Telegram.WaitForTextAsync(Owner, "TSK-001 [done]");
        s.Telegram.Push(Updates.Text(Owner, "/task TSK-404"));
        await s.Telegram.WaitForTextAsync(Owner, "There is no task TSK-404.");

        var toml = File.ReadAllText(Path.Combine(s.Root, "llmstruct.toml"));
        Assert.Contains("title = \"Document the checkout\"", toml, StringComparison.Ordinal);
        Assert.Contains("status = \"done\"", toml, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(s.Root, ".llmstruct", "llmstruct.db")));
    }

    [Fact]
    public async Task Context_and_status_answer_from_struct_json_and_the_config()
    {
        await using var s = await BotScenario.StartAsync();

        s.Telegram.Push(Updates.Text(Owner, "/context app/pricing.py"));
        Assert.True(await FakeTelegramServer.EventuallyAsync(() => !s.Telegram.Documents.IsEmpty));
        var context = Assert.Single(s.Telegram.Documents);
        Assert.Equal("context.md", context.FileName);
        Assert.Contains("total", context.Content, StringComparison.Ordinal);
        Assert.DoesNotContain(s.Root, context.Content, StringComparison.Ordinal);

        s.Telegram.Push(Updates.Text(Owner, "/context /etc/passwd"));
        await s.Telegram.WaitForTextAsync(Owner, "Give a path inside the project");

        s.Telegram.Push(Updates.Text(Owner, "/status"));
        var status = await s.Telegram.WaitForTextAsync(Owner, "struct.json: updated");
        Assert.Contains("- fake (openai fake-model): 0 of 100 calls today", status, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_token_never_reaches_a_log_line_or_a_reply()
    {
        await using var s = await BotScenario.StartAsync();
        await FixUntilDiffAsync(s);
        s.Telegram.Push(Updates.Text(Owner, "/status"));
        await s.Telegram.WaitForTextAsync(Owner, "struct.json: updated");

        Assert.Contains(s.Logs, l => l.Contains("Bot API sendMessage: 200", StringComparison.Ordinal)); // HTTP is logged…
        var secret = BotScenario.Token[(BotScenario.Token.IndexOf(':', StringComparison.Ordinal) + 1)..];
        Assert.DoesNotContain(s.Logs, l => l.Contains(secret, StringComparison.Ordinal)); // …without the token
        Assert.DoesNotContain(s.Telegram.Calls, c => c.Fields.ToJsonString().Contains(secret, StringComparison.Ordinal));
        Assert.DoesNotContain(s.Telegram.Calls, c => c.Fields.ToJsonString().Contains(s.Root, StringComparison.Ordinal));
    }
}
