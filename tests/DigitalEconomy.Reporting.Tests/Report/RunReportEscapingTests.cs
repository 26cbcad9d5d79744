using System.Xml;
using System.Xml.Linq;
using DigitalEconomy.Reporting.Report;
using DigitalEconomy.Reporting.Tables;
using Xunit;

namespace DigitalEconomy.Reporting.Tests.Report;

/// <summary>
/// Labels come from studies and data files: in report.md and report.html a label is text, never markup —
/// no raw HTML element, no emphasis or link made of its characters, no extra table cell from its '|'.
/// </summary>
public class RunReportEscapingTests
{
    private const string Script = "<script>alert(1)</script>";
    private const string Img = "<img src=x onerror=alert(1)>";
    private const string Specials = "a|b *bold* _em_ snake_case [link](http://x) `code` &amp; ~~gone~~";

    private static Table Labelled() => new($"Table {Script}", $"Variable {Img}",
        [new TableColumn($"Mean {Script}", Label: $"({Img})"), new TableColumn("SD | *sd*")],
        [new RowBlock(BlockKind.Data,
        [
            new TableRow(Script, "x1", RowKind.Statistic, [new Cell("0.155***", 0.155), new Cell("2.233", 2.233)]),
            new TableRow(Img, "x2", RowKind.Statistic, [new Cell(Specials), new Cell("-1.5")]),
        ])],
        [$"Note: {Script}", "# not a heading", "- not a list", "1. not a list either"]);

    private static RunReportContent Content() => new(
        $"study {Script}",
        [new ReportFact("Study", $"{Img} {Specials}")],
        [
            new ReportSection($"Section {Img}", $"Text {Script}\n# not a heading either\n\nSecond {Specials}", [new ReportTable(Labelled())]),
            new ReportSection("Charts", null, [new ReportChart("plots/x.png", "plots/x.svg", $"Figure {Img} *x*")]),
        ],
        TableLanguage.En);

    [Fact]
    public void Markdown_HasNoRawHtml_NoEmphasis_AndOneCellPerColumn()
    {
        string md = RunReport.Markdown(Content());
        // Our own anchors are the only HTML left.
        string withoutAnchors = System.Text.RegularExpressions.Regex.Replace(md, "<a id=\"sec-[0-9a-z-]+\"></a>", "");
        Assert.DoesNotContain("<", withoutAnchors.Replace("\\<", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", md, StringComparison.Ordinal);
        Assert.StartsWith("# study \\<script\\>alert(1)\\</script\\>\n\n", md, StringComparison.Ordinal);
        Assert.Contains("| Study | \\<img src=x onerror=alert(1)\\> a\\|b \\*bold\\* \\_em\\_ snake_case \\[link\\](http://x) \\`code\\` \\&amp; \\~\\~gone\\~\\~ |\n", md, StringComparison.Ordinal);
        Assert.Contains("- [Section \\<img src=x onerror=alert(1)\\>](#sec-1)\n  - [Table \\<script\\>alert(1)\\</script\\>](#sec-1-t1)\n", md, StringComparison.Ordinal);
        Assert.Contains("## Section \\<img src=x onerror=alert(1)\\>\n\nText \\<script\\>alert(1)\\</script\\>\n\\# not a heading either\n\nSecond a\\|b \\*bold\\*", md, StringComparison.Ordinal);
        // The table: its title and notes escaped, every cell escaped, '|' in a cell escaped once (still one cell), the stars of a number escaped.
        Assert.Contains("**Table \\<script\\>alert(1)\\</script\\>**\n\n", md, StringComparison.Ordinal);
        Assert.Contains("| Variable \\<img src=x onerror=alert(1)\\> | Mean \\<script\\>alert(1)\\</script\\> | SD \\| \\*sd\\* |\n", md, StringComparison.Ordinal);
        Assert.Contains("| \\<script\\>alert(1)\\</script\\> | 0.155\\*\\*\\* | 2.233 |\n", md, StringComparison.Ordinal);
        Assert.Contains("| \\<img src=x onerror=alert(1)\\> | a\\|b \\*bold\\* \\_em\\_ snake_case \\[link\\](http://x) \\`code\\` \\&amp; \\~\\~gone\\~\\~ | -1.5 |\n", md, StringComparison.Ordinal);
        Assert.Contains("\nNote: \\<script\\>alert(1)\\</script\\>\n\\# not a heading\n\\- not a list\n1\\. not a list either\n", md, StringComparison.Ordinal);
        Assert.Contains("![Figure \\<img src=x onerror=alert(1)\\> \\*x\\*](plots/x.png)\n\n*Figure \\<img src=x onerror=alert(1)\\> \\*x\\** ([SVG](plots/x.svg))\n", md, StringComparison.Ordinal);
        // Every row of the table has the columns' count of unescaped '|' (stub + 2 columns → 4).
        foreach (var line in md.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal) && !l.StartsWith("| Study", StringComparison.Ordinal) && !l.StartsWith("| Fact", StringComparison.Ordinal) && !l.StartsWith("|:---|:---|", StringComparison.Ordinal)))
            Assert.Equal(4, System.Text.RegularExpressions.Regex.Count(line, @"(?<!\\)\|"));
    }

    [Fact]
    public void TheTableFile_Markdown_IsEscapedAsInTheReport()
    {
        // tables/NAME.md is the same table on its own: the same escaping, not raw labels.
        string md = TableRenderer.Render(Labelled(), TableFormat.Markdown);
        Assert.StartsWith("**Table \\<script\\>alert(1)\\</script\\>**\n\n| Variable \\<img src=x onerror=alert(1)\\> | Mean \\<script\\>alert(1)\\</script\\> | SD \\| \\*sd\\* |\n", md, StringComparison.Ordinal);
        Assert.Contains("| \\<script\\>alert(1)\\</script\\> | 0.155\\*\\*\\* | 2.233 |\n", md, StringComparison.Ordinal);
        Assert.EndsWith("\nNote: \\<script\\>alert(1)\\</script\\>\n\\# not a heading\n\\- not a list\n1\\. not a list either\n", md, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_HasNoElementFromALabel()
    {
        string html = RunReport.Html(Content());
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img src=x", html, StringComparison.OrdinalIgnoreCase);
        using var reader = XmlReader.Create(new StringReader(html), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
        var doc = XDocument.Load(reader);
        // The one img is the chart's; the labels are text.
        Assert.Equal("plots/x.png", Assert.Single(doc.Descendants("img")).Attribute("src")!.Value);
        Assert.Empty(doc.Descendants("script"));
        Assert.Equal($"study {Script}", doc.Descendants("h1").Single().Value);
        Assert.Contains(doc.Descendants("th").Concat(doc.Descendants("td")), e => e.Value == Script);
        Assert.Contains(doc.Descendants("td"), e => e.Value == Specials);
    }
}
