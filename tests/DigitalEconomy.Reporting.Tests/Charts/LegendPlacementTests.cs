using System.Text;
using DigitalEconomy.Reporting.Charts;
using SkiaSharp;
using Xunit;

namespace DigitalEconomy.Reporting.Tests.Charts;

/// <summary>
/// The coefficient plot, the distribution chart and the specification curve draw their legend in a panel outside the
/// data area, as the trend chart does (issue 28, point 9): found in the PNG as the legend box's grey outline and the
/// data area's black frame (or, for the curve's two panels, the data's own colours).
/// </summary>
public class LegendPlacementTests
{
    private static bool Near(SKColor c, SKColor to, int tol) => Math.Abs(c.Red - to.Red) <= tol && Math.Abs(c.Green - to.Green) <= tol && Math.Abs(c.Blue - to.Blue) <= tol;

    /// <summary>The legend box: its grey (#808080) outline as rows and columns with a run of 30 grey pixels, its shadow (12 px right and down) included.</summary>
    private static (int Left, int Right, int Top, int Bottom) LegendBox(SKBitmap bmp)
    {
        var grey = new SKColor(128, 128, 128);
        bool Run(IEnumerable<SKColor> line) { int run = 0; foreach (var c in line) { run = Near(c, grey, 8) ? run + 1 : 0; if (run >= 30) return true; } return false; }
        var rows = Enumerable.Range(0, bmp.Height).Where(y => Run(Enumerable.Range(0, bmp.Width).Select(x => bmp.GetPixel(x, y)))).ToList();
        var cols = Enumerable.Range(0, bmp.Width).Where(x => Run(Enumerable.Range(0, bmp.Height).Select(y => bmp.GetPixel(x, y)))).ToList();
        Assert.True(rows.Count >= 2 && cols.Count >= 2, "no legend box");
        return (cols.Min(), cols.Max() + 12, rows.Min(), rows.Max() + 12);
    }

    /// <summary>The data area: inside the black frame, whose lines are the longest dark rows and columns (over half the image).</summary>
    private static (int Left, int Right, int Top, int Bottom) Frame(SKBitmap bmp)
    {
        var rows = Enumerable.Range(0, bmp.Height).Where(y => Enumerable.Range(0, bmp.Width).Count(x => Near(bmp.GetPixel(x, y), SKColors.Black, 40)) > bmp.Width / 2).ToList();
        var cols = Enumerable.Range(0, bmp.Width).Where(x => Enumerable.Range(0, bmp.Height).Count(y => Near(bmp.GetPixel(x, y), SKColors.Black, 40)) > bmp.Height / 2).ToList();
        Assert.True(rows.Count >= 2 && cols.Count >= 2, $"frame rows {rows.Count}, columns {cols.Count}");
        return (cols.Min(), cols.Max(), rows.Min(), rows.Max());
    }

    private static void OutsideFrame(byte[] png, string name)
    {
        ChartTests.Keep(name, png);
        using var bmp = SKBitmap.Decode(png);
        var (left, right, top, bottom) = Frame(bmp);
        var (bl, br, bt, bb) = LegendBox(bmp);
        Assert.True(bl > right || br < left || bt > bottom || bb < top, $"{name}: legend box x {bl}-{br}, y {bt}-{bb} overlaps the data area x {left}-{right}, y {top}-{bottom}");
    }

    [Fact]
    public void CoefficientPlot_LegendOutsideTheDataArea()
    {
        // Column (4)'s interval reaches the right end of the axis, under where the lower-right legend sat.
        var points = new[]
        {
            new CoefficientPoint("(1) 基准", 0.12, 0.08, 0.16), new CoefficientPoint("(2) 缩尾", 0.11, 0.07, 0.15),
            new CoefficientPoint("(3) 主成分", 0.10, 0.05, 0.15), new CoefficientPoint("(4) 剔除试点", 0.14, 0.09, 0.19),
        };
        OutsideFrame(CoefficientPlot.Render(points, new CoefficientPlotOptions { Title = "表6 稳健性检验", Reference = 0.12, ReferenceLabel = "基准" }), "coef_legend.png");
    }

    [Fact]
    public void DistributionChart_LegendOutsideTheDataArea()
    {
        // A symmetric histogram whose tallest bars are at the right, where the upper-right legend sat.
        var draws = Enumerable.Range(0, 1000).Select(i => Math.Sqrt(i / 1000.0)).ToList();
        OutsideFrame(DistributionChart.Render(draws, 0.5, new DistributionChartOptions { Title = "置换分布" }), "dist_legend.png");
    }

    [Fact]
    public void SpecificationCurve_LegendRightOfEveryEstimate()
    {
        var png = SpecificationCurveChart.Render(ChartTests.Specs(72));
        ChartTests.Keep("spec_legend.png", png);
        using var bmp = SKBitmap.Decode(png);
        var (bl, br, bt, bb) = LegendBox(bmp);
        // The estimates' colours (significant blue, other grey markers) outside the legend box all lie left of it.
        SKColor[] colours = [new(0x1F, 0x4E, 0x9A), new(0x8C, 0x8C, 0x8C)];
        int maxX = -1;
        for (int y = 0; y < bmp.Height; y++)
            for (int x = 0; x < bmp.Width; x++)
                if (!(x >= bl && x <= br && y >= bt && y <= bb) && colours.Any(c => Near(bmp.GetPixel(x, y), c, 6))) maxX = Math.Max(maxX, x);
        Assert.True(maxX >= 0 && maxX < bl, $"estimates up to x {maxX}, legend box from x {bl}");
    }
}

/// <summary>The observed statistic's label never covers the chart's title (issue 28, point 10).</summary>
public class DistributionLabelTests
{
    [Fact]
    public void ObservedValue_NotDrawnOverTheTitle_ButInTheLegend()
    {
        var draws = Enumerable.Range(0, 500).Select(i => Math.Sin(i * 0.37) * 0.1).ToList();
        var options = new DistributionChartOptions { Title = "表7 区域异质性：组间差异的置换分布", ObservedLabel = "实际值 = {0}" };
        var png = DistributionChart.Render(draws, 0.1195, options);
        ChartTests.Keep("dist_observed.png", png);
        using var bmp = SKBitmap.Decode(png);
        // The data area's top rule: the first row over half of whose pixels are black.
        int top = Enumerable.Range(0, bmp.Height).First(y => Enumerable.Range(0, bmp.Width).Count(x => { var c = bmp.GetPixel(x, y); return c.Red + c.Green + c.Blue < 120; }) > bmp.Width / 2);
        // Above it sit only the title (black text on white): no pixel of the observed line's red (#C0392B).
        int red = 0;
        for (int y = 0; y < top; y++)
            for (int x = 0; x < bmp.Width; x++) { var c = bmp.GetPixel(x, y); if (c.Red > 150 && c.Green < 90 && c.Blue < 90) red++; }
        Assert.True(red == 0, $"{red} red pixels above the data area (top rule at y {top})");
        // The title is there: dark pixels above the data area.
        Assert.True(Tools.Dark(bmp, 0, 0, bmp.Width, top) > 500);
        // The value is named in the legend (SVG text).
        string svg = Encoding.UTF8.GetString(DistributionChart.Render(draws, 0.1195, options, new ChartOptions { Format = ChartFormat.Svg }));
        Assert.Contains("实际值 = 0.1195", svg, StringComparison.Ordinal);
    }
}
