using System.Text.Json.Nodes;

namespace LlmStruct.Cli.Tests;

/// <summary>
/// The planted-secret corpus (<see cref="PlantedSecrets"/>): no planted value reaches struct.json, any context format,
/// a prompt sent to the 127.0.0.1 test server, or the log; every rule fires; settings change what the cache returns.
/// </summary>
public sealed class SecretRedactionTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static void AssertNoLeak(string where, string text)
    {
        var leaked = PlantedSecrets.Leaked(text);
        Assert.True(leaked.Count == 0, $"{where} holds the planted secrets of: {string.Join(", ", leaked)}");
    }

    [Fact]
    public async Task Planted_secrets_reach_neither_struct_json_nor_any_context_format_nor_the_log()
    {
        PlantedSecrets.WriteCorpus(_dir, "corpus");
        var output = _dir.PathOf("out/struct.json");

        var parse = await CliRunner.RunAsync("parse", "-i", _dir.PathOf("corpus"), "-o", output, "--no-cache", "--verbose");

        Assert.True(parse.ExitCode == 0, parse.Error);
        var json = File.ReadAllText(output);
        AssertNoLeak("struct.json", json);
        AssertNoLeak("struct.json (unescaped)", System.Text.RegularExpressions.Regex.Unescape(json));
        AssertNoLeak("the parse log", parse.Out + parse.Error);
        foreach (var rule in PlantedSecrets.All.Select(p => p.Rule).Distinct())
        {
            Assert.Contains("\u00ABredacted:" + rule + "\u00BB", System.Text.RegularExpressions.Regex.Unescape(json));
        }
        var stats = JsonNode.Parse(json)!["stats"]!;
        Assert.True(stats["redactions"]!.GetValue<int>() >= PlantedSecrets.All.Count * 3, stats.ToJsonString());
        // The warning names files and rules, never values.
        Assert.Contains("secrets redacted in", parse.Error);
        Assert.Contains("cs/github_token_6.cs: github-token", parse.Error);
        Assert.Contains("generic-password", parse.Error);

        foreach (var format in new[] { "md", "xml", "json" })
        {
            var context = await CliRunner.RunAsync("context", "--struct", output, "--format", format, "--budget", "200000", "--no-cache");
            Assert.True(context.ExitCode == 0, context.Error);
            Assert.Contains("redacted:", context.Out);
            AssertNoLeak($"the {format} context", context.Out + context.Error);
        }
    }

    [Fact]
    public async Task Redaction_off_keeps_values_and_the_cache_never_serves_entries_made_under_other_settings()
    {
        var plant = PlantedSecrets.All.First(p => p.Rule == "github-token");
        _dir.Write("p/keys.py", PlantedSecrets.Python(plant));
        _dir.Write("p/llmstruct.toml", "[security]\nredact_secrets = false\n");
        var output = _dir.PathOf("p/struct.json");

        var off = await CliRunner.RunAsync("parse", "-i", _dir.PathOf("p"), "-o", output, "--quiet");
        Assert.True(off.ExitCode == 0, off.Error);
        Assert.Contains(plant.Secret, File.ReadAllText(output));

        // Same files, default settings: the cached (unredacted) parse must not be reused.
        _dir.Write("p/llmstruct.toml", "");
        var on = await CliRunner.RunAsync("parse", "-i", _dir.PathOf("p"), "-o", output, "--quiet");
        Assert.True(on.ExitCode == 0, on.Error);
        Assert.DoesNotContain(plant.Secret, File.ReadAllText(output));

        // An allowed path is kept as written, also through the cache.
        _dir.Write("p/llmstruct.toml", "[security]\nallow_paths = [\"keys.py\"]\n");
        var allowed = await CliRunner.RunAsync("parse", "-i", _dir.PathOf("p"), "-o", output, "--quiet");
        Assert.True(allowed.ExitCode == 0, allowed.Error);
        Assert.Contains(plant.Secret, File.ReadAllText(output));

        // An allowed rule is not applied.
        _dir.Write("p/llmstruct.toml", "[security]\nallow_rules = [\"github-token\"]\n");
        var rule = await CliRunner.RunAsync("parse", "-i", _dir.PathOf("p"), "-o", output, "--quiet");
        Assert.True(rule.ExitCode == 0, rule.Error);
        Assert.Contains(plant.Secret, File.ReadAllText(output));
    }

    [Fact]
    public async Task Credential_files_are_never_read_and_are_listed_in_skipped()
    {
        _dir.Write("p/app.py", "x = 1\n");
        _dir.Write("p/.env", "TOKEN=abc\n");
        _dir.Write("p/server.pem", "pem\n");
        _dir.Write("p/keys/id_rsa", "key\n");
        var output = _dir.PathOf("p/struct.json");

        var parse = await CliRunner.RunAsync("parse", "-i", _dir.PathOf("p"), "-o", output, "--quiet");

        Assert.True(parse.ExitCode == 0, parse.Error);
        var skipped = JsonNode.Parse(File.ReadAllText(output))!["skipped"]!.AsArray().Select(s => s!["path"]!.GetValue<string>() + ": " + s["reason"]!.GetValue<string>()).ToList();
        Assert.Equal([".env: credentials file: never read", "keys/id_rsa: credentials file: never read", "server.pem: credentials file: never read"], skipped);
    }

    [Fact]
    public async Task Diff_focus_prompts_carry_markers_and_applying_the_diff_keeps_the_original_secret()
    {
        var plant = PlantedSecrets.All.First(p => p.Rule == "github-token");
        var password = PlantedSecrets.All.First(p => p.Rule == "generic-password");
        var source = "TOKEN = \"" + plant.Literal + "\"\npassword = \"" + password.Literal + "\"\n\ndef f():\n    return 1\n";
        _dir.Write("p/keys.py", source);
        var answer = "```diff\n--- a/keys.py\n+++ b/keys.py\n@@ -1,5 +1,5 @@\n TOKEN = \"\u00ABredacted:github-token\u00BB\"\n"
            + " password = \"\u00ABredacted:generic-password\u00BB\"\n \n def f():\n-    return 1\n+    return 2\n```";
        using var server = FakeOpenAIServer.Start(answer);
        var structPath = _dir.PathOf("p/struct.json");
        var parse = await CliRunner.RunAsync("parse", "-i", _dir.PathOf("p"), "-o", structPath, "--quiet");
        Assert.True(parse.ExitCode == 0, parse.Error);
        _dir.Write("p/llmstruct.toml", $"""
            [[llm.providers]]
            name = "fake"
            kind = "openai"
            endpoint = "{server.Endpoint}"
            model = "fake-model"
            max_retries = 0
            """);

        var diff = await CliRunner.RunAsync("diff", "--task", "Return 2.", "--focus", "keys.py", "--apply", "--struct", structPath, "--verbose");

        Assert.True(diff.ExitCode == 0, diff.Error);
        var prompt = Assert.Single(server.Bodies);
        Assert.Contains("redacted:github-token", System.Text.RegularExpressions.Regex.Unescape(prompt));
        AssertNoLeak("the prompt", prompt);
        AssertNoLeak("the diff output and log", diff.Out + diff.Error);
        Assert.Equal(source.Replace("return 1", "return 2", StringComparison.Ordinal), File.ReadAllText(_dir.PathOf("p/keys.py")));
    }

    [Fact]
    public async Task Ask_and_analyze_prompts_carry_no_planted_secret()
    {
        PlantedSecrets.WriteCorpus(_dir, "p");
        const string plan = """{"summary":"s","affected_files":[],"affected_symbols":[],"steps":["x"],"risks":[],"estimate":"small"}""";
        using var server = FakeOpenAIServer.Start(plan);
        var structPath = _dir.PathOf("p/struct.json");
        var parse = await CliRunner.RunAsync("parse", "-i", _dir.PathOf("p"), "-o", structPath, "--quiet");
        Assert.True(parse.ExitCode == 0, parse.Error);
        _dir.Write("p/llmstruct.toml", $"""
            [llm]
            context_tokens = 200000
            [[llm.providers]]
            name = "fake"
            kind = "openai"
            endpoint = "{server.Endpoint}"
            model = "fake-model"
            max_retries = 0
            context_window = 400000
            """);

        var analyze = await CliRunner.RunAsync("analyze", "--task", "Plan.", "--json", "--struct", structPath);

        Assert.True(analyze.ExitCode == 0, analyze.Error);
        var prompt = Assert.Single(server.Bodies);
        Assert.Contains("redacted:", System.Text.RegularExpressions.Regex.Unescape(prompt));
        AssertNoLeak("the analyze prompt", prompt);
    }
}
