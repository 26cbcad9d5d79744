using DigitalEconomy.Core.Regression;
using Xunit;

namespace DigitalEconomy.Core.Tests.Regression;

/// <summary>
/// Alternating projections against answers known without them: the closed form of a balanced two-way panel, and the
/// defining property of the within transform (the result has zero sum in every level of every factor).
/// </summary>
public class AbsorberTests
{
    private static double[] Column(Random rng, int n) => [.. Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 10 - 3)];

    [Fact]
    public void AlternatingProjections_EqualBalancedTwoWayClosedForm()
    {
        // 250 units × 240 periods: the exact x − x̄ᵢ − x̄ₜ + x̄; unit weights force alternating projections on the same projection.
        int units = 250, periods = 240, n = units * periods;
        var unit = new int[n]; var time = new int[n];
        for (int i = 0; i < n; i++) { unit[i] = i / periods; time[i] = i % periods; }
        var x = Column(new Random(7), n);
        var exact = new Absorber([unit, time]);
        Assert.Equal(DemeanMethod.TwoWayBalancedExact, exact.Method);
        var ap = new Absorber([unit, time], Enumerable.Repeat(1.0, n).ToArray());
        Assert.Equal(DemeanMethod.AlternatingProjections, ap.Method);
        var a = exact.Demean(x);
        var b = ap.Demean(x);
        double scale = x.Max(Math.Abs);
        for (int i = 0; i < n; i++) Assert.True(Math.Abs(a[i] - b[i]) <= 1e-10 * scale, $"row {i}: {a[i]:R} vs {b[i]:R}");
    }

    [Fact]
    public void AlternatingProjections_ThreeFactors_ResultHasZeroSumInEveryLevel()
    {
        // 60,000 rows: units of 20 rows, 900 and 80 random levels, as fixest's benchmark shape.
        int n = 60_000;
        var rng = new Random(11);
        int[] f1 = [.. Enumerable.Range(0, n).Select(i => i / 20)];
        int[] f2 = [.. Enumerable.Range(0, n).Select(_ => rng.Next(900))];
        int[] f3 = [.. Enumerable.Range(0, n).Select(_ => rng.Next(80))];
        var x = Column(rng, n);
        var absorber = new Absorber([f1, f2, f3]);
        var d = absorber.Demean(x);
        double scale = x.Max(Math.Abs);
        foreach (var codes in new[] { f1, f2, f3 })
        {
            var sums = new double[codes.Max() + 1];
            var counts = new int[sums.Length];
            for (int i = 0; i < n; i++) { sums[codes[i]] += d[i]; counts[codes[i]]++; }
            for (int l = 0; l < sums.Length; l++) Assert.True(Math.Abs(sums[l] / counts[l]) <= 1e-10 * scale, $"level {l}: mean {sums[l] / counts[l]:g}");
        }
        Assert.InRange(absorber.MaxIterationsUsed, 1, 100);
    }

    [Fact]
    public void Fit_LargeSample_ColumnsDemeanedInParallel_SameBitsAsOneByOne()
    {
        // Above 50,000 rows the columns of a fit are demeaned in parallel; each must equal its own sequential demeaning.
        int n = 60_000;
        var rng = new Random(3);
        int[] f1 = [.. Enumerable.Range(0, n).Select(i => i / 20)];
        int[] f2 = [.. Enumerable.Range(0, n).Select(_ => rng.Next(500))];
        int[] f3 = [.. Enumerable.Range(0, n).Select(_ => rng.Next(40))];
        var cols = Enumerable.Range(0, 4).Select(_ => Column(rng, n)).ToArray();
        var absorber = new Absorber([f1, f2, f3]);
        using var design = new SingleFitColumns(absorber, n, null, keep: true);
        var idx = cols.Select(c => design.Column(DigitalEconomy.Core.Formulas.Formula.Parse("y ~ x").Response, c)).ToArray();
        design.DemeanAll(idx);
        for (int k = 0; k < cols.Length; k++)
        {
            var alone = new Absorber([f1, f2, f3]).Demean(cols[k]);
            Assert.Equal(alone, design.Demeaned(idx[k]));
        }
    }
}
