using System.Globalization;
using System.Text;
using System.Xml.Linq;
using DigitalEconomy.Reporting.Charts;
using SkiaSharp;
using Xunit;

namespace DigitalEconomy.Reporting.Tests.Charts;

/// <summary>
/// No text element of a chart overlaps another (issue 28 point 10), for every chart type in Chinese and English: the
/// bounding box of each SVG &lt;text&gt; — from its first glyph's x to that plus the text's width in its font and size, over the
/// ideographic em box (0.88 em above the baseline to 0.12 em below: Noto Sans CJK's typographic ascender and descender;
/// its line-box metrics add leading no glyph fills), through the element's transform (rotated axis titles) — may not
/// intersect another's by more than half a pixel.
/// </summary>
public class TextOverlapTests
{
    private sealed record TextBox(string Text, double Left, double Top, double Right, double Bottom);

    private static readonly char[] Comma = [',', ' '];

    private static List<TextBox> Boxes(byte[] svgBytes)
    {
        var svg = XDocument.Parse(Encoding.UTF8.GetString(svgBytes));
        var boxes = new List<TextBox>();
        foreach (var e in svg.Descendants().Where(x => x.Name.LocalName == "text"))
        {
            string text = e.Value.Trim();
            if (text.Length == 0) continue;
            double[] Nums(string? s) => [.. (s ?? "").Split(Comma, StringSplitOptions.RemoveEmptyEntries).Select(v => double.Parse(v, CultureInfo.InvariantCulture))];
            var xs = Nums((string?)e.Attribute("x"));
            var ys = Nums((string?)e.Attribute("y"));
            float size = float.Parse((string?)e.Attribute("font-size") ?? "12", CultureInfo.InvariantCulture);
            using var tf = SKTypeface.FromFamilyName((string?)e.Attribute("font-family") ?? ChartFonts.DefaultFamily);
            using var font = new SKFont(tf, size);
            double width = font.MeasureText(text);
            double x0 = xs.Length > 0 ? xs[0] : 0, y0 = ys.Length > 0 ? ys[0] : 0;
            // matrix(a b c d e f): X = a·x + c·y + e, Y = b·x + d·y + f.
            double a = 1, b = 0, c = 0, d = 1, tx = 0, ty = 0;
            if ((string?)e.Attribute("transform") is { } t && t.StartsWith("matrix(", StringComparison.Ordinal))
            {
                var v = Nums(t["matrix(".Length..^1]);
                (a, b, c, d, tx, ty) = (v[0], v[1], v[2], v[3], v[4], v[5]);
            }
            var corners = new[] { (x0, y0 - 0.88 * size), (x0 + width, y0 - 0.88 * size), (x0, y0 + 0.12 * size), (x0 + width, y0 + 0.12 * size) }
                .Select(p => (X: a * p.Item1 + c * p.Item2 + tx, Y: b * p.Item1 + d * p.Item2 + ty)).ToList();
            boxes.Add(new TextBox(text, corners.Min(p => p.X), corners.Min(p => p.Y), corners.Max(p => p.X), corners.Max(p => p.Y)));
        }
        // Skia's SVG canvas may write an element twice at the same place (a layout pass): one box each.
        return [.. boxes.DistinctBy(x => (x.Text, Math.Round(x.Left, 1), Math.Round(x.Top, 1)))];
    }

    private static void NoOverlap(string name, byte[] svg)
    {
        ChartTests.Keep(name, svg);
        var boxes = Boxes(svg);
        Assert.True(boxes.Count >= 5, $"{name}: {boxes.Count} texts");
        const double Slack = 0.5;
        var hits = new List<string>();
        for (int i = 0; i < boxes.Count; i++)
            for (int j = i + 1; j < boxes.Count; j++)
            {
                var (p, q) = (boxes[i], boxes[j]);
                double w = Math.Min(p.Right, q.Right) - Math.Max(p.Left, q.Left), h = Math.Min(p.Bottom, q.Bottom) - Math.Max(p.Top, q.Top);
                if (w > Slack && h > Slack)
                    hits.Add($"'{p.Text}' [{p.Left:0},{p.Top:0}–{p.Right:0},{p.Bottom:0}] × '{q.Text}' [{q.Left:0},{q.Top:0}–{q.Right:0},{q.Bottom:0}]");
            }
        Assert.True(hits.Count == 0, $"{name}: {hits.Count} overlaps:\n" + string.Join("\n", hits.Take(20)));
    }

    private static readonly ChartOptions Svg = new() { Format = ChartFormat.Svg };

    public static TheoryData<bool> Languages => new() { true, false };

