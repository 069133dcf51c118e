using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using LlmStruct.Serve.Hosting;

namespace LlmStruct.Cli.Tests.Metrics;

/// <summary>A fact that needs Debian's prometheus: skipped, with the reason, only outside CI when it is not installed.</summary>
public sealed class PrometheusFactAttribute : FactAttribute
{
    public PrometheusFactAttribute()
    {
        if (PrometheusScrapeTests.Binary is null && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Skip = "Debian's prometheus is not installed (apt-get install -y prometheus; .ci/run installs it)";
        }
    }
}

/// <summary>
/// A real Prometheus scrapes <c>/metrics</c> of the serve host (Kestrel on 127.0.0.1, the bearer token in the scrape
/// config) while the test drives a parse and LLM calls through the CLI in this process; its HTTP API then has the
/// expected series with the expected values.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class PrometheusScrapeTests
{
    private const string Token = "prometheus-scrape-token-31415";

    public static string? Binary { get; } = new[] { "/usr/bin/prometheus", "/usr/local/bin/prometheus" }.FirstOrDefault(File.Exists);

    [PrometheusFact]
    public async Task Prometheus_scrapes_parse_and_llm_series_with_their_values()
    {
        Assert.True(Binary is not null, "prometheus is not installed (.ci/run installs Debian's package)");
        using var llm = FakeOpenAIServer.Start("It starts in total().");
        using var project = new TelemetryProject(llm);
        await project.ParseAsync();
        await using var serve = await ServeHost.StartAsync(
            new ServeHostOptions { Root = project.Root, Port = 0, Token = Token }, b => b.AddPythonParser(), _ => { }, CancellationToken.None);
        var target = new Uri(serve.Urls[0]);

        using var storage = new TempDir();
        int port = FakeOpenAIServer.FreePort();
        var config = storage.Write("prometheus.yml", $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: llmstruct
                scrape_interval: 1s
                scrape_timeout: 1s
                metrics_path: /metrics
                authorization:
                  type: Bearer
                  credentials: {Token}
                static_configs:
                  - targets: ["127.0.0.1:{target.Port}"]
            """);
        var start = new ProcessStartInfo(Binary!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "--config.file=" + config, "--storage.tsdb.path=" + storage.PathOf("data"), $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn" })
        {
            start.ArgumentList.Add(arg);
        }
        using var prometheus = Process.Start(start)!;
        var log = new System.Text.StringBuilder();
        prometheus.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        prometheus.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        prometheus.BeginErrorReadLine();
        prometheus.BeginOutputReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
            await WaitForAsync(http, "up{job=\"llmstruct\"}", 1, log);

            // The work, while Prometheus scrapes every second: one full parse, two questions (each: down fails, fake answers).
            await project.ParseAsync("--no-cache");
            await project.AskAsync();
            await project.AskAsync();

            await WaitForAsync(http, "llmstruct_parse_runs_total{llmstruct_outcome=\"parsed\"}", 1, log);
            await WaitForAsync(http, "llmstruct_parse_files_total", TelemetryProject.SourceFiles, log);
            await WaitForAsync(http, "sum(llmstruct_parse_duration_seconds_count{llmstruct_stage=\"parse\"})", 1, log);
            await WaitForAsync(http, "llmstruct_llm_calls_total{gen_ai_provider_name=\"fake\",llmstruct_outcome=\"answered\"}", 2, log);
            await WaitForAsync(http, "llmstruct_llm_calls_total{gen_ai_provider_name=\"down\",llmstruct_outcome=\"failed\"}", 2, log);
            await WaitForAsync(http, "sum(llmstruct_llm_fallbacks_total{gen_ai_provider_name=\"down\"})", 2, log);
            await WaitForAsync(http, "gen_ai_client_token_usage_sum{gen_ai_provider_name=\"fake\",gen_ai_token_type=\"input\"}", 42, log);
            await WaitForAsync(http, "gen_ai_client_token_usage_sum{gen_ai_provider_name=\"fake\",gen_ai_token_type=\"output\"}", 18, log);
            await WaitForAsync(http, "gen_ai_client_token_usage_count{gen_ai_provider_name=\"fake\",gen_ai_token_type=\"output\"}", 2, log);
            await WaitForAsync(http, "gen_ai_client_token_usage_bucket{gen_ai_provider_name=\"fake\",gen_ai_token_type=\"output\",le=\"16\"}", 2, log);
            await WaitForAsync(http, "gen_ai_client_token_usage_bucket{gen_ai_provider_name=\"fake\",gen_ai_token_type=\"output\",le=\"4\"}", 0, log);
            await WaitForAsync(http, "gen_ai_client_operation_duration_seconds_count{gen_ai_provider_name=\"fake\",gen_ai_request_model=\"fake-model\",gen_ai_operation_name=\"chat\"}", 2, log);
            await WaitForAsync(http, "count(llmstruct_process_memory_usage_bytes > 1000000)", 1, log);

            // What Prometheus read is what /metrics says: and none of it is the question, file content or key.
            using var scrape = new HttpClient { BaseAddress = target };
            scrape.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            TelemetryProject.AssertNothingLeaks("/metrics", await scrape.GetStringAsync("/metrics"));
            using var anonymous = new HttpClient { BaseAddress = target };
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics")).StatusCode);
        }
        finally
        {
            prometheus.Kill(entireProcessTree: true);
            await prometheus.WaitForExitAsync();
        }
    }

    // Bounded: the value must show within 60 s (scrapes are every second).
    private static async Task WaitForAsync(HttpClient http, string query, double expected, System.Text.StringBuilder log)
    {
        string last = "no answer";
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var json = await http.GetStringAsync("/api/v1/query?query=" + Uri.EscapeDataString(query));
                using var document = JsonDocument.Parse(json);
                var results = document.RootElement.GetProperty("data").GetProperty("result");
                last = results.ToString();
                if (results.GetArrayLength() == 1
                    && double.Parse(results[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture) == expected)
                {
                    return;
                }
            }
            catch (HttpRequestException ex)
            {
                last = ex.Message;
            }
            await Task.Delay(250);
        }
        string output;
        lock (log)
        {
            output = log.ToString();
        }
        Assert.Fail($"{query}: expected {expected}, Prometheus says {last}\n{output}");
    }
}
