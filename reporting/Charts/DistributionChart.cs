using ScottPlot;

namespace DigitalEconomy.Reporting.Charts;

/// <summary>Texts and bins of <see cref="DistributionChart"/>.</summary>
public sealed record DistributionChartOptions
{
    /// <summary>The title. <value>The default value is "Bootstrap distribution".</value></summary>
    public string Title { get; init; } = "Bootstrap distribution";
    /// <summary>Title of the value axis. <value>The default value is "Statistic".</value></summary>
    public string ValueAxis { get; init; } = "Statistic";
    /// <summary>Title of the count axis. <value>The default value is "Count".</value></summary>
    public string CountAxis { get; init; } = "Count";
    /// <summary>Legend text of the draws; {0} is their number. <value>The default value is "Draws (n = {0})".</value></summary>
    public string DrawsLabel { get; init; } = "Draws (n = {0})";
    /// <summary>Label of the observed statistic; {0} is its value with 4 decimals. <value>The default value is "Observed = {0}".</value></summary>
    public string ObservedLabel { get; init; } = "Observed = {0}";
    /// <summary>Number of bins; 0 for ⌈√n⌉ kept within 10…60. <value>The default value is 0.</value></summary>
    public int Bins { get; init; }
}

/// <summary>
/// The distribution of bootstrap, null or permutation draws as a histogram (equal-width bins over
/// the range of the draws and the observed statistic), with the observed statistic as a red vertical
/// line labelled with its value in the legend. Draws that are not finite are left out.
/// </summary>
public static class DistributionChart
{
    /// <summary>The chart's image bytes.</summary>
    /// <exception cref="ArgumentException">No finite draw; an observed statistic that is not finite.</exception>
    public static byte[] Render(IReadOnlyList<double> draws, double observed, DistributionChartOptions? options = null, ChartOptions? chart = null)
    {
        ArgumentNullException.ThrowIfNull(draws);
        var x = draws.Where(double.IsFinite).ToArray();
        if (x.Length == 0) throw new ArgumentException("a distribution chart needs at least one finite draw", nameof(draws));
        if (!double.IsFinite(observed)) throw new ArgumentException($"the observed statistic is {observed}, not a finite number", nameof(observed));
        var o = options ?? new DistributionChartOptions();
        var c = chart ?? new ChartOptions();
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        string drawsText = string.Format(inv, o.DrawsLabel, x.Length);
        string observedText = string.Format(inv, o.ObservedLabel, observed.ToString("0.0000", inv));
        string font = ChartFonts.FamilyFor(c.FontFamily, [o.Title, o.ValueAxis, o.CountAxis, drawsText, observedText]);
        float width = c.Width / c.Scale, height = c.Height / c.Scale;

        int bins = o.Bins > 0 ? o.Bins : Math.Clamp((int)Math.Ceiling(Math.Sqrt(x.Length)), 10, 60);
        double lo = Math.Min(x.Min(), observed), hi = Math.Max(x.Max(), observed);
        if (hi - lo < 1e-12) { lo -= 0.5; hi += 0.5; }
        var hist = ScottPlot.Statistics.Histogram.WithBinCount(bins, lo, hi + (hi - lo) * 1e-9);
        hist.AddRange(x);
        var plot = new Plot();
        ChartCanvas.Style(plot, font);
        plot.Title(o.Title, 15);
        plot.XLabel(o.ValueAxis, 12);
        plot.YLabel(o.CountAxis, 12);
        // ScottPlot counts the bins; bars built from its edges so that the draws get a legend entry.
        var fill = Color.FromHex("#9DB3D6");
        var edges = hist.Edges;
        var bars = plot.Add.Bars(Enumerable.Range(0, hist.Counts.Length).Select(i => new Bar
        {
            Position = (edges[i] + edges[i + 1]) / 2,
            Value = hist.Counts[i],
            Size = edges[i + 1] - edges[i],
            FillColor = fill,
            LineColor = Color.FromHex("#5A7AB0"),
            LineWidth = 0.5f,
        }).ToList());
        bars.LegendText = drawsText;
        var line = plot.Add.VerticalLine(observed, 2.5f, Color.FromHex("#C0392B"));
        // Named in the legend only: its label on the line (at the opposite axis) was drawn over the chart's title.
        line.LegendText = observedText;
        plot.Axes.Margins(bottom: 0);
        // In a panel right of the data area, as the trend chart's: inside it (upper right) the box covered the tallest bars.
        plot.ShowLegend(Edge.Right);
        return ChartCanvas.Render(c.Format, width, height, c.Scale, [(plot, new PixelRect(0, width, height, 0))]);
    }
}
