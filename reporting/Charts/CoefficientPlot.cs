using ScottPlot;

namespace DigitalEconomy.Reporting.Charts;

/// <summary>One estimate of a coefficient plot.</summary>
/// <param name="Label">The row: a heterogeneity group ("East", "Central"…) or a robustness variation ("Lagged treatment"…).</param>
/// <param name="Estimate">The estimate.</param>
/// <param name="Low">Lower end of its interval.</param>
/// <param name="High">Upper end of its interval.</param>
/// <param name="Series">Optional series (colour and legend entry), e.g. the outcome when several are compared; null or "" for one series.</param>
public sealed record CoefficientPoint(string Label, double Estimate, double Low, double High, string? Series = null);

/// <summary>Texts of <see cref="CoefficientPlot"/>.</summary>
public sealed record CoefficientPlotOptions
{
    /// <summary>The title. <value>The default value is "Coefficient estimates".</value></summary>
    public string Title { get; init; } = "Coefficient estimates";
    /// <summary>Title of the estimate axis. <value>The default value is "Estimate (95% CI)".</value></summary>
    public string EstimateAxis { get; init; } = "Estimate (95% CI)";
    /// <summary>Title of the label axis; empty for none. <value>The default value is "".</value></summary>
    public string LabelAxis { get; init; } = "";
    /// <summary>The estimate of reference drawn as a dotted line (e.g. the baseline); null for none.</summary>
    public double? Reference { get; init; }
    /// <summary>Legend text of <see cref="Reference"/>. <value>The default value is "Baseline".</value></summary>
    public string ReferenceLabel { get; init; } = "Baseline";
}

/// <summary>
/// The coefficient plot of heterogeneity groups and of the robustness battery: one row per label,
/// top to bottom in the order given, the estimate as a dot with its interval as a horizontal bar,
/// the zero line, and optionally the baseline estimate as a dotted line. Several series share a row
/// side by side (offset vertically) in the colours of ScottPlot's Category10 palette, with a legend.
/// Points whose numbers are not finite are left out.
/// </summary>
public static class CoefficientPlot
{
    /// <summary>The chart's image bytes.</summary>
    /// <exception cref="ArgumentException">No point with finite numbers.</exception>
    public static byte[] Render(IReadOnlyList<CoefficientPoint> points, CoefficientPlotOptions? options = null, ChartOptions? chart = null)
    {
        ArgumentNullException.ThrowIfNull(points);
        var o = options ?? new CoefficientPlotOptions();
        var c = chart ?? new ChartOptions();
        var ok = points.Where(p => double.IsFinite(p.Estimate) && double.IsFinite(p.Low) && double.IsFinite(p.High)).ToList();
        if (ok.Count == 0) throw new ArgumentException("a coefficient plot needs at least one point with a finite estimate and interval", nameof(points));
        var labels = ok.Select(p => p.Label).Distinct().ToList();
        var series = ok.Select(p => p.Series ?? "").Distinct().ToList();
        string font = ChartFonts.FamilyFor(c.FontFamily, [o.Title, o.EstimateAxis, o.LabelAxis, o.ReferenceLabel, .. labels, .. series]);

        float width = c.Width / c.Scale;
        float height = Math.Max(c.Height / c.Scale, 90 + labels.Count * series.Count * 16);
        var plot = new Plot();
        ChartCanvas.Style(plot, font);
        plot.Title(o.Title, 15);
        plot.XLabel(o.EstimateAxis, 12);
        if (o.LabelAxis.Length > 0) plot.YLabel(o.LabelAxis, 12);
        var palette = new ScottPlot.Palettes.Category10();
        double slot = 0.7 / series.Count;
        for (int s = 0; s < series.Count; s++)
        {
            var pts = ok.Where(p => (p.Series ?? "") == series[s]).ToList();
            // Row i (0 = top) sits at y = labels.Count - i; series spread around it.
            var ys = pts.Select(p => labels.Count - labels.IndexOf(p.Label) + (series.Count - 1) * slot / 2 - s * slot).ToList();
            var colour = series.Count == 1 ? Color.FromHex("#1F4E9A") : palette.GetColor(s);
            var eb = new ScottPlot.Plottables.ErrorBar(pts.Select(p => p.Estimate).ToList(), ys,
                pts.Select(p => p.High - p.Estimate).ToList(), pts.Select(p => p.Estimate - p.Low).ToList(), null, null)
            { Color = colour, LineWidth = 1.5f, CapSize = 4 };
            plot.Add.Plottable(eb);
            var m = plot.Add.Markers(pts.Select(p => p.Estimate).ToArray(), ys.ToArray(), MarkerShape.FilledCircle, 7, colour);
            if (series[s].Length > 0) m.LegendText = series[s];
        }
        var zero = plot.Add.VerticalLine(0, 1, Colors.Black, LinePattern.Dashed);
        zero.ExcludeFromLegend = true;
        if (o.Reference is { } refValue && double.IsFinite(refValue))
        {
            var r = plot.Add.VerticalLine(refValue, 1.5f, Color.FromHex("#C0392B"), LinePattern.Dotted);
            r.LegendText = o.ReferenceLabel;
        }
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, labels.Count).Select(i => (double)(labels.Count - i)).ToArray(), labels.ToArray());
        plot.Axes.Left.MajorTickStyle.Length = 0;
        double lo = Math.Min(0, ok.Min(p => p.Low)), hi = Math.Max(0, ok.Max(p => p.High));
        double pad = (hi - lo) * 0.06 + (hi - lo < 1e-12 ? 1 : 0);
        plot.Axes.SetLimits(lo - pad, hi + pad, 0.4, labels.Count + 0.6);
        // In a panel right of the data area, as the trend chart's: inside it (lower right) the box covered the widest intervals.
        if (series.Count > 1 || o.Reference is not null) plot.ShowLegend(Edge.Right);
        else plot.HideLegend();
        return ChartCanvas.Render(c.Format, width, height, c.Scale, [(plot, new PixelRect(0, width, height, 0))]);
    }
}
