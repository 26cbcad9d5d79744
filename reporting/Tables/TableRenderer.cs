using System.Text;

namespace DigitalEconomy.Reporting.Tables;

/// <summary>Output formats of <see cref="TableRenderer"/>.</summary>
public enum TableFormat
{
    /// <summary>GitHub-flavoured Markdown (pipe table).</summary>
    Markdown,
    /// <summary>RFC 4180 CSV.</summary>
    Csv,
    /// <summary>A standalone LaTeX document (booktabs, threeparttable; see <see cref="LatexRenderer"/>).</summary>
    Latex,
    /// <summary>A self-contained HTML document (see <see cref="HtmlRenderer"/>).</summary>
    Html,
    /// <summary>A Word document (binary: only through <see cref="TableRenderer.Encode"/>; see <see cref="DocxRenderer"/>).</summary>
    Docx,
}

/// <summary>
/// Renders a <see cref="Table"/> as text. Both formats are deterministic: '\n' line ends, cells
/// exactly as <see cref="Cell.Text"/>, nothing depending on culture or time.
/// Markdown: "**title**", a blank line, the pipe table (header row = stub header and column headers;
/// then a group row and a label row when the table has them; numbers right-aligned), a blank line,
/// then each note as its own line. Every text (title, headers, labels, cells, notes) is escaped by
/// <see cref="MarkdownText"/>, so a label from a study or a data file shows as written and never as markup.
/// CSV: the title row, the header row, group and label rows when present, one line per row, then one
/// line per note (in the first field); fields with ',', '"', CR or LF are quoted with '"' doubled.
/// <see cref="Encode"/> adds a UTF-8 BOM to CSV so spreadsheet programs read Chinese labels.
/// LaTeX, HTML and Word: <see cref="LatexRenderer"/>, <see cref="HtmlRenderer"/>, <see cref="DocxRenderer"/>;
/// every format gives the same bytes for the same table.
/// </summary>
public static class TableRenderer
{
    /// <summary>Renders <paramref name="table"/> in a text <paramref name="format"/>.</summary>
    /// <exception cref="ArgumentException"><see cref="TableFormat.Docx"/>, which is binary (use <see cref="Encode"/>).</exception>
    public static string Render(Table table, TableFormat format)
    {
        ArgumentNullException.ThrowIfNull(table);
        return format switch
        {
            TableFormat.Csv => Csv(table),
            TableFormat.Markdown => Markdown(table),
            TableFormat.Latex => LatexRenderer.Document(table),
            TableFormat.Html => HtmlRenderer.Document(table),
            _ => throw new ArgumentException($"table format {format} is binary; use TableRenderer.Encode", nameof(format)),
        };
    }

    /// <summary>The bytes of a table file: UTF-8 text (with a byte-order mark for CSV only), or the .docx package.</summary>
    public static byte[] Encode(Table table, TableFormat format)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (format == TableFormat.Docx) return DocxRenderer.Render(table);
        string text = Render(table, format);
        var body = Encoding.UTF8.GetBytes(text);
        return format == TableFormat.Csv ? [0xEF, 0xBB, 0xBF, .. body] : body;
    }

    /// <summary>The format of a file name: ".md"/".markdown", ".csv", ".tex", ".html"/".htm" or ".docx" (case-insensitive).</summary>
    /// <exception cref="ArgumentException">Any other extension; the message names the file.</exception>
    public static TableFormat FormatOf(string path)
    {
        string ext = Path.GetExtension(path ?? "").ToLowerInvariant();
        return ext switch
        {
            ".md" or ".markdown" => TableFormat.Markdown,
            ".csv" => TableFormat.Csv,
            ".tex" => TableFormat.Latex,
            ".html" or ".htm" => TableFormat.Html,
            ".docx" => TableFormat.Docx,
            _ => throw new ArgumentException($"table file '{path}': expected a .md, .csv, .tex, .html or .docx name"),
        };
    }

    private static string Markdown(Table t)
    {
        var sb = new StringBuilder();
        if (t.Title.Length > 0) sb.Append("**").Append(MarkdownText.Escape(t.Title)).Append("**\n\n");
        void Line(string first, IEnumerable<string> rest)
        {
            sb.Append("| ").Append(Md(first));
            foreach (var c in rest) sb.Append(" | ").Append(Md(c));
            sb.Append(" |\n");
        }
        Line(t.StubHeader, t.Columns.Select(c => c.Header));
        sb.Append("|:---").Append(string.Concat(t.Columns.Select(_ => "|---:"))).Append("|\n");
        if (t.HasColumnGroups) Line("", t.Columns.Select(c => c.Group ?? ""));
        if (t.HasColumnLabels) Line("", t.Columns.Select(c => c.Label ?? ""));
        foreach (var b in t.Blocks)
            foreach (var r in b.Rows) Line(r.Label, r.Cells.Select(c => c.Text));
        if (t.Notes.Count > 0)
        {
            sb.Append('\n');
            foreach (var n in t.Notes) sb.Append(MarkdownText.Line(n)).Append('\n');
        }
        return sb.ToString();
    }

    private static string Md(string s) => MarkdownText.Escape(s);

    private static string Csv(Table t)
    {
        var sb = new StringBuilder();
        void Line(IEnumerable<string> fields) => sb.Append(string.Join(',', fields.Select(Field))).Append('\n');
        if (t.Title.Length > 0) Line([t.Title]);
        Line([t.StubHeader, .. t.Columns.Select(c => c.Header)]);
        if (t.HasColumnGroups) Line(["", .. t.Columns.Select(c => c.Group ?? "")]);
        if (t.HasColumnLabels) Line(["", .. t.Columns.Select(c => c.Label ?? "")]);
        foreach (var b in t.Blocks)
            foreach (var r in b.Rows) Line([r.Label, .. r.Cells.Select(c => c.Text)]);
        foreach (var n in t.Notes) Line([n]);
        return sb.ToString();
    }

    private static string Field(string s) => Core.Data.CsvWriter.Field(s);
}
