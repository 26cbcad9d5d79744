using ScottPlot;

namespace DigitalEconomy.Reporting.Charts;

/// <summary>One line of a trend chart: a region's index score, or one component of a disparity decomposition, over time.</summary>
/// <param name="Name">The legend entry (region or component).</param>
/// <param name="Times">The times (years), ascending.</param>
/// <param name="Values">One value per time; NaN leaves a gap.</param>
public sealed record TrendSeries(string Name, IReadOnlyList<double> Times, IReadOnlyList<double> Values);

/// <summary>Texts of <see cref="TrendChart"/>.</summary>
public sealed record TrendChartOptions
{
    /// <summary>The title. <value>The default value is "Index by region".</value></summary>
    public string Title { get; init; } = "Index by region";
    /// <summary>Title of the time axis. <value>The default value is "Year".</value></summary>
    public string TimeAxis { get; init; } = "Year";
    /// <summary>Title of the value axis. <value>The default value is "Index".</value></summary>
    public string ValueAxis { get; init; } = "Index";
}

/// <summary>
/// Lines over time, one per series with markers at the observations and a legend in a panel right of
/// the data area (outside it, so that it never covers a point): index trends by region, or the
/// between/within components of a disparity decomposition by year. Integer times up to 25 distinct
/// values get one tick each. Colours: ScottPlot's Category10 palette in series order.
/// </summary>
public static class TrendChart
{
    /// <summary>The chart's image bytes.</summary>
    /// <exception cref="ArgumentException">No series; a series whose times and values differ in length.</exception>
    public static byte[] Render(IReadOnlyList<TrendSeries> series, TrendChartOptions? options = null, ChartOptions? chart = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        if (series.Count == 0) throw new ArgumentException("a trend chart needs at least one series", nameof(series));
        foreach (var s in series)
            if (s.Times.Count != s.Values.Count) throw new ArgumentException($"series '{s.Name}': {s.Times.Count} times but {s.Values.Count} values", nameof(series));
        var o = options ?? new TrendChartOptions();
        var c = chart ?? new ChartOptions();
        string font = ChartFonts.FamilyFor(c.FontFamily, [o.Title, o.TimeAxis, o.ValueAxis, .. series.Select(s => s.Name)]);
        float width = c.Width / c.Scale, height = c.Height / c.Scale;
        var plot = new Plot();
        ChartCanvas.Style(plot, font);
        plot.Title(o.Title, 15);
        plot.XLabel(o.TimeAxis, 12);
        plot.YLabel(o.ValueAxis, 12);
        var palette = new ScottPlot.Palettes.Category10();
        for (int i = 0; i < series.Count; i++)
        {
            var sc = plot.Add.Scatter(series[i].Times.ToArray(), series[i].Values.ToArray(), palette.GetColor(i));
            sc.LineWidth = 2;
            sc.MarkerSize = 6;
            sc.LegendText = series[i].Name;
        }
        var times = series.SelectMany(s => s.Times).Where(double.IsFinite).Distinct().Order().ToArray();
        if (times.Length is > 0 and <= 25 && times.All(t => t == Math.Round(t)))
        {
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(times, times.Select(t => ChartCanvas.Num(t, "0")).ToArray());
            double padT = Math.Max(0.3, (times[^1] - times[0]) * 0.03);
            plot.Axes.SetLimitsX(times[0] - padT, times[^1] + padT);
        }
        // Outside the data area for any number of series: inside it (upper left, as before) the box covered the first years' points.
        plot.ShowLegend(Edge.Right);
        return ChartCanvas.Render(c.Format, width, height, c.Scale, [(plot, new PixelRect(0, width, height, 0))]);
    }
}