    [Theory]
    [MemberData(nameof(Languages))]
    public void CoefficientPlot_NoTextOverlapsAnother(bool zh)
    {
        // The city study's robustness battery: five columns, long labels, a reference line with its label.
        string[] labels = zh ? ["(1) 基准", "(2) 缩尾处理", "(3) 主成分指数", "(4) 剔除创新型城市试点", "(5) 滞后一期"] : ["(1) Baseline", "(2) Winsorised", "(3) PCA index", "(4) Without pilot cities", "(5) Lagged treatment"];
        double[] est = [0.268, 0.270, 12.307, 0.261, 0.071];
        var pts = labels.Select((l, i) => new CoefficientPoint(l, est[i], est[i] - 0.3 - i * 0.1, est[i] + 0.3 + i * 0.1)).ToList();
        var o = new CoefficientPlotOptions
        {
            Title = zh ? "表6 稳健性检验" : "Table 6 Robustness", EstimateAxis = zh ? "估计系数（95%置信区间）" : "Estimate (95% CI)",
            Reference = 0.268, ReferenceLabel = zh ? "基准" : "Baseline",
        };
        NoOverlap($"overlap_coef_{(zh ? "zh" : "en")}.svg", CoefficientPlot.Render(pts, o, Svg));
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void DistributionChart_NoTextOverlapsAnother(bool zh)
    {
        // The permutation distribution of the city study's region heterogeneity: the observed value far in the right tail.
        var draws = Enumerable.Range(0, 1000).Select(i => 0.01 + 0.06 * Math.Sqrt((i * 7919 % 1000) / 1000.0)).ToList();
        var o = zh
            ? new DistributionChartOptions { Title = "表7 区域异质性：组间差异的置换分布", ValueAxis = "组间系数差异（两组之差或极差）", CountAxis = "频数", DrawsLabel = "置换（n = {0}）", ObservedLabel = "实际值 = {0}" }
            : new DistributionChartOptions { Title = "Table 7 Regional heterogeneity: permutation distribution of the group difference", ValueAxis = "Coefficient difference (two groups) or range", CountAxis = "Count", DrawsLabel = "Permutations (n = {0})", ObservedLabel = "Observed = {0}" };
        NoOverlap($"overlap_dist_{(zh ? "zh" : "en")}.svg", DistributionChart.Render(draws, 0.1195, o, Svg));
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void SpecificationCurve_NoTextOverlapsAnother(bool zh)
    {
        var specs = ChartTests.Specs(288);
        var labels = zh
            ? new Dictionary<string, string> { ["outcome"] = "被解释变量", ["controls"] = "控制变量", ["fe"] = "固定效应", ["sample"] = "样本", ["vcov"] = "方差估计", ["hqd"] = "高质量发展", ["tfp"] = "全要素生产率", ["none"] = "无", ["basic"] = "部分控制变量", ["full"] = "全部控制变量", ["unit"] = "省份", ["unit+year"] = "省份、年份", ["all"] = "全样本", ["no_munic"] = "剔除直辖市", ["east"] = "东部省份", ["cluster"] = "省份层面聚类稳健", ["hc1"] = "异方差稳健" }
            : new Dictionary<string, string>();
        var o = new SpecificationCurveOptions
        {
            Title = zh ? "city_nqpf：数字核心产业集聚" : "city_nqpf: digital core agglomeration",
            Labels = labels,
            Interval = zh ? "95%置信区间" : "95% CI",
            EstimateAxis = zh ? "估计系数（95%置信区间）" : "Estimate (95% CI)",
            RankAxis = zh ? "按估计值排序的设定" : "Specifications ranked by estimate",
            Baseline = zh ? "基准" : "Baseline",
            BinnedNote = zh ? "（每列约{0}个设定；颜色深浅为具有该选择的设定所占比例）" : " (one column ≈ {0} specifications; shade = share with the choice)",
        };
        NoOverlap($"overlap_curve_{(zh ? "zh" : "en")}.svg", SpecificationCurveChart.Render(specs, o, Svg));
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void TrendChart_NoTextOverlapsAnother(bool zh)
    {
        double[] years = [2011, 2012, 2013, 2014, 2015, 2016, 2017, 2018, 2019, 2020];
        string[] names = zh ? ["东部", "中部", "西部", "东北", "全部"] : ["East", "Central", "West", "Northeast", "All"];
        var series = names.Select((n, k) => new TrendSeries(n, years, [.. years.Select(y => 0.2 + 0.05 * k + 0.03 * (y - 2011))])).ToList();
        var o = zh ? new TrendChartOptions { Title = "表5 数字经济与高质量发展的耦合协调度", TimeAxis = "年份", ValueAxis = "耦合协调度D" }
            : new TrendChartOptions { Title = "Table 5 Coupling coordination of the digital economy and high-quality development", TimeAxis = "Year", ValueAxis = "Coordination D" };
        NoOverlap($"overlap_trend_{(zh ? "zh" : "en")}.svg", TrendChart.Render(series, o, Svg));
    }
}
