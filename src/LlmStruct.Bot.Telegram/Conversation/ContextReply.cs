using System.Text.Json;
using LlmStruct.Context;
using LlmStruct.Json;
using LlmStruct.Pipeline;

namespace LlmStruct.Bot.Telegram.Conversation;

/// <summary>/context PATH: Core's token-budgeted context focused on a project file or folder, sent as a Markdown file.</summary>
internal static class ContextReply
{
    private const int Budget = 4096;

    public static async Task SendAsync(BotContext context, long chat, string focus, CancellationToken ct)
    {
        focus = focus.Trim().Replace('\\', '/');
        if (focus.Length > 0 && (Path.IsPathRooted(focus) || focus.Split('/').Contains("..")))
        {
            await context.SayAsync(chat, "Give a path inside the project, e.g. /context src/app.py", ct).ConfigureAwait(false);
            return;
        }
        Model.StructDocument document;
        try
        {
            document = await StructJson.ReadFileAsync(context.StructPath, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or InvalidStructException)
        {
            await context.SayAsync(chat, "There is no readable struct.json: run 'llmstruct parse' in the project first.", ct).ConfigureAwait(false);
            return;
        }
        var request = new ContextRequest { Budget = Budget, Focus = focus.Length == 0 ? [] : [focus.TrimEnd('/')] };
        var result = new ContextBuilder().Build(document, request);
        var caption = $"Context{(focus.Length == 0 ? "" : " around " + focus)}: {result.Tokens} tokens, {result.FilesIncluded} of {result.FilesTotal} files";
        await context.SendFileAsync(chat, "context.md", result.Text, caption, ct).ConfigureAwait(false);
    }
}
