using ScottPlot;

namespace DigitalEconomy.Reporting.Charts;

/// <summary>One point of the event-study chart: relative period, estimate and interval, and its series (estimator).</summary>
public sealed record DidEventPoint(int RelPeriod, double Estimate, double Low, double High, string Series);

/// <summary>Texts of <see cref="DidEventStudyChart"/>.</summary>
public sealed record DidEventStudyChartOptions
{
    /// <summary>The title. <value>The default value is "Event study".</value></summary>
    public string Title { get; init; } = "Event study";
    /// <summary>Title of the x axis. <value>The default value is "Periods relative to adoption".</value></summary>
    public string PeriodAxis { get; init; } = "Periods relative to adoption";
    /// <summary>Title of the y axis. <value>The default value is "Effect (95% CI)".</value></summary>
    public string EstimateAxis { get; init; } = "Effect (95% CI)";
    /// <summary>The reference period, drawn as a hollow point at 0; null for none. <value>The default value is −1.</value></summary>
    public int? Reference { get; init; } = -1;
}

/// <summary>
/// The event-study figure: the effect at each period relative to adoption as a dot with its confidence interval as a vertical
/// bar, one colour per estimator (offset sideways so that they do not cover each other), the zero line, and a dashed
/// vertical line between t = −1 and t = 0 where the policy starts. Points whose numbers are not finite are left out.
/// </summary>
public static class DidEventStudyChart
{
    /// <summary>The chart's image bytes.</summary>
    /// <exception cref="ArgumentException">No point with finite numbers.</exception>
    public static byte[] Render(IReadOnlyList<DidEventPoint> points, DidEventStudyChartOptions? options = null, ChartOptions? chart = null)
    {
        ArgumentNullException.ThrowIfNull(points);
        var o = options ?? new DidEventStudyChartOptions();
        var c = chart ?? new ChartOptions();
        var ok = points.Where(p => double.IsFinite(p.Estimate) && double.IsFinite(p.Low) && double.IsFinite(p.High)).ToList();
        if (ok.Count == 0) throw new ArgumentException("an event-study chart needs at least one point with a finite estimate and interval", nameof(points));
        var series = ok.Select(p => p.Series).Distinct().ToList();
        string font = ChartFonts.FamilyFor(c.FontFamily, [o.Title, o.PeriodAxis, o.EstimateAxis, .. series]);
        float width = c.Width / c.Scale, height = c.Height / c.Scale;
        var plot = new Plot();
        ChartCanvas.Style(plot, font);
        plot.Title(o.Title, 15);
        plot.XLabel(o.PeriodAxis, 12);
        plot.YLabel(o.EstimateAxis, 12);
        var palette = new ScottPlot.Palettes.Category10();
        double slot = series.Count > 1 ? 0.5 / series.Count : 0;
        for (int s = 0; s < series.Count; s++)
        {
            var pts = ok.Where(p => p.Series == series[s]).OrderBy(p => p.RelPeriod).ToList();
            var xs = pts.Select(p => p.RelPeriod - (series.Count - 1) * slot / 2 + s * slot).ToList();
            var colour = series.Count == 1 ? Color.FromHex("#1F4E9A") : palette.GetColor(s);
            var eb = new ScottPlot.Plottables.ErrorBar(xs, pts.Select(p => p.Estimate).ToList(), null, null,
                pts.Select(p => p.High - p.Estimate).ToList(), pts.Select(p => p.Estimate - p.Low).ToList())
            { Color = colour, LineWidth = 1.5f, CapSize = 4 };
            plot.Add.Plottable(eb);
            var m = plot.Add.Markers(xs.ToArray(), pts.Select(p => p.Estimate).ToArray(), MarkerShape.FilledCircle, 7, colour);
            m.LegendText = series[s];
        }
        if (o.Reference is { } r)
        {
            plot.Add.Markers(new double[] { r }, new double[] { 0 }, MarkerShape.OpenCircle, 8, Colors.Black);
        }
        var zero = plot.Add.HorizontalLine(0, 1, Colors.Black, LinePattern.Dashed);
        zero.ExcludeFromLegend = true;
        var start = plot.Add.VerticalLine(-0.5, 1, Colors.Gray, LinePattern.Dotted);
        start.ExcludeFromLegend = true;
        int lo = ok.Min(p => p.RelPeriod), hi = ok.Max(p => p.RelPeriod);
        if (o.Reference is { } rr) { lo = Math.Min(lo, rr); hi = Math.Max(hi, rr); }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(lo, hi - lo + 1).Select(v => (double)v).ToArray(), Enumerable.Range(lo, hi - lo + 1).Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        double ylo = Math.Min(0, ok.Min(p => p.Low)), yhi = Math.Max(0, ok.Max(p => p.High));
        double pad = (yhi - ylo) * 0.06 + (yhi - ylo < 1e-12 ? 1 : 0);
        plot.Axes.SetLimits(lo - 0.7, hi + 0.7, ylo - pad, yhi + pad);
        if (series.Count > 1) plot.ShowLegend(Edge.Right);
        else plot.HideLegend();
        return ChartCanvas.Render(c.Format, width, height, c.Scale, [(plot, new PixelRect(0, width, height, 0))]);
    }
}
