namespace LlmStruct.Bot.Telegram.Hosting;

/// <summary>
/// Takes the bot token and the project's absolute path out of any text before it is logged or sent: Telegram.Bot puts
/// the token in every request's URL, and exception messages of file access name absolute paths.
/// </summary>
internal sealed class SecretScrubber(string token, string projectDirectory)
{
    private readonly string _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(projectDirectory));

    /// <summary><paramref name="text"/> with the token as <c>«bot-token»</c> and the project folder as <c>.</c>.</summary>
    public string Scrub(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }
        var result = token.Length > 0 ? text.Replace(token, "«bot-token»", StringComparison.Ordinal) : text;
        // The token's secret half alone (after "ID:") is as good as the whole.
        var colon = token.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0 && token.Length - colon > 8)
        {
            result = result.Replace(token[(colon + 1)..], "«bot-token»", StringComparison.Ordinal);
        }
        return result.Replace(_root + Path.DirectorySeparatorChar, "", StringComparison.Ordinal).Replace(_root, ".", StringComparison.Ordinal);
    }
}
