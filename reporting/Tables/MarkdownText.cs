using System.Text;

namespace DigitalEconomy.Reporting.Tables;

/// <summary>
/// Text written into Markdown (tables/*.md and report.md) that shows as written and never as markup:
/// a backslash before every character Markdown or raw HTML would read inline (CommonMark lets any ASCII
/// punctuation be escaped so), on one line. Labels come from studies and data: "&lt;script&gt;" stays
/// text, "*x*" stays stars, "a|b" stays one cell.
/// </summary>
public static class MarkdownText
{
    private const string Special = "\\`*_[]<>&~|";

    /// <summary>Escapes <paramref name="s"/> for inline Markdown, on one line.</summary>
    public static string Escape(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        string text = OneLine(s);
        var sb = new StringBuilder(text.Length + 8);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            // '_' inside a word (city_nqpf) never makes emphasis and stays as written.
            bool inWord = c == '_' && i > 0 && i < text.Length - 1 && char.IsLetterOrDigit(text[i - 1]) && char.IsLetterOrDigit(text[i + 1]);
            if (Special.Contains(c, StringComparison.Ordinal) && !inWord) sb.Append('\\');
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>A paragraph's line: <see cref="Escape"/>, and a leading '#', '-', '+' or '=' or "1." that would start a heading or list is escaped too.</summary>
    public static string Line(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        string text = Escape(line.Trim());
        int digits = text.TakeWhile(char.IsAsciiDigit).Count();
        if (text.Length > 0 && "#-+=".Contains(text[0], StringComparison.Ordinal)) return "\\" + text;
        if (digits > 0 && digits < text.Length && text[digits] is '.' or ')') return text[..digits] + "\\" + text[digits..];
        return text;
    }

    /// <summary>Line breaks as spaces, carriage returns dropped.</summary>
    public static string OneLine(string s) => s.Replace("\r", "", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
