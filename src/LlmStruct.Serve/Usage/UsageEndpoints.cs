using System.Text.Json.Serialization;
using LlmStruct.Configuration;
using LlmStruct.Llm.Usage;
using LlmStruct.Model;
using LlmStruct.Serve.Pages;
using LlmStruct.Serve.Project;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace LlmStruct.Serve.Usage;

/// <summary>LLM usage over time and parse statistics.</summary>
/// <param name="Store">The usage store's path relative to the project (as llmstruct.toml's <c>[llm] usage_store</c> names it).</param>
/// <param name="Recorded">Whether the store exists (no call recorded yet otherwise).</param>
/// <param name="Days">Usage per UTC day and provider, by day then provider.</param>
/// <param name="Failures">Failed calls per provider and kind: each one sent the request on down the fallback chain.</param>
/// <param name="Parse">struct.json's statistics (modules, definitions, lines, errors, per language).</param>
public sealed record UsageReport(string Store, bool Recorded, IReadOnlyList<UsageDay> Days, IReadOnlyList<FailureCount> Failures, StructStats Parse);

/// <summary>The JSON contract of <c>/api/usage</c> (Native AOT).</summary>
[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(UsageReport))]
internal sealed partial class UsageJsonContext : JsonSerializerContext;

/// <summary>
/// <c>/usage</c> (charts: inline SVG written on the server) and <c>/api/usage</c> (JSON): the usage store named by
/// llmstruct.toml (read only; a store outside the project folder is refused) and struct.json's statistics.
/// </summary>
internal static class UsageEndpoints
{
    /// <summary>Maps <c>/api/usage</c> on <paramref name="api"/> (the token check is the group's).</summary>
    public static void MapApi(RouteGroupBuilder api) =>
        api.MapGet("/usage", async Task<IResult> (ServeProject project, CancellationToken ct) =>
        {
            try
            {
                return TypedResults.Json(await ReadAsync(project, ct).ConfigureAwait(false), UsageJsonContext.Default.UsageReport);
            }
            catch (UsageStoreException ex)
            {
                return TypedResults.Problem(title: "Usage store not readable", detail: ex.Message, statusCode: StatusCodes.Status500InternalServerError);
            }
        }).Produces<UsageReport>().ProducesProblem(StatusCodes.Status500InternalServerError);

    /// <summary>Maps <c>/usage</c> on <paramref name="pages"/> (the login check is the group's).</summary>
    public static void MapPages(RouteGroupBuilder pages) =>
        pages.MapGet("/usage", async Task<IResult> (HttpContext http, ServeProject project, CancellationToken ct) =>
        {
            UsageReport report;
            try
            {
                report = await ReadAsync(project, ct).ConfigureAwait(false);
            }
            catch (UsageStoreException ex)
            {
                return Html.Page(http, "Usage", new Html().Raw("<p class=\"error\" role=\"alert\">").Text(ex.Message).Raw("</p>"), statusCode: StatusCodes.Status500InternalServerError);
            }
            return Html.Page(http, "Usage", Render(report));
        });

    /// <summary>The report: the usage store (when it exists) and the loaded struct.json's statistics.</summary>
    internal static async Task<UsageReport> ReadAsync(ServeProject project, CancellationToken ct)
    {
        var loaded = await project.GetAsync(ct).ConfigureAwait(false);
        string relative;
        try
        {
            var config = await ConfigLoader.LoadAsync(project.ConfigFile, ct).ConfigureAwait(false);
            relative = config.Options.Llm.UsageStore;
        }
        catch (ConfigException ex)
        {
            throw new UsageStoreException(ex.Message, ex);
        }
        var full = Path.GetFullPath(relative, project.Root);
        var inside = Path.GetRelativePath(project.Root, full);
        if (inside.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(inside))
        {
            throw new UsageStoreException($"the usage store {relative} is outside the project folder; the server reads nothing outside it");
        }
        var name = inside.Replace('\\', '/');
        if (!File.Exists(full))
        {
            return new UsageReport(name, false, [], [], loaded.Document.Stats);
        }
        try
        {
            var store = new SqliteUsageStore(full);
            var days = await store.SummarizeByDayAsync(ct).ConfigureAwait(false);
            var failures = await store.CountFailuresAsync(ct).ConfigureAwait(false);
            return new UsageReport(name, true, days, failures, loaded.Document.Stats);
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex)
        {
            throw new UsageStoreException($"cannot read the usage store {name}: {ex.Message}", ex);
        }
    }

