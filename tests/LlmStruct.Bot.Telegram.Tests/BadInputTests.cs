using LlmStruct.Bot.Telegram.Tests.Fakes;
using LlmStruct.Llm.Tests.Servers;

namespace LlmStruct.Bot.Telegram.Tests;

/// <summary>Bad input gets a clear reply and writes nothing.</summary>
public sealed class BadInputTests
{
    private const long Owner = BotScenario.Owner;

    [Fact]
    public async Task An_empty_fix_asks_what_to_change()
    {
        await using var s = await BotScenario.StartAsync();
        var before = s.Files();

        s.Telegram.Push(Updates.Text(Owner, "/fix"));
        s.Telegram.Push(Updates.Text(Owner, "/fix@llmstruct_test_bot    "));

        Assert.True(await FakeTelegramServer.EventuallyAsync(() => s.Telegram.TextsTo(Owner).Count(t => t.StartsWith("Tell me what to change", StringComparison.Ordinal)) == 2));
        Assert.Empty(s.Llm.Requests);
        Assert.Equal(before, s.Files());
    }

    [Fact]
    public async Task A_diff_that_does_not_apply_is_reported_and_nothing_is_written()
    {
        await using var s = await BotScenario.StartAsync();
        var before = s.Files();
        var wrong = BotScenario.Diff.Replace(" def total", " def grand_total", StringComparison.Ordinal);
        s.Llm.Then(Reply.Ok(BotScenario.Plan), Reply.Ok(wrong), Reply.Ok(wrong), Reply.Ok(wrong));

        s.Telegram.Push(Updates.Text(Owner, "/fix reject negative prices"));

        var reply = await s.Telegram.WaitForTextAsync(Owner, "The model gave no usable answer");
        Assert.Contains("Nothing was changed.", reply, StringComparison.Ordinal);
        Assert.Empty(s.Telegram.Documents);
        Assert.Equal(before, s.Files());
    }

    [Fact]
    public async Task A_diff_the_tree_moved_away_from_is_refused_at_Apply()
    {
        await using var s = await BotScenario.StartAsync();
        s.Llm.Then(Reply.Ok(BotScenario.Plan), Reply.Ok(BotScenario.Diff));
        s.Telegram.Push(Updates.Text(Owner, "/fix reject negative prices"));
        Assert.True(await FakeTelegramServer.EventuallyAsync(() => !s.Telegram.Documents.IsEmpty), s.Log);
        var document = Assert.Single(s.Telegram.Documents);
        s.Write("app/pricing.py", "def total(prices):\n    return 0\n"); // someone edited the file meanwhile
        var before = s.Files();

        var apply = System.Text.Json.Nodes.JsonNode.Parse(document.ReplyMarkup!)!["inline_keyboard"]![0]![0]!["callback_data"]!.GetValue<string>();
        s.Telegram.Push(Updates.Press(Owner, Owner, document.MessageId, apply));

        var reply = await s.Telegram.WaitForTextAsync(Owner, "The diff does not apply to the files as they are now");
        Assert.Contains("Nothing was changed.", reply, StringComparison.Ordinal);
        Assert.Equal(before, s.Files());
    }

    [Fact]
    public async Task A_failing_provider_chain_is_reported_and_nothing_is_written()
    {
        await using var s = await BotScenario.StartAsync();
        var before = s.Files();
        s.Llm.Then(Reply.Status(503), Reply.Status(503), Reply.Status(503));

        s.Telegram.Push(Updates.Text(Owner, "reject negative prices")); // plain text in a private chat is a /fix

        var reply = await s.Telegram.WaitForTextAsync(Owner, "No model answered");
        Assert.Contains("Nothing was changed.", reply, StringComparison.Ordinal);
        Assert.Empty(s.Telegram.Documents);
        Assert.Equal(before, s.Files());
    }

    [Fact]
    public async Task A_group_message_that_is_not_a_command_is_left_alone_and_unknown_commands_get_help()
    {
        await using var s = await BotScenario.StartAsync($"allowed_chats = [{BotScenario.Group}]");

        s.Telegram.Push(Updates.Text(BotScenario.Stranger, "just chatting", BotScenario.Group));
        s.Telegram.Push(Updates.Text(BotScenario.Stranger, "/frobnicate", BotScenario.Group));

        var reply = await s.Telegram.WaitForTextAsync(BotScenario.Group, "I do not know /frobnicate");
        Assert.Contains("/fix <what to do>", reply, StringComparison.Ordinal);
        Assert.Single(s.Telegram.TextsTo(BotScenario.Group));
        Assert.Empty(s.Llm.Requests);
    }

    [Fact]
    public async Task Requests_past_the_rate_limit_are_told_to_slow_down()
    {
        await using var s = await BotScenario.StartAsync("requests_per_minute = 2");

        for (int i = 0; i < 3; i++)
        {
            s.Telegram.Push(Updates.Text(Owner, "/help"));
        }

        await s.Telegram.WaitForTextAsync(Owner, "Slow down, please: at most 2 requests a minute.");
        Assert.Equal(2, s.Telegram.TextsTo(Owner).Count(t => t.Contains("/fix <what to do>", StringComparison.Ordinal)));
    }
}
