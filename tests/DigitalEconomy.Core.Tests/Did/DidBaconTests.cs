using DigitalEconomy.Core.Did;
using DigitalEconomy.Core.Formulas;
using Xunit;
using static DigitalEconomy.Core.Tests.TestData;

namespace DigitalEconomy.Core.Tests.Did;

/// <summary>Goodman-Bacon: the weights sum to 1 and the weighted 2×2s add up to the pipeline's TWFE estimate.</summary>
public class DidBaconTests
{
    [Fact]
    public void WeightedTwoByTwos_SumToTheTwfeEstimate_OnBaseStagg()
    {
        var design = DidDesign.FromCohort(DidEventStudyTests.Data, "year_treated");
        var options = new DidOptions { Outcome = Formula.ParseTerm("y") };
        var b = Bacon.Decompose(design, options);
        // 9 cohorts vs never (9), and 36 pairs of cohorts in both directions (72).
        Assert.Equal(9 + 72, b.Terms.Count);
        Close(1.0, b.Terms.Sum(t => t.Weight), 1e-12, "weights");
        Close(EventStudy.Twfe(design, options).Att.Estimate, b.TwfeEstimate, 1e-10, "Σ s·β = TWFE");
    }

    [Fact]
    public void AlwaysTreatedUnits_AreAControlGroupOnly()
    {
        // Move cohort 2 to period 1 (treated throughout): its units become "always treated".
        var data = DidEventStudyTests.Data;
        var yt = data.Frame.Numeric("year_treated").Select(c => c == 2 ? 1.0 : c).ToArray();
        var design = DidDesign.FromCohort(data.WithColumn("g", yt), "g");
        var options = new DidOptions { Outcome = Formula.ParseTerm("y") };
        var b = Bacon.Decompose(design, options);
        Assert.Contains(b.Terms, t => t.Type == "later vs always treated");
        Assert.DoesNotContain(b.Terms, t => t.Treated == 1);
        Close(1.0, b.Terms.Sum(t => t.Weight), 1e-12, "weights");
        Close(EventStudy.Twfe(design, options).Att.Estimate, b.TwfeEstimate, 1e-10, "Σ s·β = TWFE");
    }
}
