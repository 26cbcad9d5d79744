using System.Globalization;
using DigitalEconomy.Core.Data;

namespace DigitalEconomy.Core.Spatial;

/// <summary>
/// Economic-distance and nested (economic-geographic) weight matrices (docs/methods.md, "Spatial panels"):
/// <list type="bullet">
/// <item>economic distance (林光平、龙志和、吴梅 2005, 经济学(季刊) 4(S1)): w_ij = 1/|Ȳ_i − Ȳ_j| for i ≠ j, Ȳ_i the mean of
/// a variable (per-capita GDP in the field) over unit i's rows of the dataset;</item>
/// <item>nested, product form: w_ij = w^d_ij · w^e_ij, the element-wise (Hadamard) product of the geographic and the
/// economic matrix as given (before row-standardisation), then row-standardised;</item>
/// <item>nested, φ-mixture (邵帅、李欣、曹建华、杨莉莉 2016, 经济研究 第9期): W = φ·W_d + (1 − φ)·W_e of the two
/// row-standardised matrices, 0 ≤ φ ≤ 1.</item>
/// </list>
/// </summary>
public static class EconomicWeights
{
    /// <summary>
    /// Each unit's mean of <paramref name="variable"/> over its rows of <paramref name="frame"/> whose value is finite,
    /// units in order of first appearance.
    /// </summary>
    /// <exception cref="InputException">No such numeric column, or a unit without any finite value (one line).</exception>
    public static (string[] Units, double[] Means) UnitMeans(DataFrame frame, string unitColumn, string variable, string where)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (!frame.Has(variable)) throw new InputException($"{where}: no column '{variable}' in the data (available: {string.Join(", ", frame.Columns.Select(c => c.Name))})");
        if (!frame[variable].IsNumeric) throw new InputException($"{where}: column '{variable}' is not numeric");
        var values = frame.Numeric(variable);
        var unit = frame[unitColumn];
        var order = new List<string>();
        var sums = new Dictionary<string, (double Sum, int Count)>(StringComparer.Ordinal);
        for (int r = 0; r < frame.RowCount; r++)
        {
            string u = unit.TextAt(r) ?? throw new InputException($"{frame.Where(r)}: the unit ('{unitColumn}') is empty");
            if (!sums.TryGetValue(u, out var s)) { order.Add(u); s = (0, 0); }
            if (double.IsFinite(values[r])) s = (s.Sum + values[r], s.Count + 1);
            sums[u] = s;
        }
        var empty = order.Where(u => sums[u].Count == 0).ToList();
        if (empty.Count > 0) throw new InputException($"{where}: {SpatialWeights.Describe(empty, "units without any value of " + variable)}");
        return ([.. order], [.. order.Select(u => sums[u].Sum / sums[u].Count)]);
    }

    /// <summary>The economic-distance matrix w_ij = 1/|m_i − m_j| (i ≠ j) of the unit means <paramref name="means"/>.</summary>
    /// <exception cref="InputException">Two units with the same mean (the inverse distance is infinite), named.</exception>
    public static SpatialWeights Build(IReadOnlyList<string> units, IReadOnlyList<double> means, string where, bool rowStandardise = true)
    {
        ArgumentNullException.ThrowIfNull(units);
        ArgumentNullException.ThrowIfNull(means);
        int n = units.Count;
        var edges = new List<(string, string, double)>(n * (n - 1));
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                if (i == j) continue;
                double d = Math.Abs(means[i] - means[j]);
                if (d == 0) throw new InputException($"{where}: '{units[i]}' and '{units[j]}' have the same mean ({means[i].ToString("R", CultureInfo.InvariantCulture)}); the economic distance 1/|Ȳi − Ȳj| is then infinite");
                edges.Add((units[i], units[j], 1 / d));
            }
        return SpatialWeights.FromEdges(units, edges, symmetric: false, rowStandardise);
    }

    /// <summary>
    /// The nested matrix of a geographic <paramref name="geographic"/> and an economic <paramref name="economic"/> W (matched
    /// by unit name; the result has the geographic matrix's unit order). <paramref name="phi"/> null: the product form
    /// w_ij = w^d_ij · w^e_ij of the entries as given (<see cref="SpatialWeights.RawValues"/>), row-standardised unless
    /// <paramref name="rowStandardise"/> is false; otherwise φ·W_d + (1 − φ)·W_e of the two matrices as they are
    /// (row-standardised by default; the mixture of two row-standardised matrices is marked row-standardised).
    /// </summary>
    public static SpatialWeights Nested(SpatialWeights geographic, SpatialWeights economic, double? phi, string where, bool rowStandardise = true)
    {
        ArgumentNullException.ThrowIfNull(geographic);
        ArgumentNullException.ThrowIfNull(economic);
        var e = economic.AlignTo(geographic.Names, where + " (economic matrix)");
        var edges = new List<(string, string, double)>();
        var names = geographic.Names;
        if (phi is not { } f)
        {
            // Product form: the geographic sparsity pattern (a contiguity or cut-off matrix keeps its zeros).
            var raw = RawDense(e);
            for (int i = 0; i < geographic.N; i++)
                for (int k = geographic.RowStart[i]; k < geographic.RowStart[i + 1]; k++)
                {
                    int j = geographic.ColumnIndex[k];
                    edges.Add((names[i], names[j], geographic.RawValues[k] * raw[i, j]));
                }
            return SpatialWeights.FromEdges(names, edges, symmetric: false, rowStandardise);
        }
        if (!(f >= 0 && f <= 1)) throw new InputException($"{where}: φ = {f.ToString("R", CultureInfo.InvariantCulture)}; expected a number from 0 to 1");
        var dg = geographic.Dense();
        var dn = e.Dense();
        for (int i = 0; i < geographic.N; i++)
            for (int j = 0; j < geographic.N; j++)
            {
                double v = f * dg[i, j] + (1 - f) * dn[i, j];
                if (v != 0) edges.Add((names[i], names[j], v));
            }
        // A mixture of two row-stochastic matrices is row-stochastic: standardising again only removes rounding.
        return SpatialWeights.FromEdges(names, edges, symmetric: false, geographic.RowStandardised && e.RowStandardised);
    }

    private static double[,] RawDense(SpatialWeights w)
    {
        var d = new double[w.N, w.N];
        for (int i = 0; i < w.N; i++)
            for (int k = w.RowStart[i]; k < w.RowStart[i + 1]; k++) d[i, w.ColumnIndex[k]] = w.RawValues[k];
        return d;
    }
}
