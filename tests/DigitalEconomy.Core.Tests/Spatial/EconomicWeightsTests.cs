using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Spatial;
using Xunit;

namespace DigitalEconomy.Core.Tests.Spatial;

/// <summary>
/// Economic-distance and nested matrices on four units derived by hand: means over the periods a = (0 + 2)/2 = 1,
/// b = 2, c = (3 + 5)/2 = 4, d = 8 (its missing second value skipped), so |Ȳi − Ȳj| = ab 1, ac 3, ad 7, bc 2, bd 6, cd 4.
/// </summary>
public class EconomicWeightsTests
{
    private static readonly DataFrame Frame = new([
        Column.Text("unit", ["a", "a", "b", "b", "c", "c", "d", "d"]),
        Column.Numeric("gdp", [0, 2, 2, 2, 3, 5, 8, double.NaN]),
    ]);

    private static SpatialWeights Economic(bool rowStandardise = true)
    {
        var (units, means) = EconomicWeights.UnitMeans(Frame, "unit", "gdp", "--w economic:gdp");
        Assert.Equal(["a", "b", "c", "d"], units);
        Assert.Equal([1.0, 2, 4, 8], means);
        return EconomicWeights.Build(units, means, "--w economic:gdp", rowStandardise);
    }

    private static void Equal(double[,] expected, double[,] actual)
    {
        for (int i = 0; i < expected.GetLength(0); i++)
            for (int j = 0; j < expected.GetLength(1); j++)
                Assert.True(Math.Abs(expected[i, j] - actual[i, j]) <= 1e-15, $"[{i},{j}]: {expected[i, j]} vs {actual[i, j]}");
    }

    [Fact]
    public void Economic_distance_is_the_inverse_absolute_difference_of_the_means_row_standardised()
    {
        var raw = Economic(rowStandardise: false);
        Equal(new[,] { { 0, 1, 1 / 3.0, 1 / 7.0 }, { 1, 0, 1 / 2.0, 1 / 6.0 }, { 1 / 3.0, 1 / 2.0, 0, 1 / 4.0 }, { 1 / 7.0, 1 / 6.0, 1 / 4.0, 0 } }, raw.Dense());
        Assert.True(raw.SymmetricBase);
        // Row sums 31/21, 10/6, 13/12, 47/84.
        Equal(new[,] { { 0, 21 / 31.0, 7 / 31.0, 3 / 31.0 }, { 6 / 10.0, 0, 3 / 10.0, 1 / 10.0 }, { 4 / 13.0, 6 / 13.0, 0, 3 / 13.0 }, { 12 / 47.0, 14 / 47.0, 21 / 47.0, 0 } },
            Economic().Dense());
        Assert.Equal(12, Economic().NonZeros);
    }

    [Fact]
    public void Nested_product_keeps_the_geographic_pattern_and_multiplies_the_raw_entries()
    {
        // Contiguity on a line a – b – c – d, given in another unit order: matched by name.
        var line = SpatialWeights.FromEdges(["d", "c", "b", "a"], [("a", "b", 1), ("b", "c", 1), ("c", "d", 1)], symmetric: true);
        var nested = EconomicWeights.Nested(line, Economic(), null, "nested");
        Assert.Equal(["d", "c", "b", "a"], nested.Names);
        // Raw products ab = 1·1, bc = 1·1/2, cd = 1·1/4; rows d: c; c: d 1/4, b 1/2 → 1/3, 2/3; b: c 1/2, a 1 → 1/3, 2/3; a: b.
        Equal(new[,] { { 0, 1, 0, 0 }, { 1 / 3.0, 0, 2 / 3.0, 0 }, { 0, 1 / 3.0, 0, 2 / 3.0 }, { 0, 0, 1, 0 } }, nested.Dense());
        Assert.Equal(6, nested.NonZeros);
        Assert.True(nested.SymmetricBase);
    }

    [Fact]
    public void Nested_phi_mixture_of_the_two_row_standardised_matrices()
    {
        var line = SpatialWeights.FromEdges(["a", "b", "c", "d"], [("a", "b", 1), ("b", "c", 1), ("c", "d", 1)], symmetric: true);
        var mix = EconomicWeights.Nested(line, Economic(), 0.5, "nested");
        // Row a: ½·(0, 1, 0, 0) + ½·(0, 21/31, 7/31, 3/31); row b: ½·(½, 0, ½, 0) + ½·(6/10, 0, 3/10, 1/10).
        var d = mix.Dense();
        Assert.Equal(26 / 31.0, d[0, 1], 14);
        Assert.Equal(7 / 62.0, d[0, 2], 14);
        Assert.Equal(3 / 62.0, d[0, 3], 14);
        Assert.Equal(0.55, d[1, 0], 14);
        Assert.Equal(0.4, d[1, 2], 14);
        Assert.Equal(0.05, d[1, 3], 14);
        Assert.True(mix.RowStandardised);
        // φ = 1 is the geographic matrix, φ = 0 the economic one.
        Equal(line.Dense(), EconomicWeights.Nested(line, Economic(), 1, "nested").Dense());
        Equal(Economic().Dense(), EconomicWeights.Nested(line, Economic(), 0, "nested").Dense());
        var e = Assert.Throws<InputException>(() => EconomicWeights.Nested(line, Economic(), 1.5, "--w nested:x,gdp,1.5"));
        Assert.Equal("--w nested:x,gdp,1.5: φ = 1.5; expected a number from 0 to 1", e.Message);
    }

    [Fact]
    public void Equal_means_an_unknown_column_and_a_unit_without_values_are_refused_in_one_line()
    {
        var e = Assert.Throws<InputException>(() => EconomicWeights.Build(["a", "b", "c"], [1, 2, 1], "--w economic:gdp"));
        Assert.Equal("--w economic:gdp: 'a' and 'c' have the same mean (1); the economic distance 1/|Ȳi − Ȳj| is then infinite", e.Message);
        e = Assert.Throws<InputException>(() => EconomicWeights.UnitMeans(Frame, "unit", "gdp_pc", "--w economic:gdp_pc"));
        Assert.StartsWith("--w economic:gdp_pc: no column 'gdp_pc' in the data (available: unit, gdp)", e.Message);
        var holes = new DataFrame([Column.Text("unit", ["a", "b"]), Column.Numeric("gdp", [1, double.NaN])]);
        e = Assert.Throws<InputException>(() => EconomicWeights.UnitMeans(holes, "unit", "gdp", "w"));
        Assert.Equal("w: 1 units without any value of gdp: b", e.Message);
    }
}
