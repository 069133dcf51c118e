using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace LlmStruct.Cli.Tests;

/// <summary><c>llmstruct analyze</c> and <c>llmstruct diff</c> against a scripted OpenAI-compatible server: outputs and exit codes.</summary>
public sealed class WorkCommandTests : IDisposable
{
    private const string Calc = "def add(a, b):\n    return a + b\n";
    private const string Diff = "--- a/src/calc.py\n+++ b/src/calc.py\n@@ -1,2 +1,5 @@\n def add(a, b):\n     return a + b\n+\n+def mul(a, b):\n+    return a * b\n";

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<string> ProjectAsync(ScriptedServer? server)
    {
        _dir.Write("project/src/calc.py", Calc);
        var structPath = _dir.PathOf("project/struct.json");
        var parse = await CliRunner.RunAsync("parse", "-i", _dir.PathOf("project"), "-o", structPath, "--quiet");
        Assert.True(parse.ExitCode == 0, parse.Error);
        _dir.Write("project/llmstruct.toml", server is null ? "" : $"""
            [[llm.providers]]
            name = "fake"
            kind = "openai"
            endpoint = "{server.Endpoint}"
            model = "fake-model"
            max_retries = 0
            """);
        return structPath;
    }

    [Fact]
    public async Task Diff_Apply_WritesTheChange_AndPrintsTheDiff()
    {
        using var server = ScriptedServer.Start("```diff\n" + Diff + "```");
        var structPath = await ProjectAsync(server);

        var outcome = await CliRunner.RunAsync("diff", "--task", "Add mul.", "--focus", "src/calc.py", "--apply", "--struct", structPath);

        Assert.True(outcome.ExitCode == 0, outcome.Error);
        Assert.Equal(Diff, outcome.Out.ReplaceLineEndings("\n"));
        Assert.Contains("modified src/calc.py", outcome.Error);
        Assert.Equal(Calc + "\ndef mul(a, b):\n    return a * b\n", File.ReadAllText(_dir.PathOf("project/src/calc.py")));
        Assert.Contains("return a + b", Assert.Single(server.Bodies)); // the focused file's text was sent
    }

    [Fact]
    public async Task Diff_Garbage_Exits1_AfterTheRetryBudget_AndLeavesTheTree()
    {
        using var server = ScriptedServer.Start("no idea", "still no idea");
        var structPath = await ProjectAsync(server);

        var outcome = await CliRunner.RunAsync("diff", "--task", "Add mul.", "--apply", "--retries", "1", "--struct", structPath);

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("error: the model did not produce a valid diff in 2 attempts", outcome.Error);
        Assert.Contains("attempt 1: no file patches found", outcome.Error);
        Assert.Equal(Calc, File.ReadAllText(_dir.PathOf("project/src/calc.py")));
    }

    [Fact]
    public async Task Diff_OutsideTheRoot_Exits1_Refused()
    {
        using var server = ScriptedServer.Start("--- /dev/null\n+++ b/../outside.txt\n@@ -0,0 +1 @@\n+x\n");
        var structPath = await ProjectAsync(server);

        var outcome = await CliRunner.RunAsync("diff", "--task", "Escape.", "--apply", "--struct", structPath);

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("refused", outcome.Error);
        Assert.False(File.Exists(_dir.PathOf("outside.txt")));
    }

    [Fact]
    public async Task Analyze_Json_RetriesAnUnknownId_AndPrintsThePlan()
    {
        const string plan = """{"summary":"Add mul.","affected_files":["src/calc.py"],"affected_symbols":["ID"],"steps":["Write it"],"risks":[],"estimate":"small"}""";
        using var server = ScriptedServer.Start(plan.Replace("ID", "src/calc.py#mul", StringComparison.Ordinal), plan.Replace("ID", "src/calc.py#add", StringComparison.Ordinal));
        var structPath = await ProjectAsync(server);

        var outcome = await CliRunner.RunAsync("analyze", "--task", "Add mul.", "--json", "--struct", structPath);

        Assert.True(outcome.ExitCode == 0, outcome.Error);
        var json = JsonNode.Parse(outcome.Out)!;
        Assert.Equal("src/calc.py#add", json["affected_symbols"]![0]!.GetValue<string>());
        Assert.Equal(2, json["attempts"]!.GetValue<int>());
    }

    [Fact]
    public async Task Analyze_NoProvider_OrNoStruct_Exits2()
    {
        var structPath = await ProjectAsync(null);
        var outcome = await CliRunner.RunAsync("analyze", "--task", "x", "--struct", structPath);
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("no LLM is configured", outcome.Error);

        outcome = await CliRunner.RunAsync("diff", "--task", "x", "--struct", _dir.PathOf("missing.json"));
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("struct file not found", outcome.Error);

        outcome = await CliRunner.RunAsync("diff", "--struct", structPath);
        Assert.Equal(2, outcome.ExitCode); // --task is required
    }

    /// <summary>An OpenAI chat-completions server (JSON only) that answers with a script, then repeats its last answer.</summary>
    private sealed class ScriptedServer : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly ConcurrentQueue<string> _script;
        private string _last = "";

        private ScriptedServer(int port, string[] answers)
        {
            _script = new ConcurrentQueue<string>(answers);
            Endpoint = $"http://127.0.0.1:{port}/v1";
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            _listener.Start();
            _ = Task.Run(LoopAsync);
        }

        public string Endpoint { get; }

        public ConcurrentQueue<string> Bodies { get; } = new();

        public static ScriptedServer Start(params string[] answers)
        {
            var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return new ScriptedServer(port, answers);
        }

        public void Dispose() => _listener.Close();

        private async Task LoopAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext ctx;
                try
                {
                    ctx = await _listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }
                using var reader = new StreamReader(ctx.Request.InputStream, Encoding.UTF8);
                var body = await reader.ReadToEndAsync();
                Bodies.Enqueue(body);
                if (_script.TryDequeue(out var next))
                {
                    _last = next;
                }
                var answer = System.Text.Json.JsonSerializer.Serialize(_last);
                var text = $"{{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"fake-model\",\"choices\":[{{\"index\":0,\"message\":{{\"role\":\"assistant\",\"content\":{answer}}},\"finish_reason\":\"stop\"}}],\"usage\":{{\"prompt_tokens\":5,\"completion_tokens\":5,\"total_tokens\":10}}}}";
                ctx.Response.ContentType = "application/json";
                var bytes = Encoding.UTF8.GetBytes(text);
                await ctx.Response.OutputStream.WriteAsync(bytes);
                ctx.Response.Close();
            }
        }
    }
}
