using System.IO.Compression;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using W = DocumentFormat.OpenXml.Wordprocessing;

namespace DigitalEconomy.Reporting.Tables;

/// <summary>
/// Word (.docx) output of a <see cref="Table"/> through DocumentFormat.OpenXml: the title as a
/// centred bold paragraph, a centred three-line table (1.5 pt rule over the header, 0.75 pt under
/// it, 1.5 pt under the last row, 0.5 pt between later row blocks; no vertical rules), and the notes
/// as 9 pt paragraphs under it. Fonts: Times New Roman for Latin text and SimSun (宋体) as the
/// East-Asian font, 10.5 pt (五号), set as the document defaults; language zh-CN for East-Asian text.
/// The bytes are deterministic: the zip entries get a fixed time stamp (see <see cref="Render"/>).
/// </summary>
public static class DocxRenderer
{
    // Border sizes are in eighths of a point.
    private const uint ThickRule = 12, HeaderRule = 6, ThinRule = 4;

    /// <summary>The .docx bytes of <paramref name="table"/>.</summary>
    public static byte[] Render(Table table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return Package(main =>
        {
            var body = new Body();
            body.Append(Elements(table, table.Title));
            body.Append(Section(landscape: false));
            return body;
        });
    }

    /// <summary>A4 text width between the 1-inch margins of <see cref="Section"/>, in twentieths of a point (twips).</summary>
    internal const int PortraitTextTwips = 11906 - 2 * 1440;

    /// <summary>
    /// The package of a document: the styles of <see cref="DocxRenderer"/> (fonts, sizes, spacing) and the body that
    /// <paramref name="body"/> builds (it may add parts such as images to the main part it gets); the bytes are deterministic.
    /// </summary>
    internal static byte[] Package(Func<MainDocumentPart, Body> body)
    {
        using var ms = new MemoryStream();
        using (var doc = WordprocessingDocument.Create(ms, WordprocessingDocumentType.Document))
        {
            // Explicit relationship ids: the generated ones are random, and the bytes would differ per call.
            var main = doc.AddNewPart<MainDocumentPart>("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml", "rId1");
            var styles = main.AddNewPart<StyleDefinitionsPart>("rId1");
            styles.Styles = new Styles(new DocDefaults(
                new RunPropertiesDefault(new RunPropertiesBaseStyle(
                    new RunFonts { Ascii = "Times New Roman", HighAnsi = "Times New Roman", ComplexScript = "Times New Roman", EastAsia = "SimSun" },
                    new FontSize { Val = "21" },
                    new FontSizeComplexScript { Val = "21" },
                    new Languages { Val = "en-US", EastAsia = "zh-CN" })),
                new ParagraphPropertiesDefault(new ParagraphPropertiesBaseStyle(
                    new SpacingBetweenLines { Before = "0", After = "0", Line = "240", LineRule = LineSpacingRuleValues.Auto }))));
            main.Document = new Document(body(main));
            main.Document.Save();
        }
        return FixTimestamps(ms.ToArray());
    }

    /// <summary>A4 section properties with 1-inch margins, portrait or landscape (the page turned, the same margins).</summary>
    internal static SectionProperties Section(bool landscape) => new(
        landscape
            ? new PageSize { Width = 16838U, Height = 11906U, Orient = PageOrientationValues.Landscape }
            : new PageSize { Width = 11906U, Height = 16838U },
        new PageMargin { Top = 1440, Right = 1440U, Bottom = 1440, Left = 1440U, Header = 720U, Footer = 720U, Gutter = 0U });

    /// <summary>A table as body elements: the title <paramref name="title"/> (none when empty) as a centred bold paragraph, the three-line table, the notes.</summary>
    internal static IEnumerable<OpenXmlElement> Elements(Table table, string title)
    {
        if (title.Length > 0) yield return Para(title, JustificationValues.Center, bold: true);
        yield return BuildTable(table);
        foreach (var n in table.Notes) yield return Para(n, JustificationValues.Left, size: "18");
    }

