using System.Globalization;
using System.Net;
using System.Text;
using DigitalEconomy.Reporting.Tables;

namespace DigitalEconomy.Reporting.Report;

/// <summary>One fact of the run shown at the top of the report (study, run id, data hash, seed…).</summary>
/// <param name="Key">The label, e.g. "Seed".</param>
/// <param name="Value">The value as printed, e.g. "20240101".</param>
public sealed record ReportFact(string Key, string Value);

/// <summary>Something a section shows: a <see cref="ReportTable"/> or a <see cref="ReportChart"/>.</summary>
public abstract record ReportItem;

/// <summary>A table of the table model, rendered by <see cref="HtmlRenderer.Fragment"/> and the Markdown renderer.</summary>
/// <param name="Table">The table.</param>
/// <param name="Files">
/// Optional files of the same table (e.g. <c>tables/x.md</c>, <c>tables/x.docx</c>), relative to the report's folder with '/'
/// separators; linked under the table, each by its extension. Null or empty: no links.
/// </param>
public sealed record ReportTable(Table Table, IReadOnlyList<string>? Files = null) : ReportItem;

/// <summary>A chart: its PNG (shown) and the SVG beside it (linked), both relative to the report's folder.</summary>
/// <param name="PngPath">Relative path with '/' separators, e.g. <c>plots/specification_curve.png</c>.</param>
/// <param name="SvgPath">Relative path of the SVG, e.g. <c>plots/specification_curve.svg</c>.</param>
/// <param name="Caption">The caption under the image (also its alternative text).</param>
public sealed record ReportChart(string PngPath, string SvgPath, string Caption) : ReportItem;

/// <summary>A section of the report, in the paper's order.</summary>
/// <param name="Heading">The heading.</param>
/// <param name="Text">An optional paragraph under the heading (blank lines separate paragraphs).</param>
/// <param name="Items">Tables and charts in the order they are shown.</param>
public sealed record ReportSection(string Heading, string? Text, IReadOnlyList<ReportItem> Items);

/// <summary>The content of a run's report.</summary>
/// <param name="Title">The page title and top heading, e.g. "city_nqpf — run 20240101-1200".</param>
/// <param name="Facts">The facts block, in order (see <see cref="RunReport.RunFacts"/> for the usual ones).</param>
/// <param name="Sections">The sections, in order.</param>
/// <param name="Language">Language of the page (the <c>lang</c> attribute) and of the report's own words ("Contents", "Run").</param>
/// <param name="Documents">Optional whole-paper files (<c>paper.docx</c>, <c>paper.tex</c>, <c>paper.pdf</c>), relative to the report's folder; linked under the facts by name.</param>
public sealed record RunReportContent(string Title, IReadOnlyList<ReportFact> Facts, IReadOnlyList<ReportSection> Sections, TableLanguage Language = TableLanguage.Zh,
    IReadOnlyList<string>? Documents = null);

