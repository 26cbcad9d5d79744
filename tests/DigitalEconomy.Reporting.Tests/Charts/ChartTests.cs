using System.Text;
using DigitalEconomy.Reporting.Charts;
using SkiaSharp;
using Xunit;

namespace DigitalEconomy.Reporting.Tests.Charts;

public class ChartTests
{
    /// <summary>
    /// n synthetic specifications over 5 dimensions (2·3·2·2·…); estimate = 0.05 + choice effects + a
    /// deterministic wiggle, SE 0.02–0.06; the one with all first choices is the baseline.
    /// </summary>
    internal static List<SpecCurvePoint> Specs(int n)
    {
        string[] outcomes = ["hqd", "tfp"], controls = ["none", "basic", "full"], fe = ["unit", "unit+year"], sample = ["all", "no_munic", "east"], vcov = ["cluster", "hc1"];
        var list = new List<SpecCurvePoint>();
        for (int i = 0; i < n; i++)
        {
            var ch = new Dictionary<string, string>
            {
                ["outcome"] = outcomes[i % 2],
                ["controls"] = controls[i / 2 % 3],
                ["fe"] = fe[i / 6 % 2],
                ["sample"] = sample[i / 12 % 3],
                ["vcov"] = vcov[i / 36 % 2],
            };
            double est = 0.05 + (i % 2) * 0.04 - (i / 2 % 3) * 0.025 + (i / 6 % 2) * 0.01 - (i / 12 % 3) * 0.02 + 0.03 * Math.Sin(i * 0.7);
            double se = 0.02 + 0.04 * ((i * 37 % 101) / 101.0);
            double p = 2 * (1 - Normal(Math.Abs(est / se)));
            list.Add(new SpecCurvePoint($"s{i:D5}", est, est - 1.96 * se, est + 1.96 * se, p, ch, IsBaseline: i == 0));
        }
        return list;
    }

    private static double Normal(double z) => 0.5 * (1 + Erf(z / Math.Sqrt(2)));

    private static double Erf(double x)
    {
        // Abramowitz–Stegun 7.1.26 (|error| < 1.5e-7): only colours the synthetic points.
        double t = 1 / (1 + 0.3275911 * Math.Abs(x));
        double y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.Exp(-x * x);
        return x >= 0 ? y : -y;
    }

    internal static (int W, int H) PngSize(byte[] png)
    {
        using var bmp = SKBitmap.Decode(png) ?? throw new InvalidOperationException("not a PNG");
        return (bmp.Width, bmp.Height);
    }

    /// <summary>Writes the image to $DE_CHART_DIR when set, to look at it.</summary>
    internal static void Keep(string name, byte[] bytes)
    {
        if (Environment.GetEnvironmentVariable("DE_CHART_DIR") is { Length: > 0 } dir) File.WriteAllBytes(Path.Combine(dir, name), bytes);
    }

    [Theory]
    [InlineData(40)]
    [InlineData(1000)]
    [InlineData(10000)]
    public void SpecificationCurve_Png_DeterministicPageWidth(int n)
    {
        var specs = Specs(n);
        var a = SpecificationCurveChart.Render(specs);
        var b = SpecificationCurveChart.Render(Enumerable.Reverse(specs).ToList());
        Keep($"spec_curve_{n}.png", a);
        Assert.Equal(a, b);
        var (w, h) = PngSize(a);
        Assert.Equal(1600, w);
        // 5 dimensions: 5 header rows + 2+3+2+3+2 values = 17 rows of 11 units; 250 + 17·11 + 50 = 487 > 450 units → 974 px.
        Assert.Equal(974, h);
    }

    [Fact]
    public void SpecificationCurve_Svg_HasTitlesLegendAndChoiceLabels_SameBytesTwice()
    {
        var specs = Specs(1000);
        var a = SpecificationCurveChart.Render(specs, chart: new ChartOptions { Format = ChartFormat.Svg });
        var b = SpecificationCurveChart.Render(specs, chart: new ChartOptions { Format = ChartFormat.Svg });
        Assert.Equal(a, b);
        string svg = Encoding.UTF8.GetString(a);
        Keep("spec_curve_1000.svg", a);
        foreach (var text in new[] { "Specification curve", "Estimate (95% CI)", "Specifications ranked by estimate", "one column ≈ 6.3 specifications",
                     "p &lt; 0.05", "p ≥ 0.05", "95% CI", "Baseline", "[controls]", "unit+year", "no_munic" })
            Assert.Contains(text, svg, StringComparison.Ordinal);
    }

