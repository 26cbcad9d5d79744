using DigitalEconomy.Contracts;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Did;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Grains.Work;
using Xunit;

namespace DigitalEconomy.Grains.Tests;

/// <summary>The multiplier-bootstrap handler on a panel in memory: its blocks join into the draws of one block, and equal core's draws (cells and aggregations).</summary>
public class DidBootstrapHandlerTests
{
    private static readonly DatasetRef Dataset = new("sha", "state", "year");

    /// <summary>Produc with a made-up adoption: states 1–12 adopt in 1975, 13–24 in 1980, the rest never (cohort column "g").</summary>
    private static Panel Staggered()
    {
        var p = Panel.Create(CsvReader.ReadFile(Path.Combine(AppContext.BaseDirectory, "data", "Produc.csv")), "state", "year");
        var g = p.UnitCode.Select(u => u < 12 ? 1975.0 : u < 24 ? 1980.0 : double.NaN).ToArray();
        return p.WithColumn("g", g);
    }

    [Fact]
    public void Blocks_JoinIntoTheDrawsOfOneBlock_AndEqualCore()
    {
        var data = WorkData.Uncached(Staggered());
        var h = new DidBootstrapHandler();
        var s = new DidSettings(ExprSurrogate.From(Formula.ParseTerm("log(gsp)")), "g", null, [ExprSurrogate.From(Formula.ParseTerm("unemp"))], ["cs"], "notyet", [], -1, null, null, 0, "units", 100, 0, false,
            "ipw", "universal", 12, 5);
        const string key = "a/cs_bootstrap";
        var one = h.Compute(new DidBootstrapWork("run", Dataset, s, 9, key, 0, 12), data);
        var parts = new[] { (0, 5), (5, 5), (10, 2) }.SelectMany(b => h.Compute(new DidBootstrapWork("run", Dataset, s, 9, key, b.Item1, b.Item2), data).Draws).ToArray();
        Assert.Equal(one.Draws.SelectMany(d => d).Select(BitConverter.DoubleToInt64Bits), parts.SelectMany(d => d).Select(BitConverter.DoubleToInt64Bits));
        var cs = CallawaySantAnna.Fit(DidDesign.FromCohort(Staggered(), "g"), new DidOptions { Outcome = Formula.ParseTerm("log(gsp)"), Covariates = [Formula.ParseTerm("unemp")] },
            ControlGroup.NotYet, new CsOptions { Estimator = CsEstimator.Ipw, BasePeriod = CsBasePeriod.Universal });
        var core = CsBootstrap.Draws(cs, 9, key, 0, 12);
        // One column per cell and per aggregated effect: 2 cohorts × 17 periods, simple, dynamic, group and calendar effects with their overall ones.
        Assert.Equal(CsBootstrap.Elements(cs).Count, one.Draws[0].Length);
        Assert.Equal(2 * 17 + 1 + (cs.Dynamic.Effects.Count + 1) + (cs.Group.Effects.Count + 1) + (cs.Calendar.Effects.Count + 1), one.Draws[0].Length);
        for (int b = 0; b < 12; b++) Assert.Equal(core[b], one.Draws[b].ToArray());
    }
}
