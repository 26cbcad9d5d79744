using System.Globalization;
using System.Text;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Spatial;
using Xunit;
using static DigitalEconomy.Core.Tests.TestData;

namespace DigitalEconomy.Core.Tests.Spatial;

/// <summary>
/// The sparse path (sparse Cholesky log-determinants, Brent + exact-derivative polish, Lanczos interval, traces by sparse
/// solves) is the same estimator as the eigen path: forced on usaww/Produc (every model and effects, the splm references
/// of SpatialPanelTests checked through the default path) and on a 900-unit lattice, it gives the eigen path's
/// ρ/λ, β, θ, SEs, σ² and its SE, log-likelihood and exact impacts within 1e-8 (relative).
/// </summary>
public class SpatialSparsePathTests
{
    private static readonly Panel Produc = LoadPanel("Produc.csv", "state", "year");
    private static readonly Formula F = Formula.Parse("log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp");

    private static void Same(SpatialFit eigen, SpatialFit sparse, string what, double tol = 1e-8)
    {
        Assert.Equal(SpatialLogDet.Eigen, eigen.LogDetMethod);
        Assert.Equal(SpatialLogDet.Sparse, sparse.LogDetMethod);
        Assert.Equal(eigen.Coefficients.Select(c => c.Name), sparse.Coefficients.Select(c => c.Name));
        for (int i = 0; i < eigen.Coefficients.Count; i++)
        {
            var (a, b) = (eigen.Coefficients[i], sparse.Coefficients[i]);
            Close(a.Estimate, b.Estimate, tol, $"{what} {a.Name}");
            Close(a.StdError, b.StdError, tol, $"{what} SE {a.Name}");
        }
        Close(eigen.Sigma2, sparse.Sigma2, tol, $"{what} sigma2");
        Close(eigen.Sigma2Se, sparse.Sigma2Se, tol, $"{what} SE sigma2");
        Close(eigen.LogLik, sparse.LogLik, 1e-12, $"{what} logLik");
        Close(eigen.EigenRange.Min, sparse.EigenRange.Min, 1e-10, $"{what} omega_min");
        Close(eigen.EigenRange.Max, sparse.EigenRange.Max, 1e-10, $"{what} omega_max");
        if (eigen.Impacts is null) { Assert.Null(sparse.Impacts); return; }
        for (int k = 0; k < eigen.Impacts.Count; k++)
        {
            var (a, b) = (eigen.Impacts[k], sparse.Impacts![k]);
            Close(a.Direct, b.Direct, tol, $"{what} direct {a.Term}");
            Close(a.Indirect, b.Indirect, tol, $"{what} indirect {a.Term}");
            Close(a.Total, b.Total, tol, $"{what} total {a.Term}");
        }
    }

    public static TheoryData<SpatialModel, SpatialEffects, bool> ProducModels()
    {
        var d = new TheoryData<SpatialModel, SpatialEffects, bool>();
        foreach (var m in new[] { SpatialModel.Sar, SpatialModel.Sem, SpatialModel.Sac, SpatialModel.Sdm })
            foreach (var e in new[] { SpatialEffects.Individual, SpatialEffects.TwoWays })
                d.Add(m, e, false);
        d.Add(SpatialModel.Sar, SpatialEffects.TwoWays, true);
        d.Add(SpatialModel.Sdm, SpatialEffects.TwoWays, true);
        d.Add(SpatialModel.Sem, SpatialEffects.Individual, true);
        return d;
    }

    [Theory]
    [MemberData(nameof(ProducModels))]
    public void Forced_sparse_equals_eigen_on_usaww(SpatialModel model, SpatialEffects effects, bool leeYu)
    {
        // usaww is stored row-standardised (W = D⁻¹B, B the symmetric contiguity): its symmetric form is found from W itself.
        var w = SpatialTestData.Usaww();
        Assert.False(w.SymmetricBase);
        var eigen = SpatialPanel.Fit(Produc, F, w, new SpatialOptions(model, effects, leeYu, SpatialLogDet.Eigen));
        var sparse = SpatialPanel.Fit(Produc, F, w, new SpatialOptions(model, effects, leeYu, SpatialLogDet.Sparse));
        Same(eigen, sparse, $"{model} {effects}{(leeYu ? " Lee-Yu" : "")}");
        // The default on 48 units is the eigen path (below the threshold), which the splm references check.
        Assert.Equal(SpatialLogDet.Eigen, SpatialPanel.Fit(Produc, F, w, new SpatialOptions(model, effects, leeYu)).LogDetMethod);
    }

    private static SpatialWeights Lattice(int m, bool rowStandardise = true) => RookLattice.Of(m, rowStandardise);

