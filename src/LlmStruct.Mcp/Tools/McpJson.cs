using System.Text.Json;
using System.Text.Json.Serialization;
using LlmStruct.Llm.Work;
using ModelContextProtocol;

namespace LlmStruct.Mcp.Tools;

/// <summary>Source-generated JSON for the tools' arguments and results (no reflection: Native AOT).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(int?))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(bool?))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(SymbolList))]
[JsonSerializable(typeof(CalleeList))]
[JsonSerializable(typeof(DefinitionResult))]
[JsonSerializable(typeof(TaskList))]
[JsonSerializable(typeof(TaskView))]
[JsonSerializable(typeof(TaskAnalysis))]
[JsonSerializable(typeof(DiffResult))]
[JsonSerializable(typeof(ApplyResult))]
internal sealed partial class McpJsonContext : JsonSerializerContext
{
    /// <summary>The context with a relaxed encoder: results are read by models and people, so <c>-&gt;</c> stays <c>-&gt;</c>.</summary>
    public static McpJsonContext Results { get; } = new(new JsonSerializerOptions
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}

/// <summary>The options the SDK binds tool arguments with: its own protocol types, then ours.</summary>
internal static class McpJson
{
    private static readonly Lazy<JsonSerializerOptions> Options = new(() =>
    {
        var options = new JsonSerializerOptions(McpJsonUtilities.DefaultOptions);
        options.TypeInfoResolverChain.Add(McpJsonContext.Default);
        options.MakeReadOnly();
        return options;
    });

    /// <summary>The options (created once).</summary>
    public static JsonSerializerOptions ToolOptions => Options.Value;
}

/// <summary>Definitions found, and how many more were cut to fit the budget.</summary>
internal sealed record SymbolList(IReadOnlyList<SymbolInfo> Symbols, int Total, int Omitted);

/// <summary>The calls a definition makes, and how many more were cut to fit the budget.</summary>
internal sealed record CalleeList(string Id, IReadOnlyList<CalleeInfo> Calls, int Total, int Omitted);

/// <summary>One definition with its source lines.</summary>
internal sealed record DefinitionResult(SymbolInfo Symbol, string Language, string? Source);

/// <summary>Tasks, and how many more were cut to fit the budget.</summary>
internal sealed record TaskList(IReadOnlyList<TaskView> Tasks, int Total, int Omitted);

/// <summary>A task as the tools show it.</summary>
internal sealed record TaskView(
    string Id, string Title, string Status, string? Priority, IReadOnlyList<string> Assignees, IReadOnlyList<string> Labels,
    IReadOnlyList<string> DependsOn, IReadOnlyList<string> Files, IReadOnlyList<string> Symbols, string? Description);

/// <summary>A diff from <c>generate_diff</c>: checked to apply, not written.</summary>
internal sealed record DiffResult(string Diff, IReadOnlyList<string> Files, int Attempts);

/// <summary>What <c>apply_diff</c> wrote.</summary>
internal sealed record ApplyResult(IReadOnlyList<string> Changed);
