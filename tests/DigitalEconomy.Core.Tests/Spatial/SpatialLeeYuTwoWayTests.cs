using System.Globalization;
using System.Text;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Spatial;
using MathNet.Numerics.LinearAlgebra;
using Xunit;

namespace DigitalEconomy.Core.Tests.Spatial;

/// <summary>
/// Lee &amp; Yu (2010) two-way transformation approach, checked INDEPENDENTLY of the fit's coordinates: the test builds
/// the orthonormal Helmert bases F_{T,T−1} and F_{n,n−1} explicitly (columns orthonormal and orthogonal to 1),
/// transforms y, X and W (W* = F_n'WF_n, (n−1) × (n−1)), and maximises the PLAIN Gaussian likelihood of the
/// transformed data, −(n−1)(T−1)/2·log(2πσ²) + (T−1)·log|I − aW*| − SSE*/(2σ²), with log|I − aW*| from MathNet's LU
/// determinant (no log(1 − a) identity), β and σ² concentrated out by least squares, and the spatial coefficient(s)
/// by golden-section search (nested for SAC). The information-matrix SEs are rebuilt in the same F coordinates.
/// Data: a synthetic 7-unit irregular contiguity graph (row-standardised, so W is NOT column-stochastic and J·W ≠ W·J),
/// T = 6, regressors and effects from a seeded System.Random, y from the SAR (SDM, SEM, SAC) data-generating process.
/// </summary>
public class SpatialLeeYuTwoWayTests
{
    private const int N = 7, T = 6;
    private static readonly int[][] Neighbours = [[1, 2], [0, 2, 3], [0, 1, 3, 4], [1, 2, 5], [2, 5, 6], [3, 4, 6], [4, 5]];
    private static readonly string[] Units = [.. Enumerable.Range(0, N).Select(i => "u" + i)];

    private static double[,] BinaryW()
    {
        var b = new double[N, N];
        for (int i = 0; i < N; i++) foreach (int j in Neighbours[i]) b[i, j] = 1;
        return b;
    }

    private static Matrix<double> RowStandardised()
    {
        var m = Matrix<double>.Build.DenseOfArray(BinaryW());
        for (int i = 0; i < N; i++) m.SetRow(i, m.Row(i) / m.Row(i).Sum());
        return m;
    }

    private static SpatialWeights Weights(bool rowStandardise = true) => SpatialWeights.FromMatrix(Units, Units, BinaryW(), rowStandardise);

    /// <summary>x1, x2 (n × T each) and y from the model (ρ = 0.35 on W·y, λ = 0.3 on W·u as the model has them).</summary>
    private static (Matrix<double> Y, Matrix<double> X1, Matrix<double> X2) Simulate(SpatialModel model)
    {
        var rng = new Random(20100154);
        var w = RowStandardised();
        var i = Matrix<double>.Build.DenseIdentity(N);
        var x1 = Matrix<double>.Build.Dense(N, T, (_, _) => rng.NextDouble() * 2);
        var x2 = Matrix<double>.Build.Dense(N, T, (_, _) => rng.NextDouble() - 0.5);
        var c = Vector<double>.Build.Dense(N, _ => rng.NextDouble());
        var alpha = Vector<double>.Build.Dense(T, _ => rng.NextDouble());
        var y = Matrix<double>.Build.Dense(N, T);
        double rho = model is SpatialModel.Sar or SpatialModel.Sdm or SpatialModel.Sac ? 0.35 : 0;
        double lam = model is SpatialModel.Sem or SpatialModel.Sac ? 0.3 : 0;
        for (int t = 0; t < T; t++)
        {
            var e = Vector<double>.Build.Dense(N, _ => rng.NextDouble() - 0.5);
            var u = (i - lam * w).Inverse() * e;
            var xb = 1.0 * x1.Column(t) - 0.5 * x2.Column(t) + c + alpha[t];
            if (model == SpatialModel.Sdm) xb += 0.4 * (w * x1.Column(t)) + 0.2 * (w * x2.Column(t));
            y.SetColumn(t, (i - rho * w).Inverse() * (xb + u));
        }
        return (y, x1, x2);
    }

