using DigitalEconomy.Core.Spatial;
using Xunit;

namespace DigitalEconomy.Core.Tests.Spatial;

/// <summary>The sparse (RCM-ordered envelope Cholesky) log-determinant against closed forms and the eigenvalues.</summary>
public class SparseLogDetTests
{
    private static SpatialWeights Lattice(int m, bool rowStandardise) => RookLattice.Of(m, rowStandardise);

    [Fact]
    public void Binary_lattice_equals_the_closed_form_of_its_eigenvalues()
    {
        // The m × m rook lattice is the Cartesian product of two paths P_m, whose adjacency eigenvalues are 2cos(πk/(m+1)):
        // the lattice's are their pairwise sums, so log|I − aB| = Σ_k Σ_l log(1 − a(2cos(πk/(m+1)) + 2cos(πl/(m+1)))).
        const int m = 30;
        var sparse = new SparseLogDet(Lattice(m, rowStandardise: false));
        foreach (double a in new[] { -0.2, 0.05, 0.2, 0.24 })
        {
            double expected = 0;
            for (int k = 1; k <= m; k++)
                for (int l = 1; l <= m; l++) expected += Math.Log(1 - a * (2 * Math.Cos(Math.PI * k / (m + 1)) + 2 * Math.Cos(Math.PI * l / (m + 1))));
            double actual = sparse.LogDet(a);
            Assert.True(Math.Abs(actual - expected) <= 1e-10 * Math.Max(1, Math.Abs(expected)), $"a = {a}: {actual:R} vs {expected:R}");
        }
        // 1/ω_max = 1/(4cos(π/31)) ≈ 0.2513: beyond it I − aB is not positive definite.
        Assert.True(double.IsNaN(sparse.LogDet(0.26)));
        // The RCM envelope of a lattice is about n·m entries, far below the n² of a dense factor.
        Assert.True(sparse.Profile < 2 * m * m * m, $"profile {sparse.Profile}");
    }

    [Fact]
    public void Row_standardised_matrices_equal_the_eigenvalue_log_determinant()
    {
        var lattice = Lattice(25, rowStandardise: true); // 625 units
        var sparse = new SparseLogDet(lattice);
        foreach (double a in new[] { -0.9, -0.3, 0.1, 0.5, 0.9, 0.99 })
        {
            double expected = lattice.LogDet(a);
            Assert.True(Math.Abs(sparse.LogDet(a) - expected) <= 1e-8 * Math.Max(1, Math.Abs(expected)), $"a = {a}: {sparse.LogDet(a):R} vs {expected:R}");
        }
        // The shipped province contiguity (30 units, row-standardised) and inverse distance among them.
        string dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "DigitalEconomy.sln"))) dir = Path.GetDirectoryName(dir)!;
        var lines = File.ReadAllLines(Path.Combine(dir, "examples", "weights", "province_borders.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        var units = lines.SelectMany(f => f).Distinct().Order(StringComparer.Ordinal).ToArray();
        var provinces = SpatialWeights.FromEdges(units, lines.Select(f => (f[0], f[1], 1.0)), symmetric: true);
        var ps = new SparseLogDet(provinces);
        foreach (double a in new[] { -0.5, 0.3, 0.8 })
            Assert.True(Math.Abs(ps.LogDet(a) - provinces.LogDet(a)) <= 1e-12, $"a = {a}");
        Assert.Throws<ArgumentException>(() => new SparseLogDet(new DistanceWeighting(2, 0, null).Build(["a", "b", "c", "d"], [0, 0, 0, 0], [0, 1, 3, 7])));
    }
}
