using DigitalEconomy.Core.Did;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Resampling;
using Xunit;
using static DigitalEconomy.Core.Tests.TestData;

namespace DigitalEconomy.Core.Tests.Did;

/// <summary>The fast placebo TWFE against full refits through the pipeline, its streams, and the deterministic checks.</summary>
public class DidPlaceboTests
{
    private static readonly DidOptions WithX = new() { Outcome = Formula.ParseTerm("y"), Covariates = [Formula.ParseTerm("x1")] };

    [Fact]
    public void FastEstimate_EqualsTheRefitOfEachDraw()
    {
        var design = DidDesign.FromCohort(DidEventStudyTests.Data, "year_treated");
        var p = TwfePlacebo.Prepare(design, WithX);
        Close(EventStudy.Twfe(design, WithX).Att.Estimate, p.Actual, 1e-10, "actual");
        ulong family = CounterRng.Family(7, "did");
        foreach (var kind in new[] { PlaceboKind.Units, PlaceboKind.Years })
            for (long b = 0; b < 4; b++)
            {
                var a = p.Assignment(kind, family, b);
                var refit = EventStudy.Twfe(design.WithCohorts(a), WithX).Att.Estimate;
                Close(refit, p.Estimate(a), 1e-10, $"{kind} draw {b}");
            }
    }

    [Fact]
    public void Assignment_KeepsCohortSizes_AndYearsKeepTheTreatedSet()
    {
        var design = DidDesign.FromCohort(DidEventStudyTests.Data, "year_treated");
        var p = TwfePlacebo.Prepare(design, WithX);
        ulong family = CounterRng.Family(1, "did");
        var u = p.Assignment(PlaceboKind.Units, family, 3);
        Assert.Equal(design.UnitCohort.GroupBy(c => c).ToDictionary(g => g.Key ?? -1, g => g.Count()), u.GroupBy(c => c).ToDictionary(g => g.Key ?? -1, g => g.Count()));
        Assert.NotEqual(design.UnitCohort, u);
        var y = p.Assignment(PlaceboKind.Years, family, 3);
        for (int i = 0; i < y.Length; i++) Assert.Equal(design.UnitCohort[i] is null, y[i] is null);
    }

    [Fact]
    public void Draws_DoNotDependOnTheBlock()
    {
        var p = TwfePlacebo.Prepare(DidDesign.FromCohort(DidEventStudyTests.Data, "year_treated"), WithX);
        var all = p.Draws(PlaceboKind.Units, 42, "did/placebo", 0, 10);
        var parts = p.Draws(PlaceboKind.Units, 42, "did/placebo", 0, 3).Concat(p.Draws(PlaceboKind.Units, 42, "did/placebo", 3, 7)).ToArray();
        Assert.Equal(all.Select(BitConverter.DoubleToInt64Bits), parts.Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public void Summary_PValueCountsDrawsAsExtreme()
    {
        var s = PlaceboSummary.Of(2.0, [1.0, -3.0, 2.0, 0.5]);
        Assert.Equal(3.0 / 5.0, s.PValue);
        Assert.Equal(0.5, s.ShareAsExtreme);
        Assert.Equal(0.125, s.Mean);
    }

    [Fact]
    public void LeaveOneCohortOut_AndFakeYear_Refit()
    {
        var design = DidDesign.FromCohort(DidEventStudyTests.Data, "year_treated");
        var loo = DidChecks.LeaveOneCohortOut(design, WithX);
        Assert.Equal(9, loo.Count);
        Assert.All(loo, x => Assert.Equal(950 - 50, x.Result.Fit.N));
        var fake = DidChecks.FakeYear(design, WithX, 2);
        // Treated rows before adoption: cohort c has c − 1 of them, Σ_{c=2..10} 5(c − 1) = 225; never-treated 500.
        Assert.Equal(725, fake.Fit.N);
    }
}
