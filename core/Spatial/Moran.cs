using DigitalEconomy.Core.Data;
using MathNet.Numerics;

namespace DigitalEconomy.Core.Spatial;

/// <summary>One moment variant of Moran's I: its expectation, variance, z and one-sided p (alternative "greater").</summary>
public sealed record MoranMoments(double Expectation, double Variance, double Z, double PGreater);

/// <summary>Global Moran's I of one period: the statistic, both Cliff–Ord variants and the sample kurtosis b₂.</summary>
public sealed record MoranResult(long Period, int N, double I, MoranMoments Normality, MoranMoments Randomisation, double Kurtosis);

/// <summary>Local Moran's I of one unit (Anselin 1995): I_i, its moments under randomisation, z, two-sided p and the Moran-scatter quadrant.</summary>
/// <param name="Unit">The unit.</param>
/// <param name="I">I_i = (z_i / m₂) Σ_j w_ij z_j with m₂ = Σz²/n.</param>
/// <param name="Expectation">E[I_i] = −w_i/(n − 1), w_i = Σ_j w_ij.</param>
/// <param name="Variance">Var[I_i] under randomisation.</param>
/// <param name="Z">(I_i − E)/√Var.</param>
/// <param name="P">Two-sided normal p.</param>
/// <param name="Quadrant">HH, LH, LL or HL: the sign of z_i (High/Low) then of the spatial lag Σ_j w_ij z_j.</param>
public sealed record LocalMoran(string Unit, double I, double Expectation, double Variance, double Z, double P, string Quadrant);

/// <summary>
/// Global Moran's I (Cliff &amp; Ord 1981), as spdep's <c>moran.test</c>: I = (n/S0) z'Wz / z'z with z = x − x̄,
/// E[I] = −1/(n−1), the normality and randomisation variances from S0 = ΣΣw, S1 = ½ΣΣ(w_ij + w_ji)²,
/// S2 = Σ(w_i· + w_·i)², b₂ = n Σz⁴/(Σz²)²; z = (I − E)/√Var and p = 1 − Φ(z) (one-sided, "greater").
/// One call tests every period of a panel, each period on its own (docs/methods.md, "Spatial panels").
/// </summary>
public static class Moran
{
    /// <summary>Moran's I of one cross-section <paramref name="x"/> (in W's unit order).</summary>
    public static MoranResult Test(SpatialWeights w, ReadOnlySpan<double> x, long period = 0)
    {
        ArgumentNullException.ThrowIfNull(w);
        int n = w.N;
        if (x.Length != n) throw new ArgumentException("x must have one value per unit of W", nameof(x));
        var (s0, s1, s2) = Sums(w);
        double i0 = Statistic(w, x, s0, out double b2);
        double e = -1.0 / (n - 1);
        double nn = n;
        double varNorm = (nn * nn * s1 - nn * s2 + 3 * s0 * s0) / (s0 * s0 * (nn * nn - 1)) - e * e;
        double varRand = (nn * ((nn * nn - 3 * nn + 3) * s1 - nn * s2 + 3 * s0 * s0) - b2 * ((nn * nn - nn) * s1 - 2 * nn * s2 + 6 * s0 * s0))
            / ((nn - 1) * (nn - 2) * (nn - 3) * s0 * s0) - e * e;
        return new MoranResult(period, n, i0, Moments(i0, e, varNorm), Moments(i0, e, varRand), b2);
    }

    /// <summary>
    /// Moran's I of <paramref name="column"/> for every period of a panel, W matched to the panel's units by name
    /// (each period must hold every unit of W once, with a finite value; otherwise one line names the gap).
    /// </summary>
    public static IReadOnlyList<MoranResult> ByPeriod(Panel panel, double[] column, SpatialWeights w, string what = "the variable")
    {
        var stacked = SpatialData.Stack(panel, w, [(what, column)], out var periods, out var aligned);
        var res = new List<MoranResult>(periods.Count);
        for (int t = 0; t < periods.Count; t++) res.Add(Test(aligned, stacked[0].AsSpan(t * aligned.N, aligned.N), periods[t]));
        return res;
    }

