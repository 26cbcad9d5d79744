using DigitalEconomy.Core.Regression.Variance;

namespace DigitalEconomy.Core.Regression;

/// <summary>What the variance computation needs to know about a fit.</summary>
/// <param name="Spec">The estimator and its convention.</param>
/// <param name="N">Observations.</param>
/// <param name="K">Regressors kept (with the intercept of pooled OLS).</param>
/// <param name="AbsorbedDf">Degrees of freedom absorbed by the fixed effects.</param>
/// <param name="HasFixedEffects">The fit absorbed fixed effects.</param>
/// <param name="Absorber">The fit's absorber (its FE design), when it has fixed effects.</param>
/// <param name="ClusterCodes">Cluster codes 0..G−1 per sample row, one array per cluster column of the spec.</param>
/// <param name="ClusterNames">The cluster columns.</param>
/// <param name="Cache">Shared pieces for many fits on one sample (a grid), or null.</param>
/// <param name="Unit">Unit codes 0..G−1 per sample row, for estimators that need them (else may be null).</param>
/// <param name="Time">Period codes 0..T−1 per sample row (rank among the sample's distinct periods), for estimators that need them (else null).</param>
internal sealed record VcovInput(
    VcovSpec Spec,
    int N,
    int K,
    int AbsorbedDf,
    bool HasFixedEffects,
    Absorber? Absorber,
    IReadOnlyList<int[]> ClusterCodes,
    IReadOnlyList<string> ClusterNames,
    VcovCache? Cache = null,
    int[]? Unit = null,
    int[]? Time = null);

/// <summary>
/// Memoised pieces of cluster variances that depend only on the sample, the fixed effects and the
/// cluster codes, for many fits sharing them (a specification grid). Keyed by array identity, so the
/// caller must pass the same code arrays; every value equals what <see cref="VcovEngine"/> computes without it.
/// </summary>
internal sealed class VcovCache
{
    private readonly Dictionary<int[], int> _nonNested = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<int[], Dictionary<int[], (int[] Codes, int Count)>> _intersections = new(ReferenceEqualityComparer.Instance);

    public int NonNestedDf(Absorber absorber, int[] clusterCodes)
    {
        if (!_nonNested.TryGetValue(clusterCodes, out int df)) _nonNested[clusterCodes] = df = absorber.NonNestedDf(clusterCodes);
        return df;
    }

    public int[] Intersection(int[] a, int[] b, out int count)
    {
        if (!_intersections.TryGetValue(a, out var inner)) _intersections[a] = inner = new(ReferenceEqualityComparer.Instance);
        if (!inner.TryGetValue(b, out var hit)) inner[b] = hit = (VcovEngine.Intersect(a, b, out int c), c);
        count = hit.Count;
        return hit.Codes;
    }
}

/// <summary>A variance matrix and what it was computed with.</summary>
/// <param name="V">The variance matrix of the coefficients.</param>
/// <param name="Factor">The small-sample factor (NaN for two-way clustering, where each part has its own).</param>
/// <param name="DfTests">Degrees of freedom of t and F tests.</param>
/// <param name="Clusters">Number of clusters by cluster column.</param>
/// <param name="ZeroedEigenvalues">Negative eigenvalues of the two-way (CGM) matrix set to 0 (beyond rounding).</param>
/// <param name="MinEigenvalue">The smallest eigenvalue of the two-way matrix before the fix (0 when none was negative).</param>
/// <param name="CoefficientDf">Degrees of freedom of each coefficient's t test when they differ (CR2 Satterthwaite), else null.</param>
internal sealed record VcovOutput(double[,] V, double Factor, double DfTests, IReadOnlyDictionary<string, int> Clusters, int ZeroedEigenvalues = 0, double MinEigenvalue = 0,
    IReadOnlyList<double>? CoefficientDf = null);

/// <summary>
/// Entry point of the variance estimators (<see cref="VcovRegistry"/>: one entry per estimator) and the
/// meat kernels they share.
/// </summary>
internal static class VcovEngine
{
    public static int DfResid(VcovInput v) => v.N - v.K - v.AbsorbedDf;

    /// <summary>The variance of the registered estimator named by <c>input.Spec</c>.</summary>
    public static VcovOutput Compute(VcovInput input, double[,] bread, IReadOnlyList<double[]> scores, double[] resid, double ssr) =>
        VcovRegistry.Of(input.Spec).Compute(new VcovContext(input, bread, scores, resid, ssr));

