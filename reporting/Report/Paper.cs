using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DigitalEconomy.Reporting.Tables;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Table = DigitalEconomy.Reporting.Tables.Table;
using A = DocumentFormat.OpenXml.Drawing;
using DW = DocumentFormat.OpenXml.Drawing.Wordprocessing;
using PIC = DocumentFormat.OpenXml.Drawing.Pictures;

namespace DigitalEconomy.Reporting.Report;

/// <summary>One table or chart of the paper with its numbered caption and its page orientation.</summary>
/// <param name="Item">The report's table or chart.</param>
/// <param name="Caption">"表3 基准回归" / "图1 …" (English: "Table 3 …", "Figure 1 …"): numbered in the paper's order.</param>
/// <param name="Landscape">True for a table wider than the text of a portrait page (<see cref="Paper.IsWide"/>).</param>
public sealed record PaperItem(ReportItem Item, string Caption, bool Landscape);

/// <summary>
/// The whole paper of a run in one file: <c>paper.docx</c> (<see cref="Docx"/>) and <c>paper.tex</c> (<see cref="Latex"/>),
/// with every table and chart of the report in its order (<see cref="Items"/>). Tables keep the number the study wrote
/// at the start of a title ("表3 基准回归"), a table about a numbered one continues it ("表7（续）"), others are numbered
/// after them; figures are numbered 图1, 图2… (Table/Figure in English) in order.
/// Table titles stand above the table and notes under it (<see cref="DocxRenderer"/>, <see cref="LatexRenderer"/>,
/// the same three-line tables as the per-table files); figure captions stand under the figure. A table wider than the
/// text width of a portrait A4 page with 1-inch margins goes on landscape pages (consecutive wide tables share them),
/// as <see cref="IsWide"/> estimates; LaTeX also shrinks a table that still does not fit (adjustbox, never enlarges).
/// Pure: bytes and text from the report's records and the charts' PNG bytes.
/// </summary>
public static class Paper
{
    /// <summary>The text width of a portrait page in points: A4 (595.3 pt) less two 1-inch margins.</summary>
    public const double TextWidthPoints = DocxRenderer.PortraitTextTwips / 20.0;

    // 五号 (10.5 pt): a wide character is one em, any other half an em (Times New Roman's digits); 4 pt cell margin each side.
    private const double FontPoints = 10.5, CellMarginPoints = 8;

    /// <summary>
    /// The natural width of <paramref name="table"/> in the .docx, in points: per column the widest of its texts (header,
    /// label, cells; the stub column: stub header and row labels), each character 10.5 pt when wide
    /// (<see cref="TextWidth"/> two cells) and 5.25 pt otherwise, plus 8 pt of cell margins; a column group wider than
    /// its columns widens the table by the difference.
    /// </summary>
    public static double WidthPoints(Table table)
    {
        ArgumentNullException.ThrowIfNull(table);
        static double W(string s) => s.Replace("\r", "", StringComparison.Ordinal).Split('\n').Max(TextWidth.Cells) * FontPoints / 2 + CellMarginPoints;
        var widths = new List<double> { table.Blocks.SelectMany(b => b.Rows).Select(r => W(r.Label)).Append(W(table.StubHeader)).Max() };
        for (int j = 0; j < table.Columns.Count; j++)
        {
            var c = table.Columns[j];
            widths.Add(table.Blocks.SelectMany(b => b.Rows).Select(r => j < r.Cells.Count ? W(r.Cells[j].Text) : 0).Append(W(c.Header)).Append(W(c.Label ?? "")).Max());
        }
        double extra = 0;
        if (table.HasColumnGroups)
            foreach (var (text, start, count) in LatexRenderer.Spans(table.Columns.Select(c => c.Group ?? "").ToList()))
                extra += Math.Max(0, W(text) - widths.Skip(start + 1).Take(count).Sum());
        return widths.Sum() + extra;
    }

    /// <summary>True when <paramref name="table"/> is wider than the text of a portrait page (<see cref="WidthPoints"/> &gt; <see cref="TextWidthPoints"/>).</summary>
    public static bool IsWide(Table table) => WidthPoints(table) > TextWidthPoints;

