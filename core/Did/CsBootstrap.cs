using DigitalEconomy.Core.Numerics;
using DigitalEconomy.Core.Resampling;

namespace DigitalEconomy.Core.Did;

/// <summary>The multiplier bootstrap of the group-time ATTs: bootstrap SEs, the sup-t critical value and the uniform band of each cell, and the same for each aggregation.</summary>
/// <param name="Draws">Number of bootstrap draws.</param>
/// <param name="StdErrors">Per cell: IQR of the draws / (z₀.₇₅ − z₀.₂₅) / √n.</param>
/// <param name="CriticalValue">The (level) quantile of max over cells of |draw / σ̂| (uniform over the cells).</param>
/// <param name="Low">Per cell: ATT − critical value · SE.</param>
/// <param name="High">Per cell: ATT + critical value · SE.</param>
public sealed record CsBootstrapResult(int Draws, IReadOnlyList<double> StdErrors, double CriticalValue, IReadOnlyList<double> Low, IReadOnlyList<double> High)
{
    /// <summary>The simple, dynamic, group and calendar aggregations (in this order), each with bootstrap SEs and a uniform band over its effects.</summary>
    public IReadOnlyList<CsBootstrapAggregation> Aggregations { get; init; } = [];
}

/// <summary>The multiplier bootstrap of one aggregation (did's <c>aggte(..., bstrap = TRUE, cband = TRUE)</c>).</summary>
/// <param name="Type">simple, dynamic, group or calendar.</param>
/// <param name="StdErrors">Per effect (in <see cref="CsAggregation.Effects"/> order; simple: its one effect): the bootstrap SE.</param>
/// <param name="CriticalValue">The level quantile of max over the effects of |draw / σ| (sup-t; for simple the pointwise one).</param>
/// <param name="Low">Per effect: ATT − critical value · SE.</param>
/// <param name="High">Per effect: ATT + critical value · SE.</param>
/// <param name="OverallStdError">The bootstrap SE of the overall effect (NaN for simple, whose one effect is the overall one); its interval stays pointwise.</param>
public sealed record CsBootstrapAggregation(string Type, IReadOnlyList<double> StdErrors, double CriticalValue, IReadOnlyList<double> Low, IReadOnlyList<double> High, double OverallStdError);

/// <summary>
/// Callaway–Sant'Anna's multiplier bootstrap (R did's <c>mboot</c>): draw b multiplies each unit's influence function by a
/// Mammen weight (1 − √5)/2 with probability (√5 + 1)/(2√5), else (1 + √5)/2, and records √n · mean(ψ·v) per cell; the
/// bootstrap SE of a cell is the interquartile range of its draws over z₀.₇₅ − z₀.₂₅ divided by √n (quantiles of type 1,
/// as did), and the uniform band's critical value the level quantile of maxₖ |drawₖ / σₖ| over the cells. The aggregations
/// (simple, dynamic, group, calendar) are bootstrapped from their own influence functions with the same multipliers, each with
/// a sup-t critical value over its effects (did's <c>aggte</c> with <c>cband = TRUE</c>); an SE at or below √ε·10 is NaN. Draw b uses
/// stream b of the family (seed, key) (<see cref="CounterRng.InFamily"/>): a block of draws gives the same numbers
/// whatever block it is computed in. Its draws differ from R's (another generator), so results agree with did's in
/// distribution, not digit by digit.
/// </summary>
public static class CsBootstrap
{
    private static readonly double MammenLow = (1 - Math.Sqrt(5)) / 2, MammenHigh = (1 + Math.Sqrt(5)) / 2, MammenP = (Math.Sqrt(5) + 1) / (2 * Math.Sqrt(5));

    /// <summary>
    /// The bootstrapped elements in column order: the group-time cells, then the simple effect, the dynamic effects and their
    /// overall effect, the group effects and overall, the calendar effects and overall.
    /// </summary>
    public static IReadOnlyList<(string Type, long? Key, bool Overall, double Att, double[] Influence)> Elements(CsResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var list = new List<(string, long?, bool, double, double[])>();
        for (int c = 0; c < result.Cells.Count; c++) list.Add(("cell", null, false, result.Cells[c].Att, result.Influence[c]));
        list.Add(("simple", null, false, result.Simple.Att, result.Simple.Influence));
        foreach (var a in new[] { result.Dynamic, result.Group, result.Calendar })
        {
            foreach (var e in a.Effects) list.Add((a.Type, e.Key, false, e.Att, e.Influence));
            list.Add((a.Type, null, true, a.Overall.Att, a.Overall.Influence));
        }
        return list;
    }

