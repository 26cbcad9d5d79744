using System.Globalization;

namespace DigitalEconomy.Core.Data;

/// <summary>Where a cell came from: used to name a bad cell in an error message.</summary>
public sealed record CellLocation(string Source, int Line, int ColumnNumber, string ColumnName, string Text);

/// <summary>
/// One column of a <see cref="DataFrame"/>: numeric (NaN marks a missing cell) or text (null marks
/// a missing cell).
/// </summary>
public sealed class Column
{
    private Column(string name, double[]? values, string?[]? texts, CellLocation? firstText)
    {
        Name = name; Values = values; Texts = texts; FirstNonNumeric = firstText;
    }

    /// <summary>The column name as in the header.</summary>
    public string Name { get; }

    /// <summary>Numeric values, NaN = missing; null for a text column.</summary>
    public double[]? Values { get; }

    /// <summary>Text values, null = missing; null for a numeric column.</summary>
    public string?[]? Texts { get; }

    /// <summary>For a text column read from a file, its first cell that is not a number.</summary>
    public CellLocation? FirstNonNumeric { get; }

    /// <summary>True when the column holds numbers.</summary>
    public bool IsNumeric => Values is not null;

    /// <summary>Number of rows.</summary>
    public int Length => Values?.Length ?? Texts!.Length;

    /// <summary>Creates a numeric column (NaN = missing).</summary>
    public static Column Numeric(string name, double[] values) => new(name, values, null, null);

    /// <summary>Creates a text column (null = missing).</summary>
    public static Column Text(string name, string?[] texts, CellLocation? firstNonNumeric = null) => new(name, null, texts, firstNonNumeric);

    /// <summary>The value of row <paramref name="row"/> as text (numbers in round-trip form), or null if missing.</summary>
    public string? TextAt(int row)
    {
        if (Texts is not null) return Texts[row];
        double v = Values![row];
        return double.IsNaN(v) ? null : v.ToString("R", CultureInfo.InvariantCulture);
    }
}

/// <summary>
/// A columnar table: named numeric and text columns of equal length. Immutable once built;
/// transforms return new frames sharing untouched columns.
/// </summary>
public sealed class DataFrame
{
    private readonly Dictionary<string, int> _index;

    private readonly int[]? _lines;

    /// <summary>Creates a frame; all columns must have the same length and distinct names.</summary>
    public DataFrame(IReadOnlyList<Column> columns, string source = "data") : this(columns, source, null) { }

    /// <summary>Creates a frame whose rows came from the given lines of a file (1-based, the header is line 1).</summary>
    public DataFrame(IReadOnlyList<Column> columns, string source, IReadOnlyList<int>? lines)
    {
        ArgumentNullException.ThrowIfNull(columns);
        Columns = columns;
        Source = source;
        RowCount = columns.Count == 0 ? 0 : columns[0].Length;
        if (lines is not null && lines.Count != RowCount)
            throw new ArgumentException($"{lines.Count} line numbers for {RowCount} rows.", nameof(lines));
        _lines = lines?.ToArray();
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < columns.Count; i++)
        {
            if (columns[i].Length != RowCount)
                throw new ArgumentException($"Column '{columns[i].Name}' has {columns[i].Length} rows; expected {RowCount}.", nameof(columns));
            if (!_index.TryAdd(columns[i].Name, i))
                throw new ArgumentException($"Duplicate column name '{columns[i].Name}'.", nameof(columns));
        }
    }

    /// <summary>The columns in file order.</summary>
    public IReadOnlyList<Column> Columns { get; }

    /// <summary>Name of the source (file name) for messages.</summary>
    public string Source { get; }

    /// <summary>The encoding the frame's text file was read in (null when it was not read from text, e.g. Parquet).</summary>
    public TextEncoding? Encoding { get; init; }

    /// <summary>Number of rows.</summary>
    public int RowCount { get; }

    /// <summary>The line of the source file that row <paramref name="row"/> came from, or null when unknown.</summary>
    public int? LineOf(int row) => _lines is null ? null : _lines[row];

    /// <summary>"file.csv: line 5" (or "file.csv: row 5" when the line is unknown) for messages about a row.</summary>
    public string Where(int row) => LineOf(row) is { } line ? $"{Source}: line {line}" : $"{Source}: row {row + 1}";

    /// <summary>True if a column of that name exists.</summary>
    public bool Has(string name) => _index.ContainsKey(name);

    /// <summary>The column named <paramref name="name"/>.</summary>
    /// <exception cref="InputException">No such column; the message lists the available ones.</exception>
    public Column this[string name] => _index.TryGetValue(name, out int i)
        ? Columns[i]
        : throw new InputException($"{Source}: unknown column '{Echo.OneLine(name)}'; available columns: {Echo.OneLine(string.Join(", ", Columns.Select(c => c.Name)))}");

    /// <summary>The numeric values of a column.</summary>
    /// <exception cref="InputException">Unknown column, or a text column: names the first non-numeric cell.</exception>
    public double[] Numeric(string name)
    {
        var col = this[name];
        if (col.Values is not null) return col.Values;
        var at = col.FirstNonNumeric;
        throw at is null
            ? new InputException($"{Source}: column '{Echo.OneLine(name)}' is not numeric")
            : new InputException($"{at.Source}: line {at.Line}, column {at.ColumnNumber} ('{Echo.OneLine(at.ColumnName)}'): expected a number, found '{Echo.OneLine(at.Text)}'");
    }

    /// <summary>Returns a frame with a column added or replaced.</summary>
    public DataFrame With(Column column)
    {
        ArgumentNullException.ThrowIfNull(column);
        var cols = Columns.ToList();
        if (_index.TryGetValue(column.Name, out int i)) cols[i] = column; else cols.Add(column);
        return new DataFrame(cols, Source, _lines);
    }

    /// <summary>Returns the rows whose indices are given, in that order.</summary>
    public DataFrame Take(IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var cols = new Column[Columns.Count];
        for (int c = 0; c < cols.Length; c++)
        {
            var col = Columns[c];
            if (col.Values is { } v)
            {
                var nv = new double[rows.Count];
                for (int r = 0; r < nv.Length; r++) nv[r] = v[rows[r]];
                cols[c] = Column.Numeric(col.Name, nv);
            }
            else
            {
                var t = col.Texts!;
                var nt = new string?[rows.Count];
                for (int r = 0; r < nt.Length; r++) nt[r] = t[rows[r]];
                cols[c] = Column.Text(col.Name, nt, col.FirstNonNumeric);
            }
        }
        return new DataFrame(cols, Source, _lines is null ? null : rows.Select(r => _lines[r]).ToArray());
    }
}