    private static Panel ToPanel(Matrix<double> y, Matrix<double> x1, Matrix<double> x2)
    {
        var sb = new StringBuilder("unit,year,y,x1,x2\n");
        for (int t = 0; t < T; t++)
            for (int i = 0; i < N; i++)
                sb.Append(CultureInfo.InvariantCulture, $"{Units[i]},{2000 + t},{y[i, t]:R},{x1[i, t]:R},{x2[i, t]:R}\n");
        return Panel.Create(CsvReader.Read(new StringReader(sb.ToString()), "leeyu.csv"), "unit", "year");
    }

    /// <summary>Helmert basis: m × (m−1), column k = (1, …, 1, −k, 0, …)/√(k(k+1)); orthonormal, orthogonal to 1.</summary>
    private static Matrix<double> Helmert(int m) =>
        Matrix<double>.Build.Dense(m, m - 1, (r, k) => r <= k ? 1 / Math.Sqrt((k + 1.0) * (k + 2)) : r == k + 1 ? -(k + 1) / Math.Sqrt((k + 1.0) * (k + 2)) : 0);

    /// <summary>The transformed problem, in F coordinates: Y* = F_n'YF_T stacked by transformed period.</summary>
    private sealed class Transformed
    {
        public required Matrix<double> Ws { get; init; }
        public required Matrix<double> Ys { get; init; }
        public required List<Matrix<double>> Xs { get; init; }
        public int M => N - 1;
        public int P => T - 1;
        public double Obs => (N - 1.0) * (T - 1.0);

        public static Transformed From(Matrix<double> y, List<Matrix<double>> x)
        {
            var fn = Helmert(N);
            var ft = Helmert(T);
            Assert.True((fn.Transpose() * fn - Matrix<double>.Build.DenseIdentity(N - 1)).InfinityNorm() < 1e-14);
            Assert.True((fn.Transpose() * Vector<double>.Build.Dense(N, 1)).InfinityNorm() < 1e-14);
            return new Transformed
            {
                Ws = fn.Transpose() * RowStandardised() * fn,
                Ys = fn.Transpose() * y * ft,
                Xs = [.. x.Select(m => fn.Transpose() * m * ft)],
            };
        }

        private static Vector<double> Vec(Matrix<double> m) => Vector<double>.Build.DenseOfEnumerable(m.EnumerateColumns().SelectMany(c => c));

        private Matrix<double> A(double a) => Matrix<double>.Build.DenseIdentity(M) - a * Ws;

        /// <summary>SSE*, β at (ρ, λ): OLS of vec(B A Y*) on vec(B X*_k), A = I − ρW*, B = I − λW*.</summary>
        public (double Sse, Vector<double> Beta, Matrix<double> Xbar) Ls(double rho, double lam)
        {
            var yv = Vec(A(lam) * A(rho) * Ys);
            var xbar = Matrix<double>.Build.DenseOfColumnVectors(Xs.Select(m => Vec(A(lam) * m)));
            var beta = (xbar.Transpose() * xbar).Solve(xbar.Transpose() * yv);
            var r = yv - xbar * beta;
            return (r * r, beta, xbar);
        }

        public double LogLik(double rho, double lam)
        {
            double sse = Ls(rho, lam).Sse;
            double s2 = sse / Obs;
            return -Obs / 2 * Math.Log(2 * Math.PI * s2) + P * (Math.Log(A(rho).Determinant()) + Math.Log(A(lam).Determinant())) - sse / (2 * s2);
        }

        /// <summary>G* = W*(I − aW*)⁻¹.</summary>
        public Matrix<double> G(double a) => Ws * A(a).Inverse();

        /// <summary>(I_{T−1} ⊗ M) v for v stacked by transformed period.</summary>
        public Vector<double> Apply(Matrix<double> m, Vector<double> v) =>
            Vector<double>.Build.DenseOfEnumerable(Enumerable.Range(0, P).SelectMany(p => m * v.SubVector(p * M, M)));
    }

    private static double Golden(Func<double, double> f, double lo = -0.9, double hi = 0.95)
    {
        double g = (Math.Sqrt(5) - 1) / 2;
        double a = lo, b = hi, c = b - g * (b - a), d = a + g * (b - a), fc = f(c), fd = f(d);
        while (b - a > 1e-11)
        {
            if (fc > fd) { b = d; d = c; fd = fc; c = b - g * (b - a); fc = f(c); }
            else { a = c; c = d; fc = fd; d = a + g * (b - a); fd = f(d); }
        }
        return 0.5 * (a + b);
    }

