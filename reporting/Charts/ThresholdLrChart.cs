using ScottPlot;

namespace DigitalEconomy.Reporting.Charts;

/// <summary>One LR(γ) curve: the candidates of one threshold search and their likelihood ratios.</summary>
/// <param name="Name">Legend text.</param>
/// <param name="Gamma">The candidates.</param>
/// <param name="Lr">LR(γ) of each candidate.</param>
/// <param name="Grid">The whole grid, when the search left some of it out (around earlier thresholds): the line breaks there instead of bridging the gap.</param>
public sealed record ThresholdLrCurve(string Name, IReadOnlyList<double> Gamma, IReadOnlyList<double> Lr, IReadOnlyList<double>? Grid = null);

/// <summary>Titles of the LR chart.</summary>
public sealed record ThresholdLrChartOptions
{
    /// <summary>Chart title.</summary>
    public string Title { get; init; } = "Likelihood ratio of the threshold";

    /// <summary>x axis (the threshold variable).</summary>
    public string ThresholdAxis { get; init; } = "Threshold";

    /// <summary>y axis.</summary>
    public string LrAxis { get; init; } = "LR statistic";

    /// <summary>Legend text of the critical-value line.</summary>
    public string CriticalLabel { get; init; } = "95% critical value";
}

/// <summary>
/// The LR(γ) chart of a threshold model (似然比函数图): one line per threshold search over its candidate values, and the
/// horizontal line at the critical value c(α); the interval of each threshold is where its curve lies under the line.
/// </summary>
public static class ThresholdLrChart
{
    /// <summary>The chart's image bytes.</summary>
    /// <exception cref="ArgumentException">No curve; a curve whose γ and LR differ in length.</exception>
    public static byte[] Render(IReadOnlyList<ThresholdLrCurve> curves, double critical, ThresholdLrChartOptions? options = null, ChartOptions? chart = null)
    {
        ArgumentNullException.ThrowIfNull(curves);
        if (curves.Count == 0) throw new ArgumentException("an LR chart needs at least one curve", nameof(curves));
        foreach (var s in curves)
            if (s.Gamma.Count != s.Lr.Count) throw new ArgumentException($"curve '{s.Name}': {s.Gamma.Count} thresholds but {s.Lr.Count} LR values", nameof(curves));
        var o = options ?? new ThresholdLrChartOptions();
        var c = chart ?? new ChartOptions();
        string font = ChartFonts.FamilyFor(c.FontFamily, [o.Title, o.ThresholdAxis, o.LrAxis, o.CriticalLabel, .. curves.Select(s => s.Name)]);
        float width = c.Width / c.Scale, height = c.Height / c.Scale;
        var plot = new Plot();
        ChartCanvas.Style(plot, font);
        plot.Title(o.Title, 15);
        plot.XLabel(o.ThresholdAxis, 12);
        plot.YLabel(o.LrAxis, 12);
        var palette = new ScottPlot.Palettes.Category10();
        for (int i = 0; i < curves.Count; i++)
        {
            // Candidates in grid order may repeat a value (Hansen's grid keeps duplicates): draw each distinct γ once, in order.
            var pts = curves[i].Gamma.Zip(curves[i].Lr).Where(p => double.IsFinite(p.First) && double.IsFinite(p.Second))
                .GroupBy(p => p.First).Select(gr => gr.First()).OrderBy(p => p.First).ToArray();
            var excluded = curves[i].Grid is { } grid ? grid.Where(g => !curves[i].Gamma.Contains(g)).Order().ToArray() : [];
            int start = 0;
            for (int j = 1; j <= pts.Length; j++)
            {
                // A new segment after the last point, or where a left-out grid value lies between two plotted ones.
                if (j < pts.Length && !excluded.Any(g => g > pts[j - 1].First && g < pts[j].First)) continue;
                var sc = plot.Add.Scatter(pts[start..j].Select(p => p.First).ToArray(), pts[start..j].Select(p => p.Second).ToArray(), palette.GetColor(i));
                sc.LineWidth = 2;
                sc.MarkerSize = j - start == 1 ? 4 : 0;
                if (start == 0) sc.LegendText = curves[i].Name;
                start = j;
            }
        }
        var line = plot.Add.HorizontalLine(critical, 1.5f, Colors.Red, LinePattern.Dashed);
        line.LegendText = o.CriticalLabel;
        plot.ShowLegend(Edge.Right);
        return ChartCanvas.Render(c.Format, width, height, c.Scale, [(plot, new PixelRect(0, width, height, 0))]);
    }
}
