using System.Text;
using DigitalEconomy.Core.Regression;
using DigitalEconomy.Reporting.Tables;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using SkiaSharp;
using Xunit;

namespace DigitalEconomy.Reporting.Tests.Tables;

/// <summary>LaTeX, HTML and Word output of the Produc table (numbers from produc.json, R plm, rounded by hand).</summary>
public class PublicationFormatTests
{
    private const string Rhs = "log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp";
    private static readonly Table Zh = RegressionTable.Build(
        [Estimation.Fit(TestData.Produc, Rhs), Estimation.Fit(TestData.Produc, Rhs + " | state")],
        new RegressionTableOptions
        {
            UnitColumn = "state", TimeColumn = "year", Language = TableLanguage.Zh, R2 = R2Kind.Lsdv, Title = "表2 基准回归 & 稳健性_检验",
            Labels = new Dictionary<string, string> { ["log(pcap)"] = "公共资本（对数）" },
            ColumnGroups = ["混合OLS", "固定效应"],
        });

    // pooled: log(pcap) 0.155*** (9.036); FE: log(pc) 0.292*** (11.625); N 816; 48 states.
    private static readonly string[] Numbers = ["0.155", "(9.036)", "0.292", "(11.625)", "816", "48", "-0.026", "(-0.902)"];