    /// <summary>
    /// (SAC is compared on usaww and a 15 × 15 lattice: the eigen path's dense SAC information matrix on 900 units takes
    /// half a minute.) An m × m lattice × 6 years from y = ρWy + 1.0·x1 − 0.5·x2 + θ·W x1 + μ_i + τ_t + u, u = λWu + e (ρ = 0.4, λ = 0.3,
    /// θ = 0.3), with x and e from System.Random(24) (seeded: the same panel on every run); (I − aW)⁻¹ by fixed-point iteration.
    /// </summary>
    private static Panel LatticePanel(SpatialWeights w, int periods)
    {
        int n = w.N;
        var rng = new Random(24);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        var mu = Enumerable.Range(0, n).Select(_ => Normal()).ToArray();
        var sb = new StringBuilder("unit,year,y,x1,x2\n");
        for (int t = 0; t < periods; t++)
        {
            var x1 = Enumerable.Range(0, n).Select(_ => Normal()).ToArray();
            var x2 = Enumerable.Range(0, n).Select(_ => Normal() + 0.5 * mu[0]).ToArray();
            var e = Enumerable.Range(0, n).Select(_ => 0.5 * Normal()).ToArray();
            var u = SolveLag(w, 0.3, e);
            var wx1 = new double[n];
            w.Multiply(x1, wx1);
            var rhs = Enumerable.Range(0, n).Select(i => x1[i] - 0.5 * x2[i] + 0.3 * wx1[i] + mu[i] + 0.1 * t + u[i]).ToArray();
            var y = SolveLag(w, 0.4, rhs);
            for (int i = 0; i < n; i++) sb.Append(CultureInfo.InvariantCulture, $"{w.Names[i]},{2001 + t},{y[i]:R},{x1[i]:R},{x2[i]:R}\n");
        }
        return Panel.Create(CsvReader.Read(new StringReader(sb.ToString()), "lattice.csv"), "unit", "year");
    }

    private static double[] SolveLag(SpatialWeights w, double a, double[] b)
    {
        var y = (double[])b.Clone();
        var wy = new double[b.Length];
        for (int it = 0; it < 200; it++) // |a| ≤ 0.4 and ‖W‖∞ = 1: 0.4^200 is far below rounding
        {
            w.Multiply(y, wy);
            for (int i = 0; i < y.Length; i++) y[i] = b[i] + a * wy[i];
        }
        return y;
    }

    private static readonly Lazy<(SpatialWeights W, Panel Panel)> Lat = new(() => { var w = Lattice(30); return (w, LatticePanel(w, 6)); });

    [Theory]
    [InlineData(SpatialModel.Sar, SpatialEffects.TwoWays)]
    [InlineData(SpatialModel.Sdm, SpatialEffects.TwoWays)]
    [InlineData(SpatialModel.Sem, SpatialEffects.Individual)]
    [InlineData(SpatialModel.Sem, SpatialEffects.TwoWays)]
    public void Forced_sparse_equals_eigen_on_a_900_unit_lattice(SpatialModel model, SpatialEffects effects)
    {
        var (w, panel) = Lat.Value;
        var f = Formula.Parse("y ~ x1 + x2");
        var eigen = SpatialPanel.Fit(panel, f, w, new SpatialOptions(model, effects, LogDet: SpatialLogDet.Eigen));
        var sparse = SpatialPanel.Fit(panel, f, w, new SpatialOptions(model, effects, LogDet: SpatialLogDet.Sparse));
        Same(eigen, sparse, $"lattice {model} {effects}");
        // 900 units is below the threshold: auto takes the eigen path.
        Assert.True(w.N <= SpatialPanel.SparseThreshold);
    }

    [Theory]
    [InlineData(SpatialEffects.Individual)]
    [InlineData(SpatialEffects.TwoWays)]
    public void Forced_sparse_sac_equals_eigen_on_a_225_unit_lattice(SpatialEffects effects)
    {
        // SAC's information matrix by solves (tr(H·Gd), tr(H'·Gd), ‖Gd‖²_F column by column) against the dense one.
        var w = Lattice(15);
        var panel = LatticePanel(w, 6);
        var f = Formula.Parse("y ~ x1 + x2");
        var eigen = SpatialPanel.Fit(panel, f, w, new SpatialOptions(SpatialModel.Sac, effects, LogDet: SpatialLogDet.Eigen));
        var sparse = SpatialPanel.Fit(panel, f, w, new SpatialOptions(SpatialModel.Sac, effects, LogDet: SpatialLogDet.Sparse));
        Same(eigen, sparse, $"lattice SAC {effects}");
    }

