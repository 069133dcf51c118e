namespace LlmStruct.Cli.Tests;

/// <summary>
/// <c>llmstruct bot telegram</c>: the thin command over LlmStruct.Bot.Telegram (its conversations are tested there,
/// against a fake Bot API); here the setup errors a user meets first.
/// </summary>
public sealed class BotCommandTests
{
    [Fact]
    public async Task Without_struct_json_it_says_to_parse_first()
    {
        using var dir = new TempDir();
        var outcome = await CliRunner.RunAsync("bot", "telegram", "--input", dir.Root);
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("run 'llmstruct parse' first", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_token_it_names_the_variable_and_never_asks_for_one_on_the_command_line()
    {
        Assert.True(string.IsNullOrEmpty(Environment.GetEnvironmentVariable("TELEGRAM_BOT_TOKEN")), "the test needs TELEGRAM_BOT_TOKEN unset");
        using var dir = new TempDir();
        dir.Write("struct.json", "{}");
        var outcome = await CliRunner.RunAsync("bot", "telegram", "--input", dir.Root);
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("set TELEGRAM_BOT_TOKEN", outcome.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", outcome.Error, StringComparison.Ordinal);

        var help = await CliRunner.RunAsync("bot", "telegram", "--help");
        Assert.DoesNotContain("--token", help.Out, StringComparison.Ordinal);
    }
}
