using DigitalEconomy.Contracts;
using DigitalEconomy.Core.Spatial;
using DigitalEconomy.Grains.Work;
using Xunit;

namespace DigitalEconomy.Grains.Tests;

/// <summary>The spatial work type: draws do not depend on the block they ran in, and W crosses the wire unchanged.</summary>
public class SpatialHandlerTests
{
    private static readonly DatasetRef Dataset = new("0000", "unit", "year");
    private static readonly Core.Data.Panel Panel = Core.Data.Panel.Create(new Core.Data.DataFrame([Core.Data.Column.Numeric("unit", [1]), Core.Data.Column.Numeric("year", [1])]), "unit", "year");

    /// <summary>A ring of 9 units, each linked to its two neighbours and unit 0 also to unit 4 (weights 1, 2).</summary>
    private static SpatialWeights Ring()
    {
        var units = Enumerable.Range(0, 9).Select(i => $"u{i}").ToArray();
        var edges = Enumerable.Range(0, 9).Select(i => (units[i], units[(i + 1) % 9], 1.0)).Append((units[0], units[4], 2.0));
        return SpatialWeights.FromEdges(units, edges, symmetric: true);
    }

    private static SpatialWork Work(SpatialDrawKind kind, int first, int count)
    {
        var w = SpatialWeightsData.Of(Ring());
        // (ρ, β₁, β₂, θ₁, θ₂) and a positive definite covariance.
        double[] mean = [0.3, 1.0, -0.5, 0.2, 0.1];
        var v = new double[25];
        for (int i = 0; i < 5; i++) for (int j = 0; j < 5; j++) v[i * 5 + j] = i == j ? 0.01 * (i + 1) : 0.002;
        var values = Enumerable.Range(0, 27).Select(k => Math.Sin(k * 1.7) + (k % 9) * 0.3).ToArray();
        return new SpatialWork("run", Dataset, w, kind, [.. mean], [.. v], 2, true, [.. values], [2001, 2002, 2003], 5, "a/sdm", first, count);
    }

    [Theory]
    [InlineData(SpatialDrawKind.Impacts)]
    [InlineData(SpatialDrawKind.MoranPermutations)]
    public void Draws_do_not_depend_on_the_block_they_ran_in(SpatialDrawKind kind)
    {
        var h = new SpatialHandler();
        var data = WorkData.Uncached(Panel);
        var whole = h.Compute(Work(kind, 0, 12), data).Draws;
        var split = h.Compute(Work(kind, 0, 5), data).Draws.Concat(h.Compute(Work(kind, 5, 7), data).Draws).ToList();
        Assert.Equal(12, whole.Length);
        for (int i = 0; i < 12; i++) Assert.Equal(whole[i].ToArray(), split[i].ToArray());
        Assert.Equal(kind == SpatialDrawKind.Impacts ? 6 : 3, whole[0].Length);
        Assert.Equal(5, h.Compute(Work(kind, 5, 7), data).First);
    }

    [Fact]
    public void Weights_cross_the_wire_unchanged()
    {
        var w = Ring();
        var back = SpatialWeightsData.Of(w).ToWeights();
        Assert.Equal(w.Names, back.Names);
        Assert.Equal(w.Values, back.Values);
        Assert.Equal(w.ColumnIndex, back.ColumnIndex);
        Assert.Equal(w.Eigenvalues(), back.Eigenvalues());
        Assert.True(back.SymmetricBase);
        // Unit 0 has three neighbours with raw weights 1, 2, 1 (u1, u4, u8): row-standardised 1/4, 2/4, 1/4.
        Assert.Equal([0.25, 0.5, 0.25], back.Values[..3]);
    }

    [Fact]
    public void Impact_draws_centre_on_the_exact_impacts()
    {
        var w = Ring();
        var d = new SpatialHandler().Compute(Work(SpatialDrawKind.Impacts, 0, 400), WorkData.Uncached(Panel)).Draws;
        var exact = Impacts.Exact(w, 0.3, [1.0, -0.5], [0.2, 0.1], ["x1", "x2"]);
        // total of x1 = (β + θ)/(1 − ρ) = 1.2/0.7 exactly; the mean of 400 draws is within a few SEs of the exact value.
        Assert.Equal(1.2 / 0.7, exact[0].Total, 12);
        double mean = d.Average(r => r[4]);
        Assert.InRange(mean, exact[0].Total - 0.1, exact[0].Total + 0.1);
    }
}
