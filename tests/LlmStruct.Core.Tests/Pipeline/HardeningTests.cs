using System.Diagnostics;
using LlmStruct.Configuration;
using LlmStruct.Discovery;
using LlmStruct.Json;
using LlmStruct.Model;
using LlmStruct.Pipeline;

namespace LlmStruct.Core.Tests.Pipeline;

/// <summary>Regression tests of issue #19's items 2–8: odd file names, absolute paths, FIFOs, stale temp files, config messages.</summary>
public class HardeningTests
{
    private static DiscoveryResult Discover(string root) =>
        FileDiscovery.Discover(root, new ParsingOptions(), p => p.EndsWith(".py", StringComparison.Ordinal));

    private static void Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, process.StandardError.ReadToEnd());
    }

    [Fact]
    public async Task File_names_with_a_newline_or_a_backslash_are_kept_exact_and_the_document_is_valid()
    {
        using var tree = new TempTree();
        tree.Write("new\nline.py", "def f():\n    pass\n");
        tree.Write("a\\b.py", "x = 1\n");
        tree.Write("ok.py", "y = 2\n");

        Assert.Equal(["a\\b.py", "new\nline.py", "ok.py"], Discover(tree.Root).Files.Select(f => f.RelativePath));
        var module = new ModuleInfo { Path = "new\nline.py", Language = "python", Sha256 = new string('a', 64) };
        var document = new StructDocument { Project = new ProjectInfo { Name = "p" }, Modules = [module with { Path = "a\\b.py" }, module] };
        var path = Path.Combine(tree.Root, "struct.json");
        await StructFileWriter.WriteAsync(path, document);
        var read = await StructJson.ReadFileAsync(path);
        Assert.Equal(["a\\b.py", "new\nline.py"], read.Modules.Select(m => m.Path));
        Assert.Contains("\"new\\nline.py\"", File.ReadAllText(path));
    }

    [Fact]
    public void A_name_that_is_not_utf8_is_listed_in_skipped_with_its_bytes_escaped()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // only Linux lets a name hold bytes that are not UTF-8
        }
        using var tree = new TempTree();
        tree.Write("ok.py", "");
        Run("/bin/sh", "-c", $"cd '{tree.Root}' && printf 'x = 1\\n' > \"$(printf 'bad\\377name.py')\"");

        var result = Discover(tree.Root);

        Assert.Equal(["ok.py"], result.Files.Select(f => f.RelativePath));
        var skipped = Assert.Single(result.Skipped);
        Assert.Equal("bad\\xffname.py", skipped.Path);
        Assert.Contains("not valid UTF-8", skipped.Reason);
    }

    [Fact]
    public void A_fifo_is_skipped_as_not_a_regular_file()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // mkfifo is a POSIX tool
        }
        using var tree = new TempTree();
        tree.Write("x.py", "x = 1\n");
        Run("mkfifo", Path.Combine(tree.Root, "y.py"));

        var result = Discover(tree.Root);

        Assert.Equal(["x.py"], result.Files.Select(f => f.RelativePath));
        Assert.Equal(new SkippedFile { Path = "y.py", Reason = "not a regular file" }, Assert.Single(result.Skipped));
    }

    [Fact]
    public void A_symbolic_link_loop_is_reported_without_an_absolute_path()
    {
        using var tree = new TempTree();
        tree.Write("ok.py", "");
        File.CreateSymbolicLink(Path.Combine(tree.Root, "loop.py"), Path.Combine(tree.Root, "loop.py"));

        var result = Discover(tree.Root);

        var skipped = Assert.Single(result.Skipped);
        Assert.Equal("loop.py", skipped.Path);
        Assert.DoesNotContain(tree.Root, skipped.Reason);
        Assert.DoesNotContain("/tmp", skipped.Reason);
    }

    [Fact]
    public async Task A_temp_file_left_by_a_killed_writer_is_removed_by_the_next_write_but_a_live_writers_is_kept()
    {
        using var tree = new TempTree();
        var path = Path.Combine(tree.Root, "struct.json");
        // pid_max on Linux is at most 2^22: this process id cannot be running.
        var stale = tree.Write(".struct.json.4194399.0badcafe.tmp", "half a document");
        var live = tree.Write($".struct.json.1.0badcafe.tmp", "another run's write");
        var other = tree.Write(".other.json.4194399.0badcafe.tmp", "not ours");

        await StructFileWriter.WriteAsync(path, new StructDocument { Project = new ProjectInfo { Name = "p" } });

        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(live));
        Assert.True(File.Exists(other));
    }

    [Theory]
    [InlineData("[parsing]\nmax_file_bytes = \"big\"\n", "llmstruct.toml: parsing.max_file_bytes must be a whole number, not the string \"big\"")]
    [InlineData("[cache]\nenabled = \"yes\"\n", "llmstruct.toml: cache.enabled must be true or false, not the string \"yes\"")]
    [InlineData("[parsing]\ninclude = \"src/**\"\n", "llmstruct.toml: parsing.include must be a list of strings, e.g. [\"a\", \"b\"], not the string \"src/**\"")]
    [InlineData("[project]\nname = 3\n", "llmstruct.toml: project.name must be a string (in quotes), not the number 3")]
    [InlineData("[[llm.providers]]\nname = \"l\"\nkind = \"local\"\nthreads = \"four\"\n", "llmstruct.toml: llm.providers[0].threads must be a whole number, not the string \"four\"")]
    [InlineData("[[llm.providers]]\nname = \"l\"\nkind = \"local\"\ngpu_layers = -1\n", "llmstruct.toml: llm provider 'l': gpu_layers must be 0 (CPU only) or more, not -1")]
    [InlineData("[[llm.providers]]\nname = \"l\"\nkind = \"local\"\nthreads = 0\n", "llmstruct.toml: llm provider 'l': threads must be at least 1 (leave it out for the processor count), not 0")]
    public void Wrong_values_in_the_config_are_named_in_words(string toml, string message)
    {
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(toml));
        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void Invalid_toml_gives_its_position_once()
    {
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("[project]\nname = \"x\"\nname = = 3\n"));
        Assert.Equal("llmstruct.toml:3:8: Unexpected token `=` while parsing a value.", ex.Message);
    }
}
