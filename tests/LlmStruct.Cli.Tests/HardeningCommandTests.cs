using System.Text.Json.Nodes;

namespace LlmStruct.Cli.Tests;

/// <summary>Issue #19's command-line items: odd names end to end, missing folders, readable messages, the README table.</summary>
public sealed class HardeningCommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Parse_keeps_names_with_a_newline_or_a_backslash_and_validate_accepts_the_file()
    {
        _dir.Write("p/new\nline.py", "def f():\n    pass\n");
        _dir.Write("p/a\\b.py", "x = 1\n");
        _dir.Write("p/ok.py", "y = 2\n");
        var output = _dir.PathOf("out/struct.json");

        var parse = await CliRunner.RunAsync("parse", "-i", _dir.PathOf("p"), "-o", output, "--quiet");

        Assert.True(parse.ExitCode == 0, parse.Error);
        var paths = JsonNode.Parse(File.ReadAllText(output))!["modules"]!.AsArray().Select(m => m!["path"]!.GetValue<string>());
        Assert.Equal(["a\\b.py", "new\nline.py", "ok.py"], paths);
        var validate = await CliRunner.RunAsync("validate", output);
        Assert.True(validate.ExitCode == 0, validate.Out + validate.Error);
    }

    [Fact]
    public async Task Cache_clear_of_a_missing_folder_fails_and_creates_nothing_and_parse_says_not_found()
    {
        var missing = _dir.PathOf("mistyped");

        var clear = await CliRunner.RunAsync("cache", "clear", "--input", missing);

        Assert.Equal(2, clear.ExitCode);
        Assert.Contains("input folder not found", clear.Error);
        Assert.False(Directory.Exists(missing));
        var parse = await CliRunner.RunAsync("parse", "--input", missing, "-o", _dir.PathOf("s.json"));
        Assert.Equal(2, parse.ExitCode);
        Assert.Contains("input folder not found", parse.Error);
    }

    [Fact]
    public async Task Cache_clear_without_a_cache_creates_no_cache_folder()
    {
        _dir.Write("p/a.py", "");
        var clear = await CliRunner.RunAsync("cache", "clear", "--input", _dir.PathOf("p"));
        Assert.True(clear.ExitCode == 0, clear.Error);
        Assert.Contains("no cache in", clear.Out);
        Assert.False(Directory.Exists(_dir.PathOf("p/.llmstruct")));
    }

    [Fact]
    public async Task A_wrong_option_value_is_named_in_words()
    {
        _dir.Write("p/a.py", "");
        var parse = await CliRunner.RunAsync("parse", "-i", _dir.PathOf("p"), "--jobs", "abc");
        Assert.Equal(2, parse.ExitCode);
        Assert.Contains("'abc'", parse.Error);
        Assert.Contains("a whole number", parse.Error);
        Assert.DoesNotContain("System.", parse.Error);
    }

    [Fact]
    public async Task A_wrongly_typed_config_value_is_named_by_its_key()
    {
        _dir.Write("p/a.py", "");
        _dir.Write("p/llmstruct.toml", "[parsing]\nmax_file_bytes = \"big\"\n");
        var parse = await CliRunner.RunAsync("parse", "-i", _dir.PathOf("p"), "-o", _dir.PathOf("s.json"));
        Assert.Equal(2, parse.ExitCode);
        Assert.Contains("parsing.max_file_bytes must be a whole number", parse.Error);
        Assert.DoesNotContain("Tomlyn", parse.Error);
        Assert.DoesNotContain("System.", parse.Error);
    }

    [Fact]
    public async Task Validate_on_a_folder_says_it_is_a_folder()
    {
        var folder = _dir.PathOf("p");
        Directory.CreateDirectory(folder);
        var validate = await CliRunner.RunAsync("validate", folder);
        Assert.Equal(2, validate.ExitCode);
        Assert.Contains("is a folder", validate.Error);
        Assert.DoesNotContain("denied", validate.Error);
    }

    [Fact]
    public async Task The_readme_command_table_lists_every_command_of_help()
    {
        var help = await CliRunner.RunAsync("--help");
        var section = help.Out[help.Out.IndexOf("Commands:", StringComparison.Ordinal)..];
        var commands = System.Text.RegularExpressions.Regex.Matches(section, @"^\s{2}([a-z]+)\b", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.Contains("context", commands);
        var readme = File.ReadAllText(Path.Combine(CliRunner.RepoRoot, "README.md"));
        foreach (var command in commands)
        {
            Assert.True(readme.Contains($"| `llmstruct {command}", StringComparison.Ordinal), $"README's command table has no row for '{command}'");
        }
    }

    [Fact]
    public async Task Library_warnings_reach_stderr_through_the_logger_and_debug_only_with_verbose()
    {
        // The fallback chain logs a warning when a provider fails; without a logging provider in the CLI it was lost.
        const string plan = """{"summary":"s","affected_files":[],"affected_symbols":[],"steps":["x"],"risks":[],"estimate":"small"}""";
        using var server = FakeOpenAIServer.Start(plan, plan);
        _dir.Write("p/a.py", "x = 1\n");
        var structPath = _dir.PathOf("p/struct.json");
        var parse = await CliRunner.RunAsync("parse", "-i", _dir.PathOf("p"), "-o", structPath, "--quiet");
        Assert.True(parse.ExitCode == 0, parse.Error);
        _dir.Write("p/llmstruct.toml", $"""
            [llm]
            order = ["dead", "fake"]
            [[llm.providers]]
            name = "dead"
            kind = "openai"
            endpoint = "http://127.0.0.1:{FakeOpenAIServer.FreePort()}/v1"
            model = "m"
            max_retries = 0
            [[llm.providers]]
            name = "fake"
            kind = "openai"
            endpoint = "{server.Endpoint}"
            model = "fake-model"
            max_retries = 0
            """);

        var quiet = await CliRunner.RunAsync("analyze", "--task", "Plan.", "--json", "--struct", structPath);
        var verbose = await CliRunner.RunAsync("analyze", "--task", "Plan.", "--json", "--struct", structPath, "--verbose");

        Assert.True(quiet.ExitCode == 0, quiet.Error);
        Assert.Matches(@"(?m)^warning: \[\w+\] LLM provider dead failed, trying the next one", quiet.Error);
        Assert.DoesNotContain("debug:", quiet.Error);
        Assert.True(verbose.ExitCode == 0, verbose.Error);
        Assert.Contains("LLM provider dead failed", verbose.Error);
    }
}
