using System.Net;
using LlmStruct.Serve.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace LlmStruct.Serve.Tests;

/// <summary>The standalone host behind <c>llmstruct serve</c>: real Kestrel on loopback, token rules, refusals.</summary>
public sealed class HostTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("llmstruct-serve-host-").FullName;

    public HostTests()
    {
        File.WriteAllText(Path.Combine(_root, "llmstruct.toml"), "[[tasks]]\nid = \"TSK-001\"\ntitle = \"Host it\"\n");
        Directory.CreateDirectory(Path.Combine(_root, "app"));
        File.WriteAllText(Path.Combine(_root, "app", "main.py"), "def main():\n    return 1\n");
        // A project's own appsettings.json must not rebind the server.
        File.WriteAllText(Path.Combine(_root, "appsettings.json"), "{\"Kestrel\":{\"Endpoints\":{\"Open\":{\"Url\":\"http://0.0.0.0:5999\"}}}}");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Cleaned by the system.
        }
    }

    [Fact]
    public async Task Binds_loopback_on_a_free_port_with_a_generated_token_and_parses_without_struct_json()
    {
        await using var server = await ServeHost.StartAsync(new ServeHostOptions { Root = _root, Port = 0 }, b => b.AddPythonParser());
        Assert.True(server.TokenGenerated);
        Assert.True(server.Token.Length >= 40);
        var url = Assert.Single(server.Urls);
        Assert.StartsWith("http://127.0.0.1:", url, StringComparison.Ordinal);
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/tasks")).StatusCode);
        http.DefaultRequestHeaders.Authorization = new("Bearer", server.Token);
        Assert.Contains("\"name\":\"main\"", await http.GetStringAsync("/api/symbols?q=main"), StringComparison.Ordinal);
        Assert.Contains("Host it", await http.GetStringAsync("/api/tasks"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("192.168.1.10")]
    [InlineData("::")]
    public async Task A_non_loopback_host_without_a_token_is_refused(string host)
    {
        var ex = await Assert.ThrowsAsync<ServeHostException>(() => ServeHost.StartAsync(new ServeHostOptions { Root = _root, Host = host, Port = 0 }));
        Assert.Contains("not a loopback address", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_that_is_not_an_address_is_refused()
    {
        var ex = await Assert.ThrowsAsync<ServeHostException>(() => ServeHost.StartAsync(new ServeHostOptions { Root = _root, Host = "example.org", Port = 0, Token = "t" }));
        Assert.Contains("IP address or localhost", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_struct_json_and_no_parser_is_a_clear_error()
    {
        var ex = await Assert.ThrowsAsync<Project.ServeProjectException>(() => ServeHost.StartAsync(new ServeHostOptions { Root = _root, Port = 0, Token = "t" }));
        Assert.Contains("run 'llmstruct parse' first", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Follows_a_source_edit_while_serving_incrementally_with_or_without_struct_json(bool withStructJson)
    {
        if (withStructJson)
        {
            // The project as `llmstruct parse` leaves it: struct.json and a warm parse cache.
            var services = new ServiceCollection();
            services.AddLogging();
            services.AddLlmStruct().AddPythonParser().AddTasks();
            await using var provider = services.BuildServiceProvider();
            var pipeline = provider.GetRequiredService<LlmStruct.Pipeline.StructPipeline>();
            using var cache = LlmStruct.Caching.ParseCache.Open(Path.Combine(_root, ".llmstruct", "cache"));
            await pipeline.BuildAsync(new LlmStruct.Pipeline.PipelineRequest { Root = _root, ConfigPath = Path.Combine(_root, "llmstruct.toml"), Cache = cache }, Path.Combine(_root, "struct.json"));
        }
        await using var server = await ServeHost.StartAsync(new ServeHostOptions { Root = _root, Port = 0, Token = "t" }, b => b.AddPythonParser());
        using var http = new HttpClient { BaseAddress = new Uri(server.Urls[0]) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", "t");
        Assert.Equal("[]", await http.GetStringAsync("/api/symbols?q=helper"));

        File.WriteAllText(Path.Combine(_root, "app", "main.py"), "def main():\n    return helper()\n\n\ndef helper():\n    return 2\n");

        // Bounded: up to 30 s for the watcher, the debounce and the incremental parse.
        string hits = "[]";
        for (int i = 0; i < 300 && hits == "[]"; i++)
        {
            await Task.Delay(100);
            hits = await http.GetStringAsync("/api/symbols?q=helper");
        }
        Assert.Contains("\"qualifiedName\":\"helper\"", hits, StringComparison.Ordinal);
        // The caller link follows too.
        Assert.Contains("helper", await http.GetStringAsync("/api/symbols?q=main"), StringComparison.Ordinal);
        if (withStructJson)
        {
            Assert.Contains("\"helper\"", File.ReadAllText(Path.Combine(_root, "struct.json")), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task With_no_watch_an_edit_is_not_followed()
    {
        await using var server = await ServeHost.StartAsync(new ServeHostOptions { Root = _root, Port = 0, Token = "t", Watch = false }, b => b.AddPythonParser());
        using var http = new HttpClient { BaseAddress = new Uri(server.Urls[0]) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", "t");
        File.WriteAllText(Path.Combine(_root, "app", "main.py"), "def helper():\n    return 2\n");
        await Task.Delay(1000); // several debounce periods: a watcher would have parsed by now
        Assert.Equal("[]", await http.GetStringAsync("/api/symbols?q=helper"));
    }
}
