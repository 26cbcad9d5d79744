using System.Text;
using System.Xml;
using System.Xml.Linq;
using DigitalEconomy.Core.Regression;
using DigitalEconomy.Reporting.Charts;
using DigitalEconomy.Reporting.Report;
using DigitalEconomy.Reporting.Tables;
using SkiaSharp;
using Xunit;

namespace DigitalEconomy.Reporting.Tests.Report;

/// <summary>report.html and report.md of a run: the Produc regression table (numbers from produc.json, R plm), a descriptive table and a trend chart.</summary>
public class RunReportTests
{
    private const string Rhs = "log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp";

    // A value with every character HTML must escape, and a Markdown pipe.
    private const string Nasty = "<script>alert(\"x\")</script> & 'q' | a";

    private static Table Regression() => RegressionTable.Build(
        [Estimation.Fit(TestData.Produc, Rhs), Estimation.Fit(TestData.Produc, Rhs + " | state")],
        new RegressionTableOptions
        {
            UnitColumn = "state", TimeColumn = "year", Language = TableLanguage.Zh, Title = "表2 基准回归",
            Labels = new Dictionary<string, string> { ["log(pcap)"] = "公共资本（对数）" },
        });

    private static Table Small() => new("Table 1 <Descriptive> & more", "Variable",
        [new TableColumn("Mean"), new TableColumn("SD")],
        [new RowBlock(BlockKind.Data, [new TableRow("unemp", "unemp", RowKind.Statistic, [new Cell("6.602", 6.602), new Cell("2.233", 2.233)])])],
        ["Source: Produc."]);

    // pooled: log(pcap) 0.155*** (9.036); FE: log(pc) 0.292*** (11.625); N 816; 48 states.
    private static readonly string[] Numbers = ["0.155***", "(9.036)", "0.292***", "(11.625)", "816", "48", "-0.026", "(-0.902)"];

