using DigitalEconomy.Core.Did;
using DigitalEconomy.Core.Formulas;
using Xunit;
using Xunit.Abstractions;

namespace DigitalEconomy.Core.Tests.Did;

/// <summary>The multiplier bootstrap of Callaway–Sant'Anna on base_stagg: counter-based blocks, SEs near the analytic ones, a sup-t critical value between the pointwise and the Bonferroni one.</summary>
public class DidCsBootstrapTests(ITestOutputHelper output)
{
    private static readonly CsResult Cs = CallawaySantAnna.Fit(DidDesign.FromCohort(DidEventStudyTests.Data, "year_treated"), new DidOptions { Outcome = Formula.ParseTerm("y") }, ControlGroup.Never);

    [Fact]
    public void Draws_DoNotDependOnTheBlock()
    {
        var all = CsBootstrap.Draws(Cs, 3, "cs", 0, 10);
        var parts = CsBootstrap.Draws(Cs, 3, "cs", 0, 4).Concat(CsBootstrap.Draws(Cs, 3, "cs", 4, 6)).ToArray();
        for (int b = 0; b < 10; b++) Assert.Equal(all[b].Select(BitConverter.DoubleToInt64Bits), parts[b].Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public void BootstrapSes_AreCloseToTheAnalyticOnes_AndTheBandIsUniform()
    {
        var r = CsBootstrap.Summarise(Cs, CsBootstrap.Draws(Cs, 20261207, "cs", 0, 2000));
        var ratios = Cs.Cells.Select((c, i) => r.StdErrors[i] / c.StdError).ToList();
        output.WriteLine($"bootstrap/analytic SE: min {ratios.Min():0.000}, mean {ratios.Average():0.000}, max {ratios.Max():0.000}; critical value {r.CriticalValue:0.000}");
        // The multiplier bootstrap estimates the same variance as the influence function: the mean ratio near 1.
        Assert.InRange(ratios.Average(), 0.9, 1.1);
        // Per cell the IQR-based SE departs more where the draws are far from normal (five treated units a cohort; one cell 0.58).
        Assert.All(ratios, x => Assert.InRange(x, 0.5, 1.5));
        // Uniform over 81 cells: above the pointwise 1.96, below Bonferroni's z(1 − 0.05/162) = 3.42.
        Assert.InRange(r.CriticalValue, 1.96, 3.42);
        Assert.Equal(Cs.Cells[5].Att - r.CriticalValue * r.StdErrors[5], r.Low[5], 12);
    }

    /// <summary>
    /// The aggregations from their own influence functions with the same multipliers: bootstrap SEs near the analytic ones,
    /// each family's sup-t value above the pointwise 1.96 and near Bonferroni's z(1 − 0.05/(2m)) over its m effects (simple: pointwise).
    /// </summary>
    [Fact]
    public void Aggregations_BootstrapSesNearTheAnalyticOnes_AndUniformBandsPerAggregation()
    {
        var r = CsBootstrap.Summarise(Cs, CsBootstrap.Draws(Cs, 20261207, "cs", 0, 2000));
        Assert.Equal(["simple", "dynamic", "group", "calendar"], r.Aggregations.Select(a => a.Type));
        var analytic = new[] { (IReadOnlyList<CsEffect>)[Cs.Simple], Cs.Dynamic.Effects, Cs.Group.Effects, Cs.Calendar.Effects };
        var overall = new[] { Cs.Simple, Cs.Dynamic.Overall, Cs.Group.Overall, Cs.Calendar.Overall };
        for (int k = 0; k < 4; k++)
        {
            var a = r.Aggregations[k];
            Assert.Equal(analytic[k].Count, a.StdErrors.Count);
            var ratios = a.StdErrors.Select((se, i) => se / analytic[k][i].StdError).ToList();
            output.WriteLine($"{a.Type}: bootstrap/analytic SE mean {ratios.Average():0.000}, critical value {a.CriticalValue:0.000}, overall {a.OverallStdError / overall[k].StdError:0.000}");
            Assert.InRange(ratios.Average(), 0.85, 1.15);
            int m = a.StdErrors.Count;
            double bonferroni = m == 1 ? 1.96 : Numerics.Distributions.CriticalValue(1 - 0.05 / m, double.PositiveInfinity);
            // Bonferroni bounds sup-t when σ is the draws' SD; the IQR-based σ runs below the SD for the 5-unit cohorts' heavier-tailed
            // draws (group: SE ratio 0.92), which lifts |draw/σ| — hence 10 % above Bonferroni (group: 2.90 against 2.77).
            Assert.InRange(a.CriticalValue, m == 1 ? 1.8 : 1.96, m == 1 ? 2.15 : 1.1 * bonferroni);
            Assert.Equal(analytic[k][0].Att + a.CriticalValue * a.StdErrors[0], a.High[0], 12);
            // The group aggregation's overall analytic SE keeps did 2.1.2's weight-influence quirk (docs/methods.md); the others compare.
            if (k is 1 or 3) Assert.InRange(a.OverallStdError / overall[k].StdError, 0.85, 1.15);
        }
    }

    [Fact]
    public void Type1Quantile_IsTheInverseEmpiricalCdf()
    {
        double[] x = [1, 2, 3, 4];
        Assert.Equal(1, CsBootstrap.Type1(x, 0.25));
        Assert.Equal(2, CsBootstrap.Type1(x, 0.26));
        Assert.Equal(4, CsBootstrap.Type1(x, 0.95));
    }
}