    private static readonly Regex Numbered = new(@"^\s*(?:表|图|Table|Figure)\s*(\d+)[\s.:：．、]*", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    /// <summary>
    /// The report's tables and charts in order with their numbered captions and orientation. A table whose title the
    /// study numbered ("表8 城市等级异质性") keeps that number, so that the paper's 表8 is the study's 表8 and every title
    /// or text quoting it stays right; a table whose title quotes a numbered table ("组间系数差异检验：表8 城市等级异质性")
    /// continues it ("表8（续） 组间系数差异检验：城市等级异质性"); other tables are numbered after the study's largest
    /// number (all tables 1, 2, 3… when the study numbers none). Figures are numbered 1, 2, 3… in order.
    /// </summary>
    public static IReadOnlyList<PaperItem> Items(RunReportContent report)
    {
        ArgumentNullException.ThrowIfNull(report);
        bool zh = report.Language == TableLanguage.Zh;
        var items = report.Sections.SelectMany(s => s.Items).Where(i => i is ReportTable or ReportChart).ToList();
        string TableNumber(int n) => (zh ? "表" : "Table ") + n.ToString(CultureInfo.InvariantCulture);
        static string Caption(string number, string rest) => rest.Length > 0 ? number + " " + rest : number;
        // The study's numbered table titles, longest first so that a title quoting 表10 is never taken for one quoting 表1.
        var numbered = items.OfType<ReportTable>().Select(t => t.Table.Title.Trim()).Select(t => (Title: t, Match: Numbered.Match(t))).Where(x => x.Match.Success)
            .Select(x => (x.Title, Number: int.Parse(x.Match.Groups[1].Value, CultureInfo.InvariantCulture), Unnumbered: Numbered.Replace(x.Title, "", 1).Trim()))
            .DistinctBy(x => x.Title).OrderByDescending(x => x.Title.Length).ToList();
        int next = numbered.Count > 0 ? numbered.Max(x => x.Number) : 0, figure = 0;
        var result = new List<PaperItem>();
        foreach (var item in items)
        {
            if (item is ReportChart rc)
            {
                string number = (zh ? "图" : "Figure ") + (++figure).ToString(CultureInfo.InvariantCulture);
                result.Add(new PaperItem(item, Caption(number, Numbered.Replace(rc.Caption, "", 1).Trim()), false));
                continue;
            }
            var table = ((ReportTable)item).Table;
            string title = table.Title.Trim();
            string caption;
            if (Numbered.Match(title) is { Success: true } m)
                caption = Caption(TableNumber(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)), Numbered.Replace(title, "", 1).Trim());
            else if (numbered.FirstOrDefault(x => title.Contains(x.Title, StringComparison.Ordinal)) is { Title: not null } quoted)
                caption = Caption(TableNumber(quoted.Number) + (zh ? "（续）" : " (continued)"), title.Replace(quoted.Title, quoted.Unnumbered, StringComparison.Ordinal));
            else caption = Caption(TableNumber(++next), title);
            result.Add(new PaperItem(item, caption, IsWide(table)));
        }
        return result;
    }

