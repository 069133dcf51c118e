namespace LlmStruct.Cli.Tests.Metrics;

/// <summary>
/// <c>--otlp-endpoint</c> and the <c>OTEL_EXPORTER_OTLP_*</c> variables: an OTLP/HTTP receiver on 127.0.0.1 gets the
/// spans and metrics of one <c>parse</c> and one <c>ask</c>, and no body holds the prompt, file content or key.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class OtlpExportTests
{
    [Fact]
    public async Task Parse_and_ask_send_their_spans_and_metrics_and_nothing_secret()
    {
        using var receiver = OtlpReceiver.Start();
        using var llm = FakeOpenAIServer.Start("It starts in total().");
        using var project = new TelemetryProject(llm);

        await project.ParseAsync("--otlp-endpoint", receiver.Endpoint);
        var afterParse = Strings(receiver, "/v1/traces");
        Assert.Contains("llmstruct parse", afterParse);
        Assert.Contains("llmstruct.parse", afterParse);
        var parseMetrics = Strings(receiver, "/v1/metrics");
        Assert.Contains("llmstruct.parse.duration", parseMetrics);
        Assert.Contains("llmstruct.parse.files", parseMetrics);
        Assert.Contains("llmstruct.parse.bytes", parseMetrics);
        Assert.Contains("llmstruct.stage", parseMetrics);
        Assert.Contains("service.name", parseMetrics);
        Assert.Contains("llmstruct", parseMetrics);

        await project.AskAsync("--otlp-endpoint", receiver.Endpoint);
        var traces = Strings(receiver, "/v1/traces");
        Assert.Contains("llmstruct ask", traces);
        Assert.Contains("chat fake-model", traces);
        Assert.Contains("chat none", traces);
        Assert.Contains("gen_ai.provider.name", traces);
        Assert.Contains("gen_ai.request.model", traces);
        Assert.Contains("gen_ai.usage.input_tokens", traces);
        Assert.Contains("error.type", traces);
        var metrics = Strings(receiver, "/v1/metrics");
        Assert.Contains("gen_ai.client.token.usage", metrics);
        Assert.Contains("gen_ai.client.operation.duration", metrics);
        Assert.Contains("gen_ai.token.type", metrics);
        Assert.Contains("llmstruct.llm.fallbacks", metrics);
        Assert.Contains("llmstruct.llm.calls", metrics);
        Assert.Contains("llmstruct.context.tokens", metrics);

        foreach (var (path, body) in receiver.Posts)
        {
            TelemetryProject.AssertNothingLeaks("OTLP " + path, string.Join("\n", ProtobufStrings.Of(body)));
            TelemetryProject.AssertNothingLeaks("OTLP " + path + " (raw)", System.Text.Encoding.UTF8.GetString(body));
        }
    }

    [Fact]
    public async Task The_standard_variables_turn_exporting_on_without_the_option()
    {
        using var receiver = OtlpReceiver.Start();
        using var llm = FakeOpenAIServer.Start("unused");
        using var project = new TelemetryProject(llm);
        Environment.SetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.Endpoint);
        Environment.SetEnvironmentVariable("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
        try
        {
            await project.ParseAsync();
        }
        finally
        {
            Environment.SetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT", null);
            Environment.SetEnvironmentVariable("OTEL_EXPORTER_OTLP_PROTOCOL", null);
        }
        Assert.Contains("llmstruct parse", Strings(receiver, "/v1/traces"));
        Assert.Contains("llmstruct.parse.files", Strings(receiver, "/v1/metrics"));
    }

    // Through CliRunner: in CI (LLMSTRUCT_CLI_BINARY) this is the published Native AOT tool, so the OpenTelemetry SDK
    // and its OTLP exporter are checked where trimming could break them.
    [Fact]
    public async Task The_tool_as_shipped_exports_over_otlp()
    {
        using var receiver = OtlpReceiver.Start();
        using var llm = FakeOpenAIServer.Start("unused");
        using var project = new TelemetryProject(llm);
        var outcome = await CliRunner.RunAsync("parse", "--input", project.Root, "--output", project.Struct, "--quiet", "--otlp-endpoint", receiver.Endpoint);
        Assert.True(outcome.ExitCode == 0, outcome.Error);
        var traces = Strings(receiver, "/v1/traces");
        Assert.Contains("llmstruct parse", traces);
        Assert.Contains("llmstruct.parse", traces);
        Assert.Contains("llmstruct.parse.files", Strings(receiver, "/v1/metrics"));
    }

    [Fact]
    public async Task An_endpoint_that_is_not_a_url_is_a_usage_error()
    {
        var outcome = await TelemetryProject.CliAsync("validate", "struct.json", "--otlp-endpoint", "not a url");
        Assert.Equal(ExitCodes.UsageOrIo, outcome.ExitCode);
        Assert.Contains("--otlp-endpoint must be an http:// or https:// URL", outcome.Error, StringComparison.Ordinal);
    }

    private static HashSet<string> Strings(OtlpReceiver receiver, string path) =>
        [.. receiver.BodiesOf(path).SelectMany(ProtobufStrings.Of)];
}
