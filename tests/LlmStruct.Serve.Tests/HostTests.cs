using System.Net;
using LlmStruct.Serve.Hosting;

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
}
