using System.Collections.Concurrent;
using System.Globalization;

namespace DigitalEconomy.Core.Data;

/// <summary>
/// A panel: a <see cref="DataFrame"/> sorted by (unit, time) with integer codes for units. Units may
/// be text or numeric ids; time must be integer-valued (years, or periods 1..T). Balanced and
/// unbalanced panels are both supported; gaps in a unit's series are allowed and respected by lags.
/// Data without a unit and time (<see cref="CrossSection"/>) are a panel of one period in which every row is
/// its own unit; <see cref="IsPanel"/> is then false and whatever needs the panel refuses them.
/// </summary>
public sealed class Panel
{
    private Panel(DataFrame frame, string unitColumn, string timeColumn, int[] unitCode, string[] unitLabels, long[] time, int[] unitStart, bool isPanel = true)
    {
        Frame = frame; UnitColumn = unitColumn; TimeColumn = timeColumn;
        UnitCode = unitCode; UnitLabels = unitLabels; Time = time; UnitStart = unitStart; IsPanel = isPanel;
        // Distinct by hashing, then sorted: linear in the rows (a sorted set would cost n log n and a node per row).
        var periods = new HashSet<long>(time).ToArray();
        Array.Sort(periods);
        Periods = periods;
        IsBalanced = (long)Periods.Count * unitLabels.Length == frame.RowCount;
    }

    /// <summary>The rows, sorted by unit then time.</summary>
    public DataFrame Frame { get; }

    /// <summary>Name of the unit id column.</summary>
    public string UnitColumn { get; }

    /// <summary>Name of the time column.</summary>
    public string TimeColumn { get; }

    /// <summary>Unit code (0..G-1) of each row; codes follow the sorted unit ids.</summary>
    public int[] UnitCode { get; }

    /// <summary>The unit ids as text, indexed by code.</summary>
    public string[] UnitLabels { get; }

    /// <summary>Time of each row.</summary>
    public long[] Time { get; }

    /// <summary>Rows of unit g are UnitStart[g] .. UnitStart[g+1]-1 (length G+1).</summary>
    public int[] UnitStart { get; }

    /// <summary>The distinct periods in ascending order.</summary>
    public IReadOnlyList<long> Periods { get; }

    /// <summary>True when every unit is observed in every period exactly once.</summary>
    public bool IsBalanced { get; }

    /// <summary>
    /// False for data read without unit and time (<see cref="CrossSection"/>): each row is its own unit in one
    /// period, so lags, leads, random effects, panel variance estimators and the Hausman test do not apply.
    /// </summary>
    public bool IsPanel { get; }

    /// <summary>The name <see cref="UnitColumn"/> takes in a cross-section: each row is its own unit.</summary>
    public const string RowUnit = "(row)";

    /// <summary>The one-line reason given when something needs the panel but the data are a cross-section.</summary>
    public static string NeedsPanel(string what) =>
        $"{what} needs the panel's unit and time: give --unit and --time (dataset.unit and dataset.time in a study); without them the data are a cross-section";

    /// <summary>
    /// Data without a panel structure: the rows in the file's order, each its own unit (code = row index),
    /// all in one period (0). <see cref="IsPanel"/> is false.
    /// </summary>
    /// <exception cref="InputException">The data have no rows.</exception>
    public static Panel CrossSection(DataFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        int n = frame.RowCount;
        if (n == 0) throw new InputException($"{frame.Source}: the data have no rows");
        var code = new int[n];
        var labels = new string[n];
        var start = new int[n + 1];
        for (int r = 0; r < n; r++) { code[r] = r; labels[r] = (r + 1).ToString(CultureInfo.InvariantCulture); start[r + 1] = r + 1; }
        return new Panel(frame, RowUnit, RowUnit, code, labels, new long[n], start, isPanel: false);
    }

    /// <summary>Number of units.</summary>
    public int UnitCount => UnitLabels.Length;

    /// <summary>Number of rows.</summary>
    public int RowCount => Frame.RowCount;

