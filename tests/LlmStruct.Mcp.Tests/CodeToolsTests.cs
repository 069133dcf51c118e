using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace LlmStruct.Mcp.Tests;

public sealed class CodeToolsTests
{
    private static readonly string[] AllTools =
    [
        "analyze_task", "apply_diff", "find_symbol", "generate_diff", "get_context", "get_definition", "list_callees",
        "list_callers", "list_tasks", "module_outline", "search_code", "update_task",
    ];

    [Fact]
    public async Task Lists_every_tool_with_a_schema_and_the_budget_argument()
    {
        using var project = TempProject.Shop();
        await using var session = await McpSession.StartAsync(project.Root);
        var tools = await session.Client.ListToolsAsync();
        Assert.Equal(AllTools, tools.Select(t => t.Name).Order(StringComparer.Ordinal));
        foreach (var tool in tools)
        {
            Assert.False(string.IsNullOrWhiteSpace(tool.Description));
            Assert.Equal("object", tool.JsonSchema.GetProperty("type").GetString());
        }
        foreach (var name in AllTools.Except(["apply_diff", "update_task"]))
        {
            var budget = tools.Single(t => t.Name == name).JsonSchema.GetProperty("properties").GetProperty("budget");
            Assert.Contains("integer", budget.GetRawText(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Finds_symbols_definitions_callers_callees_outlines_and_searches()
    {
        using var project = TempProject.Shop();
        await using var session = await McpSession.StartAsync(project.Root);

        var found = await session.JsonAsync("find_symbol", new() { ["name"] = "tax_for" });
        var symbol = Assert.Single(found.GetProperty("symbols").EnumerateArray());
        Assert.Equal("app/tax.py#tax_for", symbol.GetProperty("id").GetString());
        Assert.Equal("(cents: int) -> int", symbol.GetProperty("signature").GetString());
        Assert.Equal(4, symbol.GetProperty("start_line").GetInt32());

        Assert.Empty((await session.JsonAsync("find_symbol", new() { ["name"] = "tax_for", ["language"] = "javascript" })).GetProperty("symbols").EnumerateArray());
        Assert.Single((await session.JsonAsync("find_symbol", new() { ["name"] = "Item", ["kind"] = "class" })).GetProperty("symbols").EnumerateArray());

        var definition = await session.JsonAsync("get_definition", new() { ["id"] = "app/tax.py#tax_for" });
        Assert.Equal("python", definition.GetProperty("language").GetString());
        Assert.Contains("return cents // 5", definition.GetProperty("source").GetString(), StringComparison.Ordinal);
        Assert.Equal("Tax in cents for a net amount.", definition.GetProperty("symbol").GetProperty("docstring").GetString());

        var callers = await session.JsonAsync("list_callers", new() { ["id"] = "app/tax.py#tax_for" });
        Assert.Equal(["app/pricing.py#total"], callers.GetProperty("symbols").EnumerateArray().Select(s => s.GetProperty("id").GetString()));

        var callees = await session.JsonAsync("list_callees", new() { ["id"] = "app/pricing.py#total" });
        Assert.Contains(callees.GetProperty("calls").EnumerateArray(), c => c.TryGetProperty("target", out var t) && t.GetString() == "app/tax.py#tax_for");

        var (isError, outline) = await session.CallAsync("module_outline", new() { ["path"] = "app/pricing.py" });
        Assert.False(isError, outline);
        Assert.Contains("- class app/pricing.py#Item", outline, StringComparison.Ordinal);
        Assert.Contains("  - method app/pricing.py#Item.subtotal", outline, StringComparison.Ordinal);
        Assert.Contains("import app.tax (tax_for) -> app/tax.py", outline, StringComparison.Ordinal);

        var search = await session.JsonAsync("search_code", new() { ["query"] = "basket" });
        Assert.Equal(["app/pricing.py#Item", "app/pricing.py#total"], search.GetProperty("symbols").EnumerateArray().Select(s => s.GetProperty("id").GetString()).Order(StringComparer.Ordinal));

        var (contextError, context) = await session.CallAsync("get_context", new() { ["focus"] = new[] { "app/tax.py" }, ["budget"] = 400 });
        Assert.False(contextError, context);
        Assert.Contains("app/tax.py", context, StringComparison.Ordinal);
        Assert.Contains("tax_for", context, StringComparison.Ordinal);
        var (_, xml) = await session.CallAsync("get_context", new() { ["format"] = "xml" });
        Assert.StartsWith("<", xml.TrimStart(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("get_definition", "id", "app/tax.py#nope", "unknown id")]
    [InlineData("list_callers", "id", "app/pricing.py#tax_for", "did you mean 'app/tax.py#tax_for'?")]
    [InlineData("list_callees", "id", "", "id is empty")]
    [InlineData("module_outline", "path", "../outside.py", "path outside the project")]
    [InlineData("module_outline", "path", "/etc/passwd", "path outside the project")]
    [InlineData("module_outline", "path", "app/missing.py", "no module 'app/missing.py'")]
    [InlineData("find_symbol", "name", " ", "name is empty")]
    [InlineData("search_code", "query", "", "query is empty")]
    public async Task Bad_arguments_answer_with_tool_errors_and_the_server_goes_on(string tool, string argument, string value, string message)
    {
        using var project = TempProject.Shop();
        await using var session = await McpSession.StartAsync(project.Root);
        var (isError, text) = await session.CallAsync(tool, new() { [argument] = value });
        Assert.True(isError, text);
        Assert.Contains(message, text, StringComparison.Ordinal);
        // Still serving.
        Assert.Single((await session.JsonAsync("find_symbol", new() { ["name"] = "total" })).GetProperty("symbols").EnumerateArray());
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(200_001)]
    public async Task A_budget_out_of_range_is_a_tool_error(int budget)
    {
        using var project = TempProject.Shop();
        await using var session = await McpSession.StartAsync(project.Root);
        foreach (var tool in new[] { "get_context", "find_symbol", "module_outline", "list_tasks" })
        {
            var (isError, text) = await session.CallAsync(tool, new() { ["name"] = "total", ["path"] = "app/tax.py", ["budget"] = budget });
            Assert.True(isError, text);
            Assert.Contains("budget must be between 1 and 200000", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Focus_outside_the_project_and_unknown_tools_are_errors_not_crashes()
    {
        using var project = TempProject.Shop();
        await using var session = await McpSession.StartAsync(project.Root);
        var (isError, text) = await session.CallAsync("get_context", new() { ["focus"] = new[] { "../../etc" } });
        Assert.True(isError);
        Assert.Contains("path outside the project", text, StringComparison.Ordinal);
        var (formatError, formatText) = await session.CallAsync("get_context", new() { ["format"] = "yaml" });
        Assert.True(formatError);
        Assert.Contains("format must be one of", formatText, StringComparison.Ordinal);
        var rpc = await Assert.ThrowsAsync<McpProtocolException>(() => session.Client.CallToolAsync("drop_tables", new Dictionary<string, object?>()).AsTask());
        Assert.Equal(McpErrorCode.InvalidParams, rpc.ErrorCode);
        Assert.False((await session.CallAsync("find_symbol", new() { ["name"] = "Item" })).IsError);
    }

    [Fact]
    public async Task A_result_over_its_budget_is_cut_with_a_note_and_lists_say_how_many_were_left_out()
    {
        using var project = TempProject.Shop();
        for (int i = 0; i < 60; i++)
        {
            project.Write($"app/gen{i:00}.py", $"def helper_{i:00}(value: int) -> int:\n    \"\"\"Helper number {i} doubles a value for the basket.\"\"\"\n    return value * 2\n");
        }
        await using var session = await McpSession.StartAsync(project.Root);
        var (_, whole) = await session.CallAsync("search_code", new() { ["query"] = "helper", ["budget"] = 100_000 });
        Assert.Equal(60, JsonDocument.Parse(whole).RootElement.GetProperty("symbols").GetArrayLength());

        var (_, cut) = await session.CallAsync("search_code", new() { ["query"] = "helper", ["budget"] = 300 });
        var list = JsonDocument.Parse(cut).RootElement;
        int kept = list.GetProperty("symbols").GetArrayLength();
        Assert.InRange(kept, 1, 59);
        Assert.Equal(60, list.GetProperty("total").GetInt32());
        Assert.Equal(60 - kept, list.GetProperty("omitted").GetInt32());
        Assert.True(Tools.ResultBudget.Count(cut) <= 300);

        var (_, context) = await session.CallAsync("get_context", new() { ["budget"] = 50 });
        Assert.True(Tools.ResultBudget.Count(context) <= 50);
    }
}