    private static void Near(double expected, double actual, double tol, string what) =>
        Assert.True(Math.Abs(actual - expected) <= tol * Math.Max(1, Math.Abs(expected)), $"{what}: expected {expected:R}, got {actual:R}");

    private static SpatialFit Fit(SpatialModel model, bool leeYu, out Transformed tr)
    {
        var (y, x1, x2) = Simulate(model);
        var xs = new List<Matrix<double>> { x1, x2 };
        if (model == SpatialModel.Sdm) { var w = RowStandardised(); xs.Add(w * x1); xs.Add(w * x2); }
        tr = Transformed.From(y, xs);
        return SpatialPanel.Fit(ToPanel(y, x1, x2), Formula.Parse("y ~ x1 + x2"), Weights(), new SpatialOptions(model, SpatialEffects.TwoWays, leeYu));
    }

    private static readonly string[] Slopes = ["x1", "x2", "W*x1", "W*x2"];

    [Theory]
    [InlineData(SpatialModel.Sar)]
    [InlineData(SpatialModel.Sdm)]
    [InlineData(SpatialModel.Sem)]
    [InlineData(SpatialModel.Sac)]
    public void Matches_the_likelihood_of_the_explicitly_transformed_data(SpatialModel model)
    {
        var fit = Fit(model, leeYu: true, out var tr);
        double rho = 0, lam = 0;
        switch (model)
        {
            case SpatialModel.Sar or SpatialModel.Sdm: rho = Golden(r => tr.LogLik(r, 0)); break;
            case SpatialModel.Sem: lam = Golden(l => tr.LogLik(0, l)); break;
            default:
                rho = Golden(r => tr.LogLik(r, Golden(l => tr.LogLik(r, l))));
                lam = Golden(l => tr.LogLik(rho, l));
                break;
        }
        var (sse, beta, xbar) = tr.Ls(rho, lam);
        double s2 = sse / tr.Obs;
        if (model != SpatialModel.Sem) Near(rho, fit["rho"].Estimate, 1e-6, "rho");
        if (model is SpatialModel.Sem or SpatialModel.Sac) Near(lam, fit["lambda"].Estimate, 1e-6, "lambda");
        for (int k = 0; k < beta.Count; k++) Near(beta[k], fit[Slopes[k]].Estimate, 1e-6, Slopes[k]);
        Near(s2, fit.Sigma2, 1e-6, "sigma2");
        Near(tr.LogLik(rho, lam), fit.LogLik, 1e-6, "logLik");
        // σ² = SSE/((n − 1)(T − 1)) with SSE the two-way demeaned residuals' sum of squares (the transform preserves it).
        double fitSse = fit.Residuals.Sum(e => e * e);
        Near(fitSse / ((N - 1.0) * (T - 1.0)), fit.Sigma2, 1e-12, "sigma2 = SSE/((n-1)(T-1))");
        Near(sse, fitSse, 1e-6, "SSE* = SSE");

        // Information-matrix SEs in F coordinates, order (σ², ρ?, λ?, β), with T − 1 and (n − 1)(T − 1).
        var spatial = new List<Matrix<double>>(); // the matrices whose coefficient is in the model, in fit order
        var xb = xbar * beta;
        var lhs = new List<Vector<double>>();      // the mean-part derivatives (ρ: Gd X̄β; λ: none)
        var i = Matrix<double>.Build.DenseIdentity(N - 1);
        if (model != SpatialModel.Sem)
        {
            var r = i - lam * tr.Ws;
            var gd = r * tr.G(rho) * r.Inverse();
            spatial.Add(gd);
            lhs.Add(tr.Apply(gd, xb));
        }
        if (model is SpatialModel.Sem or SpatialModel.Sac) { spatial.Add(tr.G(lam)); lhs.Add(Vector<double>.Build.Dense(xb.Count)); }
        int q = spatial.Count, k2 = beta.Count, dim = 1 + q + k2;
        var info = Matrix<double>.Build.Dense(dim, dim);
        info[0, 0] = tr.Obs / (2 * s2 * s2);
        for (int a = 0; a < q; a++)
        {
            info[0, 1 + a] = info[1 + a, 0] = tr.P * spatial[a].Trace() / s2;
            for (int b = 0; b <= a; b++)
                info[1 + a, 1 + b] = info[1 + b, 1 + a] = tr.P * ((spatial[a] * spatial[b]).Trace() + (spatial[a].Transpose() * spatial[b]).Trace()) + lhs[a] * lhs[b] / s2;
            for (int j = 0; j < k2; j++) info[1 + a, 1 + q + j] = info[1 + q + j, 1 + a] = xbar.Column(j) * lhs[a] / s2;
        }
        for (int j = 0; j < k2; j++) for (int l = 0; l < k2; l++) info[1 + q + j, 1 + q + l] = xbar.Column(j) * xbar.Column(l) / s2;
        var v = info.Inverse();
        Near(Math.Sqrt(v[0, 0]), fit.Sigma2Se, 1e-6, "SE sigma2");
        for (int c = 0; c < q + k2; c++) Near(Math.Sqrt(v[1 + c, 1 + c]), fit.Coefficients[c].StdError, 1e-6, "SE " + fit.Coefficients[c].Name);
    }