    /// <summary>
    /// The bytes of <c>paper.docx</c>: the report's title, then every item of <see cref="Items"/> — tables as in
    /// <see cref="DocxRenderer"/> under their numbered titles, charts as their PNG (<paramref name="images"/>, keyed by
    /// <see cref="ReportChart.PngPath"/>) at the text width with the caption under it; landscape sections for wide tables.
    /// </summary>
    /// <exception cref="ArgumentException">A chart whose PNG is not in <paramref name="images"/> or is not a PNG.</exception>
    public static byte[] Docx(RunReportContent report, IReadOnlyDictionary<string, byte[]> images)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(images);
        var items = Items(report);
        foreach (var c in items.Select(i => i.Item).OfType<ReportChart>())
            if (!images.TryGetValue(c.PngPath, out var png) || PngSize(png) is null)
                throw new ArgumentException($"paper: chart '{c.Caption}': no PNG image for {c.PngPath}", nameof(images));
        return DocxRenderer.Package(main =>
        {
            var body = new Body();
            body.Append(TitleParagraph(report.Title));
            bool landscape = false;
            int figure = 0;
            foreach (var item in items)
            {
                if (item.Landscape != landscape)
                {
                    // A paragraph's section properties end the section it closes: the pages so far keep their orientation.
                    body.Append(new Paragraph(new ParagraphProperties(DocxRenderer.Section(landscape))));
                    landscape = item.Landscape;
                }
                switch (item.Item)
                {
                    case ReportTable rt:
                        body.Append(DocxRenderer.Elements(rt.Table, item.Caption));
                        break;
                    case ReportChart rc:
                        figure++;
                        string id = "rIdImg" + figure.ToString(CultureInfo.InvariantCulture);
                        var part = main.AddImagePart(ImagePartType.Png, id);
                        using (var data = new MemoryStream(images[rc.PngPath])) part.FeedData(data);
                        var (w, h) = PngSize(images[rc.PngPath])!.Value;
                        long cx = DocxRenderer.PortraitTextTwips * 635L, cy = cx * h / w;
                        body.Append(Image(id, (uint)figure, cx, cy, Path.GetFileName(rc.PngPath)));
                        body.Append(DocxRenderer.Para(item.Caption, JustificationValues.Center, bold: true));
                        break;
                }
                body.Append(new Paragraph());
            }
            body.Append(DocxRenderer.Section(landscape));
            return body;
        });
    }

    /// <summary>
    /// The text of <c>paper.tex</c>: the standalone preamble of <see cref="LatexRenderer.Preamble"/> with A4 1-inch margins
    /// (geometry), pdflscape, graphicx, caption and adjustbox; every item of <see cref="Items"/> — tables through
    /// <see cref="LatexRenderer"/> under <c>\caption*</c> with the numbered title, wide ones in <c>landscape</c>; charts as
    /// <c>\includegraphics</c> of their PNG path (relative: compile in the run's folder) at the text width.
    /// </summary>
    public static string Latex(RunReportContent report, LatexOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sb = new StringBuilder(LatexRenderer.Preamble(options));
        sb.Append("\\usepackage[a4paper,margin=1in]{geometry}\n\\usepackage{pdflscape}\n\\usepackage{graphicx}\n\\usepackage{caption}\n\\usepackage{adjustbox}\n")
          .Append("\\begin{document}\n\\begin{center}\n{\\Large\\bfseries ").Append(LatexRenderer.Escape(report.Title)).Append("}\n\\end{center}\n");
        bool landscape = false;
        foreach (var item in Items(report))
        {
            if (item.Landscape != landscape)
            {
                sb.Append(item.Landscape ? "\\begin{landscape}\n" : "\\end{landscape}\n");
                landscape = item.Landscape;
            }
            switch (item.Item)
            {
                case ReportTable rt:
                    sb.Append(LatexRenderer.Fragment(rt.Table, item.Caption, fit: true));
                    break;
                case ReportChart rc:
                    sb.Append("\\begin{figure}[htbp]\n\\centering\n\\includegraphics[width=\\linewidth]{").Append(rc.PngPath).Append("}\n\\caption*{")
                      .Append(LatexRenderer.Escape(item.Caption)).Append("}\n\\end{figure}\n");
                    break;
            }
        }
        if (landscape) sb.Append("\\end{landscape}\n");
        sb.Append("\\end{document}\n");
        return sb.ToString();
    }

    private static Paragraph TitleParagraph(string title)
    {
        var p = DocxRenderer.Para(title, JustificationValues.Center, bold: true, size: "32");
        p.ParagraphProperties!.InsertAt(new SpacingBetweenLines { After = "240" }, 0); // spacing comes before jc in pPr
        return p;
    }

    /// <summary>Width and height of a PNG from its IHDR chunk; null when the bytes are not a PNG.</summary>
    private static (long Width, long Height)? PngSize(byte[] png)
    {
        ReadOnlySpan<byte> sig = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        if (png is null || png.Length < 24 || !png.AsSpan(0, 8).SequenceEqual(sig)) return null;
        long w = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(16, 4)), h = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(20, 4));
        return w > 0 && h > 0 ? (w, h) : null;
    }

    private static Paragraph Image(string relId, uint id, long cx, long cy, string name) =>
        new(new ParagraphProperties(new Justification { Val = JustificationValues.Center }),
            new Run(new Drawing(new DW.Inline(
                new DW.Extent { Cx = cx, Cy = cy },
                new DW.EffectExtent { LeftEdge = 0L, TopEdge = 0L, RightEdge = 0L, BottomEdge = 0L },
                new DW.DocProperties { Id = id, Name = name },
                new DW.NonVisualGraphicFrameDrawingProperties(new A.GraphicFrameLocks { NoChangeAspect = true }),
                new A.Graphic(new A.GraphicData(
                    new PIC.Picture(
                        new PIC.NonVisualPictureProperties(new PIC.NonVisualDrawingProperties { Id = 0U, Name = name }, new PIC.NonVisualPictureDrawingProperties()),
                        new PIC.BlipFill(new A.Blip { Embed = relId }, new A.Stretch(new A.FillRectangle())),
                        new PIC.ShapeProperties(
                            new A.Transform2D(new A.Offset { X = 0L, Y = 0L }, new A.Extents { Cx = cx, Cy = cy }),
                            new A.PresetGeometry(new A.AdjustValueList()) { Preset = A.ShapeTypeValues.Rectangle })))
                { Uri = "http://schemas.openxmlformats.org/drawingml/2006/picture" }))
            { DistanceFromTop = 0U, DistanceFromBottom = 0U, DistanceFromLeft = 0U, DistanceFromRight = 0U })));
}
