using System.Net;
using System.Text.Json;
using LlmStruct.Llm.Usage;

namespace LlmStruct.Serve.Tests;

/// <summary><c>/api/usage</c> and <c>/usage</c> over a real SQLite usage file; the SVG charts' shapes.</summary>
public sealed class UsageTests : IDisposable
{
    private readonly ServeFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    private async Task SeedAsync()
    {
        var store = new SqliteUsageStore(Path.Combine(_factory.Root, ".llmstruct", "usage.db"));
        await store.RecordAsync(new UsageRecord { Provider = "local", Model = "qwen", Day = new DateOnly(2026, 11, 30), Succeeded = false, ErrorKind = "TimeoutException", LatencyMs = 30000, PeakRamBytes = 1 << 30 });
        await store.RecordAsync(new UsageRecord { Provider = "cloud", Model = "gpt", Day = new DateOnly(2026, 11, 30), Succeeded = true, PromptTokens = 1000, CompletionTokens = 200, LatencyMs = 1500, PeakRamBytes = 1 << 29 });
        await store.RecordAsync(new UsageRecord { Provider = "cloud", Model = "gpt", Day = new DateOnly(2026, 12, 1), Succeeded = true, PromptTokens = 800, CompletionTokens = 100, LatencyMs = 500, PeakRamBytes = 1 << 29 });
    }

    [Fact]
    public async Task Api_usage_gives_the_days_the_failures_and_the_parse_stats()
    {
        await SeedAsync();
        using var client = _factory.Api();

        var response = await client.GetAsync("/api/usage");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(".llmstruct/usage.db", report.GetProperty("store").GetString());
        var days = report.GetProperty("days").EnumerateArray().ToList();
        Assert.Equal(["2026-11-30/cloud", "2026-11-30/local", "2026-12-01/cloud"], days.Select(d => d.GetProperty("day").GetString() + "/" + d.GetProperty("provider").GetString()));
        Assert.Equal(1000, days[0].GetProperty("promptTokens").GetInt64());
        Assert.Equal(1, days[1].GetProperty("failures").GetInt64());
        var failure = Assert.Single(report.GetProperty("failures").EnumerateArray());
        Assert.Equal("TimeoutException", failure.GetProperty("kind").GetString());
        Assert.Equal(3, report.GetProperty("parse").GetProperty("modules").GetInt32());
    }

    [Fact]
    public async Task Without_a_usage_file_the_report_says_so_and_creates_none()
    {
        using var client = _factory.Api();
        var report = JsonDocument.Parse(await client.GetStringAsync("/api/usage")).RootElement;
        Assert.False(report.GetProperty("recorded").GetBoolean());
        Assert.Empty(report.GetProperty("days").EnumerateArray());
        Assert.False(File.Exists(Path.Combine(_factory.Root, ".llmstruct", "usage.db")));

        using var browser = await _factory.LoggedInAsync();
        Assert.Contains("id=\"no-usage\"", await browser.GetStringAsync("/usage"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_usage_without_the_token_is_401()
    {
        using var client = _factory.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/usage")).StatusCode);
    }

    [Fact]
    public async Task A_usage_store_outside_the_project_is_never_read()
    {
        _factory.Write("llmstruct.toml", "[llm]\nusage_store = \"../elsewhere/usage.db\"\n");
        using var client = _factory.Api();
        var response = await client.GetAsync("/api/usage");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("outside the project folder", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Usage_page_draws_a_bar_per_day_and_provider_and_a_point_per_day_with_calls()
    {
        await SeedAsync();
        using var client = await _factory.LoggedInAsync();
        var html = await client.GetStringAsync("/usage");
        var calls = Chart(html, "chart-calls");
        Assert.Equal(4, Count(calls, "<rect class=\"bar\"")); // 2 days x 2 providers
        var latency = Chart(html, "chart-latency");
        Assert.Equal(3, Count(latency, "<circle class=\"point\""));
        Assert.Equal(1, Count(latency, "<polyline")); // only cloud has two days
        Assert.Contains(">11-30</text>", calls, StringComparison.Ordinal);
        Assert.Contains("<title>local, 11-30: 30k ms</title>", latency, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "0")]
    [InlineData(950, "950")]
    [InlineData(12_500, "12.5k")]
    [InlineData(3_400_000, "3.4M")]
    public void Labels_are_compact(double value, string label) => Assert.Equal(label, Usage.SvgChart.Label(value));

    private static string Chart(string html, string id)
    {
        int start = html.IndexOf("id=\"" + id + "\"", StringComparison.Ordinal);
        Assert.True(start >= 0, id);
        return html[start..html.IndexOf("</svg>", start, StringComparison.Ordinal)];
    }

    private static int Count(string text, string what)
    {
        int n = 0;
        for (int i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + 1, StringComparison.Ordinal))
        {
            n++;
        }
        return n;
    }
}