    /// <summary>The page body: the LLM charts (or why there are none), then the parse charts and totals.</summary>
    internal static Html Render(UsageReport report)
    {
        var body = new Html();
        body.Raw("<p class=\"muted\">LLM calls recorded in <code>").Text(report.Store).Raw("</code>, per UTC day; parse statistics from struct.json. JSON: <a href=\"/api/usage\">/api/usage</a>.</p>");
        body.Raw("<h2>LLM usage</h2>");
        if (report.Days.Count == 0)
        {
            body.Raw("<p id=\"no-usage\">").Text(report.Recorded ? "The usage store holds no call yet." : "No LLM call has been recorded yet (the usage store does not exist).").Raw("</p>");
        }
        else
        {
            var days = report.Days.Select(d => d.Day).Distinct().Order().ToList();
            var providers = report.Days.Select(d => d.Provider).Distinct().Order(StringComparer.Ordinal).ToList();
            var labels = days.Select(d => d.ToString("MM-dd", System.Globalization.CultureInfo.InvariantCulture)).ToList();
            UsageDay? At(string provider, DateOnly day) => report.Days.FirstOrDefault(d => d.Provider == provider && d.Day == day);
            ChartSeries PerProvider(string provider, Func<UsageDay, double> value, double missing) =>
                new(provider, [.. days.Select(day => At(provider, day) is { } u ? value(u) : missing)]);

            body.Raw("<div class=\"charts\">");
            SvgChart.Bars(body, "chart-calls", "Calls per day", labels, [.. providers.Select(p => PerProvider(p, u => u.Calls, 0))], "calls");
            SvgChart.Bars(body, "chart-tokens", "Tokens per day", labels,
                [new ChartSeries("prompt", [.. days.Select(day => (double)report.Days.Where(d => d.Day == day).Sum(d => d.PromptTokens))]),
                 new ChartSeries("completion", [.. days.Select(day => (double)report.Days.Where(d => d.Day == day).Sum(d => d.CompletionTokens))])], "tokens");
            SvgChart.Lines(body, "chart-latency", "Mean latency per day", labels, [.. providers.Select(p => PerProvider(p, u => u.MeanLatencyMs, double.NaN))], "ms");
            SvgChart.Bars(body, "chart-failures", "Failures per day (each one a fallback)", labels, [.. providers.Select(p => PerProvider(p, u => u.Failures, 0))], "failed calls");
            var memory = new List<ChartSeries>
            {
                new("RAM", [.. providers.Select(p => report.Days.Where(d => d.Provider == p).Max(d => d.PeakRamBytes) / 1048576.0)]),
            };
            if (report.Days.Any(d => d.PeakVramBytes is not null))
            {
                memory.Add(new("VRAM", [.. providers.Select(p => report.Days.Where(d => d.Provider == p).Max(d => d.PeakVramBytes ?? 0) / 1048576.0)]));
            }
            SvgChart.Bars(body, "chart-memory", "Peak memory per provider", providers, memory, "MiB");
            body.Raw("</div><h3>Failures by kind</h3>");
            if (report.Failures.Count == 0)
            {
                body.Raw("<p id=\"no-failures\">No failed call.</p>");
            }
            else
            {
                body.Raw("<table id=\"failures\"><thead><tr><th>Provider</th><th>Kind</th><th>Calls</th></tr></thead><tbody>");
                foreach (var f in report.Failures)
                {
                    body.Raw("<tr><td>").Text(f.Provider).Raw("</td><td>").Text(f.Kind).Raw("</td><td>").Number(f.Count).Raw("</td></tr>");
                }
                body.Raw("</tbody></table>");
            }
        }

        var s = report.Parse;
        body.Raw("<h2>Parse</h2><p id=\"parse-totals\">").Number(s.Modules).Raw(" modules, ").Number(s.Definitions).Raw(" definitions, ").Number(s.Lines)
            .Raw(" lines; ").Number(s.Errors).Raw(" parse errors, ").Number(s.Skipped).Raw(" files skipped; imports resolved ").Number(s.ImportsResolved).Raw(" of ").Number(s.Imports)
            .Raw("; call edges resolved ").Number(s.CallEdgesResolved).Raw(", unresolved ").Number(s.CallEdgesUnresolved).Raw(".</p>");
        if (s.Languages.Length > 0)
        {
            var languages = s.Languages.Select(l => l.Language).ToList();
            body.Raw("<div class=\"charts\">");
            SvgChart.Bars(body, "chart-languages", "Modules and definitions per language", languages,
                [new("modules", [.. s.Languages.Select(l => (double)l.Modules)]), new("definitions", [.. s.Languages.Select(l => (double)l.Definitions)])], "count");
            SvgChart.Bars(body, "chart-lines", "Lines per language", languages, [new("lines", [.. s.Languages.Select(l => (double)l.Lines)])], "lines");
            SvgChart.Bars(body, "chart-links", "Resolution", ["imports", "call edges"],
                [new("resolved", [s.ImportsResolved, s.CallEdgesResolved]), new("unresolved", [s.Imports - s.ImportsResolved, s.CallEdgesUnresolved])], "count");
            body.Raw("</div>");
        }
        return body;
    }
}

/// <summary>The usage store or llmstruct.toml cannot be read, or the store lies outside the project.</summary>
internal sealed class UsageStoreException(string message, Exception? inner = null) : Exception(message, inner);
