using System.Globalization;
using System.Text;

namespace LlmStruct.Serve.Metrics;

/// <summary>
/// OpenTelemetry names in Prometheus form, as OpenTelemetry's Prometheus compatibility rules give them: characters
/// outside <c>[a-zA-Z0-9_:]</c> become <c>_</c> (runs collapsed), the unit is a suffix (<c>s</c> → <c>_seconds</c>,
/// <c>By</c> → <c>_bytes</c>; a <c>{annotation}</c> unit adds none) and counters end in <c>_total</c>; label values are
/// escaped (<c>\</c>, <c>"</c>, newline) and help texts too (<c>\</c>, newline).
/// </summary>
internal static class PrometheusNames
{
    public static string Metric(string name, string? unit, bool counter)
    {
        var metric = Sanitize(name, allowColon: true);
        var suffix = UnitSuffix(unit);
        if (suffix.Length > 0 && !metric.EndsWith("_" + suffix, StringComparison.Ordinal))
        {
            metric += "_" + suffix;
        }
        if (counter && !metric.EndsWith("_total", StringComparison.Ordinal))
        {
            metric += "_total";
        }
        return metric;
    }

    public static string UnitSuffix(string? unit) => unit switch
    {
        null or "" => "",
        "s" => "seconds",
        "ms" => "milliseconds",
        "By" => "bytes",
        "KiBy" => "kibibytes",
        "MiBy" => "mebibytes",
        "1" => "ratio",
        _ when unit.StartsWith('{') => "",
        _ => Sanitize(unit, allowColon: false),
    };

    /// <summary>Labels in key order, rendered <c>k="v",…</c> (a key given twice keeps its last value).</summary>
    public static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
        {
            return "";
        }
        var pairs = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in tags)
        {
            pairs[Sanitize(key, allowColon: false)] = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
        }
        var text = new StringBuilder();
        foreach (var (key, value) in pairs)
        {
            if (text.Length > 0)
            {
                text.Append(',');
            }
            text.Append(key).Append("=\"").Append(EscapeLabelValue(value)).Append('"');
        }
        return text.ToString();
    }

    public static string Sanitize(string name, bool allowColon)
    {
        var text = new StringBuilder(name.Length + 1);
        foreach (char c in name)
        {
            bool ok = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' || (allowColon && c == ':');
            char next = ok ? c : '_';
            if (next == '_' && text.Length > 0 && text[^1] == '_')
            {
                continue;
            }
            text.Append(next);
        }
        if (text.Length == 0 || char.IsAsciiDigit(text[0]))
        {
            text.Insert(0, '_');
        }
        return text.ToString();
    }

    public static string EscapeLabelValue(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    public static string EscapeHelp(string help) =>
        help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    public static string Number(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : double.IsNaN(value) ? "NaN"
        : value.ToString("R", CultureInfo.InvariantCulture);
}
