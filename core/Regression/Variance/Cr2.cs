namespace DigitalEconomy.Core.Regression.Variance;

/// <summary>
/// CR2 (Bell–McCaffrey): A_g = (I − H_gg)^(−1/2), with Satterthwaite degrees of freedom per coefficient
/// as clubSandwich <c>coef_test(..., test = "Satterthwaite")</c> under its working model Φ = I: for
/// coefficient j, p_g = (I − H) z_g with z_g = A_g X̃_g B c_j on the rows of g (0 elsewhere), and
/// df_j = (Σ_g p_g'p_g)² / Σ_g Σ_h (p_g'p_h)². (I − H) is applied as demean(z) − X̃B X̃'z, and since it is
/// idempotent p_g'p_h = z_g'p_h, a sum over the rows of g. Cost: G·k demeanings and O(G·N·k) products.
/// </summary>
internal sealed class Cr2() : ClusterAdjusted(-0.5)
{
    public override string Name => "cr2";

    protected override double[]? DegreesOfFreedom(in VcovContext c, int[][] rows, double[][,] adjust)
    {
        int n = c.N, m = c.X.Count, g = rows.Length;
        var df = new double[m];
        var z = new double[g][];
        var p = new double[g][];
        for (int j = 0; j < m; j++)
        {
            for (int h = 0; h < g; h++)
            {
                var r = rows[h];
                var xbc = new double[r.Length]; // X̃_g B c_j
                for (int a = 0; a < r.Length; a++)
                {
                    double t = 0;
                    for (int q = 0; q < m; q++) t += c.X[q][r[a]] * c.Bread[q, j];
                    xbc[a] = t;
                }
                var zg = z[h] = new double[r.Length];
                var full = new double[n];
                for (int a = 0; a < r.Length; a++)
                {
                    double t = 0;
                    for (int b = 0; b < r.Length; b++) t += adjust[h][a, b] * xbc[b];
                    zg[a] = t;
                    full[r[a]] = t;
                }
                p[h] = FeProjection.ResidualMaker(c.Input.Absorber, c.Bread, c.X, full);
            }
            double trace = 0, sq = 0;
            for (int a = 0; a < g; a++)
            {
                var ra = rows[a];
                for (int b = 0; b < g; b++)
                {
                    double dot = 0;
                    for (int i = 0; i < ra.Length; i++) dot += z[a][i] * p[b][ra[i]];
                    if (a == b) trace += dot;
                    sq += dot * dot;
                }
            }
            df[j] = trace * trace / sq;
        }
        return df;
    }
}
