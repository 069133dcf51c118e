using System.Globalization;
using LlmStruct.Serve.Pages;

namespace LlmStruct.Serve.Usage;

/// <summary>One series of a chart: a name and one value per category (NaN: no value, e.g. no call that day).</summary>
/// <param name="Name">The legend's name.</param>
/// <param name="Values">One value per category.</param>
internal sealed record ChartSeries(string Name, IReadOnlyList<double> Values);

/// <summary>
/// Charts as inline SVG written on the server (no script, no chart library): grouped bars or lines with points, a y
/// axis with ticks, category labels on the x axis and a legend. Every bar is a <c>rect.bar</c>, every point a
/// <c>circle.point</c>, each with a <c>title</c> giving its value.
/// </summary>
internal static class SvgChart
{
    private const int Width = 560, Height = 250, Left = 58, Right = 12, Top = 30, Bottom = 42;
    private static readonly string[] Palette = ["#3b6fd8", "#e07b28", "#2c9f5a", "#b8407a", "#7a5cc7", "#8a8a2a", "#2a8a8a"];

    /// <summary>Grouped bars: one group per category, one bar per series.</summary>
    public static void Bars(Html html, string id, string title, IReadOnlyList<string> categories, IReadOnlyList<ChartSeries> series, string unit)
    {
        var max = Scale(series);
        Open(html, id, title, unit, series, max);
        double plotW = Width - Left - Right, plotH = Height - Top - Bottom;
        double group = plotW / Math.Max(1, categories.Count);
        double bar = group * 0.8 / Math.Max(1, series.Count);
        for (int c = 0; c < categories.Count; c++)
        {
            for (int s = 0; s < series.Count; s++)
            {
                double v = series[s].Values[c];
                double value = double.IsNaN(v) ? 0 : v;
                double h = plotH * value / max;
                double x = Left + c * group + group * 0.1 + s * bar;
                html.Raw("<rect class=\"bar\" data-series=\"").Text(series[s].Name).Raw("\" x=\"").Raw(N(x)).Raw("\" y=\"").Raw(N(Top + plotH - h))
                    .Raw("\" width=\"").Raw(N(Math.Max(1, bar - 1))).Raw("\" height=\"").Raw(N(h)).Raw("\" fill=\"").Raw(Palette[s % Palette.Length]).Raw("\"><title>")
                    .Text(series[s].Name + ", " + categories[c] + ": " + Label(value) + " " + unit).Raw("</title></rect>");
            }
        }
        Close(html, categories, group, centered: true);
    }

    /// <summary>Lines with a point per category that has a value.</summary>
    public static void Lines(Html html, string id, string title, IReadOnlyList<string> categories, IReadOnlyList<ChartSeries> series, string unit)
    {
        var max = Scale(series);
        Open(html, id, title, unit, series, max);
        double plotW = Width - Left - Right, plotH = Height - Top - Bottom;
        double step = plotW / Math.Max(1, categories.Count);
        for (int s = 0; s < series.Count; s++)
        {
            var color = Palette[s % Palette.Length];
            var points = new List<(double X, double Y, double V, int C)>();
            for (int c = 0; c < categories.Count; c++)
            {
                double v = series[s].Values[c];
                if (!double.IsNaN(v))
                {
                    points.Add((Left + step * (c + 0.5), Top + plotH - plotH * v / max, v, c));
                }
            }
            if (points.Count > 1)
            {
                html.Raw("<polyline class=\"line\" fill=\"none\" stroke-width=\"2\" stroke=\"").Raw(color).Raw("\" points=\"")
                    .Raw(string.Join(" ", points.Select(p => N(p.X) + "," + N(p.Y)))).Raw("\"/>");
            }
            foreach (var p in points)
            {
                html.Raw("<circle class=\"point\" data-series=\"").Text(series[s].Name).Raw("\" r=\"3.5\" cx=\"").Raw(N(p.X)).Raw("\" cy=\"").Raw(N(p.Y))
                    .Raw("\" fill=\"").Raw(color).Raw("\"><title>").Text(series[s].Name + ", " + categories[p.C] + ": " + Label(p.V) + " " + unit).Raw("</title></circle>");
            }
        }
        Close(html, categories, step, centered: true);
    }

