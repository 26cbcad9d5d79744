using ScottPlot;

namespace DigitalEconomy.Reporting.Charts;

/// <summary>Texts of <see cref="MoranScatter"/>.</summary>
public sealed record MoranScatterOptions
{
    /// <summary>The title. <value>The default value is "Moran scatter plot".</value></summary>
    public string Title { get; init; } = "Moran scatter plot";
    /// <summary>Title of the x axis. <value>The default value is "z (standardised value)".</value></summary>
    public string XAxis { get; init; } = "z (standardised value)";
    /// <summary>Title of the y axis. <value>The default value is "W·z (spatial lag)".</value></summary>
    public string YAxis { get; init; } = "W·z (spatial lag)";
    /// <summary>Legend text of the fitted line; {0} is Moran's I with 4 decimals. <value>The default value is "Slope = Moran's I = {0}".</value></summary>
    public string SlopeLabel { get; init; } = "Slope = Moran's I = {0}";
}

/// <summary>
/// The Moran scatter plot of one cross-section: each unit's standardised value z against its spatial lag W·z, the axes
/// through 0 dividing the four quadrants (HH upper right, LL lower left), and the line through the origin whose slope
/// is Moran's I (for a row-standardised W, the least-squares slope of W·z on z).
/// </summary>
public static class MoranScatter
{
    /// <summary>The chart's image bytes.</summary>
    /// <exception cref="ArgumentException">z and W·z of different lengths, or fewer than two points.</exception>
    public static byte[] Render(IReadOnlyList<double> z, IReadOnlyList<double> lag, double moranI, MoranScatterOptions? options = null, ChartOptions? chart = null)
    {
        ArgumentNullException.ThrowIfNull(z);
        ArgumentNullException.ThrowIfNull(lag);
        if (z.Count != lag.Count || z.Count < 2) throw new ArgumentException("a Moran scatter plot needs z and W·z of the same length, at least 2", nameof(lag));
        var o = options ?? new MoranScatterOptions();
        var c = chart ?? new ChartOptions();
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        string slopeText = string.Format(inv, o.SlopeLabel, moranI.ToString("0.0000", inv));
        string font = ChartFonts.FamilyFor(c.FontFamily, [o.Title, o.XAxis, o.YAxis, slopeText]);
        float width = c.Width / c.Scale, height = c.Height / c.Scale;
        var plot = new Plot();
        ChartCanvas.Style(plot, font);
        plot.Title(o.Title, 15);
        plot.XLabel(o.XAxis, 12);
        plot.YLabel(o.YAxis, 12);
        plot.Add.HorizontalLine(0, 1, Color.FromHex("#888888"));
        plot.Add.VerticalLine(0, 1, Color.FromHex("#888888"));
        var points = plot.Add.ScatterPoints(z.ToArray(), lag.ToArray(), Color.FromHex("#1F77B4"));
        points.MarkerSize = 6;
        double lo = z.Min(), hi = z.Max();
        var line = plot.Add.Line(lo, moranI * lo, hi, moranI * hi);
        line.LineColor = Color.FromHex("#C0392B");
        line.LineWidth = 2;
        line.LegendText = slopeText;
        plot.ShowLegend(Edge.Right);
        return ChartCanvas.Render(c.Format, width, height, c.Scale, [(plot, new PixelRect(0, width, height, 0))]);
    }
}