    private static RunReportContent Content(string png = "plots/trend.png", string svg = "plots/trend.svg") => new(
        "city_nqpf — 运行 20240101-1200",
        [
            .. RunReport.RunFacts(TableLanguage.Zh, "city_nqpf", "20240101-1200", "data/produc.csv", new string('a', 64), "v3", 20240101, "0.1.0+abc",
                new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromHours(8)), new DateTimeOffset(2024, 1, 2, 3, 10, 0, TimeSpan.Zero), "completed"),
            new("Note", Nasty),
        ],
        [
            new ReportSection("指数趋势", "Index scores by region.\n\nSecond paragraph.", [new ReportChart(png, svg, "Figure 1 Index by region")]),
            new ReportSection("基准回归 & <robustness>", null, [new ReportTable(Regression()), new ReportTable(Small())]),
        ]);

    private static XDocument Parse(string html)
    {
        using var reader = XmlReader.Create(new StringReader(html), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
        return XDocument.Load(reader);
    }

    private static IEnumerable<XElement> All(XDocument doc, string name) => doc.Descendants(name);

    [Fact]
    public void SameBytesTwice_Utf8WithoutBom_LfOnly()
    {
        var h1 = RunReport.EncodeHtml(Content());
        var m1 = RunReport.EncodeMarkdown(Content());
        Assert.Equal(h1, RunReport.EncodeHtml(Content()));
        Assert.Equal(m1, RunReport.EncodeMarkdown(Content()));
        Assert.Equal("<!DOCTYPE html>\n", Encoding.UTF8.GetString(h1, 0, 16));
        Assert.Equal((byte)'#', m1[0]);
        Assert.DoesNotContain((byte)'\r', h1);
        Assert.DoesNotContain((byte)'\r', m1);
    }

    [Fact]
    public void RunFacts_OrderAndUtcTimes()
    {
        var facts = RunReport.RunFacts(TableLanguage.En, "s", "r", "d.csv", "ff", null, 7, null,
            new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromHours(8)), null, "failed");
        Assert.Equal(["Study", "Run", "Data file", "SHA-256", "Dataset version", "Seed", "Code version", "Started (UTC)", "Finished (UTC)", "Status"], facts.Select(f => f.Key));
        // 03:04:05 at UTC+8 is 19:04:05 UTC the day before.
        Assert.Equal(["s", "r", "d.csv", "ff", "—", "7", "—", "2024-01-01T19:04:05Z", "—", "failed"], facts.Select(f => f.Value));
    }

    [Fact]
    public void RunFacts_Chinese_StatusInWords()
    {
        // Issue 28: no English word in a Chinese report's header ("状态 | complete").
        string Status(string s) => RunReport.RunFacts(TableLanguage.Zh, "s", "r", "d.csv", "ff", null, 7, null, null, null, s)[^1].Value;
        Assert.Equal(["已完成", "运行中", "失败", "已取消", "other"], new[] { "complete", "running", "failed", "cancelled", "other" }.Select(Status));
        Assert.Equal("状态", RunReport.RunFacts(TableLanguage.Zh, "s", "r", "d.csv", "ff", null, 7, null, null, null, "complete")[^1].Key);
    }

    [Fact]
    public void Html_ParsesAsXml_FactsTablesImagesAndAnchors()
    {
        var content = Content();
        var doc = Parse(RunReport.Html(content));
        var html = doc.Root!;
        Assert.Equal("zh-CN", html.Attribute("lang")!.Value);
        Assert.Equal("utf-8", All(doc, "meta").First().Attribute("charset")!.Value);
        Assert.Contains("Noto Sans CJK SC", All(doc, "style").Single().Value, StringComparison.Ordinal);
        Assert.Contains("@media print", All(doc, "style").Single().Value, StringComparison.Ordinal);
        Assert.Empty(All(doc, "script"));

        // Facts first: a two-column table, one row per fact, in order; the nasty value comes back as text.
        var body = html.Element("body")!;
        var first = body.Elements().ToList();
        Assert.Equal(["h1", "table", "nav", "section", "section"], first.Select(e => e.Name.LocalName));
        var facts = first[1].Descendants("tr").Select(tr => (tr.Element("th")!.Value, tr.Element("td")!.Value)).ToList();
        Assert.Equal(content.Facts.Select(f => (f.Key, f.Value)), facts);
        Assert.Contains(("随机种子", "20240101"), facts);
        Assert.Contains(("开始（UTC）", "2024-01-01T19:04:05Z"), facts);
        Assert.Equal(Nasty, facts[^1].Item2);

        // Sections in order; the heading with '&' and '<' is text.
        var sections = body.Elements("section").ToList();
        Assert.Equal(["指数趋势", "基准回归 & <robustness>"], sections.Select(s => s.Element("h2")!.Value));
        Assert.Equal(["Index scores by region.", "Second paragraph."], sections[0].Elements("p").Select(p => p.Value));

        // The chart: img of the PNG inside a link to the SVG, caption with a second SVG link.
        var fig = sections[0].Element("figure")!;
        Assert.Equal("plots/trend.png", fig.Descendants("img").Single().Attribute("src")!.Value);
        Assert.Equal("Figure 1 Index by region", fig.Descendants("img").Single().Attribute("alt")!.Value);
        Assert.Equal(["plots/trend.svg", "plots/trend.svg"], fig.Descendants("a").Select(a => a.Attribute("href")!.Value));
        Assert.StartsWith("Figure 1 Index by region", fig.Element("figcaption")!.Value, StringComparison.Ordinal);

        // Tables: each table's every row (label and cell texts) is a row of the page, in order, under its caption.
        var tables = sections[1].Descendants("table").ToList();
        Assert.Equal(2, tables.Count);
        for (int i = 0; i < 2; i++)
        {
            var model = ((ReportTable)content.Sections[1].Items[i]).Table;
            Assert.Equal(model.Title, tables[i].Element("caption")!.Value);
            var want = model.Blocks.SelectMany(b => b.Rows).Select(r => string.Join("|", [r.Label, .. r.Cells.Select(c => c.Text)])).ToList();
            var got = tables[i].Element("tbody")!.Elements("tr").Select(tr => string.Join("|", tr.Elements("td").Select(td => td.Value))).ToList();
            Assert.Equal(want, got);
            Assert.Contains("border-top:1.5pt solid #000", tables[i].Descendants("th").First().Attribute("style")!.Value, StringComparison.Ordinal);
        }
        var cells = tables[0].Descendants("td").Select(td => td.Value).ToHashSet();
        foreach (var n in Numbers) Assert.Contains(n, cells);
        Assert.Contains("公共资本（对数）", cells);
        Assert.Equal("Table 1 <Descriptive> & more", tables[1].Element("caption")!.Value);

        // Contents: every link points at an id on the page; sections, both tables and the figure are listed.
        var ids = doc.Descendants().Select(e => e.Attribute("id")?.Value).OfType<string>().ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        var toc = body.Element("nav")!.Descendants("a").Select(a => (a.Attribute("href")!.Value, a.Value)).ToList();
        Assert.Equal(
            [("#sec-1", "指数趋势"), ("#sec-1-f1", "Figure 1 Index by region"), ("#sec-2", "基准回归 & <robustness>"), ("#sec-2-t1", "表2 基准回归"), ("#sec-2-t2", "Table 1 <Descriptive> & more")],
            toc);
        foreach (var (href, _) in toc) Assert.Contains(href[1..], ids);
    }

    [Fact]
    public void Contents_ListATableTitledAsItsSectionOnce()
    {
        // An analysis's section is headed by its table's title: the contents list it once (the section's link), then the other items.
        var content = new RunReportContent("city_nqpf", [],
        [
            new ReportSection("表2 基准回归", null, [new ReportTable(Regression()), new ReportTable(Small()), new ReportChart("plots/c.png", "plots/c.svg", "表2 基准回归：估计系数及95%置信区间")]),
        ]);
        var doc = Parse(RunReport.Html(content));
        var toc = doc.Descendants("nav").Single().Descendants("a").Select(a => (a.Attribute("href")!.Value, a.Value)).ToList();
        Assert.Equal([("#sec-1", "表2 基准回归"), ("#sec-1-t2", "Table 1 <Descriptive> & more"), ("#sec-1-f1", "表2 基准回归：估计系数及95%置信区间")], toc);
        string md = RunReport.Markdown(content);
        Assert.Contains("**目录**\n\n- [表2 基准回归](#sec-1)\n  - [Table 1 ", md, StringComparison.Ordinal);
        Assert.Contains("  - [表2 基准回归：估计系数及95%置信区间](#sec-1-f1)\n\n", md, StringComparison.Ordinal);
        Assert.DoesNotContain("](#sec-1-t1)", md, StringComparison.Ordinal);
        // The table keeps its anchor in the page.
        Assert.Contains("<a id=\"sec-1-t1\"></a>", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_EnglishLang_PathsPercentEncoded()
    {
        var doc = Parse(RunReport.Html(Content("plots/a b#1.png", "plots/a b#1.svg") with { Language = TableLanguage.En }));
        Assert.Equal("en", doc.Root!.Attribute("lang")!.Value);
        Assert.Equal("plots/a%20b%231.png", doc.Descendants("img").Single().Attribute("src")!.Value);
        Assert.Equal("Contents", doc.Descendants("nav").Single().Element("strong")!.Value);
    }

    [Fact]
    public void Markdown_FactsTablesImagesInOrder()
    {
        var content = Content();
        string md = RunReport.Markdown(content);
        Assert.StartsWith("# city_nqpf — 运行 20240101-1200\n\n| 项目 | 值 |\n|:---|:---|\n| 研究 | city_nqpf |\n", md, StringComparison.Ordinal);
        Assert.Contains("| 随机种子 | 20240101 |\n", md, StringComparison.Ordinal);
        Assert.Contains("| Note | \\<script\\>alert(\"x\")\\</script\\> \\& 'q' \\| a |\n", md, StringComparison.Ordinal);
        Assert.Contains("- [指数趋势](#sec-1)\n  - [Figure 1 Index by region](#sec-1-f1)\n", md, StringComparison.Ordinal);
        Assert.Contains("<a id=\"sec-1\"></a>\n\n## 指数趋势\n\nIndex scores by region.\n\nSecond paragraph.\n\n", md, StringComparison.Ordinal);
        Assert.Contains("![Figure 1 Index by region](plots/trend.png)\n\n*Figure 1 Index by region* ([SVG](plots/trend.svg))\n", md, StringComparison.Ordinal);
        // Both tables as the Markdown renderer prints them with their text escaped (RunReportEscapingTests), in order, after the chart.
        int chart = md.IndexOf("plots/trend.png", StringComparison.Ordinal);
        int t1 = md.IndexOf("**表2 基准回归**\n\n| ", StringComparison.Ordinal);
        int t2 = md.IndexOf("**Table 1 \\<Descriptive\\> \\& more**\n\n| Variable | Mean | SD |\n|:---|---:|---:|\n| unemp | 6.602 | 2.233 |\n\nSource: Produc.\n", StringComparison.Ordinal);
        Assert.True(chart > 0 && t1 > chart && t2 > t1, $"chart {chart}, table 1 {t1}, table 2 {t2}");
        foreach (var n in Numbers) Assert.Contains(" " + n.Replace("*", "\\*", StringComparison.Ordinal) + " |", md, StringComparison.Ordinal);
    }

    [Fact]
    public void TableFiles_LinkedUnderTheTable_ByExtension_BadPathNamed()
    {
        string[] files = ["tables/small.md", "tables/small.docx", "tables/表 1.tex"];
        var content = new RunReportContent("r", [], [new ReportSection("S", null, [new ReportTable(Small(), files), new ReportTable(Regression())])], TableLanguage.En);
        string html = RunReport.Html(content);
        // Exactly one files paragraph (the second table has none), after the first table's notes; the space and Chinese percent-encoded.
        var links = All(Parse(html), "p").Where(p => (string?)p.Attribute("class") == "de-files").ToList();
        var p = Assert.Single(links);
        Assert.Equal("Files: md · docx · tex", p.Value);
        Assert.Equal(["tables/small.md", "tables/small.docx", "tables/%E8%A1%A8%201.tex"], p.Elements("a").Select(a => (string?)a.Attribute("href")));
        Assert.True(html.IndexOf("Source: Produc.", StringComparison.Ordinal) < html.IndexOf("de-files\"", StringComparison.Ordinal));
        string md = RunReport.Markdown(content);
        Assert.Contains("Source: Produc.\n\nFiles: [md](tables/small.md) · [docx](tables/small.docx) · [tex](tables/%E8%A1%A8%201.tex)\n\n", md, StringComparison.Ordinal);
        Assert.Single(md.Split("Files: ").Skip(1));

        var bad = content with { Sections = [new ReportSection("S", null, [new ReportTable(Small(), ["tables/../x.md"])])] };
        var ex = Assert.Throws<ArgumentException>(() => RunReport.Html(bad));
        Assert.StartsWith("report section 1 'S', table 'Table 1 <Descriptive> & more': file 'tables/../x.md': expected a relative path inside the run folder", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../x.png", "plots/x.svg", "PNG path '../x.png': expected a relative path inside the run folder")]
    [InlineData("/tmp/x.png", "plots/x.svg", "PNG path '/tmp/x.png': expected a relative path inside the run folder")]
    [InlineData("plots\\x.png", "plots/x.svg", "PNG path 'plots\\x.png': expected a relative path inside the run folder")]
    [InlineData("file:x.png", "plots/x.svg", "PNG path 'file:x.png': expected a relative path inside the run folder")]
    [InlineData("plots/x.png", "plots/x.pdf", "SVG path 'plots/x.pdf': expected a .svg file")]
    [InlineData("", "plots/x.svg", "PNG path '': expected a relative path such as plots/x.png")]
    public void BadChartPath_OneLineNamingSectionAndChart(string png, string svg, string expected)
    {
        var ex = Assert.Throws<ArgumentException>(() => RunReport.Html(Content(png, svg)));
        Assert.StartsWith("report section 1 '指数趋势', chart 1: " + expected, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.Equal(ex.Message, Assert.Throws<ArgumentException>(() => RunReport.Markdown(Content(png, svg))).Message);
    }

    [Fact]
    public void Chromium_ShowsFactsTableAndTheChartImage()
    {
        var dir = Directory.CreateTempSubdirectory("de-report-");
        try
        {
            Directory.CreateDirectory(Path.Combine(dir.FullName, "plots"));
            TrendSeries[] series = [new("East", [2019, 2020, 2021], [0.2, 0.4, 0.5]), new("West", [2019, 2020, 2021], [0.1, 0.15, 0.3])];
            File.WriteAllBytes(Path.Combine(dir.FullName, "plots", "trend.png"), TrendChart.Render(series, chart: new ChartOptions { Width = 600, Height = 340 }));
            File.WriteAllBytes(Path.Combine(dir.FullName, "plots", "trend.svg"), TrendChart.Render(series, chart: new ChartOptions { Width = 600, Height = 340, Format = ChartFormat.Svg }));
            string page = Path.Combine(dir.FullName, "report.html");
            File.WriteAllBytes(page, RunReport.EncodeHtml(Content()));

            var withImage = Shot(dir.FullName, page, "with.png");
            Charts.ChartTests.Keep("report_screenshot.png", File.ReadAllBytes(Path.Combine(dir.FullName, "with.png")));
            Charts.ChartTests.Keep("report.html", File.ReadAllBytes(page));
            // The facts table: 10 run facts + the note = 11 rows, so 12 horizontal #bbb border lines, all in the top 700 px.
            var lines = Enumerable.Range(0, 700).Where(y => Enumerable.Range(0, withImage.Width).Count(x => Near(withImage.GetPixel(x, y), 0xbb, 0xbb, 0xbb)) >= 150).ToList();
            Assert.True(lines.Count == 12, $"facts table border lines at y = {string.Join(", ", lines)}");
            // The chart: the first series' Category10 blue (#1f77b4) below the facts table; the page itself has no such colour.
            var blue = Blue(withImage);
            Assert.True(blue.Count > 300, $"blue chart pixels: {blue.Count}");
            Assert.True(blue.Min(p => p.Y) > lines[^1], $"chart starts at y = {blue.Min(p => p.Y)}, facts end at {lines[^1]}");

            // Control: without the PNG the same page shows no chart pixels (so the pixels above are the image).
            File.Delete(Path.Combine(dir.FullName, "plots", "trend.png"));
            Assert.Empty(Blue(Shot(dir.FullName, page, "without.png")));
        }
        finally { dir.Delete(true); }
    }

    private static SKBitmap Shot(string dir, string page, string name)
    {
        string shot = Path.Combine(dir, name);
        var (code, output) = Tools.Screenshot(dir, page, shot, 1000, 1600);
        Assert.True(code == 0 && File.Exists(shot), "chromium failed:\n" + output);
        var bmp = SKBitmap.Decode(shot);
        Assert.Equal((1000, 1600), (bmp.Width, bmp.Height));
        return bmp;
    }

    private static List<(int X, int Y)> Blue(SKBitmap bmp)
    {
        var list = new List<(int, int)>();
        for (int y = 0; y < bmp.Height; y++) for (int x = 0; x < bmp.Width; x++) if (Near(bmp.GetPixel(x, y), 0x1f, 0x77, 0xb4)) list.Add((x, y));
        return list;
    }

    private static bool Near(SKColor c, int r, int g, int b) => Math.Abs(c.Red - r) <= 10 && Math.Abs(c.Green - g) <= 10 && Math.Abs(c.Blue - b) <= 10;
}
