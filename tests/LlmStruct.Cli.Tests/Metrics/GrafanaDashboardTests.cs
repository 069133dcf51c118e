using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using LlmStruct.Serve.Hosting;

namespace LlmStruct.Cli.Tests.Metrics;

/// <summary>
/// integrations/grafana/llmstruct-dashboard.json asks only for metrics the code exports: every panel's PromQL names
/// (metric names, less <c>_bucket</c>/<c>_sum</c>/<c>_count</c>) are families in the real <c>/metrics</c> output.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed partial class GrafanaDashboardTests
{
    private const string Token = "grafana-dashboard-token-2024";

    [Fact]
    public async Task Every_panel_query_uses_only_exported_metric_names()
    {
        using var llm = FakeOpenAIServer.Start("It starts in total().");
        using var project = new TelemetryProject(llm);
        await project.ParseAsync();
        await using var serve = await ServeHost.StartAsync(
            new ServeHostOptions { Root = project.Root, Port = 0, Token = Token }, b => b.AddPythonParser(), _ => { }, CancellationToken.None);
        await project.AskAsync(); // the LLM instruments exist once the chain has run
        using var http = new HttpClient { BaseAddress = new Uri(serve.Urls[0]) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        var exposition = await http.GetStringAsync("/metrics");
        var families = TypeLine().Matches(exposition).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("gen_ai_client_token_usage", families);

        var path = Path.Combine(CliRunner.RepoRoot, "integrations", "grafana", "llmstruct-dashboard.json");
        using var dashboard = JsonDocument.Parse(File.ReadAllText(path));
        var panels = Panels(dashboard.RootElement.GetProperty("panels")).ToList();
        Assert.True(panels.Count >= 6, "the dashboard has its panels");
        var titles = panels.Select(p => p.GetProperty("title").GetString()!).ToList();
        foreach (var panel in panels)
        {
            var title = panel.GetProperty("title").GetString();
            var targets = panel.GetProperty("targets").EnumerateArray().ToList();
            Assert.True(targets.Count > 0, $"panel '{title}' has a query");
            foreach (var target in targets)
            {
                var expr = target.GetProperty("expr").GetString()!;
                var names = MetricNames(expr).ToList();
                Assert.True(names.Count > 0, $"panel '{title}': no metric in '{expr}'");
                foreach (var name in names)
                {
                    var family = Suffix().Replace(name, "");
                    Assert.True(families.Contains(name) || families.Contains(family), $"panel '{title}' queries {name}, which /metrics does not export");
                }
            }
        }
        foreach (var topic in new[] { "Tokens", "latency", "Failure", "Fallback", "VRAM", "RAM", "Parse", "Cache hit" })
        {
            Assert.Contains(titles, t => t.Contains(topic, StringComparison.OrdinalIgnoreCase));
        }
    }

    private static IEnumerable<JsonElement> Panels(JsonElement panels)
    {
        foreach (var panel in panels.EnumerateArray())
        {
            if (panel.TryGetProperty("panels", out var nested))
            {
                foreach (var inner in Panels(nested))
                {
                    yield return inner;
                }
            }
            if (panel.GetProperty("type").GetString() != "row")
            {
                yield return panel;
            }
        }
    }

    // Label matchers ({…}), grouping clauses (by/without (…)) and ranges ([…]) hold no metric names; what is left that
    // looks like an identifier and is not a PromQL function or keyword is a metric name.
    private static IEnumerable<string> MetricNames(string expr)
    {
        var bare = Ranges().Replace(Grouping().Replace(Matchers().Replace(expr, ""), ""), "");
        foreach (Match match in Identifier().Matches(bare))
        {
            var word = match.Value;
            if (!PromQlWords.Contains(word) && !char.IsAsciiDigit(word[0]))
            {
                yield return word;
            }
        }
    }

    private static readonly HashSet<string> PromQlWords = new(StringComparer.Ordinal)
    {
        "sum", "rate", "irate", "increase", "histogram_quantile", "avg", "max", "min", "count", "by", "without", "clamp_min",
        "clamp_max", "max_over_time", "avg_over_time", "delta", "deriv", "topk", "bottomk", "on", "ignoring", "group_left",
        "group_right", "and", "or", "unless", "vector", "scalar", "abs", "label_replace", "le", "offset", "bool",
    };

    [GeneratedRegex(@"(?m)^# TYPE (\S+) ")]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"_(bucket|sum|count)$")]
    private static partial Regex Suffix();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Matchers();

    [GeneratedRegex(@"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Ranges();

    [GeneratedRegex(@"[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex Identifier();
}
