using DigitalEconomy.Core.Numerics;
using DigitalEconomy.Core.Resampling;

namespace DigitalEconomy.Core.Did;

/// <summary>The multiplier bootstrap of the group-time ATTs: bootstrap SEs, the sup-t critical value and the uniform band of each cell.</summary>
/// <param name="Draws">Number of bootstrap draws.</param>
/// <param name="StdErrors">Per cell: IQR of the draws / (z₀.₇₅ − z₀.₂₅) / √n.</param>
/// <param name="CriticalValue">The (level) quantile of max over cells of |draw / σ̂| (uniform over the cells).</param>
/// <param name="Low">Per cell: ATT − critical value · SE.</param>
/// <param name="High">Per cell: ATT + critical value · SE.</param>
public sealed record CsBootstrapResult(int Draws, IReadOnlyList<double> StdErrors, double CriticalValue, IReadOnlyList<double> Low, IReadOnlyList<double> High);

/// <summary>
/// Callaway–Sant'Anna's multiplier bootstrap (R did's <c>mboot</c>): draw b multiplies each unit's influence function by a
/// Mammen weight (1 − √5)/2 with probability (√5 + 1)/(2√5), else (1 + √5)/2, and records √n · mean(ψ·v) per cell; the
/// bootstrap SE of a cell is the interquartile range of its draws over z₀.₇₅ − z₀.₂₅ divided by √n (quantiles of type 1,
/// as did), and the uniform band's critical value the level quantile of maxₖ |drawₖ / σₖ| over the cells. Draw b uses
/// stream b of the family (seed, key) (<see cref="CounterRng.InFamily"/>): a block of draws gives the same numbers
/// whatever block it is computed in. Its draws differ from R's (another generator), so results agree with did's in
/// distribution, not digit by digit.
/// </summary>
public static class CsBootstrap
{
    private static readonly double MammenLow = (1 - Math.Sqrt(5)) / 2, MammenHigh = (1 + Math.Sqrt(5)) / 2, MammenP = (Math.Sqrt(5) + 1) / (2 * Math.Sqrt(5));

    /// <summary>Draws <paramref name="first"/> … first + count − 1: √n · mean(ψ·v) for every cell (draw-major).</summary>
    public static double[][] Draws(CsResult result, long seed, string key, long first, int count)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var psi = result.Influence;
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

    /// <summary>Summarises draws (as <see cref="Draws"/> gives them, in draw order) into SEs and the uniform band at <paramref name="level"/>.</summary>
    /// <exception cref="ArgumentException">Fewer than two draws, or a level outside (0, 1).</exception>
    public static CsBootstrapResult Summarise(CsResult result, IReadOnlyList<double[]> draws, double level = 0.95)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(draws);
        if (draws.Count < 2) throw new ArgumentException("the multiplier bootstrap needs at least two draws", nameof(draws));
        if (!(level > 0 && level < 1)) throw new ArgumentException("level must be in (0, 1)", nameof(level));
        int k = result.Cells.Count, n = result.Units;
        double zRange = Distributions.CriticalValue(0.5, double.PositiveInfinity) * 2; // z₀.₇₅ − z₀.₂₅
        var sigma = new double[k];
        var col = new double[draws.Count];
        for (int c = 0; c < k; c++)
        {
            for (int b = 0; b < col.Length; b++) col[b] = draws[b][c];
            Array.Sort(col);
            sigma[c] = (Type1(col, 0.75) - Type1(col, 0.25)) / zRange;
        }
        var sup = new double[draws.Count];
        for (int b = 0; b < sup.Length; b++)
        {
            double m = 0;
            for (int c = 0; c < k; c++) if (sigma[c] > 0) m = Math.Max(m, Math.Abs(draws[b][c] / sigma[c]));
            sup[b] = m;
        }
        Array.Sort(sup);
        double crit = Type1(sup, level);
        var se = sigma.Select(s => s / Math.Sqrt(n)).ToArray();
        return new CsBootstrapResult(draws.Count, se, crit,
            [.. result.Cells.Select((cell, c) => cell.Att - crit * se[c])], [.. result.Cells.Select((cell, c) => cell.Att + crit * se[c])]);
    }

    /// <summary>R's quantile type 1 (the inverse of the empirical distribution function) of sorted values.</summary>
    internal static double Type1(double[] sorted, double p)
    {
        int j = (int)Math.Ceiling(sorted.Length * p);
        return sorted[Math.Clamp(j - 1, 0, sorted.Length - 1)];
    }
}
