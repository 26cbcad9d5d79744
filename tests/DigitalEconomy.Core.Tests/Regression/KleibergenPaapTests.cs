using DigitalEconomy.Core.Regression;
using MathNet.Numerics.LinearAlgebra;
using Xunit;
using static DigitalEconomy.Core.Tests.TestData;

namespace DigitalEconomy.Core.Tests.Regression;

/// <summary>The general rk statistic against two identities it must satisfy.</summary>
public class KleibergenPaapTests
{
    private static (double[][] Z, double[][] Y) Data(int n, int l1, int k1, ulong seed)
    {
        ulong s = seed;
        double N()
        {
            double U() { s += 0x9E3779B97F4A7C15UL; ulong z = s; z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL; z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL; return (((z ^ (z >> 31)) >> 11) + 0.5) / 9007199254740992.0; }
            return Math.Sqrt(-2 * Math.Log(U())) * Math.Cos(2 * Math.PI * U());
        }
        var z = Enumerable.Range(0, l1).Select(_ => Enumerable.Range(0, n).Select(_ => N()).ToArray()).ToArray();
        var y = Enumerable.Range(0, k1).Select(k => Enumerable.Range(0, n).Select(i => 0.4 * z[k % l1][i] + 0.2 * z[(k + 1) % l1][i] + (1 + Math.Abs(z[0][i])) * N()).ToArray()).ToArray();
        return (z, y);
    }

    private static (double[,] Pi, double[,] Zz, double[,] Yy, double[,] ZzInv, double[][] Resid) Fit(double[][] z, double[][] y)
    {
        var M = Matrix<double>.Build;
        var Z = M.DenseOfColumnArrays(z);
        var Y = M.DenseOfColumnArrays(y);
        var zz = Z.TransposeThisAndMultiply(Z);
        var pi = zz.Solve(Z.TransposeThisAndMultiply(Y));
        var resid = Y - Z * pi;
        return (pi.ToArray(), zz.ToArray(), Y.TransposeThisAndMultiply(Y).ToArray(), zz.Inverse().ToArray(), resid.ToColumnArrays());
    }

    [Fact]
    public void OneEndogenous_EqualsTheRobustWaldTestOfPi()
    {
        var (z, y) = Data(400, 3, 1, 11);
        var (pi, zz, yy, zzInv, resid) = Fit(z, y);
        var v = KleibergenPaap.VarVecPi(z, resid, zzInv, null);
        double rk = KleibergenPaap.RkStatistic(pi, zz, yy, v, 400);
        // Direct: π' V(π)⁻¹ π with the HC0 sandwich, computed here independently.
        var M = Matrix<double>.Build;
        var Z = M.DenseOfColumnArrays(z);
        var meat = M.Dense(3, 3);
        for (int i = 0; i < 400; i++) { var zi = Z.Row(i); meat += zi.OuterProduct(zi) * (resid[0][i] * resid[0][i]); }
        var bread = M.DenseOfArray(zzInv);
        var V = bread * meat * bread;
        var p = M.DenseOfArray(pi).Column(0);
        Close(p.DotProduct(V.Solve(p)), rk, 1e-9, "rk vs robust Wald");
    }

    [Fact]
    public void KroneckerCovariance_GivesTheCraggDonaldMinimumEigenvalue()
    {
        var (z, y) = Data(500, 3, 2, 29);
        var (pi, zz, yy, zzInv, resid) = Fit(z, y);
        var M = Matrix<double>.Build;
        var R = M.DenseOfColumnArrays(resid);
        var sigma = R.TransposeThisAndMultiply(R) / 500;
        var kron = sigma.KroneckerProduct(M.DenseOfArray(zzInv));
        double rk = KleibergenPaap.RkStatistic(pi, zz, yy, kron.ToArray(), 500);
        // Cragg-Donald: min eigenvalue of Σ^(-1/2) Π'Z'ZΠ Σ^(-1/2), i.e. of Σ⁻¹ Π'Z'ZΠ.
        var P = M.DenseOfArray(pi);
        var stat = sigma.Inverse() * P.TransposeThisAndMultiply(M.DenseOfArray(zz)) * P;
        double min = stat.Evd().EigenValues.Select(c => c.Real).Min();
        Close(min, rk, 1e-8, "rk vs Cragg-Donald");
    }

    [Fact]
    public void TwoEndogenous_OnProduc_ReportsARobustRkWaldF()
    {
        var data = LoadPanel("Produc.csv", "state", "year");
        var r = Estimation.Fit(data, "log(gsp) ~ log(pcap) | state | log(emp) + unemp ~ lag(log(emp)) + lag(unemp) + lag(log(emp), 2)",
            new EstimationOptions { Vcov = VcovSpec.Cluster("state") });
        Assert.Equal(2, r.FirstStages!.Count);
        Assert.NotNull(r.Iv!.KleibergenPaapWaldF);
        Assert.InRange(r.Iv.KleibergenPaapWaldF!.Value, 1, 1e6);
        Assert.Equal([13.43, 8.18, 6.40, 5.45], r.Iv.StockYogoSize!);
        Assert.Contains(r.Warnings, w => w.Contains("Kleibergen-Paap rk Wald F is robust", StringComparison.Ordinal));
    }
}
