using System.Diagnostics;

namespace LlmStruct.Cli.Tests;

public class TasksCommandTests
{
    private const string Toml = """
        [project]
        name = "demo"

        # Our backlog
        [[tasks]]
        id = "TSK-001"      # the first one
        title = "Start"
        files = ["app.py"]
        symbols = ["main"]
        """;

    private static void NoStackTrace(CliOutcome outcome)
    {
        Assert.DoesNotContain("   at ", outcome.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_update_list_and_show_work_on_the_file_in_place()
    {
        using var dir = new TempDir();
        var config = dir.Write("llmstruct.toml", Toml);
        var add = await CliRunner.RunAsync("tasks", "add", "--root", dir.Root, "--title", "Second thing", "--assign", "kim", "--label", "ux", "--depends-on", "TSK-001");
        Assert.Equal(0, add.ExitCode);
        Assert.Equal("added TSK-002: Second thing\n", add.Out);
        var update = await CliRunner.RunAsync("tasks", "update", "TSK-001", "--root", dir.Root, "--status", "in_progress", "--assign", "@lee");
        Assert.Equal(0, update.ExitCode);
        var text = File.ReadAllText(config);
        Assert.StartsWith(Toml.Replace("symbols = [\"main\"]", "symbols = [\"main\"]\nstatus = \"in_progress\"\nassignees = [\"@lee\"]", StringComparison.Ordinal), text, StringComparison.Ordinal);
        Assert.Contains("id = \"TSK-001\"      # the first one", text, StringComparison.Ordinal);

        var list = await CliRunner.RunAsync("tasks", "list", "--root", dir.Root);
        Assert.Equal("TSK-001  [in_progress]  Start  @lee\nTSK-002  [open]  Second thing  @kim\n", list.Out);
        var filtered = await CliRunner.RunAsync("tasks", "list", "--root", dir.Root, "--status", "open", "--json");
        Assert.Contains("\"id\": \"TSK-002\"", filtered.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("\"id\": \"TSK-001\"", filtered.Out, StringComparison.Ordinal);
        var show = await CliRunner.RunAsync("tasks", "show", "TSK-001", "--root", dir.Root);
        Assert.Equal(0, show.ExitCode);
        Assert.Contains("status: in_progress", show.Out, StringComparison.Ordinal);
        Assert.Contains("status: open -> in_progress", show.Out, StringComparison.Ordinal);
        Assert.Contains(" cli ", show.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[[tasks]]\nid = \"A-1\"\ntitle = \"a\"\n\n[[tasks]]\nid = \"A-1\"\ntitle = \"b\"\n", "llmstruct.toml:5: duplicate task id 'A-1' (also at line 1)")]
    [InlineData("[[tasks]]\nid = \"A-1\"\ntitle = \"a\"\nstatus = \"wip\"\n", "unknown status 'wip' (allowed: open, in_progress, blocked, done, cancelled)")]
    [InlineData("[[tasks]]\nid = \"A-1\"\ntitle = \"a\"\ndepends_on = [\"A-2\"]\n[[tasks]]\nid = \"A-2\"\ntitle = \"b\"\ndepends_on = [\"A-1\"]\n", "depends_on forms a cycle: A-1 -> A-2 -> A-1")]
    [InlineData("[[tasks]\nid = \"A-1\"\n", "llmstruct.toml:1:")]
    public async Task Bad_tasks_input_is_a_clear_message_and_exit_code_2_in_every_command(string toml, string message)
    {
        using var dir = new TempDir();
        dir.Write("llmstruct.toml", toml);
        dir.Write("app.py", "def main():\n    pass\n");
        foreach (var args in new[]
        {
            new[] { "tasks", "list", "--root", dir.Root },
            ["tasks", "update", "A-1", "--root", dir.Root, "--status", "done"],
            ["parse", "-i", dir.Root, "-o", dir.PathOf("struct.json"), "--quiet", "--no-cache"],
        })
        {
            var outcome = await CliRunner.RunAsync(args);
            Assert.Equal(2, outcome.ExitCode);
            Assert.Contains(message, outcome.Error, StringComparison.Ordinal);
            NoStackTrace(outcome);
        }
        Assert.Equal(toml, File.ReadAllText(dir.PathOf("llmstruct.toml")));
    }

    [Fact]
    public async Task An_unknown_status_on_the_command_line_lists_the_allowed_ones()
    {
        using var dir = new TempDir();
        dir.Write("llmstruct.toml", Toml);
        var outcome = await CliRunner.RunAsync("tasks", "update", "TSK-001", "--root", dir.Root, "--status", "later");
        Assert.Equal(2, outcome.ExitCode);
        Assert.Equal("error: --status: unknown status 'later' (allowed: open, in_progress, blocked, done, cancelled)\n", outcome.Error);
    }

    [Fact]
    public async Task Parse_writes_tasks_validate_checks_their_references_and_context_focuses_on_one()
    {
        using var dir = new TempDir();
        dir.Write("llmstruct.toml", Toml);
        dir.Write("app.py", "def main():\n    helper()\n\ndef helper():\n    pass\n");
        dir.Write("other.py", "def unrelated():\n    pass\n");
        var structPath = dir.PathOf("struct.json");
        var parse = await CliRunner.RunAsync("parse", "-i", dir.Root, "-o", structPath, "--quiet");
        Assert.Equal(0, parse.ExitCode);
        Assert.Contains("\"symbols\": [\"app.py#main\"]", File.ReadAllText(structPath), StringComparison.Ordinal);
        Assert.Equal(0, (await CliRunner.RunAsync("validate", structPath)).ExitCode);

        var context = await CliRunner.RunAsync("context", "--struct", structPath, "--task", "TSK-001", "--no-cache");
        Assert.Equal(0, context.ExitCode);
        Assert.StartsWith("# Task TSK-001: Start\nstatus: open\n", context.Out, StringComparison.Ordinal);
        Assert.Contains("app.py", context.Out, StringComparison.Ordinal);
        var missing = await CliRunner.RunAsync("context", "--struct", structPath, "--task", "TSK-404");
        Assert.Equal(2, missing.ExitCode);

        // A symbol that resolves to nothing: parse warns and keeps it; validate fails naming it.
        var update = await CliRunner.RunAsync("tasks", "update", "TSK-001", "--root", dir.Root, "--symbol", "Gone.away");
        Assert.Equal(0, update.ExitCode);
        parse = await CliRunner.RunAsync("parse", "-i", dir.Root, "-o", structPath, "--quiet");
        Assert.Equal(0, parse.ExitCode);
        Assert.Contains("warning: llmstruct.toml:5: task TSK-001: symbol 'Gone.away' matches no definition", parse.Error, StringComparison.Ordinal);
        var validate = await CliRunner.RunAsync("validate", structPath);
        Assert.Equal(1, validate.ExitCode);
        Assert.Contains("'Gone.away' matches nothing", validate.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_chat_shows_a_dry_run_then_merges_by_id_and_title()
    {
        using var dir = new TempDir();
        var config = dir.Write("llmstruct.toml", Toml);
        var chat = dir.Write("chat.md", "Plan:\n\n- [x] TSK-001: Start\n- [ ] start\n- [ ] Add caching (@kim)\n");
        var dry = await CliRunner.RunAsync("tasks", "import-chat", chat, "--root", dir.Root, "--dry-run");
        Assert.Equal(0, dry.ExitCode);
        Assert.Equal("would add TSK-002: [open] Add caching (@kim)\nwould change TSK-001: status open -> done\n", dry.Out);
        Assert.Equal(Toml, File.ReadAllText(config));
        var real = await CliRunner.RunAsync("tasks", "import-chat", chat, "--root", dir.Root);
        Assert.Equal("add TSK-002: [open] Add caching (@kim)\nchange TSK-001: status open -> done\n", real.Out);
        var text = File.ReadAllText(config);
        Assert.Contains("# Our backlog", text, StringComparison.Ordinal);
        Assert.Contains("assignees = [\"@kim\"]", text, StringComparison.Ordinal);
        var again = await CliRunner.RunAsync("tasks", "import-chat", chat, "--root", dir.Root);
        Assert.Equal("", again.Out);
        Assert.Equal(text, File.ReadAllText(config));
    }

    [Fact]
    public async Task Two_processes_updating_tasks_at_once_lose_no_update()
    {
        // Real processes of the built tool (llmstruct.dll beside the tests), all on one llmstruct.toml and database.
        var tool = CliRunner.Binary ?? Path.Combine(AppContext.BaseDirectory, "llmstruct.dll");
        using var dir = new TempDir();
        dir.Write("llmstruct.toml", Toml);
        const int processes = 4;
        var runs = Enumerable.Range(0, processes).Select(i => Task.Run(() =>
        {
            bool managed = tool.EndsWith(".dll", StringComparison.Ordinal);
            var start = new ProcessStartInfo(managed ? "dotnet" : tool) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            if (managed)
            {
                start.ArgumentList.Add(tool);
            }
            foreach (var arg in new[] { "tasks", "update", "TSK-001", "--root", dir.Root, "--label", $"p{i}" })
            {
                start.ArgumentList.Add(arg);
            }
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEnd();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, error);
        })).ToArray();
        var results = await Task.WhenAll(runs);
        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.error));
        var list = await CliRunner.RunAsync("tasks", "show", "TSK-001", "--root", dir.Root, "--json");
        foreach (var i in Enumerable.Range(0, processes))
        {
            Assert.Contains($"\"p{i}\"", list.Out, StringComparison.Ordinal);
        }
        Assert.StartsWith("[project]\nname = \"demo\"\n\n# Our backlog\n", File.ReadAllText(dir.PathOf("llmstruct.toml")), StringComparison.Ordinal);
    }

    private static string WithProvider(FakeOpenAIServer server) => Toml + $"""


        [[llm.providers]]
        name = "fake"
        kind = "openai"
        endpoint = "{server.Endpoint}"
        model = "fake-model"
        max_retries = 0
        """;

    [Fact]
    public async Task Analyze_takes_a_task_id_and_plans_the_tasks_text()
    {
        const string plan = """{"summary":"Start it.","affected_files":["app.py"],"affected_symbols":["app.py#main"],"steps":["Do it"],"risks":[],"estimate":"small"}""";
        using var server = FakeOpenAIServer.Start(plan);
        using var dir = new TempDir();
        dir.Write("app.py", "def main():\n    pass\n");
        dir.Write("llmstruct.toml", WithProvider(server));
        var structPath = dir.PathOf("struct.json");
        Assert.Equal(0, (await CliRunner.RunAsync("parse", "-i", dir.Root, "-o", structPath, "--quiet")).ExitCode);
        var outcome = await CliRunner.RunAsync("analyze", "--task", "TSK-001", "--struct", structPath);
        Assert.True(outcome.ExitCode == 0, outcome.Error);
        var body = Assert.Single(server.Bodies);
        Assert.Contains("# Task TSK-001: Start", body, StringComparison.Ordinal);
        Assert.Contains("symbols: app.py#main", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_chat_with_llm_validates_retries_and_merges()
    {
        using var server = FakeOpenAIServer.Start(
            """{"tasks": [{"title": "Cache it", "status": "someday"}]}""",
            """{"tasks": [{"title": "Cache it", "assignees": ["@kim"]}, {"id": "TSK-001", "title": "Start", "status": "done"}]}""");
        using var dir = new TempDir();
        var config = dir.Write("llmstruct.toml", WithProvider(server));
        var chat = dir.Write("chat.txt", "We agreed to cache it; Kim takes it. The start is finished.");
        var outcome = await CliRunner.RunAsync("tasks", "import-chat", chat, "--root", dir.Root, "--llm", "--retries", "1");
        Assert.True(outcome.ExitCode == 0, outcome.Error);
        Assert.Equal("add TSK-002: [open] Cache it\nchange TSK-001: status open -> done\n", outcome.Out);
        Assert.Equal(2, server.Bodies.Count);
        Assert.Contains("[llm.providers]", File.ReadAllText(config), StringComparison.Ordinal);

        using var failing = FakeOpenAIServer.Start("no json here");
        dir.Write("llmstruct.toml", WithProvider(failing));
        var failed = await CliRunner.RunAsync("tasks", "import-chat", chat, "--root", dir.Root, "--llm", "--retries", "0");
        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("attempt 1: the answer is not a JSON object", failed.Error, StringComparison.Ordinal);
        NoStackTrace(failed);
    }

    [Fact]
    public async Task A_corrupt_database_is_rebuilt_from_llmstruct_toml_with_a_warning()
    {
        using var dir = new TempDir();
        dir.Write("llmstruct.toml", Toml);
        var db = dir.Write(".llmstruct/llmstruct.db", new string('x', 5000));
        var outcome = await CliRunner.RunAsync("tasks", "list", "--root", dir.Root);
        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal("TSK-001  [open]  Start\n", outcome.Out);
        Assert.Contains("warning: the tasks database was damaged", outcome.Error, StringComparison.Ordinal);
        Assert.Contains("kept it as llmstruct.db.damaged-1 and rebuilt it from llmstruct.toml", outcome.Error, StringComparison.Ordinal);
        NoStackTrace(outcome);
        Assert.True(File.Exists(db + ".damaged-1"));
        var again = await CliRunner.RunAsync("tasks", "list", "--root", dir.Root);
        Assert.Equal("", again.Error);
    }
}
