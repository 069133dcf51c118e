using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using LlmStruct.Telemetry;

namespace LlmStruct.Serve.Metrics;

/// <summary>
/// Aggregates LlmStruct's instruments (<see cref="LlmStructTelemetry.Name"/>) for a Prometheus scrape, over a
/// <see cref="MeterListener"/>: counters as running sums, histograms as cumulative buckets (the instrument's advised
/// bounds), gauges as the last value; observable instruments are read at each scrape. Only what happens while it
/// listens is counted, as with any Prometheus exporter that starts with its process.
/// </summary>
internal sealed class PrometheusCollector : IDisposable
{
    private static readonly double[] DefaultBuckets = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    private readonly MeterListener _listener = new();
    private readonly object _scrapeLock = new();
    private readonly List<Family> _families = [];

    public PrometheusCollector(string meterName = LlmStructTelemetry.Name)
    {
        // Touching the shared meter creates the process gauges before the listener looks for instruments.
        GC.KeepAlive(LlmStructTelemetry.Meter);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == meterName && Family.Create(instrument) is { } family)
            {
                lock (_families)
                {
                    _families.Add(family);
                }
                listener.EnableMeasurementEvents(instrument, family);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, state) => ((Family)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>((_, value, tags, state) => ((Family)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<double>((_, value, tags, state) => ((Family)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<float>((_, value, tags, state) => ((Family)state!).Record(value, tags));
        _listener.Start();
    }

    /// <summary>Reads the observable instruments and writes every family in the text exposition format 0.0.4.</summary>
    public string Scrape()
    {
        var text = new StringBuilder();
        lock (_scrapeLock)
        {
            _listener.RecordObservableInstruments();
            Family[] families;
            lock (_families)
            {
                families = [.. _families];
            }
            // One family per name (two meters' instruments of one name would otherwise repeat it), in name order.
            foreach (var family in families.GroupBy(f => f.Name, StringComparer.Ordinal).Select(g => g.First()).OrderBy(f => f.Name, StringComparer.Ordinal))
            {
                family.Write(text);
            }
        }
        return text.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private enum Kind
    {
        Counter,
        CumulativeCounter,
        Gauge,
        Sum,
        Histogram,
    }

    private sealed class Family
    {
        private readonly Kind _kind;
        private readonly string _help;
        private readonly double[] _bounds;
        private readonly Dictionary<string, Series> _series = new(StringComparer.Ordinal);

        private Family(string name, Kind kind, string help, double[] bounds) => (Name, _kind, _help, _bounds) = (name, kind, help, bounds);

        public string Name { get; }

        public static Family? Create(Instrument instrument)
        {
            var type = instrument.GetType();
            if (!type.IsGenericType)
            {
                return null;
            }
            var definition = type.GetGenericTypeDefinition();
            Kind? kind = definition == typeof(Counter<>) ? Kind.Counter
                : definition == typeof(ObservableCounter<>) ? Kind.CumulativeCounter
                : definition == typeof(Histogram<>) ? Kind.Histogram
                : definition == typeof(UpDownCounter<>) ? Kind.Sum
                : definition == typeof(ObservableUpDownCounter<>) || definition == typeof(ObservableGauge<>) || definition == typeof(Gauge<>) ? Kind.Gauge
                : null;
            if (kind is not Kind k)
            {
                return null;
            }
            var name = PrometheusNames.Metric(instrument.Name, instrument.Unit, counter: k is Kind.Counter or Kind.CumulativeCounter);
            var bounds = k == Kind.Histogram ? Bounds(instrument) ?? DefaultBuckets : [];
            return new Family(name, k, instrument.Description ?? "", bounds);
        }

        private static double[]? Bounds(Instrument instrument) => instrument switch
        {
            Histogram<double> { Advice.HistogramBucketBoundaries: { } b } => [.. b],
            Histogram<long> { Advice.HistogramBucketBoundaries: { } b } => [.. b.Select(v => (double)v)],
            Histogram<int> { Advice.HistogramBucketBoundaries: { } b } => [.. b.Select(v => (double)v)],
            _ => null,
        };

        public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var labels = PrometheusNames.Labels(tags);
            lock (_series)
            {
                if (!_series.TryGetValue(labels, out var series))
                {
                    series = new Series(_bounds.Length);
                    _series.Add(labels, series);
                }
                switch (_kind)
                {
                    case Kind.Counter:
                    case Kind.Sum:
                        series.Value += value;
                        break;
                    case Kind.CumulativeCounter:
                    case Kind.Gauge:
                        series.Value = value;
                        break;
                    default:
                        int bucket = 0;
                        while (bucket < _bounds.Length && value > _bounds[bucket])
                        {
                            bucket++;
                        }
                        series.Buckets[bucket]++;
                        series.Value += value;
                        series.Count++;
                        break;
                }
            }
        }

        public void Write(StringBuilder text)
        {
            text.Append("# HELP ").Append(Name).Append(' ').Append(PrometheusNames.EscapeHelp(_help)).Append('\n');
            text.Append("# TYPE ").Append(Name).Append(' ').Append(_kind switch
            {
                Kind.Counter or Kind.CumulativeCounter => "counter",
                Kind.Histogram => "histogram",
                _ => "gauge",
            }).Append('\n');
            lock (_series)
            {
                foreach (var (labels, series) in _series.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (_kind != Kind.Histogram)
                    {
                        Sample(text, Name, labels, null, series.Value);
                        continue;
                    }
                    long cumulative = 0;
                    for (int i = 0; i <= _bounds.Length; i++)
                    {
                        cumulative += series.Buckets[i];
                        Sample(text, Name + "_bucket", labels, i < _bounds.Length ? PrometheusNames.Number(_bounds[i]) : "+Inf", cumulative);
                    }
                    Sample(text, Name + "_sum", labels, null, series.Value);
                    Sample(text, Name + "_count", labels, null, series.Count);
                }
            }
        }

        private static void Sample(StringBuilder text, string name, string labels, string? le, double value)
        {
            text.Append(name);
            if (labels.Length > 0 || le is not null)
            {
                text.Append('{').Append(labels);
                if (le is not null)
                {
                    text.Append(labels.Length > 0 ? "," : "").Append("le=\"").Append(le).Append('"');
                }
                text.Append('}');
            }
            text.Append(' ').Append(PrometheusNames.Number(value)).Append('\n');
        }
    }

    private sealed class Series(int bounds)
    {
        public long[] Buckets { get; } = new long[bounds + 1];

        public double Value { get; set; }

        public long Count { get; set; }
    }
}
