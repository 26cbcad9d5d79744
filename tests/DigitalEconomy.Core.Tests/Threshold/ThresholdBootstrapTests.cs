using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Regression;
using DigitalEconomy.Core.Resampling;
using DigitalEconomy.Core.Threshold;
using Xunit;

namespace DigitalEconomy.Core.Tests.Threshold;

public class ThresholdBootstrapTests
{
    private static readonly Core.Data.Panel Produc = TestData.LoadPanel("Produc.csv", "state", "year");

    [Fact]
    public void DrawsDoNotDependOnTheBlocks()
    {
        var spec = ThresholdProducTests.Spec(ThresholdTransform.FullWithin, k: 2);
        var whole = ThresholdBootstrap.Draws(Produc, spec, [7.1], 2, 42, "t/2", 0, 9);
        var parts = ThresholdBootstrap.Draws(Produc, spec, [7.1], 2, 42, "t/2", 0, 4)
            .Concat(ThresholdBootstrap.Draws(Produc, spec, [7.1], 2, 42, "t/2", 4, 5))
            .Concat(ThresholdBootstrap.Draws(Produc, spec, [7.1], 2, 42, "t/2", 5, 9)).ToArray();
        Assert.Equal(whole.Select(BitConverter.DoubleToInt64Bits), parts.Select(BitConverter.DoubleToInt64Bits));
        Assert.All(whole, f => Assert.True(f >= 0 && double.IsFinite(f)));
    }

    /// <summary>
    /// Draw r rebuilt by hand: the linear FE model's within residuals and fitted values from the fit pipeline, every state
    /// given the residual vector of the state the stream (42, "t/1", r) picks, y* put in the panel as a column, and the
    /// single-threshold model estimated on y* by one regression per candidate: its F₁ is the draw.
    /// </summary>
    [Fact]
    public void ADrawIsTheSingleThresholdFOfItsResampledResponse()
    {
        var spec = ThresholdProducTests.Spec(ThresholdTransform.FullWithin, k: 1);
        var draws = ThresholdBootstrap.Draws(Produc, spec, [], 1, 42, "t/1", 3, 5);
        var (lin, fit) = Estimation.FitLinearKept(Produc, Formula.Parse("log(gsp) ~ log(pc) + log(emp) + log(pcap) | state"), new EstimationOptions());
        Assert.Equal(816, lin.N);
        var e = fit.Residuals;
        var family = CounterRng.Family(42, "t/1");
        for (int r = 3; r < 5; r++)
        {
            var rng = CounterRng.InFamily(family, r);
            var ystar = new double[816];
            for (int u = 0; u < 48; u++)
            {
                int donor = rng.NextInt(48);
                for (int t = 0; t < 17; t++) ystar[u * 17 + t] = fit.DemeanedY[u * 17 + t] - e[u * 17 + t] + e[donor * 17 + t];
            }
            var panel = Produc.WithColumn("ystar", ystar);
            var byHand = PanelThreshold.Estimate(panel, spec with
            {
                Formula = Formula.Parse("ystar ~ log(pc) + log(emp) | state"),
                Options = spec.Options with { Thresholds = 1, RefitPerCandidate = true },
            });
            TestData.Close(byHand.Steps[0].F, draws[r - 3], 1e-9, $"draw {r}");
        }
    }

    [Fact]
    public void SummaryUsesRsType1QuantilesAndAStrictPValue()
    {
        // 20 draws 1..20: type-1 quantiles x(⌈20p⌉) = x(18), x(19), x(20); p = share strictly above F = 17 → 3/20.
        var draws = Enumerable.Range(1, 20).Select(i => (double)(21 - i)).ToArray();
        var t = ThresholdBootstrap.Summarise(1, 17, draws);
        Assert.Equal((18.0, 19.0, 20.0), (t.Crit10, t.Crit5, t.Crit1));
        Assert.Equal(0.15, t.PValue);
        Assert.Equal(20, t.Reps);
    }
}
