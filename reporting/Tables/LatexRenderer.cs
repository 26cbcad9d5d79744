using System.Globalization;
using System.Text;

namespace DigitalEconomy.Reporting.Tables;

/// <summary>
/// LaTeX output of a <see cref="Table"/>: a booktabs three-line table (\toprule, \midrule under the
/// header, \bottomrule; a thinner \cmidrule between later row blocks) inside a threeparttable whose
/// tablenotes hold the table's notes (stars, what is in parentheses). Column groups span with
/// \multicolumn and are underlined with \cmidrule(lr). Stars print through \sym{} (a right overlap,
/// as esttab does) so that numbers stay aligned.
/// <para>
/// The .tex file (<see cref="Document"/>) is a standalone document: it compiles with
/// <c>xelatex</c> (needed when the table holds Chinese: xeCJK with the font
/// <see cref="LatexOptions.CjkFont"/>) and, when the table is pure ASCII, with <c>pdflatex</c> too.
/// Its preamble is exactly <see cref="Preamble"/>; to put the table into a paper, copy the
/// <c>table</c> environment (<see cref="Fragment(Table)"/>) and add the packages of the preamble
/// (booktabs, threeparttable, and for Chinese xeCJK or ctex) and the \sym definition to the paper's.
/// </para>
/// </summary>
public static class LatexRenderer
{
    /// <summary>The preamble of the standalone document (Debian: texlive-latex-extra, texlive-xetex, texlive-lang-chinese for xeCJK, fonts-noto-cjk).</summary>
    public static string Preamble(LatexOptions? options = null)
    {
        var o = options ?? new LatexOptions();
        return "\\documentclass{article}\n"
            + "\\usepackage{iftex}\n"
            + "\\ifXeTeX\n"
            + "  \\usepackage{xeCJK}\n"
            + "  \\setCJKmainfont{" + o.CjkFont + "}\n"
            + "\\else\n"
            + "  \\usepackage[utf8]{inputenc}\n"
            + "  \\usepackage[T1]{fontenc}\n"
            + "\\fi\n"
            + "\\usepackage{booktabs}\n"
            + "\\usepackage{threeparttable}\n"
            + "\\providecommand{\\sym}[1]{\\rlap{$^{#1}$}}\n";
    }

    /// <summary>A complete document: <see cref="Preamble"/>, then the <see cref="Fragment(Table)"/> in \begin{document}…\end{document}.</summary>
    public static string Document(Table table, LatexOptions? options = null) =>
        Preamble(options) + "\\pagestyle{empty}\n\\begin{document}\n" + Fragment(table) + "\\end{document}\n";

    /// <summary>The <c>table</c> environment alone (needs booktabs, threeparttable and \sym from <see cref="Preamble"/>).</summary>
    public static string Fragment(Table table) => Fragment(table, table.Title, fit: false);

    /// <summary>
    /// The <c>table</c> environment with <paramref name="caption"/> as its caption. <paramref name="fit"/> false: a numbered
    /// <c>\caption</c> inside the threeparttable (the standalone file). True (a table of a larger document that numbers its
    /// own captions): <c>\caption*</c> (package caption) above the threeparttable, which sits in an
    /// <c>adjustbox</c> (package adjustbox) that shrinks table and notes together to the line width when wider, never enlarges.
    /// </summary>
    internal static string Fragment(Table table, string caption, bool fit)
    {
        ArgumentNullException.ThrowIfNull(table);
        int k = table.Columns.Count;
        var sb = new StringBuilder();
        sb.Append("\\begin{table}[htbp]\n\\centering\n");
        if (fit)
        {
            if (caption.Length > 0) sb.Append("\\caption*{").Append(Escape(caption)).Append("}\n");
            sb.Append("\\begin{adjustbox}{max width=\\linewidth}\n");
        }
        sb.Append("\\begin{threeparttable}\n");
        if (!fit && caption.Length > 0) sb.Append("\\caption{").Append(Escape(caption)).Append("}\n");
        sb.Append("\\begin{tabular}{l").Append('c', k).Append("}\n\\toprule\n");
        if (table.HasColumnGroups)
        {
            var spans = Spans(table.Columns.Select(c => c.Group ?? "").ToList());
            var cells = new List<string> { "" };
            var rules = new StringBuilder();
            foreach (var (text, start, count) in spans)
            {
                cells.Add(count == 1 ? Escape(text) : $"\\multicolumn{{{count.ToString(CultureInfo.InvariantCulture)}}}{{c}}{{{Escape(text)}}}");
                if (text.Length > 0) rules.Append(CultureInfo.InvariantCulture, $"\\cmidrule(lr){{{start + 2}-{start + count + 1}}}");
            }
            sb.Append(string.Join(" & ", cells)).Append(" \\\\\n");
            if (rules.Length > 0) sb.Append(rules).Append('\n');
        }
        Row(sb, table.StubHeader, table.Columns.Select(c => Escape(c.Header)));
        if (table.HasColumnLabels) Row(sb, "", table.Columns.Select(c => Escape(c.Label ?? "")));
        sb.Append("\\midrule\n");
        for (int b = 0; b < table.Blocks.Count; b++)
        {
            if (b > 0 && table.Blocks[b].Rows.Count > 0) sb.Append("\\midrule\n");
            foreach (var r in table.Blocks[b].Rows) Row(sb, r.Label, r.Cells.Select(CellText));
        }
        sb.Append("\\bottomrule\n\\end{tabular}\n");
        if (table.Notes.Count > 0)
        {
            sb.Append("\\begin{tablenotes}[flushleft]\n\\footnotesize\n");
            foreach (var n in table.Notes) sb.Append("\\item ").Append(Escape(n)).Append('\n');
            sb.Append("\\end{tablenotes}\n");
        }
        sb.Append("\\end{threeparttable}\n");
        if (fit) sb.Append("\\end{adjustbox}\n");
        sb.Append("\\end{table}\n");
        return sb.ToString();
    }

