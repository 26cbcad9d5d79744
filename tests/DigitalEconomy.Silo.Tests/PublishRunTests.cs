using System.Text;
using System.Xml;
using System.Xml.Linq;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using SkiaSharp;
using Xunit;
using W = DocumentFormat.OpenXml.Wordprocessing;

namespace DigitalEconomy.Silo.Tests;

/// <summary>One embedded run of the shipped study studies/city_nqpf.yaml (with examples/cities.csv), shared by the tests of <see cref="PublishRunTests"/>.</summary>
public sealed class CityNqpfRun : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("de-publish-").FullName;

    public string RunDir { get; }

    public CityNqpfRun()
    {
        string study = Path.Combine(AppContext.BaseDirectory, "shipped", "studies", "city_nqpf.yaml");
        var (code, output, err) = De.Run("run", study, "--out", Path.Combine(Root, "out"));
        if (code != 0) throw new InvalidOperationException($"de run {study} failed ({code}): {err}");
        RunDir = De.RunDir(output);
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

/// <summary>
/// What a whole run of the shipped study publishes (issue 12's acceptance): every table in md, csv, tex, html and
/// docx, each .tex compiling with xelatex, each .docx valid, each .html showing its table in headless chromium,
/// every chart in PNG and SVG, and report.html linking all of them.
/// </summary>
public class PublishRunTests(CityNqpfRun run) : IClassFixture<CityNqpfRun>
{
    // The study's eleven analyses give 13 tables (heterogeneity adds a table of pairwise differences), the grid one more.
    private static readonly string[] TableStems =
    [
        "correlations", "descriptives", "iv", "mechanism_alloc", "mechanism_tech", "mechanism_upgrade", "ols_re_fe",
        "region", "region_differences", "robustness", "specifications", "stepwise", "tier", "tier_differences",
    ];

    // Coefficient plots of the two heterogeneity analyses and the robustness battery, permutation distributions of the two, the specification curve (no bootstrap or curve inference in the study).
    private static readonly string[] ChartStems =
    [
        "region_coefficients", "region_permutations", "robustness_coefficients", "specification_curve", "tier_coefficients", "tier_permutations",
    ];

    private static readonly string[] TableExtensions = [".csv", ".docx", ".html", ".md", ".tex"];

    private static readonly string[] PaperFiles = ["paper.docx", "paper.tex", "paper.pdf"];

    // The paper's tables in the study's order with the study's numbers (issue 28: the paper's 表9 was the study's 表8): each
    // differences table continues its heterogeneity table, the grid's unnumbered table follows the study's last number.
    private static readonly string[] PaperTables =
    [
        "表1 描述性统计", "表2 相关系数矩阵", "表3 基准回归（逐步加入控制变量）", "表4 混合OLS、随机效应与固定效应", "表5 内生性检验：工具变量（滞后一期，两步GMM）",
        "表6 稳健性检验", "表7 区域异质性", "表7（续） 组间系数差异检验：区域异质性", "表8 城市等级异质性", "表8（续） 组间系数差异检验：城市等级异质性",
        "表9 机制检验：技术突破", "表10 机制检验：要素配置", "表11 机制检验：产业结构升级", "表12 city_nqpf：设定网格：基准设定与单维度变化",
    ];

    // The paper's figures: a coefficient plot is captioned by its table's title and what it shows.
    private static readonly string[] PaperFigures =
    [
        "图1 稳健性检验：估计系数及95%置信区间", "图2 区域异质性：估计系数及95%置信区间", "图3 区域异质性：组间差异的置换分布",
        "图4 城市等级异质性：估计系数及95%置信区间", "图5 城市等级异质性：组间差异的置换分布", "图6 设定曲线",
    ];

    [Fact]
    public void SpecificationCurve_OfAChineseStudy_SpeaksChinese()
    {
        // 288 specifications in 160 columns: the rank axis explains the shading, in the study's language; the choice
        // panel names its dimensions and yes/no choices with the tables' words (issue 28 point 10).
        var svg = XDocument.Load(Path.Combine(run.RunDir, "plots", "specification_curve.svg"));
        // Skia's SVG writes some ideographs as the Kangxi radicals of the same glyph (色 as ⾊, 方 as ⽅): mapped back here by
        // their compatibility decomposition (NFKC; string.Normalize does not map them under invariant globalization).
        const string Kangxi = "一丨丶丿乙亅二亠人儿入八冂冖冫几凵刀力勹匕匚匸十卜卩厂厶又口囗土士夂夊夕大女子宀寸小尢尸屮山巛工己巾干幺广廴廾弋弓彐彡彳心戈戶手支攴文斗斤方无日曰月木欠止歹殳毋比毛氏气水火爪父爻爿片牙牛犬玄玉瓜瓦甘生用田疋疒癶白皮皿目矛矢石示禸禾穴立竹米糸缶网羊羽老而耒耳聿肉臣自至臼舌舛舟艮色艸虍虫血行衣襾見角言谷豆豕豸貝赤走足身車辛辰辵邑酉釆里金長門阜隶隹雨靑非面革韋韭音頁風飛食首香馬骨高髟鬥鬯鬲鬼魚鳥鹵鹿麥麻黃黍黑黹黽鼎鼓鼠鼻齊齒龍龜龠";
        static string K(string t) => string.Concat(t.Select(ch => ch is >= '\u2F00' and <= '\u2FD5' ? Kangxi[ch - '\u2F00'] : ch));
        var texts = svg.Descendants().Where(e => e.Name.LocalName == "text").Select(e => K(e.Value.Trim())).ToHashSet(StringComparer.Ordinal);
        string rank = texts.FirstOrDefault(t => t.StartsWith("按估计值排序的设定", StringComparison.Ordinal)) ?? "";
        Assert.True(rank == K("按估计值排序的设定（每列约1.8个设定；颜色深浅为具有该选择的设定所占比例）"), "rank axis: " + rank);
        foreach (var zh in new[] { "95%置信区间", "[被解释变量]", "[控制变量]", "[方差估计]", "[缩尾处理]", "[滞后一期]", "是", "否", "城市层面聚类稳健", "异方差稳健" })
            Assert.Contains(K(zh), texts);
        foreach (var en in new[] { "[vcov]", "[outcome]", "[lag]", "yes", "no", "95% CI", "cluster:city", "hc1" })
            Assert.DoesNotContain(en, texts);
        Assert.DoesNotContain(texts, t => t.Contains("one column", StringComparison.Ordinal) || t.Contains("city_nqpf:", StringComparison.Ordinal));
    }

    // Raw option syntax: clusters, HC/iid variance names, FE interactions (province^year), FE formulas (city + year), lag().
    private static readonly System.Text.RegularExpressions.Regex[] Syntax =
    [
        new("cluster:"), new(@"\bhc[0-3]\b"), new(@"\biid\b"), new(@"[A-Za-z_]\^[A-Za-z_]"), new(@"\b[a-z_]+ \+ [a-z_]+\b"), new(@"\blag\("),
    ];

    private static readonly System.Text.RegularExpressions.Regex Words = new(@"[A-Za-z][A-Za-z'-]*(?:[ ,;:()]+[A-Za-z][A-Za-z'-]*){2,}");

    /// <summary>
    /// What a Chinese text must not hold: option syntax, an English sentence (three or more words of which two are lowercase
    /// words of three letters or more: "one column ≈ 1.8 specifications", not "KP rk Wald F" or "FE vs RE"), a Kangxi radical
    /// written for an ideograph, and — in a cell of its own — a bare lowercase name (basic, none, complete) other than the study's.
    /// </summary>
    private static IEnumerable<string> NotChinese(string where, string text, IEnumerable<string> cells)
    {
        foreach (var r in Syntax)
            foreach (System.Text.RegularExpressions.Match m in r.Matches(text))
                yield return $"{where}: syntax '{text.Substring(Math.Max(0, m.Index - 20), Math.Min(text.Length, m.Index + m.Length + 20) - Math.Max(0, m.Index - 20))}'";
        foreach (System.Text.RegularExpressions.Match m in Words.Matches(text))
            if (System.Text.RegularExpressions.Regex.Matches(m.Value, "[A-Za-z][A-Za-z'-]*").Count(w => char.IsLower(w.Value[0]) && w.Value.Length >= 3) >= 2)
                yield return $"{where}: English '{m.Value}'";
        if (text.Any(c => c is >= '\u2F00' and <= '\u2FDF')) yield return $"{where}: Kangxi radicals '{string.Concat(text.Where(c => c is >= '\u2F00' and <= '\u2FDF').Distinct())}'";
        foreach (var c in cells.Select(c => c.Trim()).Where(c => c != "city_nqpf" && System.Text.RegularExpressions.Regex.IsMatch(c, "^[a-z][a-z_]{2,}$")).Distinct())
            yield return $"{where}: name '{c}'";
    }

    private static string LatexText(string tex)
    {
        // The document's text without LaTeX: superscripts ($^{***}$, R$^{2}$), environments with their arguments, commands with
        // a name, number, length or file argument (\multicolumn{3}{c}{…} keeps its text).
        tex = tex[Math.Max(0, tex.IndexOf("\\begin{document}", StringComparison.Ordinal))..];
        tex = System.Text.RegularExpressions.Regex.Replace(tex, @"\$\^\{[^}]*\}\$", "");
        tex = System.Text.RegularExpressions.Regex.Replace(tex, @"\\begin\{\w+\}(\{[^}]*\}|\[[^\]]*\])*", "");
        return System.Text.RegularExpressions.Regex.Replace(tex, @"\\[a-zA-Z]+\*?(\[[^\]]*\])?(\{(?:[a-zA-Z]+|\d[^}]*|[^}]*\.png)\})?", "");
    }

    [Fact]
    public void ChineseStudy_NoTableNoteReportOrChartText_HoldsOptionSyntaxOrEnglish()
    {
        // Issue 28's acceptance: every table (md, html, tex, docx), every note, the report, the paper and every chart's SVG text.
        var found = new List<string>();
        string Rel(string f) => Path.GetRelativePath(run.RunDir, f);
        var tables = Directory.GetFiles(Path.Combine(run.RunDir, "tables"));
        foreach (var f in tables.Where(f => f.EndsWith(".md", StringComparison.Ordinal)).Append(Path.Combine(run.RunDir, "report.md")))
        {
            string md = File.ReadAllText(f);
            found.AddRange(NotChinese(Rel(f), md, md.Split('\n').Where(l => l.StartsWith('|')).SelectMany(l => l.Trim('|').Split('|'))));
        }
        foreach (var f in tables.Where(f => f.EndsWith(".html", StringComparison.Ordinal)).Append(Path.Combine(run.RunDir, "report.html")))
        {
            // HTML5 (a <meta> is not closed): the body's text and its cells with the tags taken out.
            string html = File.ReadAllText(f);
            html = html[html.IndexOf("<body", StringComparison.Ordinal)..];
            static string Text(string h) => System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(h, "<[^>]+>", " "));
            found.AddRange(NotChinese(Rel(f), Text(html),
                System.Text.RegularExpressions.Regex.Matches(html, "<t[dh][^>]*>(.*?)</t[dh]>", System.Text.RegularExpressions.RegexOptions.Singleline).Select(m => Text(m.Groups[1].Value))));
        }
        foreach (var f in tables.Where(f => f.EndsWith(".docx", StringComparison.Ordinal)).Append(Path.Combine(run.RunDir, "paper.docx")))
        {
            using var doc = WordprocessingDocument.Open(f, false);
            var body = doc.MainDocumentPart!.Document!.Body!;
            found.AddRange(NotChinese(Rel(f), string.Join("\n", body.Descendants<W.Paragraph>().Select(p => p.InnerText)), body.Descendants<W.TableCell>().Select(c => c.InnerText)));
        }
        foreach (var f in tables.Where(f => f.EndsWith(".tex", StringComparison.Ordinal)).Append(Path.Combine(run.RunDir, "paper.tex")))
            found.AddRange(NotChinese(Rel(f), LatexText(File.ReadAllText(f)), []));
        foreach (var f in Directory.GetFiles(Path.Combine(run.RunDir, "plots"), "*.svg"))
        {
            var texts = XDocument.Load(f).Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value).ToList();
            found.AddRange(NotChinese(Rel(f), string.Join("\n", texts), texts));
        }
        Assert.True(found.Count == 0, string.Join("\n", found.Distinct().Take(40)));
        // What a journal prints instead, where the run printed syntax or English before.
        string T(string stem) => File.ReadAllText(Path.Combine(run.RunDir, "tables", stem + ".md"));
        Assert.Contains("\n| Hausman检验χ² |  |  | ", T("ols_re_fe"), StringComparison.Ordinal);
        Assert.Contains("\n| 分组 | 系数差异 | 标准误 | 组间系数差异检验p值（Chow） |", T("region_differences"), StringComparison.Ordinal);
        Assert.Contains("\n| 控制变量 | 无 | 无 | 部分控制变量 | 全部控制变量 | 无 |", T("specifications"), StringComparison.Ordinal);
        Assert.Contains("\n| 固定效应 | 城市、年份 | 城市、年份 | 城市、年份 | 城市、年份 | 城市 | 城市、年份 |", T("specifications"), StringComparison.Ordinal);
        Assert.Contains("\n| 样本 | 全样本 | 全样本 | 全样本 | 全样本 | 全样本 | 东部城市 | 剔除试点城市 |", T("specifications"), StringComparison.Ordinal);
        Assert.Contains("\n| 状态 | 已完成 |\n", File.ReadAllText(Path.Combine(run.RunDir, "report.md")), StringComparison.Ordinal);
        var curve = XDocument.Load(Path.Combine(run.RunDir, "plots", "specification_curve.svg")).Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value.Trim()).ToHashSet(StringComparer.Ordinal);
        foreach (var zh in new[] { "[滞后一期]", "[方差估计]", "城市层面聚类稳健", "城市、年份", "部分控制变量", "剔除试点城市" }) Assert.Contains(zh, curve);
    }

    [Fact]
    public void ReportHeader_StartAndEndFromTheManifest_ContentsListEachTableOnce()
    {
        var m = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(run.RunDir, "manifest.json")))!;
        string started = m["started_utc"]!.GetValue<string>(), finished = m["finished_utc"]!.GetValue<string>();
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", started);
        Assert.True(string.CompareOrdinal(started, finished) <= 0, $"started {started}, finished {finished}");
        string md = File.ReadAllText(Path.Combine(run.RunDir, "report.md"));
        Assert.Contains($"| 开始（UTC） | {started} |\n| 结束（UTC） | {finished} |\n", md, StringComparison.Ordinal);
        Assert.Contains($"<th scope=\"row\">开始（UTC）</th><td>{started}</td>", File.ReadAllText(Path.Combine(run.RunDir, "report.html")), StringComparison.Ordinal);
        // Each table title once in the contents: the stepwise table's section is headed by it.
        string contents = md[md.IndexOf("**目录**", StringComparison.Ordinal)..md.IndexOf("<a id=\"sec-1\">", StringComparison.Ordinal)];
        foreach (var stem in TableStems)
        {
            string title = File.ReadAllText(Path.Combine(run.RunDir, "tables", stem + ".md")).Split('\n')[0].Trim('*');
            int count = contents.Split("[" + title + "](").Length - 1;
            Assert.True(count == 1, $"report.md contents: '{title}' {count} times");
        }
    }

    /// <summary>
    /// The natural width in points of a .docx table as Word lays out no-wrap cells in 10.5 pt: per grid column the widest
    /// unspanned cell, a wide (CJK, fullwidth) character 10.5 pt and any other 5.25 pt, plus 8 pt of cell margins.
    /// </summary>
    private static double DocxTableWidth(W.Table table)
    {
        var widths = new Dictionary<int, double>();
        foreach (var row in table.Elements<W.TableRow>())
        {
            int col = 0;
            foreach (var cell in row.Elements<W.TableCell>())
            {
                int span = cell.TableCellProperties?.GetFirstChild<W.GridSpan>()?.Val?.Value ?? 1;
                if (span == 1)
                {
                    double w = cell.InnerText.Sum(ch => ch >= 0x2E80 && ch <= 0x9FFF || ch >= 0xFF00 && ch <= 0xFF60 ? 10.5 : 5.25) + 8;
                    widths[col] = Math.Max(widths.GetValueOrDefault(col), w);
                }
                col += span;
            }
        }
        return widths.Values.Sum();
    }

    /// <summary>Each table of the body with the orientation of the section that holds it (a section ends at a paragraph's or the body's section properties).</summary>
    private static List<(W.Table Table, bool Landscape)> TableOrientations(W.Body body)
    {
        var result = new List<(W.Table, bool)>();
        var pending = new List<W.Table>();
        foreach (var e in body.ChildElements)
        {
            var sp = e is W.Paragraph p ? p.ParagraphProperties?.GetFirstChild<W.SectionProperties>() : e as W.SectionProperties;
            if (e is W.Table t) pending.Add(t);
            else if (sp is not null)
            {
                bool land = sp.GetFirstChild<W.PageSize>()?.Orient?.Value == W.PageOrientationValues.Landscape;
                result.AddRange(pending.Select(x => (x, land)));
                pending.Clear();
            }
        }
        return result;
    }

    [Fact]
    public void PaperDocx_Validates_EveryTableAndFigureInOrder_LandscapeExactlyForWideTables()
    {
        using var doc = WordprocessingDocument.Open(Path.Combine(run.RunDir, "paper.docx"), false);
        var errors = new OpenXmlValidator().Validate(doc).ToList();
        Assert.True(errors.Count == 0, "paper.docx: " + string.Join("\n", errors.Select(e => $"{e.Path?.XPath}: {e.Description}")));
        var body = doc.MainDocumentPart!.Document!.Body!;
        // Each table's title is the paragraph right before it; each figure's caption the paragraph right after its image.
        var tables = body.Elements<W.Table>().ToList();
        Assert.Equal(PaperTables, tables.Select(t => t.PreviousSibling<W.Paragraph>()!.InnerText));
        var figures = body.Elements<W.Paragraph>().Where(p => p.Descendants<W.Drawing>().Any()).ToList();
        Assert.Equal(PaperFigures, figures.Select(p => p.NextSibling<W.Paragraph>()!.InnerText));
        Assert.Equal(ChartStems.Length, doc.MainDocumentPart.ImageParts.Count());
        // Landscape sections hold exactly the tables wider than the 451.3 pt of text of a portrait A4 page.
        var orientation = TableOrientations(body);
        Assert.Equal(tables.Count, orientation.Count);
        var wrong = orientation.Select((o, i) => (PaperTables[i], Width: DocxTableWidth(o.Table), o.Landscape)).Where(x => x.Landscape != x.Width > 451.3).ToList();
        Assert.True(wrong.Count == 0, "paper.docx: " + string.Join("; ", wrong.Select(w => $"{w.Item1}: {w.Width:0.0} pt, landscape {w.Landscape}")));
        Assert.Contains(orientation, o => o.Landscape);
        Assert.False(orientation[0].Landscape, "the descriptive table fits a portrait page");
    }

    [Fact]
    public void PaperTex_CompilesWithXelatex_NoOverfullBox_AndThePdfWasWritten()
    {
        Assert.True(new FileInfo(Path.Combine(run.RunDir, "paper.pdf")).Length > 100_000, "paper.pdf");
        string tex = File.ReadAllText(Path.Combine(run.RunDir, "paper.tex"));
        foreach (var list in new[] { PaperTables, PaperFigures })
        {
            int at = 0;
            foreach (var caption in list.Select(c => "\\caption*{" + c.Replace("_", "\\_", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal) + "}"))
            {
                int i = tex.IndexOf(caption, at, StringComparison.Ordinal);
                Assert.True(i >= 0, $"paper.tex: no {caption} after position {at}");
                at = i + caption.Length;
            }
        }
        string dir = Path.Combine(run.Root, "paper");
        Directory.CreateDirectory(Path.Combine(dir, "plots"));
        File.WriteAllText(Path.Combine(dir, "paper.tex"), tex, new UTF8Encoding(false));
        foreach (var stem in ChartStems) File.Copy(Path.Combine(run.RunDir, "plots", stem + ".png"), Path.Combine(dir, "plots", stem + ".png"));
        Assert.Null(Tools.XelatexFailure(Path.Combine(dir, "paper.tex")));
        string log = File.ReadAllText(Path.Combine(dir, "paper.log"));
        Assert.DoesNotContain("Overfull \\hbox", log, StringComparison.Ordinal);
    }

    private string[] Files(string folder) =>
        [.. Directory.GetFiles(Path.Combine(run.RunDir, folder)).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    [Fact]
    public void EveryTableInFiveFormats_EveryChartInPngAndSvg()
    {
        Assert.Equal(TableStems.SelectMany(s => TableExtensions.Select(e => s + e)).Order(StringComparer.Ordinal), Files("tables"));
        Assert.Equal(ChartStems.SelectMany(s => new[] { s + ".png", s + ".svg" }).Order(StringComparer.Ordinal), Files("plots"));
        foreach (var stem in ChartStems)
        {
            using var png = SKBitmap.Decode(Path.Combine(run.RunDir, "plots", stem + ".png"));
            Assert.True(png is { Width: 1600, Height: >= 900 }, $"{stem}.png: {png?.Width}×{png?.Height}");
            var svg = XDocument.Load(Path.Combine(run.RunDir, "plots", stem + ".svg"));
            Assert.Equal("svg", svg.Root!.Name.LocalName);
            Assert.Equal("1600", (string?)svg.Root.Attribute("width"));
        }
    }

    [Fact]
    public void SpecificationTable_BaselineAndEveryOneChoiceDeparture_InTheStudyLanguage()
    {
        string md = File.ReadAllText(Path.Combine(run.RunDir, "tables", "specifications.md"));
        var lines = md.Split('\n');
        Assert.Equal("**city_nqpf：设定网格：基准设定与单维度变化**", lines[0]);
        // 2 outcomes × 3 control sets × 2 FE × 3 samples × 2 × 2 × 2 vcov = 288 specifications; the baseline and
        // 1 + 2 + 1 + 2 + 1 + 1 + 1 one-choice departures = 10 columns, grouped by the dimension they change.
        Assert.Equal("|  | (1) | (2) | (3) | (4) | (5) | (6) | (7) | (8) | (9) | (10) |", lines[2]);
        Assert.Equal("|  | 基准 | 被解释变量 | 控制变量 | 控制变量 | 固定效应 | 样本 | 样本 | 缩尾处理 | 滞后一期 | 方差估计 |", lines[4]);
        Assert.StartsWith("| 数字核心产业集聚 | ", lines[5], StringComparison.Ordinal);
        Assert.Contains("| 被解释变量 | 新质生产力 | 新质生产力（主成分） | 新质生产力 |", md, StringComparison.Ordinal);
        Assert.Contains("| 方差估计 | 城市层面聚类稳健 | 城市层面聚类稳健 | 城市层面聚类稳健 | 城市层面聚类稳健 | 城市层面聚类稳健 | 城市层面聚类稳健 | 城市层面聚类稳健 | 城市层面聚类稳健 | 城市层面聚类稳健 | 异方差稳健 |", md, StringComparison.Ordinal);
        Assert.Contains("\n括号内为t值；", md, StringComparison.Ordinal);
        Assert.Contains("\n网格共288个设定（specs.parquet），其中0个无法估计", md, StringComparison.Ordinal);
        // The same table in the other formats: the CSV's third line, the HTML caption, the Word document's text.
        Assert.Equal(",基准,被解释变量,控制变量,控制变量,固定效应,样本,样本,缩尾处理,滞后一期,方差估计", File.ReadAllText(Path.Combine(run.RunDir, "tables", "specifications.csv")).Split('\n')[2]);
        Assert.Contains("设定网格：基准设定与单维度变化</caption>", File.ReadAllText(Path.Combine(run.RunDir, "tables", "specifications.html")), StringComparison.Ordinal);
        Assert.Contains("\\caption{city\\_nqpf：设定网格：基准设定与单维度变化}", File.ReadAllText(Path.Combine(run.RunDir, "tables", "specifications.tex")), StringComparison.Ordinal);
    }

    [Fact]
    public void EveryTex_CompilesWithXelatex()
    {
        string work = Path.Combine(run.Root, "tex");
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        // xelatex spends most of a run loading fonts from disk, so three at a time cost little on two cores.
        Parallel.ForEach(TableStems, new ParallelOptions { MaxDegreeOfParallelism = 3 }, stem =>
        {
            string dir = Path.Combine(work, stem);
            Directory.CreateDirectory(dir);
            File.Copy(Path.Combine(run.RunDir, "tables", stem + ".tex"), Path.Combine(dir, stem + ".tex"));
            if (Tools.XelatexFailure(Path.Combine(dir, stem + ".tex")) is { } failure) failures.Add(failure);
        });
        Assert.True(failures.IsEmpty, string.Join("\n\n", failures));
    }

    [Fact]
    public void EveryDocx_ValidatesWithZeroErrors_AndHoldsItsTable()
    {
        foreach (var stem in TableStems)
        {
            using var doc = WordprocessingDocument.Open(Path.Combine(run.RunDir, "tables", stem + ".docx"), false);
            var errors = new OpenXmlValidator().Validate(doc).ToList();
            Assert.True(errors.Count == 0, $"{stem}.docx: " + string.Join("\n", errors.Select(e => $"{e.Path?.XPath}: {e.Description}")));
            // One table whose first data row starts with the Markdown's first data row label.
            var body = doc.MainDocumentPart!.Document!.Body!;
            var table = Assert.Single(body.Descendants<W.Table>());
            string title = File.ReadAllText(Path.Combine(run.RunDir, "tables", stem + ".md")).Split('\n')[0].Trim('*');
            Assert.Contains(title, body.InnerText, StringComparison.Ordinal);
            Assert.True(table.Descendants<W.TableRow>().Count() >= 3, $"{stem}.docx: {table.Descendants<W.TableRow>().Count()} rows");
        }
    }

    [Fact]
    public void EveryHtml_ChromiumScreenshot_ShowsTheTable()
    {
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        // Chromium mostly waits while it starts, so three at a time (each with its own profile) cost little on two cores.
        Parallel.ForEach(TableStems, new ParallelOptions { MaxDegreeOfParallelism = 3 }, stem =>
        {
            string work = Path.Combine(run.Root, "html", stem);
            Directory.CreateDirectory(work);
            string page = Path.Combine(run.RunDir, "tables", stem + ".html"), shot = Path.Combine(work, "shot.png");
            var (code, output) = Tools.Screenshot(work, page, shot, 1400, 1000);
            if (code != 0 || !File.Exists(shot)) { failures.Add($"{stem}.html: chromium failed:\n{output}"); return; }
            using var bmp = SKBitmap.Decode(shot);
            // The table sits top-left (24 px margin): text in the first 1,000 × 700 px and the top rule of the three-line table in the top 150 px.
            int dark = Tools.Dark(bmp, 0, 0, 1000, 700);
            if ((bmp.Width, bmp.Height) != (1400, 1000)) failures.Add($"{stem}.html: screenshot {bmp.Width}×{bmp.Height}");
            else if (dark <= 2000) failures.Add($"{stem}.html: {dark} dark pixels in the table area");
            else if (!Tools.HasRule(bmp, 24, 424, 0, 150, 200)) failures.Add($"{stem}.html: no horizontal rule in the top 150 px");
        });
        Assert.True(failures.IsEmpty, string.Join("\n", failures));
    }

    [Fact]
    public void Report_LinksEveryTableAndChartFile_AndShowsEveryTable()
    {
        string html = File.ReadAllText(Path.Combine(run.RunDir, "report.html"));
        XDocument doc;
        using (var reader = XmlReader.Create(new StringReader(html), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore })) doc = XDocument.Load(reader);
        var referenced = doc.Descendants().SelectMany(e => new[] { (string?)e.Attribute("href"), (string?)e.Attribute("src") })
            .Where(v => v is not null && !v.StartsWith('#')).Select(v => Uri.UnescapeDataString(v!)).ToHashSet(StringComparer.Ordinal);
        // The whole paper (issue 28, point 5) is linked beside the facts: the test machine has xelatex, so paper.pdf too.
        var files = Files("tables").Select(f => "tables/" + f).Concat(Files("plots").Select(f => "plots/" + f)).Concat(PaperFiles.Where(f => File.Exists(Path.Combine(run.RunDir, f)))).ToList();
        Assert.Equal(TableStems.Length * 5 + ChartStems.Length * 2 + PaperFiles.Length, files.Count);
        var unlinked = files.Where(f => !referenced.Contains(f)).ToList();
        Assert.True(unlinked.Count == 0, "report.html links no " + string.Join(", ", unlinked));
        var dangling = referenced.Where(r => !files.Contains(r)).ToList();
        Assert.True(dangling.Count == 0, "report.html links missing files: " + string.Join(", ", dangling));
        // Every PNG is shown as an image; every table's caption appears once as a table in the page.
        var images = doc.Descendants().Where(e => e.Name.LocalName == "img").Select(e => (string)e.Attribute("src")!).ToList();
        Assert.Equal(ChartStems.Select(s => $"plots/{s}.png").Order(StringComparer.Ordinal), images.Order(StringComparer.Ordinal));
        var captions = doc.Descendants().Where(e => e.Name.LocalName == "caption").Select(e => e.Value).ToList();
        foreach (var stem in TableStems)
        {
            string title = File.ReadAllText(Path.Combine(run.RunDir, "tables", stem + ".md")).Split('\n')[0].Trim('*');
            Assert.True(captions.Count(c => c == title) == 1, $"report.html: caption '{title}' of {stem} {captions.Count(c => c == title)} times");
        }
        string md = File.ReadAllText(Path.Combine(run.RunDir, "report.md"));
        var notInMd = files.Where(f => !md.Contains($"]({f})", StringComparison.Ordinal)).ToList();
        Assert.True(notInMd.Count == 0, "report.md links no " + string.Join(", ", notInMd));
    }
}
