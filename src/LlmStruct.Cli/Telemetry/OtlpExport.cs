using System.Diagnostics;
using LlmStruct.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace LlmStruct.Cli.Telemetry;

/// <summary>
/// Sends one command's spans and metrics over OTLP when asked: <c>--otlp-endpoint URL</c> (OTLP/HTTP with protobuf;
/// the signal paths <c>/v1/traces</c> and <c>/v1/metrics</c> are appended), else the standard
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (or <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c>/<c>…_METRICS_ENDPOINT</c>), read with
/// the rest of the <c>OTEL_EXPORTER_OTLP_*</c> variables (protocol, headers, timeout) by the OpenTelemetry SDK. The
/// command runs inside a span named <c>llmstruct {command}</c>; everything is flushed when it ends.
/// </summary>
internal sealed class OtlpExport : IDisposable
{
    private readonly TracerProvider _tracer;
    private readonly MeterProvider _meter;
    private readonly Activity? _command;

    private OtlpExport(Uri? endpoint, string command)
    {
        var resource = ResourceBuilder.CreateDefault().AddService("llmstruct", serviceVersion: CliVersion.Text.Split('+')[0]);
        _tracer = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource(LlmStructTelemetry.Name)
            .AddOtlpExporter(o => Configure(o, endpoint, "v1/traces"))
            .Build();
        _meter = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter(LlmStructTelemetry.Name)
            .AddOtlpExporter((o, reader) =>
            {
                Configure(o, endpoint, "v1/metrics");
                reader.TemporalityPreference = MetricReaderTemporalityPreference.Cumulative;
            })
            .Build();
        _command = LlmStructTelemetry.ActivitySource.StartActivity("llmstruct " + command);
    }

    /// <summary>
    /// Starts exporting for <paramref name="command"/> when an endpoint is given or configured; null otherwise (nothing
    /// listens then, and nothing is recorded). A given endpoint that is not an absolute http(s) URL is an error.
    /// </summary>
    public static OtlpExport? Start(string? endpoint, string command, Func<string, string?> environment)
    {
        if (!string.IsNullOrWhiteSpace(endpoint))
        {
            if (!Uri.TryCreate(endpoint.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                throw new ArgumentException($"--otlp-endpoint must be an http:// or https:// URL, not '{endpoint}'");
            }
            return new OtlpExport(uri, command);
        }
        return FrontCommands.OtlpEndpointConfigured(environment) ? new OtlpExport(null, command) : null;
    }

    /// <summary>Marks the command's span failed (an exit code other than 0).</summary>
    public void Finish(int exitCode)
    {
        if (_command is not null)
        {
            _command.SetTag("process.exit.code", exitCode);
            if (exitCode != 0)
            {
                _command.SetStatus(ActivityStatusCode.Error);
            }
        }
    }

    public void Dispose()
    {
        _command?.Dispose();
        // Disposing the providers flushes what is left (the batch of spans, a last collection of the metrics).
        _tracer.Dispose();
        _meter.Dispose();
    }

    private static void Configure(OtlpExporterOptions options, Uri? endpoint, string signalPath)
    {
        if (endpoint is null)
        {
            return;
        }
        options.Protocol = OtlpExportProtocol.HttpProtobuf;
        var text = endpoint.AbsoluteUri;
        options.Endpoint = new Uri((text.EndsWith('/') ? text : text + "/") + signalPath);
    }
}
