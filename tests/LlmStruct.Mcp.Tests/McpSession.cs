using System.IO.Pipelines;
using System.Text.Json;
using LlmStruct.Mcp.Hosting;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace LlmStruct.Mcp.Tests;

/// <summary>
/// The server of <see cref="McpHost.RunStreamsAsync"/> over a project folder, and the C# SDK's own client connected to
/// it through a pair of in-memory pipes (the stdio transport's framing, without a process).
/// </summary>
internal sealed class McpSession : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task _server = Task.CompletedTask;

    private McpSession(string root) => Root = root;

    public string Root { get; }

    public McpClient Client { get; private set; } = null!;

    public static async Task<McpSession> StartAsync(string root, Action<LlmStructBuilder>? configure = null, bool watch = true)
    {
        var session = new McpSession(root);
        var toServer = new Pipe();
        var toClient = new Pipe();
        session._server = Task.Run(() => McpHost.RunStreamsAsync(
            new McpHostOptions { Root = root, WatchFiles = watch }, toServer.Reader.AsStream(), toClient.Writer.AsStream(),
            b => { b.AddPythonParser(); configure?.Invoke(b); }, null, session._stop.Token));
        session.Client = await McpClient.CreateAsync(new StreamClientTransport(toServer.Writer.AsStream(), toClient.Reader.AsStream()));
        return session;
    }

    /// <summary>Calls a tool; returns whether it is an error result and its text.</summary>
    public async Task<(bool IsError, string Text)> CallAsync(string tool, Dictionary<string, object?>? arguments = null)
    {
        var result = await Client.CallToolAsync(tool, arguments ?? []);
        return (result.IsError == true, string.Concat(result.Content.OfType<TextContentBlock>().Select(c => c.Text)));
    }

    /// <summary>Calls a tool that must succeed and parses its JSON.</summary>
    public async Task<JsonElement> JsonAsync(string tool, Dictionary<string, object?>? arguments = null)
    {
        var (isError, text) = await CallAsync(tool, arguments);
        Assert.False(isError, text);
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await _stop.CancelAsync();
        try
        {
            await _server.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }
}

/// <summary>A temporary project folder.</summary>
internal sealed class TempProject : IDisposable
{
    public TempProject()
    {
        Root = Path.Combine(Path.GetTempPath(), "llmstruct-mcp-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string Write(string relativePath, string content)
    {
        var full = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return full;
    }

    /// <summary>A small Python shop: tax_for is called by total, Item.subtotal by total; one task in llmstruct.toml.</summary>
    public static TempProject Shop()
    {
        var project = new TempProject();
        project.Write("app/tax.py", "\"\"\"Tax tables.\"\"\"\n\n\ndef tax_for(cents: int) -> int:\n    \"\"\"Tax in cents for a net amount.\"\"\"\n    return cents // 5\n");
        project.Write("app/pricing.py", "\"\"\"Prices.\"\"\"\nfrom app.tax import tax_for\n\n\nclass Item:\n    \"\"\"A basket line.\"\"\"\n\n    def subtotal(self) -> int:\n        return 3\n\n\ndef total(items: list[Item]) -> int:\n    \"\"\"Sum of the basket including tax.\"\"\"\n    net = sum(i.subtotal() for i in items)\n    return net + tax_for(net)\n");
        project.Write("llmstruct.toml", "[project]\nname = \"shop\"\n\n[[tasks]]\nid = \"TSK-001\"\ntitle = \"Round tax up\"\nstatus = \"open\"\nlabels = [\"tax\"]\n");
        return project;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, true);
        }
        catch (IOException)
        {
        }
    }
}