    [Fact]
    public void SpecificationCurve_Svg_DenserThanTheChart_DrawsOneMarkerPerHalfUnitAndTheBandPerColumn()
    {
        // A flat curve (every estimate 1, interval 0.5–1.5, all significant): 10,000 ranks across the data area. The data
        // area is 800 − 150 − (28 + 64 + 8·8) = 494 layout units wide (legend entries at most 8 cells), so a rank is
        // 0.0494 units and a marker is drawn every ⌈0.5 / 0.0494⌉ = 11 ranks: ⌈10,000 / 11⌉ = 910 markers, not 10,000.
        // At 300 specifications (fewer than units) every marker is drawn.
        var flat = (int n) => Enumerable.Range(0, n).Select(i => new SpecCurvePoint($"s{i:D5}", 1, 0.5, 1.5, 0.01,
            new Dictionary<string, string> { ["controls"] = i % 2 == 0 ? "a" : "b" })).ToList();
        string Svg(int n) => Encoding.UTF8.GetString(SpecificationCurveChart.Render(flat(n), chart: new ChartOptions { Format = ChartFormat.Svg }));
        int Ellipses(string svg) => System.Text.RegularExpressions.Regex.Count(svg, "<ellipse ");
        // ScottPlot draws a marker as a fixed number of ellipses, and the legend's symbols as some more: both read off charts of 1 and 2.
        int one = Ellipses(Svg(1)), per = Ellipses(Svg(2)) - one, legend = one - per;
        string big = Svg(10_000);
        Assert.Equal(910, (Ellipses(big) - legend) / per);
        Assert.Equal(300, (Ellipses(Svg(300)) - legend) / per);
        Assert.True(big.Length < 400_000, $"SVG of 10,000 specifications is {big.Length} bytes");
    }

    [Fact]
    public void SpecificationCurve_ChoicePanelCells_ShadeIsShareOfColumn()
    {
        // 4 specifications in 2 columns: column 1 = the two smallest estimates, both with controls "a";
        // column 2 = one "a", one "b" → the "a" cell is half-shaded. Read back from the PNG: the cell
        // colour of a full share is dark (#0B2E6B), of a half share the middle colour (#9DB3D6).
        var ch = (string c, string o) => (IReadOnlyDictionary<string, string>)new Dictionary<string, string> { ["controls"] = c, ["outcome"] = o };
        var specs = new List<SpecCurvePoint>
        {
            new("1", 0.1, 0.0, 0.2, 0.04, ch("a", "y1")), new("2", 0.2, 0.1, 0.3, 0.01, ch("a", "y1")),
            new("3", 0.3, 0.2, 0.4, 0.01, ch("a", "y2")), new("4", 0.4, 0.3, 0.5, 0.01, ch("b", "y2"), true),
        };
        var png = SpecificationCurveChart.Render(specs, new SpecificationCurveOptions { MaxColumns = 2 });
        Keep("spec_curve_cells.png", png);
        using var bmp = SKBitmap.Decode(png);
        // Layout units ×2: data area x from 150 to 800−28 = 772, columns 150–461 and 461–772; the choice
        // panel starts at y = 250, rows of (450−250−4−44)/7… the rows are found by their labels' order:
        // controls header, a, b, outcome header, y1, y2 (6 rows over the panel's data height).
        double top = 250 + 4, bottom = 450 - 44, rowH = (bottom - top) / 6;
        // Each cell is sampled at a quarter and three quarters of its height: a cell shifted by half a row fails.
        SKColor At(int col, int row) => Same(bmp.GetPixel(X(col), Y(row, 0.25)), bmp.GetPixel(X(col), Y(row, 0.75)));
        int X(int col) => (int)((col == 0 ? 150 + 150 : 461 + 150) * 2);
        int Y(int row, double f) => (int)((top + (row + f) * rowH) * 2);
        static SKColor Same(SKColor a, SKColor b) => a == b ? a : SKColors.Magenta;
        static bool Near(SKColor c, string hex) { var e = SKColor.Parse(hex); return Math.Abs(c.Red - e.Red) + Math.Abs(c.Green - e.Green) + Math.Abs(c.Blue - e.Blue) < 30; }
        Assert.True(Near(At(0, 1), "#0B2E6B"), $"column 1, controls=a: {At(0, 1)}");
        Assert.True(Near(At(1, 1), "#9DB3D6"), $"column 2, controls=a: {At(1, 1)}");
        Assert.True(Near(At(0, 2), "#FFFFFF"), $"column 1, controls=b: {At(0, 2)}");
        Assert.True(Near(At(0, 0), "#E6E6E6"), $"header row: {At(0, 0)}");
        Assert.True(Near(At(0, 4), "#0B2E6B"), $"column 1, outcome=y1: {At(0, 4)}");
        Assert.True(Near(At(1, 5), "#0B2E6B"), $"column 2, outcome=y2: {At(1, 5)}");
    }

