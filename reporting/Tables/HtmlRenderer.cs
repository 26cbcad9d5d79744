using System.Net;
using System.Text;

namespace DigitalEconomy.Reporting.Tables;

/// <summary>
/// HTML output of a <see cref="Table"/> in the three-line style of Chinese journals: a plain
/// <c>&lt;table&gt;</c> whose rules are inline CSS on the cells (1.5 pt over the header, 0.75 pt
/// under it, 1.5 pt under the last row; 0.5 pt between later row blocks), so that a copy from the
/// browser pastes into Word as a table with the same rules. The caption is the title; the notes are
/// paragraphs under the table. Fonts: Times New Roman for Latin and SimSun (宋体) or Noto Serif CJK SC
/// for Chinese. Text is HTML-encoded; numbers right of the stub are centred.
/// </summary>
public static class HtmlRenderer
{
    private const string Font = "font-family:'Times New Roman','SimSun','宋体','Noto Serif CJK SC',serif;";
    private const string Thick = "1.5pt solid #000";
    private const string Header = "0.75pt solid #000";
    private const string Thin = "0.5pt solid #000";

    /// <summary>A self-contained UTF-8 HTML document holding the table (title = the table's title).</summary>
    public static string Document(Table table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>" + Enc(table.Title) + "</title>\n</head>\n"
            + "<body style=\"margin:24px;background:#fff;color:#000;" + Font + "\">\n" + Fragment(table) + "</body>\n</html>\n";
    }

    /// <summary>The table and its notes as an HTML fragment (a <c>div</c>), with inline styles only.</summary>
    public static string Fragment(Table table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var sb = new StringBuilder();
        sb.Append("<div class=\"de-table\" style=\"display:inline-block;" + Font + "\">\n");
        sb.Append("<table style=\"border-collapse:collapse;border-spacing:0;font-size:10.5pt;" + Font + "\">\n");
        if (table.Title.Length > 0)
            sb.Append("<caption style=\"caption-side:top;text-align:center;font-weight:bold;padding:4px 0;\">").Append(Enc(table.Title)).Append("</caption>\n");

        // Header rows: groups, headers, labels. The first gets the top rule, the last the rule under the header.
        var header = new List<List<(string Text, int Span, bool Underline)>>();
        if (table.HasColumnGroups)
            header.Add([("", 1, false), .. LatexRenderer.Spans(table.Columns.Select(c => c.Group ?? "").ToList()).Select(s => (s.Text, s.Count, s.Text.Length > 0))]);
        header.Add([(table.StubHeader, 1, false), .. table.Columns.Select(c => (c.Header, 1, false))]);
        if (table.HasColumnLabels) header.Add([("", 1, false), .. table.Columns.Select(c => (c.Label ?? "", 1, false))]);
        sb.Append("<thead>\n");
        for (int i = 0; i < header.Count; i++)
        {
            sb.Append("<tr>");
            for (int j = 0; j < header[i].Count; j++)
            {
                var (text, span, underline) = header[i][j];
                var style = new StringBuilder(Pad(j == 0));
                if (i == 0) style.Append("border-top:").Append(Thick).Append(';');
                if (i == header.Count - 1) style.Append("border-bottom:").Append(Header).Append(';');
                else if (underline) style.Append("border-bottom:").Append(Thin).Append(';');
                sb.Append("<th").Append(span > 1 ? $" colspan=\"{span}\"" : "").Append(" style=\"font-weight:normal;").Append(style).Append("\">").Append(Enc(text)).Append("</th>");
            }
            sb.Append("</tr>\n");
        }
        sb.Append("</thead>\n<tbody>\n");
        var blocks = table.Blocks.Where(b => b.Rows.Count > 0).ToList();
        for (int b = 0; b < blocks.Count; b++)
        {
            for (int r = 0; r < blocks[b].Rows.Count; r++)
            {
                var row = blocks[b].Rows[r];
                bool last = b == blocks.Count - 1 && r == blocks[b].Rows.Count - 1;
                string rule = (b > 0 && r == 0 ? "border-top:" + Thin + ";" : "") + (last ? "border-bottom:" + Thick + ";" : "");
                sb.Append("<tr>");
                sb.Append("<td style=\"").Append(Pad(true)).Append(rule).Append("\">").Append(Enc(row.Label)).Append("</td>");
                foreach (var c in row.Cells) sb.Append("<td style=\"").Append(Pad(false)).Append(rule).Append("\">").Append(Enc(c.Text)).Append("</td>");
                sb.Append("</tr>\n");
            }
        }
        sb.Append("</tbody>\n</table>\n");
        foreach (var n in table.Notes) sb.Append("<p style=\"margin:2px 0;font-size:9pt;\">").Append(Enc(n)).Append("</p>\n");
        sb.Append("</div>\n");
        return sb.ToString();
    }

    private static string Pad(bool stub) => stub ? "text-align:left;padding:2px 12px 2px 4px;white-space:nowrap;" : "text-align:center;padding:2px 10px;white-space:nowrap;";

    private static string Enc(string s) => WebUtility.HtmlEncode(s.Replace("\r", "", StringComparison.Ordinal)).Replace("\n", "<br />", StringComparison.Ordinal);
}
