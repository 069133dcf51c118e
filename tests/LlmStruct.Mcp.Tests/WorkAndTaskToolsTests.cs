using System.Text.Json;
using LlmStruct.Llm;
using LlmStruct.Llm.Cloud;
using LlmStruct.Llm.Tests.Servers;
using ModelContextProtocol.Protocol;

namespace LlmStruct.Mcp.Tests;

public sealed class WorkAndTaskToolsTests
{
    private const string Diff = "--- a/app/tax.py\n+++ b/app/tax.py\n@@ -4,3 +4,3 @@\n def tax_for(cents: int) -> int:\n     \"\"\"Tax in cents for a net amount.\"\"\"\n-    return cents // 5\n+    return -(-cents // 5)\n";

    private static Action<LlmStructBuilder> Chain(FakeLlmServer server) => b => b.AddLlmStructLlm(o => o.UsageStorePath = Path.Combine(Path.GetTempPath(), "llmstruct-mcp-tests", Guid.NewGuid().ToString("N"), "usage.db"))
        .AddCloudModel(new CloudModelOptions { Name = "fake", Protocol = CloudProtocol.OpenAI, Model = "fake-model", Endpoint = server.OpenAIEndpoint, MaxRetries = 0 });

    [Fact]
    public async Task Generate_diff_never_writes_and_apply_diff_writes_the_returned_diff()
    {
        using var project = TempProject.Shop();
        await using var server = await FakeLlmServer.StartAsync(Reply.Ok("Here:\n```diff\n" + Diff + "```\n"));
        await using var session = await McpSession.StartAsync(project.Root, Chain(server));
        var before = File.ReadAllText(Path.Combine(project.Root, "app/tax.py"));

        var proposal = await session.JsonAsync("generate_diff", new() { ["task"] = "Round tax up", ["focus"] = new[] { "app/tax.py" } });
        Assert.Equal(["modified app/tax.py"], proposal.GetProperty("files").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(before, File.ReadAllText(Path.Combine(project.Root, "app/tax.py")));
        Assert.Contains("return cents // 5", Assert.Single(server.Requests).Body, StringComparison.Ordinal);

        var applied = await session.JsonAsync("apply_diff", new() { ["diff"] = proposal.GetProperty("diff").GetString() });
        Assert.Equal(["modified app/tax.py"], applied.GetProperty("changed").EnumerateArray().Select(f => f.GetString()));
        Assert.Contains("return -(-cents // 5)", File.ReadAllText(Path.Combine(project.Root, "app/tax.py")), StringComparison.Ordinal);

        // The same diff again no longer applies: an error, and the file is as the first apply left it.
        var (isError, text) = await session.CallAsync("apply_diff", new() { ["diff"] = Diff });
        Assert.True(isError, text);
        Assert.Contains("the diff was not applied", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_diff_refuses_paths_outside_the_project_and_writes_nothing()
    {
        using var project = TempProject.Shop();
        await using var session = await McpSession.StartAsync(project.Root);
        var outside = Path.Combine(Path.GetDirectoryName(project.Root)!, "escaped.txt");
        var diff = "--- /dev/null\n+++ b/../escaped.txt\n@@ -0,0 +1 @@\n+owned\n";
        var (isError, text) = await session.CallAsync("apply_diff", new() { ["diff"] = diff });
        Assert.True(isError, text);
        Assert.Contains("refused", text, StringComparison.Ordinal);
        Assert.False(File.Exists(outside));
        var (focusError, focusText) = await session.CallAsync("generate_diff", new() { ["task"] = "x", ["focus"] = new[] { "../../etc/passwd" } });
        Assert.True(focusError);
        Assert.Contains("path outside the project", focusText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Analyze_task_returns_a_checked_plan_and_without_a_model_says_how_to_configure_one()
    {
        using var project = TempProject.Shop();
        const string plan = """{"summary":"Round up in tax_for.","affected_files":["app/tax.py"],"affected_symbols":["app/tax.py#tax_for"],"steps":["Change the division."],"risks":["Totals change by a cent."],"estimate":"small"}""";
        await using (var server = await FakeLlmServer.StartAsync(Reply.Ok(plan)))
        {
            await using var session = await McpSession.StartAsync(project.Root, Chain(server));
            var analysis = await session.JsonAsync("analyze_task", new() { ["task"] = "TSK-001" });
            Assert.Equal("Round up in tax_for.", analysis.GetProperty("summary").GetString());
            Assert.Equal(["app/tax.py#tax_for"], analysis.GetProperty("affected_symbols").EnumerateArray().Select(s => s.GetString()));
        }
        await using var bare = await McpSession.StartAsync(project.Root);
        var (isError, text) = await bare.CallAsync("analyze_task", new() { ["task"] = "Round tax up" });
        Assert.True(isError);
        Assert.Contains("no LLM is configured", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lists_and_updates_tasks_in_llmstruct_toml()
    {
        using var project = TempProject.Shop();
        await using var session = await McpSession.StartAsync(project.Root);
        var list = await session.JsonAsync("list_tasks", new() { ["status"] = "open" });
        var task = Assert.Single(list.GetProperty("tasks").EnumerateArray());
        Assert.Equal("TSK-001", task.GetProperty("id").GetString());
        Assert.Empty((await session.JsonAsync("list_tasks", new() { ["label"] = "docs" })).GetProperty("tasks").EnumerateArray());

        var updated = await session.JsonAsync("update_task", new() { ["id"] = "TSK-001", ["status"] = "in_progress", ["labels"] = new[] { "tax", "money" } });
        Assert.Equal("in_progress", updated.GetProperty("status").GetString());
        var toml = File.ReadAllText(Path.Combine(project.Root, "llmstruct.toml"));
        Assert.Contains("status = \"in_progress\"", toml, StringComparison.Ordinal);
        Assert.Contains("\"money\"", toml, StringComparison.Ordinal);

        foreach (var (arguments, message) in new (Dictionary<string, object?>, string)[]
        {
            (new() { ["id"] = "TSK-404", ["status"] = "done" }, "no task 'TSK-404'"),
            (new() { ["id"] = "TSK-001", ["status"] = "finished" }, "finished"),
            (new() { ["id"] = "TSK-001" }, "nothing to change"),
        })
        {
            var (isError, text) = await session.CallAsync("update_task", arguments);
            Assert.True(isError, text);
            Assert.Contains(message, text, StringComparison.Ordinal);
        }
        var (statusError, _) = await session.CallAsync("list_tasks", new() { ["status"] = "someday" });
        Assert.True(statusError);
    }

    [Fact]
    public async Task Resources_give_the_struct_and_module_outlines_and_paths_complete()
    {
        using var project = TempProject.Shop();
        await using var session = await McpSession.StartAsync(project.Root);
        var resources = await session.Client.ListResourcesAsync();
        Assert.Equal(["llmstruct://struct.json"], resources.Select(r => r.Uri));
        var templates = await session.Client.ListResourceTemplatesAsync();
        Assert.Equal(["llmstruct://outline/{+path}"], templates.Select(t => t.UriTemplate));

        var structJson = Assert.IsType<TextResourceContents>(Assert.Single((await session.Client.ReadResourceAsync("llmstruct://struct.json")).Contents));
        using (var json = JsonDocument.Parse(structJson.Text))
        {
            Assert.Equal(["app/pricing.py", "app/tax.py"], json.RootElement.GetProperty("modules").EnumerateArray().Select(m => m.GetProperty("path").GetString()));
        }
        var outline = Assert.IsType<TextResourceContents>(Assert.Single((await session.Client.ReadResourceAsync("llmstruct://outline/app/tax.py")).Contents));
        Assert.StartsWith("app/tax.py (python, 6 lines)", outline.Text, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ModelContextProtocol.McpProtocolException>(() => session.Client.ReadResourceAsync("llmstruct://outline/app/none.py").AsTask());

        var completion = await session.Client.CompleteAsync(new ResourceTemplateReference { Uri = "llmstruct://outline/{+path}" }, "path", "app/t");
        Assert.Equal(["app/tax.py"], completion.Completion.Values);
    }

    [Fact]
    public async Task The_struct_stays_current_when_files_change()
    {
        using var project = TempProject.Shop();
        await using var session = await McpSession.StartAsync(project.Root);
        Assert.Empty((await session.JsonAsync("find_symbol", new() { ["name"] = "discount" })).GetProperty("symbols").EnumerateArray());

        project.Write("app/discount.py", "def discount(cents: int) -> int:\n    return cents // 10\n");
        // The watcher's event arrives a moment later; poll (bounded) until the next call sees the new file.
        JsonElement found = default;
        for (int attempt = 0; attempt < 100; attempt++)
        {
            found = await session.JsonAsync("find_symbol", new() { ["name"] = "discount" });
            if (found.GetProperty("symbols").GetArrayLength() > 0)
            {
                break;
            }
            await Task.Delay(100);
        }
        Assert.Equal("app/discount.py#discount", Assert.Single(found.GetProperty("symbols").EnumerateArray()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task Without_watching_a_new_struct_json_is_read_when_it_changes()
    {
        using var project = TempProject.Shop();
        await using var first = await McpSession.StartAsync(project.Root, watch: false);
        // Without struct.json the server parsed the project; now one appears, written by `llmstruct parse` elsewhere.
        var document = JsonDocument.Parse((Assert.IsType<TextResourceContents>(Assert.Single((await first.Client.ReadResourceAsync("llmstruct://struct.json")).Contents))).Text);
        var text = document.RootElement.GetRawText().Replace("\"tax_for\"", "\"tax_for_v2\"", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(project.Root, "struct.json"), text);
        var found = await first.JsonAsync("find_symbol", new() { ["name"] = "tax_for_v2" });
        Assert.Single(found.GetProperty("symbols").EnumerateArray());
    }
}