    /// <summary>A compact number: 950, 1.2k, 3.4M, 5.6G.</summary>
    public static string Label(double value)
    {
        double a = Math.Abs(value);
        return a >= 1e9 ? (value / 1e9).ToString("0.#", CultureInfo.InvariantCulture) + "G"
            : a >= 1e6 ? (value / 1e6).ToString("0.#", CultureInfo.InvariantCulture) + "M"
            : a >= 1e4 ? (value / 1e3).ToString("0.#", CultureInfo.InvariantCulture) + "k"
            : value.ToString("0.##", CultureInfo.InvariantCulture);
    }

    // The top of the y axis: the largest value rounded up to 1, 2 or 5 times a power of ten (at least 1).
    private static double Scale(IReadOnlyList<ChartSeries> series)
    {
        double max = series.SelectMany(s => s.Values).Where(v => !double.IsNaN(v)).DefaultIfEmpty(0).Max();
        if (max <= 1)
        {
            return 1;
        }
        double p = Math.Pow(10, Math.Floor(Math.Log10(max)));
        foreach (var m in new[] { 1.0, 2, 2.5, 5, 10 })
        {
            if (max <= m * p)
            {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static void Open(Html html, string id, string title, string unit, IReadOnlyList<ChartSeries> series, double max)
    {
        html.Raw("<figure><svg class=\"chart\" id=\"").Text(id).Raw("\" role=\"img\" width=\"").Number(Width).Raw("\" height=\"").Number(Height)
            .Raw("\" viewBox=\"0 0 ").Number(Width).Raw(" ").Number(Height).Raw("\" xmlns=\"http://www.w3.org/2000/svg\"><title>").Text(title).Raw("</title>")
            .Raw("<text x=\"8\" y=\"16\" font-weight=\"bold\">").Text(title).Raw("</text>");
        // Legend, right-aligned in the title row.
        double lx = Width - Right;
        for (int s = series.Count - 1; s >= 0; s--)
        {
            lx -= 20 + 7 * series[s].Name.Length;
            html.Raw("<rect class=\"legend\" x=\"").Raw(N(lx)).Raw("\" y=\"7\" width=\"10\" height=\"10\" fill=\"").Raw(Palette[s % Palette.Length]).Raw("\"/>")
                .Raw("<text x=\"").Raw(N(lx + 13)).Raw("\" y=\"16\">").Text(series[s].Name).Raw("</text>");
        }
        double plotH = Height - Top - Bottom;
        for (int i = 0; i <= 4; i++)
        {
            double v = max * i / 4, y = Top + plotH - plotH * i / 4;
            html.Raw("<line class=\"grid\" x1=\"").Number(Left).Raw("\" x2=\"").Number(Width - Right).Raw("\" y1=\"").Raw(N(y)).Raw("\" y2=\"").Raw(N(y))
                .Raw("\" stroke=\"#e4e4e4\"/><text class=\"tick\" text-anchor=\"end\" x=\"").Number(Left - 5).Raw("\" y=\"").Raw(N(y + 4)).Raw("\">").Text(Label(v)).Raw("</text>");
        }
        html.Raw("<text class=\"unit\" x=\"8\" y=\"").Number(Top - 4).Raw("\">").Text(unit).Raw("</text>")
            .Raw("<line class=\"axis\" stroke=\"#555\" x1=\"").Number(Left).Raw("\" x2=\"").Number(Left).Raw("\" y1=\"").Number(Top).Raw("\" y2=\"").Raw(N(Top + plotH)).Raw("\"/>")
            .Raw("<line class=\"axis\" stroke=\"#555\" x1=\"").Number(Left).Raw("\" x2=\"").Number(Width - Right).Raw("\" y1=\"").Raw(N(Top + plotH)).Raw("\" y2=\"").Raw(N(Top + plotH)).Raw("\"/>");
    }

    private static void Close(Html html, IReadOnlyList<string> categories, double step, bool centered)
    {
        // At most about twelve labels: every n-th category.
        int every = Math.Max(1, (int)Math.Ceiling(categories.Count / 12.0));
        for (int c = 0; c < categories.Count; c += every)
        {
            double x = Left + step * c + (centered ? step / 2 : 0);
            html.Raw("<text class=\"xlabel\" text-anchor=\"middle\" x=\"").Raw(N(x)).Raw("\" y=\"").Number(Height - Bottom + 16).Raw("\">").Text(categories[c]).Raw("</text>");
        }
        html.Raw("</svg></figure>");
    }

    private static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
