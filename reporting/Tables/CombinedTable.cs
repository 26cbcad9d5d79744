using System.Globalization;
using System.Text.RegularExpressions;

namespace DigitalEconomy.Reporting.Tables;

/// <summary>One table of a <see cref="CombinedTable"/>: the table and the spanning header of its columns when it has none of its own.</summary>
/// <param name="Table">A regression table (as <see cref="RegressionTable"/> builds it, with any rows added under it).</param>
/// <param name="Span">Printed over its columns when they have no group of their own (e.g. its title without a number); null or empty: none.</param>
public sealed record CombinedPart(Table Table, string? Span);

/// <summary>
/// Several regression tables as one (esttab's appending of stored estimates): the columns side by side in the order given,
/// numbered (1)…(k) again, each keeping its label and its spanning group (区域 over the region columns, 城市等级 over the tier
/// columns) or, without one, the part's <see cref="CombinedPart.Span"/>. Rows are matched by their key within each kind of
/// block (a coefficient, 观测值, a test's row), in the order they first appear; a part without a row leaves its cells empty.
/// Notes follow in order without repeats, a note's column numbers "(k)" moved to the combined numbering.
/// </summary>
public static partial class CombinedTable
{
    [GeneratedRegex(@"\((\d+)\)")]
    private static partial Regex ColumnNumber();

    [GeneratedRegex(@"^\s*(?:表|Table)\s*\d+[\s.:：．、]*", RegexOptions.IgnoreCase)]
    private static partial Regex Numbered();

    /// <summary>A title without the number it starts with ("表7 区域异质性" → "区域异质性"): the span of a part.</summary>
    public static string Unnumbered(string title)
    {
        ArgumentNullException.ThrowIfNull(title);
        return Numbered().Replace(title, "", 1).Trim();
    }

    /// <summary>The combined table under <paramref name="title"/>; the stub header is the first part's.</summary>
    /// <exception cref="ArgumentException">No parts, or a row with a number of cells other than its table's columns.</exception>
    public static Table Build(string title, IReadOnlyList<CombinedPart> parts)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0) throw new ArgumentException("a combined table needs at least one table", nameof(parts));
        foreach (var p in parts)
            if (p.Table.Blocks.SelectMany(b => b.Rows).FirstOrDefault(r => r.Cells.Count != p.Table.Columns.Count) is { } bad)
                throw new ArgumentException($"table '{p.Table.Title}': row '{bad.Key}' has {bad.Cells.Count} cells for {p.Table.Columns.Count} columns", nameof(parts));
        var columns = new List<TableColumn>();
        var offsets = new List<int>();
        foreach (var p in parts)
        {
            offsets.Add(columns.Count);
            foreach (var c in p.Table.Columns)
            {
                int k = columns.Count + 1;
                string header = c.Header.StartsWith('(') && c.Header.EndsWith(')') && int.TryParse(c.Header[1..^1], NumberStyles.None, CultureInfo.InvariantCulture, out _)
                    ? $"({k.ToString(CultureInfo.InvariantCulture)})" : c.Header;
                columns.Add(c with { Header = header, Group = string.IsNullOrEmpty(c.Group) ? (string.IsNullOrEmpty(p.Span) ? null : p.Span) : c.Group });
            }
        }
        // Kinds of blocks in order of first appearance; rows of a kind by key in order of first appearance.
        var kinds = parts.SelectMany(p => p.Table.Blocks.Select(b => b.Kind)).Distinct().ToList();
        var blocks = new List<RowBlock>();
        foreach (var kind in kinds)
        {
            var keys = new List<(string Key, string Label, RowKind Kind)>();
            foreach (var row in parts.SelectMany(p => p.Table.Blocks.Where(b => b.Kind == kind).SelectMany(b => b.Rows)))
                if (!keys.Any(x => x.Key == row.Key)) keys.Add((row.Key, row.Label, row.Kind));
            var rows = keys.Select(x =>
            {
                var cells = new List<Cell>();
                foreach (var p in parts)
                {
                    var row = p.Table.Blocks.Where(b => b.Kind == kind).SelectMany(b => b.Rows).FirstOrDefault(r => r.Key == x.Key);
                    cells.AddRange(row is not null ? row.Cells : Enumerable.Repeat(Cell.Empty, p.Table.Columns.Count));
                }
                string label = x.Label.Length > 0 ? x.Label : parts.SelectMany(p => p.Table.Blocks.SelectMany(b => b.Rows)).FirstOrDefault(r => r.Key == x.Key && r.Label.Length > 0)?.Label ?? "";
                return new TableRow(label, x.Key, x.Kind, cells);
            }).ToList();
            blocks.Add(new RowBlock(kind, rows));
        }
        var notes = new List<string>();
        for (int i = 0; i < parts.Count; i++)
        {
            int offset = offsets[i], count = parts[i].Table.Columns.Count;
            foreach (var note in parts[i].Table.Notes)
            {
                string moved = offset == 0 ? note : ColumnNumber().Replace(note, m =>
                    int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) is var k && k >= 1 && k <= count ? $"({(k + offset).ToString(CultureInfo.InvariantCulture)})" : m.Value);
                if (!notes.Contains(moved, StringComparer.Ordinal)) notes.Add(moved);
            }
        }
        return new Table(title, parts[0].Table.StubHeader, columns, blocks, notes);
    }
}
