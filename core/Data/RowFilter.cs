using System.Globalization;

namespace DigitalEconomy.Core.Data;

/// <summary>
/// A row filter: one or more comparisons joined by <c>&amp;</c>, e.g. <c>region == East</c>,
/// <c>year &gt;= 2015 &amp; pilot != 1</c>. Operators: == != &lt; &lt;= &gt; &gt;=. A value is compared
/// as a number when the column is numeric, otherwise as text (quotes optional). Rows where the
/// column is missing never pass.
/// </summary>
public sealed class RowFilter
{
    private readonly IReadOnlyList<(string Column, string Op, string Value)> _terms;

    private RowFilter(string text, IReadOnlyList<(string, string, string)> terms) { Text = text; _terms = terms; }

    /// <summary>The filter as written.</summary>
    public string Text { get; }

    /// <summary>The comparisons, in the order written (all must hold).</summary>
    public IReadOnlyList<(string Column, string Op, string Value)> Terms => _terms;

    /// <summary>
    /// A filter from comparisons already checked (a parsed filter's <see cref="Text"/> and <see cref="Terms"/>, e.g. after
    /// crossing a grain call), without parsing again.
    /// </summary>
    /// <exception cref="ArgumentException">No comparison, or an operator other than == != &lt; &lt;= &gt; &gt;=.</exception>
    public static RowFilter Of(string text, IReadOnlyList<(string Column, string Op, string Value)> terms)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(terms);
        if (terms.Count == 0) throw new ArgumentException("a filter needs at least one comparison", nameof(terms));
        foreach (var t in terms)
            if (!Ops.Contains(t.Op, StringComparer.Ordinal)) throw new ArgumentException($"unknown operator '{t.Op}'", nameof(terms));
        return new RowFilter(text, [.. terms]);
    }

    /// <summary>The filter <c>column == value</c> (the value as a literal), typed: no text is built to be parsed.</summary>
    public static RowFilter Equal(string column, string value)
    {
        ArgumentNullException.ThrowIfNull(column);
        ArgumentNullException.ThrowIfNull(value);
        return new RowFilter($"{column} == {Literal(value)}", [(column, "==", value)]);
    }

    /// <summary>The filter <c>column != value</c> (the value as a literal), typed: no text is built to be parsed.</summary>
    public static RowFilter NotEqual(string column, string value)
    {
        ArgumentNullException.ThrowIfNull(column);
        ArgumentNullException.ThrowIfNull(value);
        return new RowFilter($"{column} != {Literal(value)}", [(column, "!=", value)]);
    }

    /// <summary>The columns the filter reads.</summary>
    public IEnumerable<string> Columns => _terms.Select(t => t.Column).Distinct(StringComparer.Ordinal);

    private static readonly string[] Ops = ["==", "!=", "<=", ">=", "<", ">"];

    /// <summary>
    /// A value as a filter literal that <see cref="Parse"/> reads back as that value: as written when it
    /// is letters, digits, '_', '-' or '.', otherwise quoted (single quotes when it holds a double quote).
    /// </summary>
    public static string Literal(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length > 0 && value.All(c => char.IsLetterOrDigit(c) || c is '_' or '-' or '.')) return value;
        return value.Contains('"', StringComparison.Ordinal) ? $"'{value}'" : $"\"{value}\"";
    }

    /// <summary>Parses a filter expression.</summary>
    /// <exception cref="InputException">Syntax error, with the position.</exception>
    public static RowFilter Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var terms = new List<(string, string, string)>();
        int offset = 0;
        foreach (var part in text.Split('&'))
        {
            int at = -1; string? op = null;
            foreach (var o in Ops)
            {
                int i = part.IndexOf(o, StringComparison.Ordinal);
                if (i >= 0 && (at < 0 || i < at)) { at = i; op = o; }
            }
            if (op is null)
                throw new InputException($"filter '{text}': position {offset + 1}: expected a comparison such as 'region == East' (operators == != < <= > >=)");
            var col = part[..at].Trim();
            var raw = part[(at + op.Length)..].Trim();
            bool quoted = raw.Length >= 2 && (raw[0] == '"' || raw[0] == '\'') && raw[^1] == raw[0];
            int stray = quoted ? -1 : raw.IndexOfAny(['=', '<', '>', '!']);
            if (stray >= 0)
            {
                int pos = offset + at + op.Length + part[(at + op.Length)..].IndexOf(raw[stray], StringComparison.Ordinal) + 1;
                throw new InputException($"filter '{text}': position {pos}: unexpected '{raw[stray]}' after '{op}' (operators are == != < <= > >=; quote a value that contains one)");
            }
            var val = raw.Trim('"', '\'');
            if (col.Length == 0 || val.Length == 0)
                throw new InputException($"filter '{text}': position {offset + at + 1}: '{op}' needs a column on its left and a value on its right");
            terms.Add((col, op, val));
            offset += part.Length + 1;
        }
        return new RowFilter(text, terms);
    }

    /// <summary>Indices of the rows that pass, ascending.</summary>
    public IReadOnlyList<int> Apply(DataFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var pass = new bool[frame.RowCount];
        Array.Fill(pass, true);
        foreach (var (colName, op, value) in _terms)
        {
            var col = frame[colName];
            if (col.Values is { } v)
            {
                if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double num))
                    throw new InputException($"filter '{Text}': column '{colName}' is numeric but '{value}' is not a number");
                for (int r = 0; r < pass.Length; r++)
                    pass[r] &= !double.IsNaN(v[r]) && Compare(v[r].CompareTo(num), op);
            }
            else
            {
                var t = col.Texts!;
                for (int r = 0; r < pass.Length; r++)
                    pass[r] &= t[r] is not null && Compare(string.CompareOrdinal(t[r], value), op);
            }
        }
        var rows = new List<int>();
        for (int r = 0; r < pass.Length; r++) if (pass[r]) rows.Add(r);
        return rows;
    }

    private static bool Compare(int c, string op) => op switch
    {
        "==" => c == 0,
        "!=" => c != 0,
        "<" => c < 0,
        "<=" => c <= 0,
        ">" => c > 0,
        _ => c >= 0,
    };
}