    [Fact]
    public void Svg_ChineseText_UnifiedIdeographs_NotKangxiRadicals()
    {
        // Skia's SVG wrote 一 of 滞后一期 as ⼀ (U+2F00) and 方 as ⽅ (U+2F45): the CJK font draws both with one glyph (issue 28).
        var pts = new List<CoefficientPoint> { new("(1) 基准", 0.12, 0.05, 0.19), new("(2) 滞后一期", 0.08, 0.02, 0.14) };
        var o = new CoefficientPlotOptions { Title = "表6 稳健性检验：方差、颜色、比例、生产力、核心、层面", EstimateAxis = "估计系数（95%置信区间）" };
        string svg = Encoding.UTF8.GetString(CoefficientPlot.Render(pts, o, new ChartOptions { Format = ChartFormat.Svg }));
        Assert.DoesNotContain(svg, c => c is >= '\u2F00' and <= '\u2FDF');
        var texts = System.Xml.Linq.XDocument.Parse(svg).Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value.Trim()).ToList();
        foreach (var t in new[] { "(2) 滞后一期", "表6 稳健性检验：方差、颜色、比例、生产力、核心、层面" }) Assert.Contains(t, texts);
        Assert.Equal("滞后一期方差", ChartCanvas.UnifiedIdeographs("滞后\u2F00期\u2F45差"));
    }

    /// <summary>
    /// A chart's PNG is 8-bit RGB without an alpha channel and without an sBIT chunk (the two things that make pdfTeX decode
    /// and compress a PNG again instead of copying its rows), its chunks intact (every CRC-32 as the PNG specification
    /// computes it over type and data), and its pixels those of the chart on white (a corner is white, the point is drawn).
    /// </summary>
    [Fact]
    public void Png_RgbWithoutAlphaOrSbit_ChunksIntact()
    {
        byte[] png = SpecificationCurveChart.Render(Specs(40));
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        var types = new List<string>();
        int pos = 8;
        while (pos < png.Length)
        {
            int length = (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos));
            string type = Encoding.ASCII.GetString(png, pos + 4, 4);
            uint crc = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(pos + 8 + length));
            Assert.Equal(Crc32(png.AsSpan(pos + 4, 4 + length)), crc);
            if (type == "IHDR")
            {
                Assert.Equal(8, png[pos + 8 + 8]); // bit depth
                Assert.Equal(2, png[pos + 8 + 9]); // colour type 2: RGB, no alpha
                Assert.Equal(0, png[pos + 8 + 12]); // not interlaced
            }
            types.Add(type);
            pos += 12 + length;
        }
        Assert.Equal(png.Length, pos);
        Assert.Equal("IHDR", types[0]);
        Assert.Equal("IEND", types[^1]);
        Assert.DoesNotContain("sBIT", types);
        Assert.DoesNotContain("tRNS", types);
        using var bmp = SKBitmap.Decode(png);
        Assert.Equal(SKColors.White, bmp.GetPixel(0, 0));
        Assert.Contains(Enumerable.Range(0, bmp.Width), x => bmp.GetPixel(x, bmp.Height / 4) != SKColors.White);
    }

    /// <summary>CRC-32 of the PNG specification (ISO 3309 polynomial, reflected), bit by bit.</summary>
    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        uint c = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            c ^= b;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
        }
        return c ^ 0xFFFFFFFF;
    }

    [Fact]
    public void CoefficientPlot_PngAndSvg_Deterministic_TextsInSvg()
    {
        var pts = new List<CoefficientPoint>
        {
            new("East", 0.12, 0.05, 0.19, "HQD"), new("Central", 0.04, -0.03, 0.11, "HQD"), new("West", -0.02, -0.10, 0.06, "HQD"),
            new("East", 0.08, 0.02, 0.14, "TFP"), new("Central", 0.02, -0.02, 0.06, "TFP"), new("West", 0.01, -0.05, 0.07, "TFP"),
        };
        var o = new CoefficientPlotOptions { Title = "Heterogeneity by region", Reference = 0.07 };
        var png = CoefficientPlot.Render(pts, o);
        Keep("coef.png", png);
        Assert.Equal(png, CoefficientPlot.Render(pts, o));
        Assert.Equal((1600, 900), PngSize(png));
        string svg = Encoding.UTF8.GetString(CoefficientPlot.Render(pts, o, new ChartOptions { Format = ChartFormat.Svg }));
        foreach (var t in new[] { "Heterogeneity by region", "Estimate (95% CI)", "East", "Central", "West", "HQD", "TFP", "Baseline" })
            Assert.Contains(t, svg, StringComparison.Ordinal);
    }

    [Fact]
    public void TrendChart_ChineseLabels_CjkFontFoundAndUsed()
    {
        var font = ChartFonts.Resolve(ChartFonts.DefaultFamily);
        Assert.True(font.Found, "Noto Sans CJK SC is not installed (scripts/test.sh installs fonts-noto-cjk)");
        Assert.Equal("Noto Sans CJK SC", font.Used);
        double[] years = [2011, 2012, 2013, 2014, 2015, 2016, 2017, 2018, 2019, 2020];
        var series = new[] { ("东部", 0.40), ("中部", 0.25), ("西部", 0.18), ("东北", 0.22) }
            .Select(r => new TrendSeries(r.Item1, years, years.Select(y => r.Item2 + 0.03 * (y - 2011) + 0.01 * Math.Sin(y)).ToArray())).ToList();
        var o = new TrendChartOptions { Title = "数字经济指数（分地区）", TimeAxis = "年份", ValueAxis = "指数" };
        var png = TrendChart.Render(series, o);
        Keep("trend_zh.png", png);
        Assert.Equal(png, TrendChart.Render(series, o));
        string svg = Encoding.UTF8.GetString(TrendChart.Render(series, o, new ChartOptions { Format = ChartFormat.Svg }));
        Keep("trend_zh.svg", Encoding.UTF8.GetBytes(svg));
        foreach (var t in new[] { "数字经济指数（分地区）", "年份", "指数", "东部", "东北", "2015" }) Assert.Contains(t, svg, StringComparison.Ordinal);
        Assert.Contains("Noto Sans CJK SC", svg, StringComparison.Ordinal);
        // The glyph of 东 in the chosen font is drawn, not the missing-glyph box: the font has it.
        using var tf = SKTypeface.FromFamilyName("Noto Sans CJK SC");
        using var skFont = new SKFont(tf);
        Assert.NotEqual((ushort)0, skFont.GetGlyph('东'));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(7)]
    public void TrendChart_LegendOutsideTheDataArea_CoversNoPoint(int count)
    {
        // Up to 7 series: the eighth Category10 colour is the grey of the legend's outline and of anti-aliased text, so its pixels cannot be told apart.
        // Every series starts in the upper left (where the legend box used to sit) and falls; the first is the highest.
        double[] years = [2011, 2012, 2013, 2014, 2015, 2016, 2017, 2018, 2019, 2020];
        var series = Enumerable.Range(0, count).Select(i => new TrendSeries($"Region {i + 1}", years, years.Select(y => 1.0 - 0.02 * i - 0.08 * (y - 2011)).ToArray())).ToList();
        var png = TrendChart.Render(series);
        Keep($"trend_legend_{count}.png", png);
        using var bmp = SKBitmap.Decode(png);
        bool Near(SKColor c, SKColor to, int tol) => Math.Abs(c.Red - to.Red) <= tol && Math.Abs(c.Green - to.Green) <= tol && Math.Abs(c.Blue - to.Blue) <= tol;
        // The data area: inside the black frame, whose lines are the longest dark rows and columns (over half the image).
        var frameRows = Enumerable.Range(0, bmp.Height).Where(y => Enumerable.Range(0, bmp.Width).Count(x => Near(bmp.GetPixel(x, y), SKColors.Black, 40)) > bmp.Width / 2).ToList();
        var frameCols = Enumerable.Range(0, bmp.Width).Where(x => Enumerable.Range(0, bmp.Height).Count(y => Near(bmp.GetPixel(x, y), SKColors.Black, 40)) > bmp.Height / 2).ToList();
        Assert.True(frameRows.Count >= 2 && frameCols.Count >= 2, $"frame rows {frameRows.Count}, columns {frameCols.Count}");
        var (left, right, top, bottom) = (frameCols.Min(), frameCols.Max(), frameRows.Min(), frameRows.Max());
        // The legend box: its grey (#808080) outline, found as rows and columns with a run of 30 grey pixels.
        var grey = new SKColor(128, 128, 128);
        bool Run(IEnumerable<SKColor> line) { int run = 0; foreach (var c in line) { run = Near(c, grey, 8) ? run + 1 : 0; if (run >= 30) return true; } return false; }
        var boxRows = Enumerable.Range(0, bmp.Height).Where(y => Run(Enumerable.Range(0, bmp.Width).Select(x => bmp.GetPixel(x, y)))).ToList();
        var boxCols = Enumerable.Range(0, bmp.Width).Where(x => Run(Enumerable.Range(0, bmp.Height).Select(y => bmp.GetPixel(x, y)))).ToList();
        Assert.True(boxRows.Count >= 2 && boxCols.Count >= 2, "no legend box");
        var (bl, br, bt, bb) = (boxCols.Min(), boxCols.Max(), boxRows.Min(), boxRows.Max());
        // Its drop shadow (a few px right and down) belongs to it.
        (br, bb) = (br + 12, bb + 12);
        Assert.True(bl > right || br < left || bt > bottom || bb < top, $"legend box x {bl}-{br}, y {bt}-{bb} overlaps the data area x {left}-{right}, y {top}-{bottom}");
        // Each series' colour: inside the legend box (its swatch) and otherwise only inside the data area (its line and points).
        var palette = new ScottPlot.Palettes.Category10();
        for (int i = 0; i < count; i++)
        {
            var c = palette.GetColor(i);
            var colour = new SKColor(c.R, c.G, c.B);
            int inBox = 0, inData = 0, elsewhere = 0;
            for (int y = 0; y < bmp.Height; y++)
                for (int x = 0; x < bmp.Width; x++)
                {
                    if (!Near(bmp.GetPixel(x, y), colour, 6)) continue;
                    if (x >= bl && x <= br && y >= bt && y <= bb) inBox++;
                    else if (x > left && x < right && y > top && y < bottom) inData++;
                    else elsewhere++;
                }
            Assert.True(inBox > 20 && inData > 500 && elsewhere == 0, $"series {i + 1}: {inBox} pixels in the legend, {inData} in the data area, {elsewhere} elsewhere");
        }
    }

    [Fact]
    public void ChartFonts_MissingFont_FallsBackForLatinAndRefusesChinese()
    {
        var choice = ChartFonts.Resolve("No Such Font 123");
        Assert.False(choice.Found);
        var series = new[] { new TrendSeries("East", [2020, 2021], [0.1, 0.2]) };
        var png = TrendChart.Render(series, chart: new ChartOptions { FontFamily = "No Such Font 123" });
        Assert.Equal((1600, 900), PngSize(png));
        var e = Assert.Throws<InvalidOperationException>(() => TrendChart.Render([new TrendSeries("东部", [2020, 2021], [0.1, 0.2])], chart: new ChartOptions { FontFamily = "No Such Font 123" }));
        Assert.Contains("chart font 'No Such Font 123' is not installed", e.Message, StringComparison.Ordinal);
        Assert.Contains("fonts-noto-cjk", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DistributionChart_ObservedMarkedAndLabelled_Deterministic()
    {
        // 999 draws: a deterministic stratified normal sample (inverse CDF at (i + 0.5)/999 by bisection).
        var draws = Enumerable.Range(0, 999).Select(i => 0.02 * InvNormal((i + 0.5) / 999)).ToArray();
        var o = new DistributionChartOptions { Title = "Permutation distribution", ValueAxis = "Median estimate" };
        var png = DistributionChart.Render(draws, 0.047, o);
        Keep("dist.png", png);
        Assert.Equal(png, DistributionChart.Render(draws, 0.047, o));
        Assert.Equal((1600, 900), PngSize(png));
        string svg = Encoding.UTF8.GetString(DistributionChart.Render(draws, 0.047, o, new ChartOptions { Format = ChartFormat.Svg }));
        foreach (var t in new[] { "Permutation distribution", "Median estimate", "Count", "Draws (n = 999)", "Observed = 0.0470" })
            Assert.Contains(t, svg, StringComparison.Ordinal);
    }

    private static double InvNormal(double p)
    {
        double lo = -10, hi = 10;
        for (int k = 0; k < 100; k++) { double m = (lo + hi) / 2; if (Normal(m) < p) lo = m; else hi = m; }
        return (lo + hi) / 2;
    }
}