    private static W.Table BuildTable(Table t)
    {
        var result = new W.Table();
        result.Append(new TableProperties(
            new TableWidth { Width = "0", Type = TableWidthUnitValues.Auto },
            new TableJustification { Val = TableRowAlignmentValues.Center },
            new TableBorders(
                new TopBorder { Val = BorderValues.Nil }, new LeftBorder { Val = BorderValues.Nil },
                new BottomBorder { Val = BorderValues.Nil }, new RightBorder { Val = BorderValues.Nil },
                new InsideHorizontalBorder { Val = BorderValues.Nil }, new InsideVerticalBorder { Val = BorderValues.Nil }),
            new TableLayout { Type = TableLayoutValues.Autofit },
            new TableCellMarginDefault(
                new TopMargin { Width = "20", Type = TableWidthUnitValues.Dxa },
                new TableCellLeftMargin { Width = 80, Type = TableWidthValues.Dxa },
                new BottomMargin { Width = "20", Type = TableWidthUnitValues.Dxa },
                new TableCellRightMargin { Width = 80, Type = TableWidthValues.Dxa })));
        int k = t.Columns.Count;
        result.Append(new TableGrid(Enumerable.Range(0, k + 1).Select(_ => new GridColumn())));

        var header = new List<List<(string Text, int Span, bool Underline)>>();
        if (t.HasColumnGroups)
            header.Add([("", 1, false), .. LatexRenderer.Spans(t.Columns.Select(c => c.Group ?? "").ToList()).Select(s => (s.Text, s.Count, s.Text.Length > 0))]);
        header.Add([(t.StubHeader, 1, false), .. t.Columns.Select(c => (c.Header, 1, false))]);
        if (t.HasColumnLabels) header.Add([("", 1, false), .. t.Columns.Select(c => (c.Label ?? "", 1, false))]);
        for (int i = 0; i < header.Count; i++)
        {
            var tr = new W.TableRow(new TableRowProperties(new TableHeader()));
            for (int j = 0; j < header[i].Count; j++)
            {
                var (text, span, underline) = header[i][j];
                uint? top = i == 0 ? ThickRule : null;
                uint? bottom = i == header.Count - 1 ? HeaderRule : underline ? ThinRule : null;
                tr.Append(CellOf(text, j == 0, top, bottom, span));
            }
            result.Append(tr);
        }
        var blocks = t.Blocks.Where(b => b.Rows.Count > 0).ToList();
        for (int b = 0; b < blocks.Count; b++)
        {
            for (int r = 0; r < blocks[b].Rows.Count; r++)
            {
                var row = blocks[b].Rows[r];
                bool last = b == blocks.Count - 1 && r == blocks[b].Rows.Count - 1;
                uint? top = b > 0 && r == 0 ? ThinRule : null;
                uint? bottom = last ? ThickRule : null;
                var tr = new W.TableRow(new TableRowProperties(new CantSplit()));
                tr.Append(CellOf(row.Label, true, top, bottom, 1));
                foreach (var c in row.Cells) tr.Append(CellOf(c.Text, false, top, bottom, 1));
                result.Append(tr);
            }
        }
        return result;
    }

    private static TableCell CellOf(string text, bool stub, uint? top, uint? bottom, int span)
    {
        var props = new TableCellProperties();
        if (span > 1) props.Append(new GridSpan { Val = span });
        if (top is not null || bottom is not null)
        {
            var borders = new TableCellBorders();
            if (top is { } tp) borders.Append(new TopBorder { Val = BorderValues.Single, Size = tp, Space = 0U, Color = "000000" });
            if (bottom is { } bt) borders.Append(new BottomBorder { Val = BorderValues.Single, Size = bt, Space = 0U, Color = "000000" });
            props.Append(borders);
        }
        props.Append(new NoWrap());
        props.Append(new TableCellVerticalAlignment { Val = TableVerticalAlignmentValues.Center });
        return new TableCell(props, Para(text, stub ? JustificationValues.Left : JustificationValues.Center));
    }

    internal static Paragraph Para(string text, JustificationValues align, bool bold = false, string? size = null)
    {
        var rp = new RunProperties();
        if (bold) rp.Append(new Bold());
        if (size is not null) { rp.Append(new FontSize { Val = size }); rp.Append(new FontSizeComplexScript { Val = size }); }
        var run = new Run();
        if (rp.HasChildren) run.Append(rp);
        var lines = text.Replace("\r", "", StringComparison.Ordinal).Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            if (i > 0) run.Append(new Break());
            run.Append(new Text(lines[i]) { Space = SpaceProcessingModeValues.Preserve });
        }
        return new Paragraph(new ParagraphProperties(new Justification { Val = align }), run);
    }

    /// <summary>
    /// The package writer stamps every zip entry with the current time; this rewrites the archive with
    /// the entries in the same order, the same content and one fixed time (1980-01-01, the zip epoch)
    /// so that the same table gives the same bytes. Done by hand because OpenXml/System.IO.Packaging
    /// have no option for the entry time.
    /// </summary>
    private static byte[] FixTimestamps(byte[] docx)
    {
        var epoch = new DateTimeOffset(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var input = new ZipArchive(new MemoryStream(docx), ZipArchiveMode.Read);
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var e in input.Entries)
            {
                var copy = zip.CreateEntry(e.FullName, CompressionLevel.Optimal);
                copy.LastWriteTime = epoch;
                using var from = e.Open();
                using var to = copy.Open();
                from.CopyTo(to);
            }
        }
        return output.ToArray();
    }
}
