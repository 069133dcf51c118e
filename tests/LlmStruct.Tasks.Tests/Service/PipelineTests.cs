using LlmStruct.Configuration;
using LlmStruct.Json;
using LlmStruct.Pipeline;
using LlmStruct.Tasks.Service;
using Microsoft.Extensions.DependencyInjection;

namespace LlmStruct.Tasks.Tests.Service;

/// <summary>llmstruct.toml → SQLite → struct.json through the real pipeline, with the Python parser and AddTasks().</summary>
public sealed class PipelineTests : IDisposable
{
    private readonly TempProject _project = new();

    public PipelineTests()
    {
        _project.Write("app/main.py", "class App:\n    def run(self):\n        pass\n\ndef helper():\n    pass\n");
        _project.Write("app/other.py", "def helper():\n    pass\n");
        _project.Write("llmstruct.toml", """
            [project]
            name = "demo"

            [[tasks]]
            id = "TSK-002"
            title = "Run faster"
            labels = ["perf", "app"]
            files = ["app/main.py", "docs/missing.md"]
            symbols = ["App.run", "app/other.py#helper", "helper", "Nope.nothing"]
            depends_on = ["TSK-001", "TSK-404"]

            [[tasks]]
            id = "TSK-001"
            title = "Base"
            status = "done"
            """);
    }

    public void Dispose() => _project.Dispose();

    private static ServiceProvider Services()
    {
        var services = new ServiceCollection();
        services.AddLlmStruct().AddPythonParser().AddTasks();
        return services.BuildServiceProvider();
    }

    private async Task<(byte[] Bytes, BuildResult Result)> BuildAsync(ServiceProvider provider, Caching.ParseCache? cache = null)
    {
        var options = (await ConfigLoader.LoadAsync(_project.Config)).Options;
        var output = Path.Combine(_project.Root, "struct.json");
        var result = await provider.GetRequiredService<StructPipeline>().BuildAsync(new PipelineRequest { Root = _project.Root, Options = options, Cache = cache }, output);
        return (await File.ReadAllBytesAsync(output), result);
    }

    [Fact]
    public async Task Tasks_reach_struct_json_with_symbols_resolved_and_unresolved_links_reported()
    {
        using var provider = Services();
        var (bytes, result) = await BuildAsync(provider);
        var document = StructJson.Deserialize(bytes);
        Assert.Equal(["TSK-001", "TSK-002"], document.Tasks.Select(t => t.Id));
        var t = document.Tasks[1];
        Assert.Equal(["app", "perf"], t.Labels.ToArray());
        Assert.Equal(["Nope.nothing", "app/main.py#App.run", "app/other.py#helper", "helper"], t.Symbols.ToArray());
        Assert.Equal(["Nope.nothing", "TSK-404", "docs/missing.md", "helper"], t.Unresolved.ToArray());
        Assert.Contains(result.Warnings, w => w == "llmstruct.toml:4: task TSK-002: symbol 'Nope.nothing' matches no definition id or qualified name in struct.json");
        Assert.Contains(result.Warnings, w => w.Contains("symbol 'helper' is ambiguous", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.Contains("file 'docs/missing.md' does not exist", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.Contains("depends_on 'TSK-404' names no task", StringComparison.Ordinal));
        Assert.Empty(Schema.StructValidator.Check(bytes));
        Assert.NotEmpty(TaskReferenceCheck.Check(document));
        Assert.True(File.Exists(_project.Db));
    }

    [Fact]
    public async Task The_same_toml_and_code_give_the_same_bytes_whatever_the_store_holds()
    {
        using var provider = Services();
        var (first, _) = await BuildAsync(provider);
        // History accumulates in the store; struct.json does not change with it.
        await new TaskService().UpdateAsync(_project.Config, "TSK-001", t => t with { Status = ProjectTaskStatus.Open }, TaskEventSource.Cli);
        await new TaskService().UpdateAsync(_project.Config, "TSK-001", t => t with { Status = ProjectTaskStatus.Done }, TaskEventSource.Cli);
        var (second, _) = await BuildAsync(provider);
        Assert.Equal(first, second);
        File.Delete(_project.Db);
        var (third, _) = await BuildAsync(provider);
        Assert.Equal(first, third);
    }

    [Fact]
    public async Task An_edit_to_the_tasks_rewrites_an_up_to_date_struct_json()
    {
        using var provider = Services();
        // Sources written long enough ago that the cache vouches for them by their stamp (git's "racy" rule).
        foreach (var source in Directory.GetFiles(Path.Combine(_project.Root, "app")))
        {
            File.SetLastWriteTimeUtc(source, DateTime.UtcNow.AddMinutes(-10));
        }
        using (var cache = Caching.ParseCache.Open(Path.Combine(_project.Root, ".llmstruct", "cache")))
        {
            await BuildAsync(provider, cache);
        }
        using (var cache = Caching.ParseCache.Open(Path.Combine(_project.Root, ".llmstruct", "cache")))
        {
            Assert.True((await BuildAsync(provider, cache)).Result.UpToDate);
        }
        await new TaskService().UpdateAsync(_project.Config, "TSK-001", t => t with { Title = "Base layer" }, TaskEventSource.Cli);
        using (var cache = Caching.ParseCache.Open(Path.Combine(_project.Root, ".llmstruct", "cache")))
        {
            var (bytes, result) = await BuildAsync(provider, cache);
            Assert.False(result.UpToDate);
            Assert.Equal("Base layer", StructJson.Deserialize(bytes).Tasks[0].Title);
        }
    }

    [Fact]
    public async Task Bad_tasks_input_fails_the_build_with_the_files_message()
    {
        _project.Write("llmstruct.toml", "[[tasks]]\nid = \"A-1\"\ntitle = \"a\"\nstatus = \"later\"\n");
        using var provider = Services();
        var ex = await Assert.ThrowsAsync<ConfigException>(() => BuildAsync(provider));
        Assert.Equal("llmstruct.toml:4: unknown status 'later' (allowed: open, in_progress, blocked, done, cancelled)", ex.Message);
    }

    [Fact]
    public async Task A_project_without_tasks_gets_no_database_and_no_tasks()
    {
        _project.Write("llmstruct.toml", "[project]\nname = \"demo\"\n");
        using var provider = Services();
        var (bytes, _) = await BuildAsync(provider);
        Assert.Empty(StructJson.Deserialize(bytes).Tasks);
        Assert.False(File.Exists(_project.Db));
    }
}
