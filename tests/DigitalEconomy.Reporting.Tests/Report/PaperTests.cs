using System.Text;
using DigitalEconomy.Reporting.Report;
using DigitalEconomy.Reporting.Tables;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using SkiaSharp;
using Xunit;
using W = DocumentFormat.OpenXml.Wordprocessing;

namespace DigitalEconomy.Reporting.Tests.Report;

/// <summary>paper.docx and paper.tex: every table and chart in order, numbered, wide tables on landscape pages.</summary>
public class PaperTests
{
    private static Table Narrow(string title) => new(title, "变量",
        [new TableColumn("(1)")],
        [new RowBlock(BlockKind.Coefficients, [new TableRow("数字经济", "x", RowKind.Estimate, [new Cell("0.155***", 0.155, Stars: "***")])])],
        ["注：***、**、* 分别表示在1%、5%、10%的水平上显著。"]);

    // Twelve columns of "0.1234***": 12 × (9 × 5.25 + 8) = 663 pt, wider than the 451.3 pt of text.
    private static Table Wide(string title) => new(title, "",
        [.. Enumerable.Range(1, 12).Select(i => new TableColumn($"({i})"))],
        [new RowBlock(BlockKind.Coefficients, [new TableRow("数字核心产业集聚", "x", RowKind.Estimate, [.. Enumerable.Range(1, 12).Select(_ => new Cell("0.1234***", 0.1234, Stars: "***"))])])],
        ["括号内为t值。"]);

    private static byte[] Png(int w, int h)
    {
        using var bmp = new SKBitmap(w, h);
        using (var c = new SKCanvas(bmp)) { c.Clear(SKColors.White); c.DrawLine(0, 0, w, h, new SKPaint { Color = SKColors.Black, StrokeWidth = 3 }); }
        using var data = bmp.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    // The study numbers its tables 1 and 3 (its 2 is elsewhere); the paper keeps the study's numbers (issue 28: the paper's 表9 was the
    // study's 表8), a table quoting a numbered title continues it (表3（续）), an unnumbered one follows the largest number;
    // a chart captioned with its table's title is a figure and never what a table's title quotes.
    private static RunReportContent Content() => new("city_nqpf",
        [],
        [
            new ReportSection("表1 描述性统计", null, [new ReportTable(Narrow("表1 描述性统计")), new ReportChart("plots/desc.png", "plots/desc.svg", "表1 描述性统计")]),
            new ReportSection("表3 基准回归", null, [new ReportTable(Wide("表3 基准回归")), new ReportChart("plots/coef.png", "plots/coef.svg", "表3 基准回归"), new ReportTable(Wide("组间系数差异检验：表3 基准回归"))]),
            new ReportSection("机制", null, [new ReportTable(Narrow("机制检验")), new ReportTable(Narrow("附注：表1 描述性统计"))]),
        ]);

    private static readonly Dictionary<string, byte[]> Images = new() { ["plots/coef.png"] = Png(320, 180), ["plots/desc.png"] = Png(160, 90) };

    private static readonly string[] Captions = ["表1 描述性统计", "图1 描述性统计", "表3 基准回归", "图2 基准回归", "表3（续） 组间系数差异检验：基准回归", "表4 机制检验", "表1（续） 附注：描述性统计"];

    [Fact]
    public void WidthPoints_HandCounted()
    {
        // Stub: "数字经济" 4 wide characters = 42 pt + 8; column: "0.155***" 8 half-em characters = 42 pt + 8.
        Assert.Equal(50 + 50, Paper.WidthPoints(Narrow("t")), 9);
        Assert.Equal(8 * 10.5 + 8 + 12 * (9 * 5.25 + 8), Paper.WidthPoints(Wide("t")), 9);
        Assert.False(Paper.IsWide(Narrow("t")));
        Assert.True(Paper.IsWide(Wide("t")));
        Assert.Equal(451.3, Paper.TextWidthPoints, 9);
    }

    [Fact]
    public void Items_StudyNumbersKept_QuotingTablesContinue_OthersFollow()
    {
        var items = Paper.Items(Content());
        Assert.Equal(Captions, items.Select(i => i.Caption));
        Assert.Equal([false, false, true, false, true, false, false], items.Select(i => i.Landscape));
    }

    [Fact]
    public void Docx_Validates_TitlesInOrder_LandscapeExactlyForWideTables_SameBytesTwice()
    {
        var bytes = Paper.Docx(Content(), Images);
        Assert.Equal(bytes, Paper.Docx(Content(), Images));
        using var doc = WordprocessingDocument.Open(new MemoryStream(bytes), false);
        var errors = new OpenXmlValidator().Validate(doc).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Path?.XPath}: {e.Description}")));
        var body = doc.MainDocumentPart!.Document!.Body!;
        string text = body.InnerText;
        int at = 0;
        foreach (var c in Captions)
        {
            int i = text.IndexOf(c, at, StringComparison.Ordinal);
            Assert.True(i >= 0, $"'{c}' not found after position {at}");
            at = i + c.Length;
        }
        Assert.Equal(2, doc.MainDocumentPart.ImageParts.Count());
        var tables = TableOrientations(body);
        Assert.Equal([false, true, true, false, false], tables.Select(t => t.Landscape));
        // A landscape page is the portrait one turned: 16838 × 11906 twips.
        var landscape = body.Descendants<W.PageSize>().First(p => p.Orient?.Value == W.PageOrientationValues.Landscape);
        Assert.Equal((16838U, 11906U), (landscape.Width!.Value, landscape.Height!.Value));
    }

