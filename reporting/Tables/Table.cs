namespace DigitalEconomy.Reporting.Tables;

/// <summary>
/// A publication table, independent of any output format: a title, a stub header, columns, blocks
/// of rows and notes. Renderers (Markdown, CSV here; LaTeX, HTML, .docx later) only lay out the
/// <see cref="Cell.Text"/> of each cell; the numbers behind the text stay in the cell for formats or
/// checks that need them.
/// </summary>
/// <param name="Title">The caption, e.g. "Table 2 Baseline regression".</param>
/// <param name="StubHeader">Header of the label column (often empty).</param>
/// <param name="Columns">The data columns, left to right.</param>
/// <param name="Blocks">Row blocks, top to bottom; formats that draw rules draw one between blocks.</param>
/// <param name="Notes">Lines printed under the table (stars, what is in parentheses, sources).</param>
public sealed record Table(string Title, string StubHeader, IReadOnlyList<TableColumn> Columns, IReadOnlyList<RowBlock> Blocks, IReadOnlyList<string> Notes)
{
    /// <summary>True when any column has a label; renderers then print a label row under the headers.</summary>
    public bool HasColumnLabels => Columns.Any(c => !string.IsNullOrEmpty(c.Label));

    /// <summary>True when any column has a group; renderers then print a group row above the labels.</summary>
    public bool HasColumnGroups => Columns.Any(c => !string.IsNullOrEmpty(c.Group));
}

/// <summary>One data column.</summary>
/// <param name="Header">The header: "(1)"…"(k)" for models, a statistic's name for descriptive tables.</param>
/// <param name="Label">Optional second header line, e.g. the dependent variable or "FE".</param>
/// <param name="Group">Optional spanning group, e.g. "East" over several columns; adjacent equal groups span.</param>
public sealed record TableColumn(string Header, string? Label = null, string? Group = null);

/// <summary>What a block holds; formats may style blocks differently.</summary>
public enum BlockKind
{
    /// <summary>Coefficients with their t or SE rows, and the constant.</summary>
    Coefficients,
    /// <summary>YES/NO rows: controls, fixed effects.</summary>
    Indicators,
    /// <summary>N, R², adjusted R², number of units.</summary>
    Summary,
    /// <summary>IV weak- and under-identification statistics.</summary>
    Diagnostics,
    /// <summary>Rows of a descriptive or correlation table.</summary>
    Data,
}

/// <summary>A block of rows.</summary>
/// <param name="Kind">What the block holds.</param>
/// <param name="Rows">The rows in order.</param>
public sealed record RowBlock(BlockKind Kind, IReadOnlyList<TableRow> Rows);

/// <summary>What a row shows.</summary>
public enum RowKind
{
    /// <summary>A coefficient with stars.</summary>
    Estimate,
    /// <summary>The t statistic or standard error in parentheses under an estimate (empty label).</summary>
    Parenthesised,
    /// <summary>YES/NO.</summary>
    Indicator,
    /// <summary>A statistic (N, R², F, a descriptive statistic...).</summary>
    Statistic,
}

/// <summary>One row: a label and one cell per column.</summary>
/// <param name="Label">The row label as printed (variable label or fixed word); empty for parenthesised rows.</param>
/// <param name="Key">The stable key: the term, variable or statistic name (e.g. <c>log(pcap)</c>, <c>N</c>, <c>fe:state</c>), never translated.</param>
/// <param name="Kind">What the row shows.</param>
/// <param name="Cells">One cell per column, in column order.</param>
public sealed record TableRow(string Label, string Key, RowKind Kind, IReadOnlyList<Cell> Cells);

/// <summary>
/// A cell: its text as printed and the numbers it came from (null when not applicable). An empty
/// cell has empty text and no numbers.
/// </summary>
/// <param name="Text">The printed text, e.g. <c>0.155***</c>, <c>(9.036)</c>, <c>YES</c>, <c>816</c>.</param>
/// <param name="Value">The number shown (estimate, statistic, count); for a parenthesised cell the t or SE shown.</param>
/// <param name="StdError">Standard error of an estimate.</param>
/// <param name="T">t (or z) statistic of an estimate: estimate / standard error.</param>
/// <param name="PValue">The p-value the stars come from.</param>
/// <param name="Stars">"***", "**", "*" or "".</param>
public sealed record Cell(string Text, double? Value = null, double? StdError = null, double? T = null, double? PValue = null, string Stars = "")
{
    /// <summary>The empty cell.</summary>
    public static Cell Empty { get; } = new("");
}
