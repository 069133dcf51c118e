using System.Diagnostics;
using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using LlmStruct.Configuration;
using LlmStruct.Pipeline;
using LlmStruct.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace LlmStruct.Benchmarks;

/// <summary>
/// What listening to the LlmStruct meter and activity source costs a full parse of the machine's Python library:
/// the same in-process run with nothing listening (instruments disabled) and with a <see cref="MeterListener"/> that
/// takes every instrument (summing each measurement, as an exporter would) plus an <see cref="ActivityListener"/> that
/// records every span. <c>dotnet run -c Release -- --filter '*MetricsCost*' --inProcess --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class MetricsCostBenchmarks
{
    private StructPipeline _pipeline = null!;
    private string _root = "";
    private MeterListener? _meters;
    private ActivityListener? _spans;
    private double _sum;

    /// <summary>Whether listeners are attached.</summary>
    [Params(false, true)]
    public bool Listening { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _root = ParserBenchmarks.Run("python3", "-c \"import sysconfig;print(sysconfig.get_paths()['stdlib'])\"")?.Trim()
            ?? throw new InvalidOperationException("python3 not found: the benchmark needs the machine's Python library");
        var services = new ServiceCollection();
        services.AddLlmStruct().AddPythonParser();
        _pipeline = services.BuildServiceProvider().GetRequiredService<StructPipeline>();
        if (Listening)
        {
            _meters = new MeterListener
            {
                InstrumentPublished = (instrument, listener) =>
                {
                    if (instrument.Meter.Name == LlmStructTelemetry.Name)
                    {
                        listener.EnableMeasurementEvents(instrument);
                    }
                },
            };
            _meters.SetMeasurementEventCallback<long>((_, value, _, _) => _sum += value);
            _meters.SetMeasurementEventCallback<double>((_, value, _, _) => _sum += value);
            _meters.Start();
            _spans = new ActivityListener
            {
                ShouldListenTo = source => source.Name == LlmStructTelemetry.Name,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            };
            ActivitySource.AddActivityListener(_spans);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _meters?.Dispose();
        _spans?.Dispose();
    }

    [Benchmark(Description = "parse the Python library")]
    public int Parse() => _pipeline.RunAsync(new PipelineRequest
    {
        Root = _root,
        Options = new LlmStructOptions { Project = new ProjectOptions { Name = "python-library" } },
    }).GetAwaiter().GetResult().Document.Stats.Definitions + (int)Math.Min(_sum, 0);
}