    /// <summary>
    /// Text with LaTeX's special characters escaped (\ { } $ &amp; # ^ _ ~ %), line breaks as spaces,
    /// the superscript two of R² as $^{2}$ (pdflatex's default fonts have no such glyph), and the
    /// relations ≥ ≤ ≠ ≈ and lowercase Greek letters (χ² of the Hausman test) in math mode: Latin Modern,
    /// the text font of both engines, has none of them (xelatex drops them with "Missing character").
    /// </summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder(text.Length + 8);
        bool inMath = false; // adjacent math characters (χ²) share one $…$
        foreach (char ch in text)
        {
            string? math = ch == '²' ? "^{2}" : MathSymbols.GetValueOrDefault(ch);
            if (math is not null)
            {
                if (inMath) sb.Length--; else sb.Append('$');
                sb.Append(math).Append('$');
                inMath = true;
                continue;
            }
            inMath = false;
            sb.Append(ch switch
            {
                '\\' => "\\textbackslash{}",
                '{' => "\\{",
                '}' => "\\}",
                '$' => "\\$",
                '&' => "\\&",
                '#' => "\\#",
                '%' => "\\%",
                '_' => "\\_",
                '^' => "\\textasciicircum{}",
                '~' => "\\textasciitilde{}",
                '\r' => "",
                '\n' => " ",
                _ => ch.ToString(),
            });
        }
        return sb.ToString();
    }

    /// <summary>Characters the text fonts lack, as math commands (by hand: a dozen characters do not warrant a package such as newunicodechar).</summary>
    private static readonly Dictionary<char, string> MathSymbols = new()
    {
        ['≥'] = "\\geq", ['≤'] = "\\leq", ['≠'] = "\\neq", ['≈'] = "\\approx",
        ['α'] = "\\alpha", ['β'] = "\\beta", ['γ'] = "\\gamma", ['δ'] = "\\delta", ['ε'] = "\\varepsilon", ['θ'] = "\\theta",
        ['λ'] = "\\lambda", ['μ'] = "\\mu", ['ρ'] = "\\rho", ['σ'] = "\\sigma", ['τ'] = "\\tau", ['φ'] = "\\phi", ['χ'] = "\\chi", ['ω'] = "\\omega",
    };

    private static string CellText(Cell c) =>
        c.Stars.Length > 0 && c.Text.EndsWith(c.Stars, StringComparison.Ordinal)
            ? Escape(c.Text[..^c.Stars.Length]) + "\\sym{" + c.Stars + "}"
            : Escape(c.Text);

    private static void Row(StringBuilder sb, string label, IEnumerable<string> cells) =>
        sb.Append(Escape(label)).Append(string.Concat(cells.Select(c => " & " + c))).Append(" \\\\\n");

    /// <summary>Runs of adjacent equal texts: (text, first index, length).</summary>
    internal static List<(string Text, int Start, int Count)> Spans(IReadOnlyList<string> texts)
    {
        var spans = new List<(string, int, int)>();
        for (int i = 0; i < texts.Count;)
        {
            int j = i;
            while (j + 1 < texts.Count && texts[j + 1] == texts[i]) j++;
            spans.Add((texts[i], i, j - i + 1));
            i = j + 1;
        }
        return spans;
    }
}

/// <summary>Options of the standalone LaTeX document.</summary>
public sealed record LatexOptions
{
    /// <summary>
    /// The CJK font xeCJK sets for Chinese text under xelatex, by its fontconfig name.
    /// <value>The default value is "Noto Serif CJK SC" (Debian fonts-noto-cjk); on Windows "SimSun".</value>
    /// </summary>
    public string CjkFont { get; init; } = "Noto Serif CJK SC";
}