    /// <summary>Draws <paramref name="first"/> … first + count − 1: √n · mean(ψ·v) for every element of <see cref="Elements"/> (draw-major).</summary>
    public static double[][] Draws(CsResult result, long seed, string key, long first, int count)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var psi = Elements(result).Select(e => e.Influence).ToArray();
        int n = result.Units, k = psi.Length;
        ulong family = CounterRng.Family(seed, key);
        var draws = new double[count][];
        var v = new double[n];
        for (int b = 0; b < count; b++)
        {
            var rng = CounterRng.InFamily(family, first + b);
            for (int i = 0; i < n; i++) v[i] = rng.NextDouble() < MammenP ? MammenLow : MammenHigh;
            var row = new double[k];
            for (int c = 0; c < k; c++)
            {
                double s = 0;
                var f = psi[c];
                for (int i = 0; i < n; i++) s += f[i] * v[i];
                row[c] = Math.Sqrt(n) * s / n;
            }
            draws[b] = row;
        }
        return draws;
    }

    /// <summary>Summarises draws (as <see cref="Draws"/> gives them, in draw order) into SEs and uniform bands at <paramref name="level"/>: the cells' band and each aggregation's.</summary>
    /// <exception cref="ArgumentException">Fewer than two draws, or a level outside (0, 1).</exception>
    public static CsBootstrapResult Summarise(CsResult result, IReadOnlyList<double[]> draws, double level = 0.95)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(draws);
        if (draws.Count < 2) throw new ArgumentException("the multiplier bootstrap needs at least two draws", nameof(draws));
        if (!(level > 0 && level < 1)) throw new ArgumentException("level must be in (0, 1)", nameof(level));
        var elements = Elements(result);
        int n = result.Units;
        double zRange = Distributions.CriticalValue(0.5, double.PositiveInfinity) * 2; // z₀.₇₅ − z₀.₂₅
        var sigma = new double[elements.Count];
        var col = new double[draws.Count];
        for (int c = 0; c < sigma.Length; c++)
        {
            for (int b = 0; b < col.Length; b++) col[b] = draws[b][c];
            Array.Sort(col);
            sigma[c] = (Type1(col, 0.75) - Type1(col, 0.25)) / zRange;
        }
        // The sup-t critical value over the columns of one family (columns whose σ is 0, e.g. the universal base cell, left out).
        double Critical(IReadOnlyList<int> columns)
        {
            var sup = new double[draws.Count];
            for (int b = 0; b < sup.Length; b++)
            {
                double m = 0;
                foreach (int c in columns) if (sigma[c] > 0) m = Math.Max(m, Math.Abs(draws[b][c] / sigma[c]));
                sup[b] = m;
            }
            Array.Sort(sup);
            return Type1(sup, level);
        }
        double Se(int c) => CallawaySantAnna.Se(sigma[c] / Math.Sqrt(n));
        int k = result.Cells.Count;
        var cellColumns = Enumerable.Range(0, k).ToList();
        double crit = Critical(cellColumns);
        var se = cellColumns.Select(Se).ToArray();
        var families = new List<CsBootstrapAggregation>();
        foreach (var type in new[] { "simple", "dynamic", "group", "calendar" })
        {
            var cols = Enumerable.Range(k, elements.Count - k).Where(c => elements[c].Type == type && !elements[c].Overall).ToList();
            int overall = Enumerable.Range(k, elements.Count - k).Where(c => elements[c].Type == type && elements[c].Overall).DefaultIfEmpty(-1).First();
            double cv = Critical(cols);
            var ses = cols.Select(Se).ToArray();
            families.Add(new CsBootstrapAggregation(type, ses, cv,
                [.. cols.Select((c, j) => elements[c].Att - cv * ses[j])], [.. cols.Select((c, j) => elements[c].Att + cv * ses[j])],
                overall < 0 ? double.NaN : Se(overall)));
        }
        return new CsBootstrapResult(draws.Count, se, crit,
            [.. result.Cells.Select((cell, c) => cell.Att - crit * se[c])], [.. result.Cells.Select((cell, c) => cell.Att + crit * se[c])]) { Aggregations = families };
    }

    /// <summary>R's quantile type 1 (the inverse of the empirical distribution function) of sorted values.</summary>
    internal static double Type1(double[] sorted, double p)
    {
        int j = (int)Math.Ceiling(sorted.Length * p);
        return sorted[Math.Clamp(j - 1, 0, sorted.Length - 1)];
    }
}