/// <summary>
/// The report of a run: <c>report.html</c> and <c>report.md</c>, both meant to sit in the run's folder
/// so that chart paths (e.g. <c>plots/x.png</c>) resolve. Nothing here touches the disk; the caller
/// writes the bytes (store/AtomicFile).
/// <para>
/// HTML: one self-contained UTF-8 page written as well-formed XHTML-style HTML5 (void elements
/// self-closed, every text HTML-encoded) so that an XML parser reads it: the title, the facts as a
/// two-column table, a table of contents linking every section, table and figure, then every section
/// in order — tables through <see cref="HtmlRenderer.Fragment"/> (three-line style), charts as an
/// <c>img</c> of the PNG that links to the SVG, with a caption. CSS is embedded: a CJK-capable font
/// stack, images scaled to the page width, and print rules (no page break inside a table or figure,
/// none right after a heading, black links). Anchors are ASCII and numbered (<c>sec-1</c>,
/// <c>sec-1-t1</c>, <c>sec-1-f1</c>) so that Chinese headings need no slug.
/// </para>
/// <para>
/// Markdown: the same content — facts as a pipe table, the contents as a list of links, an
/// <c>&lt;a id&gt;</c> before each heading for the anchors, tables through the Markdown renderer,
/// charts as <c>![caption](plots/x.png)</c> followed by an italic caption line with a link to the SVG.
/// </para>
/// Both outputs use '\n' line ends and depend on nothing but the content (no clock, no culture):
/// the same content gives the same bytes.
/// </summary>
public static class RunReport
{
    /// <summary>The usual facts of a run, in a fixed order; timestamps as ISO 8601 UTC ("2024-01-01T12:00:00Z"); a null value prints as "—"; in Chinese the status in words (complete: 已完成).</summary>
    public static IReadOnlyList<ReportFact> RunFacts(
        TableLanguage language, string study, string runId, string dataFile, string dataSha256, string? datasetVersion, long? seed,
        string? codeVersion, DateTimeOffset? startedUtc, DateTimeOffset? finishedUtc, string status)
    {
        static string Utc(DateTimeOffset? t) => t is { } v ? v.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "—";
        bool zh = language == TableLanguage.Zh;
        return
        [
            new(zh ? "研究" : "Study", study),
            new(zh ? "运行编号" : "Run", runId),
            new(zh ? "数据文件" : "Data file", dataFile),
            new("SHA-256", dataSha256),
            new(zh ? "数据版本" : "Dataset version", datasetVersion ?? "—"),
            new(zh ? "随机种子" : "Seed", seed?.ToString(CultureInfo.InvariantCulture) ?? "—"),
            new(zh ? "代码版本" : "Code version", codeVersion ?? "—"),
            new(zh ? "开始（UTC）" : "Started (UTC)", Utc(startedUtc)),
            new(zh ? "结束（UTC）" : "Finished (UTC)", Utc(finishedUtc)),
            new(zh ? "状态" : "Status", zh ? StatusZh(status) : status),
        ];
    }

    /// <summary>A run's status as the manifest writes it ("complete", "running", "failed", "cancelled") in Chinese; other text as written.</summary>
    private static string StatusZh(string status) => status switch
    {
        "complete" => "已完成",
        "running" => "运行中",
        "failed" => "失败",
        "cancelled" => "已取消",
        _ => status,
    };

    /// <summary>The bytes of <c>report.html</c> (UTF-8, no byte-order mark).</summary>
    public static byte[] EncodeHtml(RunReportContent report) => Encoding.UTF8.GetBytes(Html(report));

    /// <summary>The bytes of <c>report.md</c> (UTF-8, no byte-order mark).</summary>
    public static byte[] EncodeMarkdown(RunReportContent report) => Encoding.UTF8.GetBytes(Markdown(report));

    private const string Css = """
        body{margin:24px auto;max-width:1100px;padding:0 16px;background:#fff;color:#000;font-family:'Times New Roman','Noto Serif CJK SC','Source Han Serif SC','SimSun','宋体','Songti SC',serif;font-size:11pt;line-height:1.45}
        h1,h2,nav,.de-facts,figcaption{font-family:'Helvetica Neue',Arial,'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','微软雅黑','PingFang SC',sans-serif}
        h1{font-size:18pt;margin:0 0 12px}
        h2{font-size:14pt;margin:28px 0 8px;border-bottom:1px solid #999;break-after:avoid;page-break-after:avoid}
        a{color:#0645ad}
        table.de-facts{border-collapse:collapse;font-size:9.5pt;margin:0 0 16px}
        table.de-facts th,table.de-facts td{border:1px solid #bbb;padding:2px 8px;text-align:left;vertical-align:top}
        table.de-facts th{background:#f2f2f2;font-weight:bold;white-space:nowrap}
        table.de-facts td{font-family:'DejaVu Sans Mono',Consolas,'Noto Sans Mono CJK SC',monospace;word-break:break-all}
        nav.de-toc{font-size:10pt;margin:0 0 16px}
        nav.de-toc ul{margin:2px 0;padding-left:20px}
        .de-item{margin:12px 0 20px;overflow-x:auto}
        figure{margin:12px 0 20px}
        figure img{max-width:100%;height:auto;border:0}
        figcaption{font-size:10pt;margin-top:4px}
        @media print{body{max-width:none;margin:0}a{color:#000;text-decoration:none}.de-item,figure,table.de-facts{break-inside:avoid;page-break-inside:avoid}.de-item{overflow:visible}}
        """;

