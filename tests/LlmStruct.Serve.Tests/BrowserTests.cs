using LlmStruct.Serve.Hosting;
using LlmStruct.Json;
using LlmStruct.Llm.Tests.Servers;
using LlmStruct.Llm.Usage;
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
    private FakeLlmServer? _llm;
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
        _llm = await FakeLlmServer.StartAsync();
        _project.Write("llmstruct.toml", _project.ReadConfig() + TestLlm.Provider(_llm.OpenAIEndpoint));
        _server = await ServeHost.StartAsync(new ServeHostOptions { Root = _project.Root, Port = 0, Token = Token, LlmServices = TestLlm.Services }, b => b.AddPythonParser());
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
        if (_llm is not null)
        {
            await _llm.DisposeAsync();
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
        // The wait starts before the click, and asks only for the document: waiting afterwards for the full "load"
        // state once timed out on a busy machine although the page had arrived (the load event raced the wait).
        var loggedIn = page.WaitForURLAsync(Url + "/tasks", new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await page.ClickAsync("button[type=submit]");
        await loggedIn;
        return page;
    }

    /// <summary>
    /// Saves a full-page screenshot under the test output (screenshots/NAME.png). With LLMSTRUCT_UPDATE_SCREENSHOTS=1
    /// the README's images (docs/images/serve-NAME.png) are written from it too.
    /// </summary>
    private static async Task ScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "screenshots", name + ".png");
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        Assert.True(new FileInfo(path).Length > 1000, path);
        if (Environment.GetEnvironmentVariable("LLMSTRUCT_UPDATE_SCREENSHOTS") == "1" && name is "board" or "code-map" && RepositoryRoot() is { } repo)
        {
            Directory.CreateDirectory(Path.Combine(repo, "docs", "images"));
            File.Copy(path, Path.Combine(repo, "docs", "images", "serve-" + name + ".png"), overwrite: true);
        }
    }

    // The checkout this test was built from (the folder with LlmStruct.Sdk.sln), or null.
    private static string? RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LlmStruct.Sdk.sln")))
            {
                return dir.FullName;
            }
        }
        return null;
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

    [BrowserFact]
    public async Task Context_renders_at_a_budget_with_its_token_count_and_copies()
    {
        var page = await LoggedInPageAsync();
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new() { Origin = Url });
        await page.GotoAsync(Url + "/context");
        await page.FillAsync("#context-form input[name=focus]", "app/pricing.py");
        await page.FillAsync("#context-form input[name=budget]", "300");
        await page.ClickAsync("#context-form button[type=submit]");
        await page.WaitForURLAsync(u => u.Contains("budget=300", StringComparison.Ordinal));

        var tokens = await page.Locator("#tokens").TextContentAsync();
        Assert.Matches(@"^\d+ tokens of 300 \(o200k\)", tokens);
        Assert.True(int.Parse(tokens!.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) is > 0 and <= 300, tokens);
        var text = await page.Locator("#context").TextContentAsync();
        Assert.Contains("app/pricing.py", text, StringComparison.Ordinal);

        await page.ClickAsync("#copy");
        await page.Locator("#copy-status").Filter(new() { HasTextString = "copied" }).WaitForAsync();
        Assert.Equal(text, await page.EvaluateAsync<string>("navigator.clipboard.readText()"));
        await ScreenshotAsync(page, "context");
        Assert.Empty(_consoleErrors);
    }

    [BrowserFact]
    public async Task Analyze_asks_the_openai_compatible_server_and_shows_the_plan()
    {
        _llm!.Then(Reply.Ok(WorkTests.Plan, 320, 70));
        var page = await LoggedInPageAsync();
        await page.GotoAsync(Url + "/analyze_task");
        await page.FillAsync("#analyze-form textarea[name=task]", "Reject negative prices");
        await page.ClickAsync("#analyze-form button[type=submit]");
        await page.Locator("#plan").WaitForAsync();

        Assert.Equal("Reject negative prices in total.", await page.Locator("#summary").TextContentAsync());
        Assert.Equal(2, await page.Locator("#plan-steps li").CountAsync());
        Assert.Contains("fake", await page.Locator("#answered-by").TextContentAsync(), StringComparison.Ordinal);
        Assert.Contains("Reject negative prices", Assert.Single(_llm.Requests).Body, StringComparison.Ordinal);
        await ScreenshotAsync(page, "analyze");
        // The plan's symbol links open the code map.
        await page.Locator("#plan-symbols a").First.ClickAsync();
        await page.WaitForURLAsync(u => u.Contains("/code/symbol?id=", StringComparison.Ordinal));
        Assert.Contains("Sum of the basket including tax.", await page.ContentAsync(), StringComparison.Ordinal);
        Assert.Empty(_consoleErrors);
    }

    [BrowserFact]
    public async Task Usage_page_charts_the_recorded_calls_and_the_parse()
    {
        // A real usage file, where llmstruct.toml's default [llm] usage_store puts it.
        var store = new SqliteUsageStore(Path.Combine(_project.Root, ".llmstruct", "usage.db"));
        var first = new DateOnly(2026, 11, 28);
        for (int day = 0; day < 3; day++)
        {
            for (int call = 0; call <= day; call++)
            {
                await store.RecordAsync(new UsageRecord
                {
                    Provider = "local", Model = "qwen", Day = first.AddDays(day), Succeeded = call > 0, ErrorKind = call > 0 ? null : "TimeoutException",
                    PromptTokens = 900, CompletionTokens = 120, LatencyMs = 800 + 100 * call, PeakRamBytes = 3L << 30, VramBytes = 5L << 30,
                });
            }
            if (day > 0)
            {
                await store.RecordAsync(new UsageRecord
                {
                    Provider = "cloud", Model = "gpt", Day = first.AddDays(day), Succeeded = true, PromptTokens = 1500, CompletionTokens = 300, LatencyMs = 2000, PeakRamBytes = 1L << 29,
                });
            }
        }
        var page = await LoggedInPageAsync();
        await page.GotoAsync(Url + "/usage");

        // 3 days x 2 providers; a line point per (provider, day) with calls; RAM and VRAM per provider.
        Assert.Equal(6, await page.Locator("#chart-calls rect.bar").CountAsync());
        Assert.Equal(6, await page.Locator("#chart-tokens rect.bar").CountAsync());
        Assert.Equal(5, await page.Locator("#chart-latency circle.point").CountAsync());
        Assert.Equal(2, await page.Locator("#chart-latency polyline.line").CountAsync());
        Assert.Equal(4, await page.Locator("#chart-memory rect.bar").CountAsync());
        Assert.Equal(["11-28", "11-29", "11-30"], await page.Locator("#chart-calls text.xlabel").AllTextContentsAsync());
        Assert.Contains("TimeoutException", await page.Locator("#failures").TextContentAsync(), StringComparison.Ordinal);
        // The tallest calls bar is the day with 3 local calls; every bar is inside the chart.
        var heights = await page.Locator("#chart-calls rect.bar").EvaluateAllAsync<double[]>("rs => rs.map(r => r.getBBox().height)");
        Assert.Equal(heights.Max(), heights[5]); // 11-30, local (providers in ordinal order: cloud, local)
        Assert.True(await page.Locator("#chart-languages rect.bar").CountAsync() >= 2);
        await ScreenshotAsync(page, "usage");
        Assert.Empty(_consoleErrors);
    }
}