    /// <summary>
    /// Local Moran's I (LISA, Anselin 1995) of one cross-section <paramref name="x"/> in W's unit order: I_i = (z_i/m₂)Σ_j w_ij z_j,
    /// m₂ = Σz²/n, E[I_i] = −w_i/(n − 1), Var[I_i] = w_i(2)(n − b₂)/(n − 1) + (w_i² − w_i(2))(2b₂ − n)/((n − 1)(n − 2)) − E[I_i]²
    /// with w_i(2) = Σ_j w_ij², b₂ = m₄/m₂²; z and a two-sided normal p; the quadrant from the signs of z_i and its lag.
    /// </summary>
    public static IReadOnlyList<LocalMoran> Local(SpatialWeights w, ReadOnlySpan<double> x)
    {
        ArgumentNullException.ThrowIfNull(w);
        int n = w.N;
        if (x.Length != n) throw new ArgumentException("x must have one value per unit of W", nameof(x));
        double mean = 0;
        for (int i = 0; i < n; i++) mean += x[i];
        mean /= n;
        var z = new double[n];
        double m2 = 0, m4 = 0;
        for (int i = 0; i < n; i++) { z[i] = x[i] - mean; m2 += z[i] * z[i]; m4 += z[i] * z[i] * z[i] * z[i]; }
        m2 /= n;
        m4 /= n;
        double b2 = m4 / (m2 * m2);
        var res = new List<LocalMoran>(n);
        for (int i = 0; i < n; i++)
        {
            double lag = 0, wi = 0, wi2 = 0;
            for (int k = w.RowStart[i]; k < w.RowStart[i + 1]; k++) { lag += w.Values[k] * z[w.ColumnIndex[k]]; wi += w.Values[k]; wi2 += w.Values[k] * w.Values[k]; }
            double ii = z[i] / m2 * lag;
            double e = -wi / (n - 1.0);
            double v = wi2 * (n - b2) / (n - 1.0) + (wi * wi - wi2) * (2 * b2 - n) / ((n - 1.0) * (n - 2.0)) - e * e;
            double zi = (ii - e) / Math.Sqrt(v);
            string quadrant = (z[i] >= 0 ? "H" : "L") + (lag >= 0 ? "H" : "L");
            res.Add(new LocalMoran(w.Names[i], ii, e, v, zi, Numerics.Distributions.NormalTwoSided(zi), quadrant));
        }
        return res;
    }

    /// <summary>I alone (no moments) of <paramref name="x"/>; <paramref name="s0"/> = ΣΣw. Used for permutations.</summary>
    public static double Statistic(SpatialWeights w, ReadOnlySpan<double> x, double s0, out double kurtosis)
    {
        ArgumentNullException.ThrowIfNull(w);
        int n = w.N;
        double mean = 0;
        for (int i = 0; i < n; i++) mean += x[i];
        mean /= n;
        var z = new double[n];
        double zz = 0, z4 = 0;
        for (int i = 0; i < n; i++) { z[i] = x[i] - mean; zz += z[i] * z[i]; z4 += z[i] * z[i] * z[i] * z[i]; }
        double zwz = 0;
        for (int i = 0; i < n; i++)
        {
            double s = 0;
            for (int k = w.RowStart[i]; k < w.RowStart[i + 1]; k++) s += w.Values[k] * z[w.ColumnIndex[k]];
            zwz += z[i] * s;
        }
        kurtosis = n * z4 / (zz * zz);
        return n / s0 * zwz / zz;
    }

    /// <summary>
    /// Permutations <paramref name="first"/> .. first + count − 1 of one cross-section: permutation r shuffles the
    /// values across units (Fisher–Yates) with stream (seed, key, r) and returns its I, so a permutation is the same
    /// whatever block or machine it runs on. The p-value of R permutations is (#{I_r ≥ I} + 1)/(R + 1) (spdep's
    /// <c>moran.mc</c> rule), see <see cref="PermutationP"/>.
    /// </summary>
    public static double[] PermutationBlock(SpatialWeights w, double[] x, long seed, string key, long first, int count)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(x);
        double s0 = Sums(w).S0;
        var family = Resampling.CounterRng.Family(seed, key);
        var res = new double[count];
        var perm = new double[x.Length];
        for (int c = 0; c < count; c++)
        {
            var rng = Resampling.CounterRng.InFamily(family, first + c);
            Array.Copy(x, perm, x.Length);
            for (int i = perm.Length - 1; i > 0; i--)
            {
                int j = rng.NextInt(i + 1);
                (perm[i], perm[j]) = (perm[j], perm[i]);
            }
            res[c] = Statistic(w, perm, s0, out _);
        }
        return res;
    }

    /// <summary>The one-sided ("greater") permutation p: (#{I_r ≥ I} + 1)/(R + 1).</summary>
    public static double PermutationP(double observed, IReadOnlyList<double> permuted)
    {
        ArgumentNullException.ThrowIfNull(permuted);
        return (permuted.Count(v => v >= observed) + 1.0) / (permuted.Count + 1.0);
    }

    /// <summary>S0 = ΣΣw_ij, S1 = ½ΣΣ(w_ij + w_ji)², S2 = Σ_i(w_i· + w_·i)².</summary>
    public static (double S0, double S1, double S2) Sums(SpatialWeights w)
    {
        ArgumentNullException.ThrowIfNull(w);
        int n = w.N;
        var d = w.Dense();
        double s0 = 0, s1 = 0, s2 = 0;
        var rows = new double[n];
        var cols = new double[n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                s0 += d[i, j];
                double a = d[i, j] + d[j, i];
                s1 += a * a;
                rows[i] += d[i, j];
                cols[j] += d[i, j];
            }
        for (int i = 0; i < n; i++) s2 += (rows[i] + cols[i]) * (rows[i] + cols[i]);
        return (s0, s1 / 2, s2);
    }

    private static MoranMoments Moments(double i, double e, double v)
    {
        double z = (i - e) / Math.Sqrt(v);
        // The upper tail by erfc keeps its relative precision for small p (1 − Φ(z) would not).
        return new MoranMoments(e, v, z, 0.5 * SpecialFunctions.Erfc(z / Math.Sqrt(2)));
    }
}