    /// <summary>The text of <c>report.html</c>.</summary>
    /// <exception cref="ArgumentException">A chart path that is empty, absolute, has a scheme, a backslash or a ".." segment; the message names the section and chart.</exception>
    public static string Html(RunReportContent report)
    {
        ArgumentNullException.ThrowIfNull(report);
        Validate(report);
        bool zh = report.Language == TableLanguage.Zh;
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"").Append(zh ? "zh-CN" : "en").Append("\">\n<head>\n<meta charset=\"utf-8\" />\n")
          .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n<title>").Append(Enc(report.Title)).Append("</title>\n<style>\n")
          .Append(Css.Replace("\r", "", StringComparison.Ordinal)).Append('\n').Append("</style>\n</head>\n<body>\n");
        sb.Append("<h1>").Append(Enc(report.Title)).Append("</h1>\n");
        if (report.Facts.Count > 0)
        {
            sb.Append("<table class=\"de-facts\">\n<tbody>\n");
            foreach (var f in report.Facts)
                sb.Append("<tr><th scope=\"row\">").Append(Enc(f.Key)).Append("</th><td>").Append(Enc(f.Value)).Append("</td></tr>\n");
            sb.Append("</tbody>\n</table>\n");
        }
        if (report.Documents is { Count: > 0 } docs)
            sb.Append("<p class=\"de-paper\">").Append(zh ? "全文：" : "Paper: ")
              .AppendJoin(" · ", docs.Select(d => $"<a href=\"{Enc(Url(d))}\">{Enc(d.Split('/')[^1])}</a>")).Append("</p>\n");
        if (report.Sections.Count > 0)
        {
            sb.Append("<nav class=\"de-toc\">\n<strong>").Append(zh ? "目录" : "Contents").Append("</strong>\n<ul>\n");
            for (int s = 0; s < report.Sections.Count; s++)
            {
                var sec = report.Sections[s];
                sb.Append("<li><a href=\"#").Append(Anchor(s)).Append("\">").Append(Enc(sec.Heading)).Append("</a>");
                var entries = ContentsEntries(sec, s).ToList();
                if (entries.Count > 0)
                {
                    sb.Append("\n<ul>\n");
                    foreach (var (anchor, label, _) in entries) sb.Append("<li><a href=\"#").Append(anchor).Append("\">").Append(Enc(label)).Append("</a></li>\n");
                    sb.Append("</ul>\n");
                }
                sb.Append("</li>\n");
            }
            sb.Append("</ul>\n</nav>\n");
        }
        for (int s = 0; s < report.Sections.Count; s++)
        {
            var sec = report.Sections[s];
            sb.Append("<section id=\"").Append(Anchor(s)).Append("\">\n<h2>").Append(Enc(sec.Heading)).Append("</h2>\n");
            foreach (var para in Paragraphs(sec.Text)) sb.Append("<p>").Append(Enc(para)).Append("</p>\n");
            foreach (var (anchor, _, item) in Entries(sec, s))
            {
                switch (item)
                {
                    case ReportTable t:
                        sb.Append("<div class=\"de-item\" id=\"").Append(anchor).Append("\">\n").Append(HtmlRenderer.Fragment(t.Table));
                        if (t.Files is { Count: > 0 } files)
                            sb.Append("<p class=\"de-files\">").Append(zh ? "文件：" : "Files: ")
                              .AppendJoin(" · ", files.Select(f => $"<a href=\"{Enc(Url(f))}\">{Enc(Extension(f))}</a>")).Append("</p>\n");
                        sb.Append("</div>\n");
                        break;
                    case ReportChart c:
                        string png = Enc(Url(c.PngPath)), svg = Enc(Url(c.SvgPath)), cap = Enc(c.Caption);
                        sb.Append("<figure id=\"").Append(anchor).Append("\">\n<a href=\"").Append(svg).Append("\"><img src=\"").Append(png).Append("\" alt=\"").Append(cap).Append("\" /></a>\n")
                          .Append("<figcaption>").Append(cap).Append(" (<a href=\"").Append(svg).Append("\">SVG</a>)</figcaption>\n</figure>\n");
                        break;
                }
            }
            sb.Append("</section>\n");
        }
        sb.Append("</body>\n</html>\n");
        return sb.ToString();
    }

    /// <summary>The text of <c>report.md</c>.</summary>
    /// <exception cref="ArgumentException">As <see cref="Html"/>.</exception>
    public static string Markdown(RunReportContent report)
    {
        ArgumentNullException.ThrowIfNull(report);
        Validate(report);
        bool zh = report.Language == TableLanguage.Zh;
        var sb = new StringBuilder();
        sb.Append("# ").Append(Md(report.Title)).Append("\n\n");
        if (report.Facts.Count > 0)
        {
            sb.Append(zh ? "| 项目 | 值 |\n" : "| Fact | Value |\n").Append("|:---|:---|\n");
            foreach (var f in report.Facts) sb.Append("| ").Append(Md(f.Key)).Append(" | ").Append(Md(f.Value)).Append(" |\n");
            sb.Append('\n');
        }
        if (report.Documents is { Count: > 0 } docs)
            sb.Append(zh ? "全文：" : "Paper: ").AppendJoin(" · ", docs.Select(d => $"[{Md(d.Split('/')[^1])}]({Url(d)})")).Append("\n\n");
        if (report.Sections.Count > 0)
        {
            sb.Append(zh ? "**目录**\n\n" : "**Contents**\n\n");
            for (int s = 0; s < report.Sections.Count; s++)
            {
                sb.Append("- [").Append(Md(report.Sections[s].Heading)).Append("](#").Append(Anchor(s)).Append(")\n");
                foreach (var (anchor, label, _) in ContentsEntries(report.Sections[s], s))
                    sb.Append("  - [").Append(Md(label)).Append("](#").Append(anchor).Append(")\n");
            }
            sb.Append('\n');
        }
        for (int s = 0; s < report.Sections.Count; s++)
        {
            var sec = report.Sections[s];
            sb.Append("<a id=\"").Append(Anchor(s)).Append("\"></a>\n\n## ").Append(Md(sec.Heading)).Append("\n\n");
            foreach (var para in Paragraphs(sec.Text)) sb.AppendJoin('\n', para.Split('\n').Select(MdLine)).Append("\n\n");
            foreach (var (anchor, _, item) in Entries(sec, s))
            {
                sb.Append("<a id=\"").Append(anchor).Append("\"></a>\n\n");
                switch (item)
                {
                    case ReportTable t:
                        sb.Append(TableRenderer.Render(t.Table, TableFormat.Markdown)).Append('\n');
                        if (t.Files is { Count: > 0 } files)
                            sb.Append(zh ? "文件：" : "Files: ").AppendJoin(" · ", files.Select(f => $"[{Md(Extension(f))}]({Url(f)})")).Append("\n\n");
                        break;
                    case ReportChart c:
                        sb.Append("![").Append(Md(c.Caption)).Append("](").Append(Url(c.PngPath)).Append(")\n\n")
                          .Append('*').Append(Md(c.Caption)).Append("* ([SVG](").Append(Url(c.SvgPath)).Append("))\n\n");
                        break;
                }
            }
        }
        return sb.ToString();
    }

    private static string Anchor(int section) => "sec-" + (section + 1).ToString(CultureInfo.InvariantCulture);

    /// <summary>The items of a section with their anchors (tables t1, t2…, figures f1, f2… in the section) and contents labels.</summary>
    private static IEnumerable<(string Anchor, string Label, ReportItem Item)> Entries(ReportSection sec, int s)
    {
        int t = 0, f = 0;
        foreach (var item in sec.Items)
        {
            if (item is ReportTable rt)
            {
                t++;
                yield return ($"{Anchor(s)}-t{t.ToString(CultureInfo.InvariantCulture)}", rt.Table.Title.Length > 0 ? rt.Table.Title : $"Table {t.ToString(CultureInfo.InvariantCulture)}", item);
            }
            else if (item is ReportChart rc)
            {
                f++;
                yield return ($"{Anchor(s)}-f{f.ToString(CultureInfo.InvariantCulture)}", rc.Caption.Length > 0 ? rc.Caption : $"Figure {f.ToString(CultureInfo.InvariantCulture)}", item);
            }
        }
    }

    /// <summary>
    /// The entries listed under a section in the contents: its items but those titled as the section itself (an
    /// analysis's section is headed by its table's title, and the section's own link already leads to that table).
    /// </summary>
    private static IEnumerable<(string Anchor, string Label, ReportItem Item)> ContentsEntries(ReportSection sec, int s) =>
        Entries(sec, s).Where(e => e.Label != sec.Heading);

    private static void Validate(RunReportContent report)
    {
        foreach (var d in report.Documents ?? []) CheckPath(d, "", -1, "(documents)", "paper", "file");
        for (int s = 0; s < report.Sections.Count; s++)
        {
            var sec = report.Sections[s];
            int f = 0;
            foreach (var item in sec.Items)
            {
                switch (item)
                {
                    case null:
                        throw new ArgumentException($"report section {s + 1} '{sec.Heading}': an item is null", nameof(report));
                    case ReportChart c:
                        f++;
                        CheckPath(c.PngPath, ".png", s, sec.Heading, $"chart {f}", "PNG path");
                        CheckPath(c.SvgPath, ".svg", s, sec.Heading, $"chart {f}", "SVG path");
                        break;
                    case ReportTable { Table: null }:
                        throw new ArgumentException($"report section {s + 1} '{sec.Heading}': a table is null", nameof(report));
                    case ReportTable t when t.Files is not null:
                        foreach (var file in t.Files) CheckPath(file, "", s, sec.Heading, $"table '{t.Table.Title}'", "file");
                        break;
                }
            }
        }
    }

    /// <summary>Checks a relative path of the run folder; <paramref name="ext"/> "" accepts any extension.</summary>
    private static void CheckPath(string path, string ext, int s, string heading, string item, string kind)
    {
        string where = s < 0 ? $"report {item} {kind} '{path}'" : $"report section {s + 1} '{heading}', {item}: {kind} '{path}'";
        string example = ext.Length > 0 ? $"plots/x{ext}" : "tables/x.md";
        if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException($"{where}: expected a relative path such as {example}");
        if (path.Contains('\\', StringComparison.Ordinal) || path.StartsWith('/') || path.Contains(':', StringComparison.Ordinal)
            || path.Split('/').Any(p => p is "" or "." or ".."))
            throw new ArgumentException($"{where}: expected a relative path inside the run folder with '/' separators and no '.', '..', drive or scheme, such as {example}");
        if (!path.EndsWith(ext, StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"{where}: expected a {ext} file");
    }

    /// <summary>A file's extension without the dot ("md", "docx"), or its name when it has none.</summary>
    private static string Extension(string path) => Path.GetExtension(path) is { Length: > 1 } e ? e[1..] : path.Split('/')[^1];

    /// <summary>A relative path as a URL: each segment percent-encoded (spaces, '#', '?', non-ASCII), '/' kept.</summary>
    private static string Url(string path) => string.Join('/', path.Split('/').Select(Uri.EscapeDataString));

    private static IEnumerable<string> Paragraphs(string? text) =>
        string.IsNullOrWhiteSpace(text) ? [] :
        text.Replace("\r", "", StringComparison.Ordinal).Split("\n\n").Select(p => p.Trim()).Where(p => p.Length > 0);

    private static string Enc(string s) => WebUtility.HtmlEncode(s.Replace("\r", "", StringComparison.Ordinal)).Replace("\n", "<br />", StringComparison.Ordinal);


    private static string Md(string s) => MarkdownText.Escape(s);

    private static string MdLine(string line) => MarkdownText.Line(line);

}