    /// <summary>Clusters per cluster column, recorded in <paramref name="clusters"/>; fewer than two is an error.</summary>
    public static int[] CountClusters(VcovInput input, Dictionary<string, int> clusters)
    {
        var codes = input.ClusterCodes;
        var counts = codes.Select(c => c.Length == 0 ? 0 : c.Max() + 1).ToArray();
        for (int i = 0; i < codes.Count; i++)
        {
            clusters[input.ClusterNames[i]] = counts[i];
            if (counts[i] < 2)
                throw new EstimationException($"cluster-robust errors need at least two clusters; '{input.ClusterNames[i]}' has {counts[i]} in the estimation sample");
        }
        return counts;
    }

    // The meats accumulate in a flat upper triangle (no two-dimensional indexing in the inner loops);
    // every sum runs over the same terms in the same order as the plain triple loop.

    public static double[,] HcMeat(IReadOnlyList<double[]> x, double[] e)
    {
        int m = x.Count, n = e.Length;
        var cols = x as double[][] ?? [.. x];
        var acc = new double[m * m];
        var row = new double[m];
        for (int i = 0; i < n; i++)
        {
            double e2 = e[i] * e[i];
            for (int p = 0; p < m; p++) row[p] = cols[p][i];
            for (int p = 0; p < m; p++)
            {
                double w = row[p] * e2;
                int o = p * m;
                for (int q = p; q < m; q++) acc[o + q] += w * row[q];
            }
        }
        return Unflatten(acc, m);
    }

    public static double[,] ClusterMeat(IReadOnlyList<double[]> x, double[] e, int[] codes, int g)
    {
        int m = x.Count, n = e.Length;
        var cols = x as double[][] ?? [.. x];
        var acc = new double[m * m];
        if (g == n && IsIdentity(codes))
        {
            // One observation per cluster, clusters numbered in row order (unit × time of a panel): the
            // cluster score is the row's own, so stream the rows instead of storing G × m scores.
            var v = new double[m];
            for (int i = 0; i < n; i++)
            {
                double ei = e[i];
                for (int p = 0; p < m; p++) v[p] = 0.0 + cols[p][i] * ei; // as the sum from zero below
                for (int p = 0; p < m; p++)
                {
                    double vp = v[p];
                    int o = p * m;
                    for (int q = p; q < m; q++) acc[o + q] += vp * v[q];
                }
            }
            return Unflatten(acc, m);
        }
        var s = new double[g * m]; // cluster-major: s[c * m + p]
        for (int i = 0; i < n; i++)
        {
            int o = codes[i] * m;
            double ei = e[i];
            for (int p = 0; p < m; p++) s[o + p] += cols[p][i] * ei;
        }
        for (int c = 0; c < g; c++)
        {
            int o = c * m;
            for (int p = 0; p < m; p++)
            {
                double v = s[o + p];
                int a = p * m;
                for (int q = p; q < m; q++) acc[a + q] += v * s[o + q];
            }
        }
        return Unflatten(acc, m);
    }

    private static bool IsIdentity(int[] codes)
    {
        for (int i = 0; i < codes.Length; i++) if (codes[i] != i) return false;
        return true;
    }

    private static double[,] Unflatten(double[] acc, int m)
    {
        var meat = new double[m, m];
        for (int p = 0; p < m; p++)
            for (int q = p; q < m; q++) meat[p, q] = acc[p * m + q];
        Symmetrise(meat);
        return meat;
    }

    private static void Symmetrise(double[,] a)
    {
        for (int p = 0; p < a.GetLength(0); p++)
            for (int q = 0; q < p; q++) a[p, q] = a[q, p];
    }

    internal static int[] Intersect(int[] a, int[] b, out int count)
    {
        var r = new int[a.Length];
        int ga = a.Length == 0 ? 0 : a.Max() + 1, gb = b.Length == 0 ? 0 : b.Max() + 1;
        if ((long)ga * gb <= Math.Max(4L * a.Length, 1024))
        {
            // Few enough pairs (a panel's unit × year): numbered through a table, in the same first-appearance order as below.
            var table = new int[ga * gb];
            Array.Fill(table, -1);
            count = 0;
            for (int i = 0; i < a.Length; i++)
            {
                ref int c = ref table[a[i] * gb + b[i]];
                if (c < 0) c = count++;
                r[i] = c;
            }
            return r;
        }
        var map = new Dictionary<long, int>();
        for (int i = 0; i < a.Length; i++)
        {
            long key = ((long)a[i] << 32) | (uint)b[i];
            if (!map.TryGetValue(key, out int c)) { c = map.Count; map[key] = c; }
            r[i] = c;
        }
        count = map.Count;
        return r;
    }
}