    [Fact]
    public void FormatOf_NewExtensions()
    {
        Assert.Equal(TableFormat.Latex, TableRenderer.FormatOf("t.tex"));
        Assert.Equal(TableFormat.Html, TableRenderer.FormatOf("T.HTML"));
        Assert.Equal(TableFormat.Docx, TableRenderer.FormatOf("t.docx"));
        Assert.Contains("expected a .md, .csv, .tex, .html or .docx name", Assert.Throws<ArgumentException>(() => TableRenderer.FormatOf("t.xlsx")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Docx_ValidatesWithZeroErrors_HoldsNumbersAndFonts_SameBytesTwice()
    {
        var bytes = TableRenderer.Encode(Zh, TableFormat.Docx);
        Assert.Equal(bytes, TableRenderer.Encode(Zh, TableFormat.Docx));
        using var doc = WordprocessingDocument.Open(new MemoryStream(bytes), false);
        var errors = new OpenXmlValidator().Validate(doc).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Path?.XPath}: {e.Description}")));
        var body = doc.MainDocumentPart!.Document!.Body!;
        string text = string.Join("|", body.Descendants<DocumentFormat.OpenXml.Wordprocessing.Text>().Select(t => t.Text));
        foreach (var n in Numbers) Assert.Contains("|" + n.Replace("***", "", StringComparison.Ordinal), text.Replace("***", "", StringComparison.Ordinal) , StringComparison.Ordinal);
        Assert.Contains("公共资本（对数）", text, StringComparison.Ordinal);
        Assert.Contains("括号内为t值", text, StringComparison.Ordinal);
        var fonts = doc.MainDocumentPart.StyleDefinitionsPart!.Styles!.Descendants<DocumentFormat.OpenXml.Wordprocessing.RunFonts>().Single();
        Assert.Equal("SimSun", fonts.EastAsia!.Value);
        Assert.Equal("Times New Roman", fonts.Ascii!.Value);
        // Three-line rules: 12/8 pt over the header, 6/8 pt under it, 12/8 pt under the last row.
        var rows = body.Descendants<DocumentFormat.OpenXml.Wordprocessing.TableRow>().ToList();
        uint? Top(int r) => rows[r].Descendants<DocumentFormat.OpenXml.Wordprocessing.TopBorder>().FirstOrDefault()?.Size?.Value;
        uint? Bottom(int r) => rows[r].Descendants<DocumentFormat.OpenXml.Wordprocessing.BottomBorder>().LastOrDefault()?.Size?.Value;
        Assert.Equal(12U, Top(0));
        Assert.Equal(6U, Bottom(1));
        Assert.Equal(12U, Bottom(rows.Count - 1));
    }

    [Fact]
    public void Latex_EscapesSpecials_GroupsRules_Notes()
    {
        string tex = TableRenderer.Render(Zh, TableFormat.Latex);
        Assert.Contains("\\caption{表2 基准回归 \\& 稳健性\\_检验}", tex, StringComparison.Ordinal);
        Assert.Contains("公共资本（对数） & 0.155\\sym{***} & -0.026 \\\\", tex, StringComparison.Ordinal);
        Assert.Contains(" & 混合OLS & 固定效应 \\\\\n\\cmidrule(lr){2-2}\\cmidrule(lr){3-3}", tex, StringComparison.Ordinal);
        Assert.Contains("R$^{2}$（LSDV）", tex, StringComparison.Ordinal);
        Assert.Contains("\\begin{tablenotes}[flushleft]", tex, StringComparison.Ordinal);
        Assert.Contains("\\item 括号内为t值", tex, StringComparison.Ordinal);
        Assert.Equal("a\\_b \\% \\$ \\& \\# \\{\\} \\textbackslash{} \\textasciitilde{} \\textasciicircum{}", LatexRenderer.Escape("a_b % $ & # {} \\ ~ ^"));
        // Glyphs Latin Modern lacks go to math mode, adjacent ones in one $…$; an escaped \$ before them stays text.
        Assert.Equal("Hausman $\\chi^{2}$ (FE vs RE), d* $\\geq$ d, \\$$\\leq$ R$^{2}$", LatexRenderer.Escape("Hausman χ² (FE vs RE), d* ≥ d, $≤ R²"));
    }

    [Fact]
    public void Latex_CompilesWithXelatex()
    {
        var dir = Directory.CreateTempSubdirectory("de-tex-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "t.tex"), TableRenderer.Render(Zh, TableFormat.Latex), new UTF8Encoding(false));
            Assert.Null(Tools.XelatexFailure(Path.Combine(dir.FullName, "t.tex")));
        }
        finally { dir.Delete(true); }
    }

    [Fact]
    public void Html_ChromiumScreenshot_ShowsTheTable()
    {
        string html = TableRenderer.Render(Zh, TableFormat.Html);
        Assert.Contains("<meta charset=\"utf-8\">", html, StringComparison.Ordinal);
        Assert.Contains("border-top:1.5pt solid #000", html, StringComparison.Ordinal);
        Assert.Contains("<td style=\"text-align:left;padding:2px 12px 2px 4px;white-space:nowrap;\">公共资本（对数）</td>", html, StringComparison.Ordinal);
        var dir = Directory.CreateTempSubdirectory("de-html-");
        try
        {
            string page = Path.Combine(dir.FullName, "t.html"), shot = Path.Combine(dir.FullName, "shot.png");
            File.WriteAllText(page, html, new UTF8Encoding(false));
            var (code, output) = Tools.Screenshot(dir.FullName, page, shot, 800, 900);
            Assert.True(code == 0 && File.Exists(shot), "chromium failed:\n" + output);
            using var bmp = SKBitmap.Decode(shot);
            Assert.Equal((800, 900), (bmp.Width, bmp.Height));
            // The table sits top-left (24 px margin): dark pixels in the first 600 × 700 px, none below 850 px.
            Assert.True(Tools.Dark(bmp, 0, 0, 600, 700) > 2000, $"dark pixels in the table area: {Tools.Dark(bmp, 0, 0, 600, 700)}");
            Assert.Equal(0, Tools.Dark(bmp, 0, 850, 800, 900));
            // The top rule: a row of dark pixels at least 200 px long somewhere in the top 150 px.
            Assert.True(Tools.HasRule(bmp, 24, 424, 0, 150, 200), "no horizontal rule in the top 150 px");
        }
        finally { dir.Delete(true); }
    }
}