    /// <summary>Builds a panel from a frame. Rows with a missing unit or time are an error.</summary>
    /// <exception cref="InputException">Unknown columns, non-integer time, missing ids, duplicated (unit, time).</exception>
    public static Panel Create(DataFrame frame, string unitColumn, string timeColumn)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var unitCol = frame[unitColumn];
        var timeValues = frame.Numeric(timeColumn);
        int n = frame.RowCount;
        if (n == 0) throw new InputException($"{frame.Source}: the data have no rows");
        var times = new long[n];
        for (int r = 0; r < n; r++)
        {
            double t = timeValues[r];
            if (double.IsNaN(t)) throw new InputException($"{frame.Where(r)}: the time column '{timeColumn}' is empty");
            if (t != Math.Floor(t) || Math.Abs(t) > 1e15) throw new InputException($"{frame.Where(r)}: time '{t.ToString(CultureInfo.InvariantCulture)}' in '{timeColumn}' is not an integer period");
            times[r] = (long)t;
        }
        var (code, distinct) = UnitCodes(frame, unitCol, unitColumn);
        var order = SortedOrder(code, distinct.Length, times);
        // Data already in unit-time order (as most files are) keep their columns; otherwise every column is copied once.
        var sorted = order is null ? frame : frame.Take(order);
        var sCode = order is null ? code : new int[n];
        var sTime = order is null ? times : new long[n];
        if (order is not null)
            for (int r = 0; r < n; r++) { sCode[r] = code[order[r]]; sTime[r] = times[order[r]]; }
        var start = new int[distinct.Length + 1];
        for (int r = 0; r < n; r++) start[sCode[r] + 1]++;
        for (int g = 0; g < distinct.Length; g++) start[g + 1] += start[g];
        for (int r = 1; r < n; r++)
            if (sCode[r] == sCode[r - 1] && sTime[r] == sTime[r - 1])
                throw new InputException($"{frame.Source}: unit '{Echo.OneLine(distinct[sCode[r]])}' has more than one row for {timeColumn} = {sTime[r]}"
                    + (sorted.LineOf(r - 1) is { } a && sorted.LineOf(r) is { } b ? $" (lines {Math.Min(a, b)} and {Math.Max(a, b)})" : ""));
        return new Panel(sorted, unitColumn, timeColumn, sCode, distinct, sTime, start);
    }

    /// <summary>
    /// Each row's unit code and the unit ids as text, codes following the sorted ids (numerically for a numeric id column,
    /// else ordinally). Linear in the rows: ids are hashed (a numeric id by its bits, without formatting it per row) and
    /// only the distinct ids are sorted.
    /// </summary>
    private static (int[] Code, string[] Labels) UnitCodes(DataFrame frame, Column unitCol, string unitColumn)
    {
        int n = frame.RowCount;
        var code = new int[n];
        int[] rank;
        string[] labels;
        if (unitCol.Values is { } v)
        {
            var first = new Dictionary<long, int>();
            var ids = new List<double>();
            for (int r = 0; r < n; r++)
            {
                if (double.IsNaN(v[r])) throw new InputException($"{frame.Where(r)}: the unit column '{unitColumn}' is empty");
                long bits = BitConverter.DoubleToInt64Bits(v[r]);
                if (!first.TryGetValue(bits, out int c)) { c = ids.Count; first[bits] = c; ids.Add(v[r]); }
                code[r] = c;
            }
            var byValue = Enumerable.Range(0, ids.Count).ToArray();
            Array.Sort(byValue, (a, b) => ids[a] != ids[b] ? ids[a].CompareTo(ids[b]) : BitConverter.DoubleToInt64Bits(ids[a]).CompareTo(BitConverter.DoubleToInt64Bits(ids[b])));
            rank = new int[ids.Count];
            labels = new string[ids.Count];
            for (int i = 0; i < byValue.Length; i++) { rank[byValue[i]] = i; labels[i] = ids[byValue[i]].ToString("R", CultureInfo.InvariantCulture); }
        }
        else
        {
            var t = unitCol.Texts!;
            var first = new Dictionary<string, int>(StringComparer.Ordinal);
            var ids = new List<string>();
            for (int r = 0; r < n; r++)
            {
                var id = t[r] ?? throw new InputException($"{frame.Where(r)}: the unit column '{unitColumn}' is empty");
                if (!first.TryGetValue(id, out int c)) { c = ids.Count; first[id] = c; ids.Add(id); }
                code[r] = c;
            }
            var byText = Enumerable.Range(0, ids.Count).ToArray();
            Array.Sort(byText, (a, b) => string.CompareOrdinal(ids[a], ids[b]));
            rank = new int[ids.Count];
            labels = new string[ids.Count];
            for (int i = 0; i < byText.Length; i++) { rank[byText[i]] = i; labels[i] = ids[byText[i]]; }
        }
        for (int r = 0; r < n; r++) code[r] = rank[code[r]];
        return (code, labels);
    }

    /// <summary>
    /// The rows in (unit, time, file order) order, or null when they already are. A stable counting sort by unit, then
    /// each unit's rows sorted by time only when they are not in order already: linear for the usual file.
    /// </summary>
    private static int[]? SortedOrder(int[] code, int units, long[] times)
    {
        int n = code.Length;
        bool inOrder = true;
        for (int r = 1; r < n && inOrder; r++)
            inOrder = code[r] > code[r - 1] || (code[r] == code[r - 1] && times[r] >= times[r - 1]);
        if (inOrder) return null;
        var start = new int[units + 1];
        for (int r = 0; r < n; r++) start[code[r] + 1]++;
        for (int g = 0; g < units; g++) start[g + 1] += start[g];
        var next = (int[])start.Clone();
        var order = new int[n];
        for (int r = 0; r < n; r++) order[next[code[r]]++] = r;
        for (int g = 0; g < units; g++)
        {
            var rows = order.AsSpan(start[g], start[g + 1] - start[g]);
            bool sortedByTime = true;
            for (int i = 1; i < rows.Length && sortedByTime; i++) sortedByTime = times[rows[i]] >= times[rows[i - 1]];
            if (!sortedByTime) rows.Sort((a, b) => times[a] != times[b] ? times[a].CompareTo(times[b]) : a.CompareTo(b));
        }
        return order;
    }

    /// <summary>The same panel keeping only the rows given (ascending row indices), with unit codes renumbered.</summary>
    public Panel Subset(IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0) throw new InputException($"{Frame.Source}: the sample is empty after the filters");
        var frame = Frame.Take(rows);
        var newCode = new int[rows.Count];
        var time = new long[rows.Count];
        var map = new Dictionary<int, int>();
        var labels = new List<string>();
        for (int i = 0; i < rows.Count; i++)
        {
            int old = UnitCode[rows[i]];
            if (!map.TryGetValue(old, out int nc)) { nc = labels.Count; map[old] = nc; labels.Add(UnitLabels[old]); }
            newCode[i] = nc; time[i] = Time[rows[i]];
        }
        var start = new int[labels.Count + 1];
        for (int r = 0; r < newCode.Length; r++) start[newCode[r] + 1]++;
        for (int g = 0; g < labels.Count; g++) start[g + 1] += start[g];
        return new Panel(frame, UnitColumn, TimeColumn, newCode, [.. labels], time, start, IsPanel);
    }

    /// <summary>Returns the panel with a numeric column added or replaced (values in this panel's row order).</summary>
    public Panel WithColumn(string name, double[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new Panel(Frame.With(Column.Numeric(name, values)), UnitColumn, TimeColumn, UnitCode, UnitLabels, Time, UnitStart, IsPanel);
    }

    private readonly ConcurrentDictionary<string, (int[] Codes, int Levels)> _codeCache = new(StringComparer.Ordinal);

    /// <summary>
    /// Integer level codes (0..L−1, in order of first appearance; −1 for a missing cell) of a column,
    /// computed once per panel and cached: fixed effects and clusters of many specifications reuse them.
    /// </summary>
    public (int[] Codes, int Levels) Codes(string column)
    {
        ArgumentNullException.ThrowIfNull(column);
        if (_codeCache.TryGetValue(column, out var hit)) return hit;
        var col = Frame[column];
        var codes = new int[RowCount];
        int levels;
        if (col.Values is { } v)
        {
            var map = new Dictionary<double, int>();
            for (int r = 0; r < codes.Length; r++)
            {
                if (double.IsNaN(v[r])) { codes[r] = -1; continue; }
                if (!map.TryGetValue(v[r], out int c)) { c = map.Count; map[v[r]] = c; }
                codes[r] = c;
            }
            levels = map.Count;
        }
        else
        {
            var t = col.Texts!;
            var map = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int r = 0; r < codes.Length; r++)
            {
                if (t[r] is null) { codes[r] = -1; continue; }
                if (!map.TryGetValue(t[r]!, out int c)) { c = map.Count; map[t[r]!] = c; }
                codes[r] = c;
            }
            levels = map.Count;
        }
        return _codeCache.GetOrAdd(column, (codes, levels));
    }

    /// <summary>"unit 'X', time 2015 (line 7)" for messages; the line of the file when it is known.</summary>
    public string Describe(int row) =>
        (IsPanel ? $"{UnitColumn} '{Echo.OneLine(UnitLabels[UnitCode[row]])}', {TimeColumn} {Time[row]}" : $"row {row + 1}") + (Frame.LineOf(row) is { } line ? $" (line {line})" : "");
}
