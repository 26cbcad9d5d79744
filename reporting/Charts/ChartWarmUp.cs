namespace DigitalEconomy.Reporting.Charts;

/// <summary>
/// Loads what the first chart of a process needs — Skia and ScottPlot's code, the default CJK font's face
/// (<see cref="ChartFonts.DefaultFamily"/>, a 65,000-glyph font), the PNG encoder — by drawing a small chart and
/// dropping it. A run draws its charts last, on its critical path, where the first one cost about 0.2 s more than the
/// next; a caller with idle cores earlier (a run waiting on grain calls) warms up there. Nothing is written.
/// </summary>
public static class ChartWarmUp
{
    /// <summary>Draws a three-bar histogram as a PNG in the default font and drops it; returns its size in bytes.</summary>
    /// <exception cref="InvalidOperationException">The chart cannot be drawn (e.g. no drawing surface); the real charts say why as well.</exception>
    public static int Run() =>
        DistributionChart.Render([0.0, 1.0, 2.0], 1.0, new DistributionChartOptions { Title = "warm-up 预热", ValueAxis = "x" },
            new ChartOptions { Format = ChartFormat.Png }).Length;
}
