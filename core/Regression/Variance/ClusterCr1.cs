using DigitalEconomy.Core.Numerics;

namespace DigitalEconomy.Core.Regression.Variance;

/// <summary>
/// Cluster-robust (CR1) by one column, or two (Cameron, Gelbach &amp; Miller 2011: V₁ + V₂ − V₁₂, each with
/// its own factor G/(G−1)·(N−1)/(N−K), K by <see cref="SmallSample"/>); t tests on min(G) − 1 df.
/// </summary>
internal sealed class ClusterCr1 : VarianceEstimator
{
    public override string Name => "cluster";
    public override int MinClusters => 1;
    public override int MaxClusters => 2;

    public override string ClusterCountMessage(string text) =>
        $"--vcov '{text}': give one or two cluster columns, e.g. cluster:city or cluster:city,year";

    public override VcovOutput Compute(in VcovContext c)
    {
        var input = c.Input;
        var bread = c.Bread;
        var scores = c.X;
        var resid = c.Resid;
        var clusters = new Dictionary<string, int>(StringComparer.Ordinal);
        var codes = input.ClusterCodes;
        var counts = VcovEngine.CountClusters(input, clusters);
        if (codes.Count == 1)
        {
            double f = Factor(input, codes[0], counts[0]);
            var v = Dense.Scale(Dense.Sandwich(bread, VcovEngine.ClusterMeat(scores, resid, codes[0], counts[0])), f);
            return new VcovOutput(v, f, counts[0] - 1, clusters);
        }
        // Two-way (Cameron, Gelbach & Miller 2011): V1 + V2 − V12, each with its own factor. The
        // difference need not be positive semi-definite; as CGM (§2.3), fixest and reghdfe do, its
        // negative eigenvalues are set to 0 and the fit warns.
        int g12;
        var inter = input.Cache is { } cache ? cache.Intersection(codes[0], codes[1], out g12) : VcovEngine.Intersect(codes[0], codes[1], out g12);
        double f1 = Factor(input, codes[0], counts[0]);
        double f2 = Factor(input, codes[1], counts[1]);
        double f12 = Factor(input, inter, g12);
        var v1 = Dense.Sandwich(bread, VcovEngine.ClusterMeat(scores, resid, codes[0], counts[0]));
        var v2 = Dense.Sandwich(bread, VcovEngine.ClusterMeat(scores, resid, codes[1], counts[1]));
        var v12 = Dense.Sandwich(bread, VcovEngine.ClusterMeat(scores, resid, inter, g12));
        int m = v1.GetLength(0);
        var vv = new double[m, m];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < m; j++) vv[i, j] = f1 * v1[i, j] + f2 * v2[i, j] - f12 * v12[i, j];
        var fixedV = Dense.ClipNegativeEigenvalues(vv, out int zeroed, out double min);
        return new VcovOutput(fixedV, double.NaN, Math.Min(counts[0], counts[1]) - 1, clusters, zeroed, min);
    }

    /// <summary>G/(G−1)·(N−1)/(N−K) with K by the convention (stata: k + max(1, df of the effects not nested in the clusters)).</summary>
    internal static double Factor(VcovInput input, int[] codes, int g)
    {
        int n = input.N, k = input.K;
        int kk = input.Spec.Convention switch
        {
            SmallSample.Plm => k,
            SmallSample.Lsdv => k + input.AbsorbedDf,
            SmallSample.None => -1,
            _ => !input.HasFixedEffects ? k : k + Math.Max(1, input.Cache?.NonNestedDf(input.Absorber!, codes) ?? input.Absorber!.NonNestedDf(codes)),
        };
        if (kk < 0) return 1;
        return (double)g / (g - 1) * (n - 1) / (n - kk);
    }
}
