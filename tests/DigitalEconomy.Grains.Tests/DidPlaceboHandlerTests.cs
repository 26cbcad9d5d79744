using DigitalEconomy.Contracts;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Did;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Grains.Work;
using Xunit;

namespace DigitalEconomy.Grains.Tests;

/// <summary>The placebo handler on a panel in memory: its blocks join into the draws of one block, and equal core's draws.</summary>
public class DidPlaceboHandlerTests
{
    private static readonly DatasetRef Dataset = new("sha", "state", "year");

    /// <summary>Produc with a made-up adoption: states 1–12 adopt in 1975, 13–24 in 1980, the rest never (cohort column "g").</summary>
    private static Panel Staggered()
    {
        var p = Panel.Create(CsvReader.ReadFile(Path.Combine(AppContext.BaseDirectory, "data", "Produc.csv")), "state", "year");
        var g = p.UnitCode.Select(u => u < 12 ? 1975.0 : u < 24 ? 1980.0 : double.NaN).ToArray();
        return p.WithColumn("g", g);
    }

    private static DidSettings Settings(string kind) =>
        new(ExprSurrogate.From(Formula.ParseTerm("log(gsp)")), "g", null, [ExprSurrogate.From(Formula.ParseTerm("unemp"))], ["twfe"], "never", [], -1, null, null, 12, kind, 5, 0, false);

    [Theory]
    [InlineData("units")]
    [InlineData("years")]
    public void Blocks_JoinIntoTheDrawsOfOneBlock_AndEqualCore(string kind)
    {
        var data = WorkData.Uncached(Staggered());
        var h = new DidPlaceboHandler();
        var s = Settings(kind);
        var one = h.Compute(new DidPlaceboWork("run", Dataset, s, 9, "a/placebo/" + kind, 0, 12), data);
        var parts = new[] { (0, 5), (5, 5), (10, 2) }.SelectMany(b => h.Compute(new DidPlaceboWork("run", Dataset, s, 9, "a/placebo/" + kind, b.Item1, b.Item2), data).Estimates).ToArray();
        Assert.Equal(one.Estimates.Select(BitConverter.DoubleToInt64Bits), parts.Select(BitConverter.DoubleToInt64Bits));
        var core = TwfePlacebo.Prepare(DidDesign.FromCohort(Staggered(), "g"), new DidOptions { Outcome = Formula.ParseTerm("log(gsp)"), Covariates = [Formula.ParseTerm("unemp")] })
            .Draws(s.Kind, 9, "a/placebo/" + kind, 0, 12);
        Assert.Equal(core, one.Estimates.ToArray());
        Assert.All(core, d => Assert.True(double.IsFinite(d)));
    }
}