    [Theory]
    [InlineData(SpatialModel.Sar)]
    [InlineData(SpatialModel.Sdm)]
    public void Differs_from_the_uncorrected_two_way_fit(SpatialModel model)
    {
        var ly = Fit(model, leeYu: true, out _);
        var plain = Fit(model, leeYu: false, out _);
        Assert.True(Math.Abs(ly["rho"].Estimate - plain["rho"].Estimate) > 1e-4, $"rho {ly["rho"].Estimate} vs {plain["rho"].Estimate}");
        Assert.True(Math.Abs(ly["x1"].Estimate - plain["x1"].Estimate) > 1e-5, $"x1 {ly["x1"].Estimate} vs {plain["x1"].Estimate}");
        // The uncorrected fit divides by NT, the corrected one by (n − 1)(T − 1).
        Near(plain.Residuals.Sum(e => e * e) / (N * T), plain.Sigma2, 1e-12, "uncorrected sigma2");
        Near(ly.Residuals.Sum(e => e * e) / ((N - 1.0) * (T - 1.0)), ly.Sigma2, 1e-12, "corrected sigma2");
    }

    [Theory]
    [InlineData(SpatialModel.Sar)]
    [InlineData(SpatialModel.Sdm)]
    [InlineData(SpatialModel.Sem)]
    public void The_concentrated_log_likelihood_is_that_of_the_transformed_data_at_every_point(SpatialModel model)
    {
        var (y, x1, x2) = Simulate(model);
        var xs = new List<Matrix<double>> { x1, x2 };
        if (model == SpatialModel.Sdm) { var w = RowStandardised(); xs.Add(w * x1); xs.Add(w * x2); }
        var tr = Transformed.From(y, xs);
        var panel = ToPanel(y, x1, x2);
        foreach (double a in new[] { -0.6, -0.1, 0.25, 0.7, 0.9 })
        {
            var (ll, sse, ld) = SpatialPanel.ConcentratedLogLik(panel, Formula.Parse("y ~ x1 + x2"), Weights(), new SpatialOptions(model, SpatialEffects.TwoWays, LeeYu: true), a);
            bool lag = model != SpatialModel.Sem;
            Near(tr.LogLik(lag ? a : 0, lag ? 0 : a), ll, 1e-10, $"logLik at {a}");
            Near(tr.Ls(lag ? a : 0, lag ? 0 : a).Sse, sse, 1e-10, $"SSE at {a}");
            Near(Math.Log((Matrix<double>.Build.DenseIdentity(N - 1) - a * tr.Ws).Determinant()), ld, 1e-10, $"log|I - aW*| at {a}");
        }
    }

    [Fact]
    public void Refuses_a_W_that_is_not_row_standardised()
    {
        var (y, x1, x2) = Simulate(SpatialModel.Sar);
        var e = Assert.Throws<InputException>(() => SpatialPanel.Fit(ToPanel(y, x1, x2), Formula.Parse("y ~ x1 + x2"), Weights(rowStandardise: false), new SpatialOptions(SpatialModel.Sar, SpatialEffects.TwoWays, LeeYu: true)));
        Assert.Contains("row-standardised", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }
}