    [Fact]
    public void Auto_takes_the_sparse_path_above_the_threshold()
    {
        var w = Lattice(33); // 1,089 units > 1,000
        Assert.True(w.N > SpatialPanel.SparseThreshold);
        var fit = SpatialPanel.Fit(LatticePanel(w, 3), Formula.Parse("y ~ x1 + x2"), w, new SpatialOptions(SpatialModel.Sar, SpatialEffects.Individual));
        Assert.Equal(SpatialLogDet.Sparse, fit.LogDetMethod);
        Assert.Null(fit.Note);
        // The bipartite lattice's row-standardised extremes are exactly ∓1 (Lanczos), so the interval is (−1, 1).
        Close(-1, fit.Interval.Lower, 1e-12, "lower");
        Close(1, fit.Interval.Upper, 1e-12, "upper");
    }

    [Fact]
    public void Lanczos_finds_the_lattice_extreme_eigenvalues()
    {
        // The m × m rook lattice's 0/1 eigenvalues are 2cos(πk/(m+1)) + 2cos(πl/(m+1)): extremes ±4cos(π/(m+1)).
        const int m = 30;
        var (lo, hi) = new SparseLogDet(Lattice(m, rowStandardise: false)).ExtremeEigenvalues();
        double ext = 4 * Math.Cos(Math.PI / (m + 1));
        Close(-ext, lo, 1e-12, "binary omega_min");
        Close(ext, hi, 1e-12, "binary omega_max");
        // Row-standardised: a bipartite graph's stochastic matrix has eigenvalues exactly −1 and 1.
        var (rlo, rhi) = new SparseLogDet(Lattice(m)).ExtremeEigenvalues();
        Close(-1, rlo, 1e-12, "row-standardised omega_min");
        Close(1, rhi, 1e-12, "row-standardised omega_max");
        // usaww (48 states): spdep's/splm's eigenvalues (produc_spatial.json) at both ends.
        var all = TestData.Ref("produc_spatial.json").At("inputs", "eigenvalues_of_W", "all_sorted").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var (ulo, uhi) = SparseLogDet.TryCreate(SpatialTestData.Usaww())!.ExtremeEigenvalues();
        Close(all[0], ulo, 1e-12, "usaww omega_min");
        Close(all[^1], uhi, 1e-12, "usaww omega_max");
    }

    [Fact]
    public void Sparse_traces_equal_the_eigenvalue_traces()
    {
        // tr((I − aW)⁻¹) = Σ 1/(1 − aω) and tr(W(I − aW)⁻¹) = Σ ω/(1 − aω) (usaww, W stored row-standardised).
        var w = SpatialTestData.Usaww();
        var s = SparseLogDet.TryCreate(w)!;
        foreach (double a in new[] { -0.9, 0.2, 0.85 })
        {
            var (ta, tg) = w.Traces(a);
            var t = s.Traces(a);
            Close(ta, t.A, 1e-12, $"tr A at {a}");
            Close(tg, t.G, 1e-12, $"tr G at {a}");
            double sq = w.Eigenvalues().Sum(c => Math.Pow(c.Real / (1 - a * c.Real), 2));
            Close(sq, t.GG, 1e-12, $"tr G² at {a}");
            Close(w.LogDet(a), s.LogDet(a), 1e-12, $"log det at {a}");
        }
    }

    [Fact]
    public void Forced_sparse_with_a_W_without_symmetric_form_is_refused_in_one_line()
    {
        // Nearest neighbours are not mutual: W_ij ≠ 0 with W_ji = 0 has no symmetric form.
        var units = Enumerable.Range(0, 48).Select(i => Produc.UnitLabels[i]).ToArray();
        var lat = Enumerable.Range(0, 48).Select(i => 30.0 + (i % 7) * 1.3 + i * 0.01).ToArray();
        var lon = Enumerable.Range(0, 48).Select(i => -120.0 + (i / 7) * 2.1 + (i % 3) * 0.4).ToArray();
        var knn = new DistanceWeighting(3, 0, null).Build(units, lat, lon);
        Assert.Null(SparseLogDet.TryCreate(knn));
        var e = Assert.Throws<InputException>(() => SpatialPanel.Fit(Produc, F, knn, new SpatialOptions(SpatialModel.Sar, SpatialEffects.Individual, LogDet: SpatialLogDet.Sparse)));
        Assert.DoesNotContain('\n', e.Message);
        Assert.StartsWith("logdet sparse:", e.Message, StringComparison.Ordinal);
        // Eigen (and auto, 48 units) still fit it.
        Assert.Equal(SpatialLogDet.Eigen, SpatialPanel.Fit(Produc, F, knn, new SpatialOptions(SpatialModel.Sar, SpatialEffects.Individual)).LogDetMethod);
    }
}
