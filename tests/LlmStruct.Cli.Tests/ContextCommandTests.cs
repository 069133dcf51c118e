using System.Xml.Linq;
using LlmStruct.Context;

namespace LlmStruct.Cli.Tests;

public class ContextCommandTests
{
    private const string Service = """
        namespace Demo;

        /// <summary>Greets people.</summary>
        public class Greeter
        {
            /// <summary>Says hello.</summary>
            public string Hello(string name) => Format(name);

            private static string Format(string name) => string.Concat("Hello, ", name);
        }
        """;

    private const string Program = """
        namespace Demo;

        public static class Program
        {
            public static void Main() => new Greeter().Hello("x");
        }
        """;

    [Fact]
    public async Task Context_from_a_folder_parses_renders_and_caches()
    {
        using var dir = new TempDir();
        dir.Write("src/Greeter.cs", Service);
        dir.Write("src/Program.cs", Program);

        var first = await CliRunner.RunAsync("context", "--input", dir.PathOf("src"), "--budget", "500");
        Assert.Equal(0, first.ExitCode);
        Assert.StartsWith("# src\n", first.Out);
        Assert.Contains("### Program.cs", first.Out);
        Assert.Contains("method Hello(name: string) -> string — Says hello.", first.Out);
        Assert.True(new ContextBuilder().CountTokens(first.Out) <= 500);

        var entries = Directory.GetFiles(dir.PathOf("src/.llmstruct/context"), "*.ctx");
        var entry = Assert.Single(entries);

        // A second run reads the cache: prove it by planting a valid entry under the same key.
        var cache = ContextCache.ForRoot(dir.PathOf("src"));
        var key = Path.GetFileNameWithoutExtension(entry);
        await cache.WriteAsync(key, "CACHED\n");
        var second = await CliRunner.RunAsync("context", "--input", dir.PathOf("src"), "--budget", "500");
        Assert.Equal("CACHED\n", second.Out);

        // A corrupt entry is detected and rebuilt.
        await File.WriteAllTextAsync(entry, "llmstruct-context v1 sha256=00\nCACHED\n");
        var third = await CliRunner.RunAsync("context", "--input", dir.PathOf("src"), "--budget", "500");
        Assert.Equal(first.Out, third.Out);
        Assert.Equal(first.Out, await cache.TryReadAsync(key));
    }

    [Fact]
    public async Task Context_from_struct_json_with_focus_format_and_output_file()
    {
        using var dir = new TempDir();
        dir.Write("src/Greeter.cs", Service);
        dir.Write("src/Program.cs", Program);
        var structPath = dir.PathOf("struct.json");
        Assert.Equal(0, (await CliRunner.RunAsync("parse", "-i", dir.PathOf("src"), "-o", structPath, "-q")).ExitCode);

        var output = dir.PathOf("out/context.xml");
        var outcome = await CliRunner.RunAsync(
            "context", "--struct", structPath, "--budget", "2000", "--focus", "Greeter.cs", "--format", "xml", "--tokenizer", "cl100k", "--output", output);
        Assert.Equal(0, outcome.ExitCode);
        var xml = XDocument.Parse(await File.ReadAllTextAsync(output));
        var files = xml.Root!.Element("files")!.Elements("file").Select(f => (string)f.Attribute("path")!).ToList();
        Assert.Equal("Greeter.cs", files[0]);
        Assert.True(File.Exists(Directory.GetFiles(dir.PathOf(".llmstruct/context"), "*.ctx").Single()));

        var again = await CliRunner.RunAsync(
            "context", "--struct", structPath, "--budget", "2000", "--focus", "Greeter.cs", "--format", "xml", "--tokenizer", "cl100k", "--no-cache");
        Assert.Equal(await File.ReadAllTextAsync(output), again.Out);
    }

    [Theory]
    [InlineData("--budget", "0")]
    [InlineData("--format", "html")]
    [InlineData("--tokenizer", "gpt2")]
    public async Task Bad_options_exit_with_two(string option, string value)
    {
        using var dir = new TempDir();
        dir.Write("A.cs", Service);
        var outcome = await CliRunner.RunAsync("context", "--input", dir.Root, option, value);
        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains("error", outcome.Error);
    }

    [Fact]
    public async Task Missing_or_corrupt_struct_file_exits_with_two()
    {
        using var dir = new TempDir();
        Assert.Equal(2, (await CliRunner.RunAsync("context", "--struct", dir.PathOf("nope.json"))).ExitCode);
        dir.Write("bad.json", "{ not json");
        Assert.Equal(2, (await CliRunner.RunAsync("context", "--struct", dir.PathOf("bad.json"))).ExitCode);
    }

    [Fact]
    public async Task Explain_shows_co_change_from_git_history_and_no_cochange_turns_it_off()
    {
        using var dir = new TempDir();
        dir.Write("Greeter.cs", Service);
        dir.Write("Program.cs", Program);
        dir.Write("Notes.cs", "namespace Demo;\npublic static class Notes { public static int Count() => 1; }\n");
        Git(dir.PathOf(""), "init", "-q");
        Git(dir.PathOf(""), "add", ".");
        Git(dir.PathOf(""), "commit", "-q", "-m", "one");
        // Greeter.cs and Notes.cs change together twice; nothing in the code links them.
        for (int round = 0; round < 2; round++)
        {
            dir.Write("Greeter.cs", Service + $"// {round}\n");
            dir.Write("Notes.cs", "namespace Demo;\npublic static class Notes { public static int Count() => " + (round + 2) + "; }\n");
            Git(dir.PathOf(""), "commit", "-q", "-am", $"round {round}");
        }

        var explained = await CliRunner.RunAsync("context", "--input", dir.PathOf(""), "--focus", "Greeter.cs", "--explain", "--no-cache", "--budget", "3000");
        Assert.Equal(0, explained.ExitCode);
        Assert.Contains("Greeter.cs — why: focus", explained.Out);
        Assert.Matches("Notes.cs.*why: score [0-9.]+ = graph [0-9.]+ \\+ 2×co-change 1 ", explained.Out);
        Assert.True(Directory.EnumerateFiles(dir.PathOf(".llmstruct/cochange")).Any(), "the history is cached");

        var without = await CliRunner.RunAsync("context", "--input", dir.PathOf(""), "--focus", "Greeter.cs", "--explain", "--no-cache", "--no-cochange", "--budget", "3000");
        Assert.Equal(0, without.ExitCode);
        Assert.DoesNotMatch("Notes.cs.*2×co-change 1 ", without.Out);
    }

    private static void Git(string directory, params string[] arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-C");
        start.ArgumentList.Add(directory);
        foreach (var (name, value) in new[] { ("user.name", "test"), ("user.email", "test@example.invalid"), ("commit.gpgsign", "false") })
        {
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add($"{name}={value}");
        }
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = System.Diagnostics.Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"git {string.Join(' ', arguments)}: {error}");
    }
}
