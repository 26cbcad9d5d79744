using DigitalEconomy.Core.Numerics;

namespace DigitalEconomy.Core.Regression.Variance;

/// <summary>
/// Cluster-robust with adjustment matrices (Bell &amp; McCaffrey 2002; Pustejovsky &amp; Tipton 2018):
/// B[Σ_g X̃_g'A_g e_g e_g'A_g'X̃_g]B with A_g = (I − H_gg)^p, H_gg the cluster block of the full LSDV hat
/// matrix (<see cref="FeProjection"/>). I − H_gg is singular when fixed effects are nested in the clusters;
/// the symmetric generalised power is used (eigenvalues ≤ 1e-10·max set to 0), as clubSandwich. No
/// small-sample factor; t tests on G − 1 df unless the estimator gives per-coefficient df.
/// </summary>
internal abstract class ClusterAdjusted(double power) : VarianceEstimator
{
    public override int MinClusters => 1;
    public override int MaxClusters => 1;
    public override bool ScoreLinear => false;
    public override bool LinearOnly => true;
    public override bool UsesConvention => false;

    public override VcovOutput Compute(in VcovContext c)
    {
        var clusters = new Dictionary<string, int>(StringComparer.Ordinal);
        int g = VcovEngine.CountClusters(c.Input, clusters)[0];
        var codes = c.Input.ClusterCodes[0];
        int n = c.N, m = c.X.Count;
        var rows = FeProjection.RowsByCluster(codes, g);
        var adjust = new double[g][,];
        var meat = new double[m, m];
        for (int h = 0; h < g; h++)
        {
            var r = rows[h];
            var ih = FeProjection.Block(c.Input.Absorber, c.Bread, c.X, r, n);
            for (int a = 0; a < r.Length; a++)
                for (int b = 0; b < r.Length; b++) ih[a, b] = (a == b ? 1 : 0) - ih[a, b];
            var adj = adjust[h] = Dense.SymmetricPower(ih, power);
            var u = new double[m];
            for (int a = 0; a < r.Length; a++)
            {
                double ae = 0;
                for (int b = 0; b < r.Length; b++) ae += adj[a, b] * c.Resid[r[b]];
                for (int p = 0; p < m; p++) u[p] += c.X[p][r[a]] * ae;
            }
            for (int p = 0; p < m; p++)
                for (int q = 0; q < m; q++) meat[p, q] += u[p] * u[q];
        }
        var v = Dense.Sandwich(c.Bread, meat);
        return new VcovOutput(v, 1, g - 1, clusters, CoefficientDf: DegreesOfFreedom(c, rows, adjust));
    }

    /// <summary>Per-coefficient degrees of freedom of the t tests, or null for G − 1.</summary>
    protected virtual double[]? DegreesOfFreedom(in VcovContext c, int[][] rows, double[][,] adjust) => null;
}
