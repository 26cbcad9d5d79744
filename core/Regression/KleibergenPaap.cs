using MathNet.Numerics.LinearAlgebra;

namespace DigitalEconomy.Core.Regression;

/// <summary>
/// Kleibergen and Paap (2006) rk Wald statistic for H0: rank(Π) = K1 − 1, Π the L1×K1 coefficients of
/// the excluded instruments Z in the first stages of the endogenous Y (both with exogenous regressors
/// and fixed effects partialled out). With Θ̂ = F Π̂ G⁻¹ (F'F = Z'Z/N, G'G = Y'Y/N) and its SVD
/// U S V', the statistic is λ'[(B⊗A') Var(vec Θ̂) (B⊗A')']⁻¹λ with λ = (B⊗A') vec Θ̂, where A and B are
/// the normalised singular-vector blocks of the smallest singular value (ivreg2's ranktest). With one
/// endogenous regressor it is the robust Wald test of π = 0; with a Kronecker covariance Σ ⊗ (Z'Z)⁻¹ it
/// is the Cragg-Donald minimum-eigenvalue statistic.
/// </summary>
internal static class KleibergenPaap
{
    /// <param name="pi">Π̂ (L1 × K1).</param>
    /// <param name="zz">Z'Z (L1 × L1).</param>
    /// <param name="yy">Y'Y (K1 × K1).</param>
    /// <param name="varVecPi">Var(vec Π̂), columns of Π̂ stacked (L1K1 × L1K1).</param>
    /// <param name="n">Observations.</param>
    public static double RkStatistic(double[,] pi, double[,] zz, double[,] yy, double[,] varVecPi, int n)
    {
        var M = Matrix<double>.Build;
        var P = M.DenseOfArray(pi);
        int l1 = P.RowCount, k1 = P.ColumnCount, q = k1 - 1;
        var F = M.DenseOfArray(zz).Divide(n).Cholesky().Factor.Transpose();   // upper, F'F = Z'Z/N
        var G = M.DenseOfArray(yy).Divide(n).Cholesky().Factor.Transpose();   // upper, G'G = Y'Y/N
        var Gi = G.Inverse();
        var theta = F * P * Gi;
        var svd = theta.Svd(computeVectors: true);
        var U = svd.U;           // L1 × L1
        var V = svd.VT.Transpose(); // K1 × K1
        var u12 = U.SubMatrix(0, q, q, l1 - q);
        var u22 = U.SubMatrix(q, l1 - q, q, l1 - q);
        var v12 = V.SubMatrix(0, q, q, k1 - q);
        var v22 = V.SubMatrix(q, k1 - q, q, k1 - q);
        var a = M.Dense(l1, l1 - q);
        a.SetSubMatrix(0, 0, u12);
        a.SetSubMatrix(q, 0, u22);
        a = a * u22.Inverse() * SqrtSym(u22 * u22.Transpose());
        var vv = M.Dense(k1 - q, k1);
        vv.SetSubMatrix(0, 0, v12.Transpose());
        vv.SetSubMatrix(0, q, v22.Transpose());
        var b = SqrtSym(v22 * v22.Transpose()) * v22.Transpose().Inverse() * vv;
        var vecTheta = Vec(theta);
        var k = b.KroneckerProduct(a.Transpose());
        var lambda = k * vecTheta;
        var t = Gi.Transpose().KroneckerProduct(F);                          // vec Θ̂ = (G⁻¹' ⊗ F) vec Π̂
        var covTheta = t * M.DenseOfArray(varVecPi) * t.Transpose();
        var c = k * covTheta * k.Transpose();
        c = (c + c.Transpose()) * 0.5;
        return lambda.DotProduct(c.Solve(lambda));
    }

    private static Vector<double> Vec(Matrix<double> m)
    {
        var v = Vector<double>.Build.Dense(m.RowCount * m.ColumnCount);
        for (int j = 0; j < m.ColumnCount; j++)
            for (int i = 0; i < m.RowCount; i++) v[j * m.RowCount + i] = m[i, j];
        return v;
    }

    private static Matrix<double> SqrtSym(Matrix<double> s)
    {
        var evd = ((s + s.Transpose()) * 0.5).Evd(Symmetricity.Symmetric);
        var d = Matrix<double>.Build.DenseOfDiagonalVector(evd.EigenValues.Map(c => Math.Sqrt(Math.Max(0, c.Real))));
        return evd.EigenVectors * d * evd.EigenVectors.Transpose();
    }

    /// <summary>Var(vec Π̂) by the sandwich with first-stage residuals, CR0 by cluster or HC0 when codes is null.</summary>
    public static double[,] VarVecPi(IReadOnlyList<double[]> z, IReadOnlyList<double[]> resid, double[,] zzInv, int[]? codes)
    {
        int l1 = z.Count, k1 = resid.Count, m = l1 * k1, n = z[0].Length;
        int groups = codes is null ? n : codes.Max() + 1;
        var s = new double[groups, m];
        for (int i = 0; i < n; i++)
        {
            int g = codes is null ? i : codes[i];
            for (int kk = 0; kk < k1; kk++)
                for (int l = 0; l < l1; l++) s[g, kk * l1 + l] += z[l][i] * resid[kk][i];
        }
        var meat = new double[m, m];
        for (int g = 0; g < groups; g++)
            for (int p = 0; p < m; p++)
            {
                double v = s[g, p];
                if (v == 0) continue;
                for (int r = 0; r < m; r++) meat[p, r] += v * s[g, r];
            }
        // (I ⊗ (Z'Z)⁻¹) meat (I ⊗ (Z'Z)⁻¹)
        var M = Matrix<double>.Build;
        var bread = M.DenseIdentity(k1).KroneckerProduct(M.DenseOfArray(zzInv));
        return (bread * M.DenseOfArray(meat) * bread).ToArray();
    }
}