    /// <summary>Each table of the body with the orientation of the section that holds it (a section ends at a paragraph's or the body's section properties).</summary>
    internal static List<(W.Table Table, bool Landscape)> TableOrientations(W.Body body)
    {
        var result = new List<(W.Table, bool)>();
        var pending = new List<W.Table>();
        void Close(W.SectionProperties s)
        {
            bool land = s.GetFirstChild<W.PageSize>()?.Orient?.Value == W.PageOrientationValues.Landscape;
            result.AddRange(pending.Select(t => (t, land)));
            pending.Clear();
        }
        foreach (var e in body.ChildElements)
        {
            if (e is W.Table t) pending.Add(t);
            else if (e is W.Paragraph p && p.ParagraphProperties?.GetFirstChild<W.SectionProperties>() is { } sp) Close(sp);
            else if (e is W.SectionProperties last) Close(last);
        }
        return result;
    }

    [Fact]
    public void Latex_LandscapeForWideTables_CompilesWithXelatex_NoOverfullBox()
    {
        string tex = Paper.Latex(Content());
        Assert.Contains("\\caption*{表3 基准回归}", tex, StringComparison.Ordinal);
        Assert.Contains("\\caption*{表3（续） 组间系数差异检验：基准回归}", tex, StringComparison.Ordinal);
        Assert.Contains("\\includegraphics[width=\\linewidth]{plots/coef.png}\n\\caption*{图2 基准回归}", tex, StringComparison.Ordinal);
        // Each wide table in a landscape environment; the figure between them stays on a portrait page.
        var marks = new[] { "表1 描述性统计", "\\begin{landscape}", "表3 基准回归", "\\end{landscape}", "图2 基准回归", "\\begin{landscape}", "表3（续） 组间", "\\end{landscape}", "表4 机制检验" };
        int at = 0;
        foreach (var m in marks)
        {
            int i = tex.IndexOf(m, at, StringComparison.Ordinal);
            Assert.True(i >= 0, $"'{m}' not found after position {at}");
            at = i + m.Length;
        }
        Assert.Equal(2, tex.Split("\\begin{landscape}").Length - 1);
        var dir = Directory.CreateTempSubdirectory("de-paper-");
        try
        {
            Directory.CreateDirectory(Path.Combine(dir.FullName, "plots"));
            foreach (var (path, png) in Images) File.WriteAllBytes(Path.Combine(dir.FullName, path), png);
            File.WriteAllText(Path.Combine(dir.FullName, "paper.tex"), tex, new UTF8Encoding(false));
            Assert.Null(Tools.XelatexFailure(Path.Combine(dir.FullName, "paper.tex")));
            string log = File.ReadAllText(Path.Combine(dir.FullName, "paper.log"));
            Assert.DoesNotContain("Overfull \\hbox", log, StringComparison.Ordinal);
        }
        finally { dir.Delete(true); }
    }
}

/// <summary>Display widths by East Asian Width (UAX #11).</summary>
public class TextWidthTests
{
    [Fact]
    public void WideAndFullwidthTwo_CombiningAndZeroWidthNone_OthersOne()
    {
        Assert.Equal(0, TextWidth.Cells(""));
        Assert.Equal(6, TextWidth.Cells("lq_dig"));
        Assert.Equal(8, TextWidth.Cells("数字经济"));
        // Fullwidth parentheses and colon, ideographic comma: two each; R² and χ one each.
        Assert.Equal(2 + 4 + 2 + 2 + 2, TextWidth.Cells("（滞后）：、"));
        Assert.Equal(3, TextWidth.Cells("R²χ"));
        // e + combining acute accent is one cell; a zero-width space none; 𠀀 (U+20000, a surrogate pair) two.
        Assert.Equal(1, TextWidth.Cells("e\u0301"));
        Assert.Equal(2, TextWidth.Cells("a\u200Bb"));
        Assert.Equal(2, TextWidth.Cells("\U00020000"));
        Assert.Equal(2, TextWidth.Cells("한"));
    }
}
