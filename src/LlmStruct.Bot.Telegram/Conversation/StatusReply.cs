using System.Globalization;
using System.Text;
using LlmStruct.Configuration;
using LlmStruct.Llm.Usage;

namespace LlmStruct.Bot.Telegram.Conversation;

/// <summary>/status: how old struct.json is, the provider chain from <c>[llm]</c>, and today's calls against each daily quota.</summary>
internal static class StatusReply
{
    public static async Task<string> RenderAsync(BotContext context, TimeProvider time, CancellationToken ct)
    {
        var text = new StringBuilder();
        var now = time.GetUtcNow();
        var structFile = new FileInfo(context.StructPath);
        text.AppendLine(structFile.Exists
            ? $"struct.json: updated {Age(now - structFile.LastWriteTimeUtc)} ago"
            : "struct.json: missing (run 'llmstruct parse')");
        LoadedConfig loaded;
        try
        {
            loaded = await ConfigLoader.LoadAsync(context.Request.ConfigFile, ct).ConfigureAwait(false);
        }
        catch (ConfigException ex)
        {
            return text.Append("llmstruct.toml: ").Append(ex.Message).ToString();
        }
        var llm = loaded.Options.Llm;
        if (llm.Providers.Count == 0)
        {
            return text.Append("Models: none configured ([[llm.providers]] in llmstruct.toml)").ToString();
        }
        var order = llm.Order.Count > 0 ? [.. llm.Order] : llm.Providers.Select(p => p.Name).ToList();
        text.AppendLine("Models, in the order they are asked:");
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        SqliteUsageStore? store = null;
        var storePath = Path.GetFullPath(llm.UsageStore, context.ProjectDirectory);
        try
        {
            if (File.Exists(storePath))
            {
                store = new SqliteUsageStore(storePath);
            }
            foreach (var name in order)
            {
                var provider = llm.Providers.FirstOrDefault(p => p.Name == name);
                long calls = store is null ? 0 : await store.CountCallsAsync(name, today, ct).ConfigureAwait(false);
                var quota = provider?.DailyQuota is { } q ? string.Create(CultureInfo.InvariantCulture, $" of {q}") : "";
                text.Append(CultureInfo.InvariantCulture, $"- {name} ({provider?.Kind} {provider?.Model}): {calls}{quota} calls today").AppendLine();
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            text.Append("Usage could not be read: ").AppendLine(ex.Message);
        }
        return text.ToString().TrimEnd();
    }

    private static string Age(TimeSpan age) =>
        age < TimeSpan.FromMinutes(1) ? "less than a minute"
        : age < TimeSpan.FromHours(1) ? string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalMinutes} min")
        : age < TimeSpan.FromDays(2) ? string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalHours} h")
        : string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalDays} days");
}
