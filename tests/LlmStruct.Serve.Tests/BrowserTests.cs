using LlmStruct.Serve.Hosting;
using LlmStruct.Json;
using LlmStruct.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LlmStruct.Serve.Tests;

/// <summary>
/// A fact that needs Debian's chromium: skipped, with the reason, only outside CI when it is not installed; under
/// CI=true it runs and a missing browser fails it (.ci/run installs chromium).
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public const string Chromium = "/usr/bin/chromium";

    public BrowserFactAttribute()
    {
        if (!File.Exists(Chromium) && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Skip = $"Debian's chromium is not installed at {Chromium} (apt-get install -y chromium; .ci/run installs it)";
        }
    }
}

/// <summary>
/// The pages in a real browser (Playwright driving Debian's chromium) against the real server (Kestrel on 127.0.0.1,
/// a free port): each test saves a screenshot under the test output and fails on any console error.
/// </summary>
public sealed class BrowserTests : IAsyncLifetime
{
    private const string Token = "browser-test-token-7";
    private readonly ServeFactory _project = new();
    private RunningServe? _server;
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private readonly List<string> _consoleErrors = [];

    private string Url => _server!.Urls[0];

    public async Task InitializeAsync()
    {
        // The project as `llmstruct parse` leaves it: struct.json beside llmstruct.toml.
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddLlmStruct().AddPythonParser().AddTasks();
        await using (var provider = services.BuildServiceProvider())
        {
            var parsed = await provider.GetRequiredService<StructPipeline>().RunAsync(new PipelineRequest { Root = _project.Root, ConfigPath = _project.Config });
            await File.WriteAllBytesAsync(Path.Combine(_project.Root, "struct.json"), StructJson.Serialize(parsed.Document));
        }
        _server = await ServeHost.StartAsync(new ServeHostOptions { Root = _project.Root, Port = 0, Token = Token }, b => b.AddPythonParser());
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = BrowserFactAttribute.Chromium, Headless = true, Args = ["--no-sandbox"] });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        _playwright?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
        _project.Dispose();
    }

    private async Task<IPage> LoggedInPageAsync()
    {
        var page = await _browser!.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                _consoleErrors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => _consoleErrors.Add(error);
        await page.GotoAsync(Url + "/tasks");
        Assert.EndsWith("/login?return=%2Ftasks", page.Url, StringComparison.Ordinal);
        await page.FillAsync("input[name=token]", Token);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(Url + "/tasks");
        return page;
    }

    private static async Task ScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "screenshots", name + ".png");
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        Assert.True(new FileInfo(path).Length > 1000, path);
    }

    [BrowserFact]
    public async Task Board_filters_and_a_status_change_lands_in_llmstruct_toml()
    {
        var page = await LoggedInPageAsync();
        Assert.Equal(2, await page.Locator("#board tbody tr").CountAsync());

        await page.SelectOptionAsync("#filter select[name=label]", "bug");
        await page.ClickAsync("#filter button[type=submit]");
        await page.WaitForURLAsync(u => u.Contains("label=bug", StringComparison.Ordinal));
        Assert.Equal(1, await page.Locator("#board tbody tr").CountAsync());

        var row = page.Locator("tr[data-task='TSK-002']");
        await row.Locator("select[name=status]").SelectOptionAsync("done");
        await row.Locator("button[type=submit]").ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.Equal("done", await page.Locator("tr[data-task='TSK-002'] select[name=status]").InputValueAsync());
        Assert.Contains("status = \"done\"", _project.ReadConfig().Split("TSK-002")[1], StringComparison.Ordinal);
        using (var structJson = System.Text.Json.JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(_project.Root, "struct.json"))))
        {
            var task = structJson.RootElement.GetProperty("tasks").EnumerateArray().Single(t => t.GetProperty("id").GetString() == "TSK-002");
            Assert.Equal("done", task.GetProperty("status").GetString());
        }
        await ScreenshotAsync(page, "board");
        Assert.Empty(_consoleErrors);
    }

    [BrowserFact]
    public async Task Symbol_search_as_you_type_and_a_caller_link()
    {
        var page = await LoggedInPageAsync();
        await page.GotoAsync(Url + "/code");
        await page.FillAsync("#q", "tax_f");
        var hit = page.Locator("#hits a").First;
        await hit.WaitForAsync();
        Assert.Contains("tax_for", await hit.TextContentAsync(), StringComparison.Ordinal);
        await ScreenshotAsync(page, "code-map");
        await hit.ClickAsync();
        await page.WaitForURLAsync(u => u.Contains("/code/symbol?id=", StringComparison.Ordinal));
        var caller = page.Locator("#callers a").First;
        Assert.Contains("total", await caller.TextContentAsync(), StringComparison.Ordinal);
        await caller.ClickAsync();
        await page.WaitForURLAsync(u => u.Contains("total", StringComparison.Ordinal));
        Assert.Contains("Sum of the basket including tax.", await page.ContentAsync(), StringComparison.Ordinal);
        await ScreenshotAsync(page, "symbol");
        Assert.Empty(_consoleErrors);
    }
}
