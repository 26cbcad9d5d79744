using System.Globalization;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Numerics;

namespace DigitalEconomy.Reporting.Tables;

/// <summary>Options of <see cref="DataTables"/>.</summary>
public sealed record DataTableOptions
{
    /// <summary>The caption; null for the language's default title.</summary>
    public string? Title { get; init; }
    /// <summary>Variable labels (any language); unlisted names print as written.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    /// <summary>Language of the fixed words. <value>The default value is <see cref="TableLanguage.En"/>.</value></summary>
    public TableLanguage Language { get; init; } = TableLanguage.En;
    /// <summary>Decimals; <see cref="TableDecimals.Descriptive"/> is used.</summary>
    public TableDecimals Decimals { get; init; } = new();
}

/// <summary>Descriptive-statistics tables and correlation matrices of panel columns.</summary>
public static class DataTables
{
    private static readonly string[] DescriptiveKeys = ["n", "mean", "sd", "min", "p50", "max"];

    /// <summary>
    /// One row per variable: N (non-missing values), mean, sample standard deviation (n − 1; "." when
    /// N &lt; 2), min, median (p50: the middle value, the mean of the two middle values for even N, as
    /// Stata's <c>summarize, detail</c>), max. Missing (NaN) values are skipped per variable.
    /// </summary>
    /// <exception cref="Core.InputException">Unknown or non-numeric column (the message names it).</exception>
    /// <exception cref="ArgumentException">No variables.</exception>
    public static Table Descriptives(Panel panel, IReadOnlyList<string> variables, DataTableOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(variables);
        if (variables.Count == 0) throw new ArgumentException("A descriptive table needs at least one variable.", nameof(variables));
        var o = options ?? new DataTableOptions();
        int dec = o.Decimals.Descriptive;
        string W(string k) => TableWords.Get(k, o.Language);
        var columns = DescriptiveKeys.Select(k => new TableColumn(W(k))).ToList();
        var rows = new List<TableRow>();
        foreach (var v in variables)
        {
            var x = panel.Frame.Numeric(v).Where(double.IsFinite).Order().ToArray();
            int n = x.Length;
            double mean = n == 0 ? double.NaN : x.Sum() / n;
            double sd = n < 2 ? double.NaN : Math.Sqrt(x.Sum(a => (a - mean) * (a - mean)) / (n - 1));
            double min = n == 0 ? double.NaN : x[0], max = n == 0 ? double.NaN : x[^1];
            double p50 = n == 0 ? double.NaN : n % 2 == 1 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2;
            var cells = new List<Cell> { new(n.ToString(CultureInfo.InvariantCulture), n) };
            cells.AddRange(new[] { mean, sd, min, p50, max }.Select(s => new Cell(NumberFormat.Fixed(s, dec), s)));
            rows.Add(new TableRow(Label(o, v), v, RowKind.Statistic, cells));
        }
        return new Table(o.Title ?? W("describe_title"), W("variable"), columns, [new RowBlock(BlockKind.Data, rows)], []);
    }

    /// <summary>
    /// The lower triangle of the Pearson correlation matrix: rows "(i) label", columns "(1)"…"(k)",
    /// 1 on the diagonal, empty cells above it. Each r uses the rows where both variables are present;
    /// its stars come from p = P(|T| ≥ |t|), t = r √((n − 2)/(1 − r²)), T ~ t(n − 2).
    /// </summary>
    /// <exception cref="Core.InputException">Unknown or non-numeric column.</exception>
    /// <exception cref="ArgumentException">No variables.</exception>
    public static Table Correlations(Panel panel, IReadOnlyList<string> variables, DataTableOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(variables);
        if (variables.Count == 0) throw new ArgumentException("A correlation matrix needs at least one variable.", nameof(variables));
        var o = options ?? new DataTableOptions();
        int dec = o.Decimals.Descriptive;
        var data = variables.Select(v => panel.Frame.Numeric(v)).ToList();
        int k = variables.Count;
        var columns = Enumerable.Range(1, k).Select(j => new TableColumn($"({j})")).ToList();
        var rows = new List<TableRow>();
        for (int i = 0; i < k; i++)
        {
            var cells = new List<Cell>();
            for (int j = 0; j < k; j++)
            {
                if (j > i) { cells.Add(Cell.Empty); continue; }
                if (j == i) { cells.Add(new Cell(NumberFormat.Fixed(1, dec), 1)); continue; }
                var (r, n) = Pearson(data[i], data[j]);
                double t = r * Math.Sqrt((n - 2) / (1 - r * r));
                double p = n > 2 ? Distributions.StudentTTwoSided(t, n - 2) : double.NaN;
                string stars = NumberFormat.Stars(p);
                cells.Add(new Cell(NumberFormat.Fixed(r, dec) + stars, r, null, t, p, stars));
            }
            rows.Add(new TableRow($"({i + 1}) {Label(o, variables[i])}", variables[i], RowKind.Statistic, cells));
        }
        return new Table(o.Title ?? TableWords.Get("corr_title", o.Language), TableWords.Get("variable", o.Language), columns,
            [new RowBlock(BlockKind.Data, rows)], [TableWords.Get("corr_note", o.Language) + (o.Language == TableLanguage.Zh ? "；" : "; ") + TableWords.Get("stars", o.Language)]);
    }

    /// <summary>Pearson r over the rows where both are finite, and that number of rows.</summary>
    internal static (double R, int N) Pearson(double[] x, double[] y)
    {
        double sx = 0, sy = 0;
        int n = 0;
        for (int i = 0; i < x.Length; i++) if (double.IsFinite(x[i]) && double.IsFinite(y[i])) { sx += x[i]; sy += y[i]; n++; }
        if (n < 2) return (double.NaN, n);
        double mx = sx / n, my = sy / n, sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (!double.IsFinite(x[i]) || !double.IsFinite(y[i])) continue;
            double a = x[i] - mx, b = y[i] - my;
            sxy += a * b; sxx += a * a; syy += b * b;
        }
        return (sxy / Math.Sqrt(sxx * syy), n);
    }

    private static string Label(DataTableOptions o, string v) => o.Labels.TryGetValue(v, out var l) && !string.IsNullOrWhiteSpace(l) ? l : v;
}
