using System.Diagnostics.Metrics;
using System.Net;
using LlmStruct.Serve.Metrics;

namespace LlmStruct.Serve.Tests.Metrics;

/// <summary><c>/metrics</c> through the real pipeline, and the text format of the collector behind it.</summary>
public sealed class MetricsEndpointTests : IDisposable
{
    private readonly ServeFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Metrics_need_the_token_and_answer_in_the_prometheus_text_format()
    {
        using var anonymous = _factory.CreateClient();
        var refused = await anonymous.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("Bearer", refused.Headers.WwwAuthenticate.ToString());

        using var client = _factory.Api();
        var response = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("# TYPE llmstruct_process_memory_usage_bytes gauge\n", text, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^llmstruct_process_memory_usage_bytes [1-9][0-9]*$", text);
        Assert.Contains("# TYPE llmstruct_process_cpu_time_seconds_total counter\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE llmstruct_parse_duration_seconds histogram\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Counters_histograms_and_gauges_are_written_with_escaped_labels_and_cumulative_buckets()
    {
        var name = "LlmStruct.Tests.Format." + Guid.NewGuid().ToString("N");
        using var meter = new Meter(name);
        using var collector = new PrometheusCollector(name);
        var counter = meter.CreateCounter<long>("demo.requests", "{request}", "Requests\\served\nso far.");
        var histogram = meter.CreateHistogram("demo.latency", "s", "Latency.", tags: null, new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 1] });
        long level = 7;
        meter.CreateObservableGauge("demo.level", () => level, "By", "Level.");
        counter.Add(2, new KeyValuePair<string, object?>("who.name", "a \"quoted\" \\ back\nslash"));
        counter.Add(3, new KeyValuePair<string, object?>("who.name", "a \"quoted\" \\ back\nslash"));
        counter.Add(1);
        histogram.Record(0.05);
        histogram.Record(0.5);
        histogram.Record(0.1);
        histogram.Record(4);

        var text = collector.Scrape();

        Assert.Equal(
            "# HELP demo_latency_seconds Latency.\n" +
            "# TYPE demo_latency_seconds histogram\n" +
            "demo_latency_seconds_bucket{le=\"0.1\"} 2\n" +
            "demo_latency_seconds_bucket{le=\"1\"} 3\n" +
            "demo_latency_seconds_bucket{le=\"+Inf\"} 4\n" +
            "demo_latency_seconds_sum 4.65\n" +
            "demo_latency_seconds_count 4\n" +
            "# HELP demo_level_bytes Level.\n" +
            "# TYPE demo_level_bytes gauge\n" +
            "demo_level_bytes 7\n" +
            "# HELP demo_requests_total Requests\\\\served\\nso far.\n" +
            "# TYPE demo_requests_total counter\n" +
            "demo_requests_total 1\n" +
            "demo_requests_total{who_name=\"a \\\"quoted\\\" \\\\ back\\nslash\"} 5\n",
            text);

        level = 9;
        Assert.Contains("demo_level_bytes 9\n", collector.Scrape(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gen_ai.client.token.usage", "{token}", false, "gen_ai_client_token_usage")]
    [InlineData("gen_ai.client.operation.duration", "s", false, "gen_ai_client_operation_duration_seconds")]
    [InlineData("llmstruct.parse.bytes", "By", true, "llmstruct_parse_bytes_total")]
    [InlineData("llmstruct.parse.files", "{file}", true, "llmstruct_parse_files_total")]
    [InlineData("weird..name-with/slash", null, false, "weird_name_with_slash")]
    [InlineData("9lives", "", false, "_9lives")]
    public void Names_follow_the_opentelemetry_prometheus_rules(string name, string? unit, bool counter, string expected) =>
        Assert.Equal(expected, PrometheusNames.Metric(name, unit, counter));
}
