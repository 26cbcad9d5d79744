using System.Text.Json;
using DigitalEconomy.Core.Did;
using DigitalEconomy.Core.Formulas;
using Xunit;
using static DigitalEconomy.Core.Tests.TestData;

namespace DigitalEconomy.Core.Tests.Did;

/// <summary>
/// Callaway–Sant'Anna with the covariate x1 against base_stagg_cs_cov.json (R's did 2.5.1 + DRDID 1.2.3 sourced from their public
/// sources, tests/data/validation/make_base_stagg_cs_cov.R): outcome regression, IPW and DR × never / not-yet-treated controls ×
/// varying / universal base: every group-time ATT and SE, the simple, dynamic and group aggregations within 1e-8 relative.
/// </summary>
public class DidCsCovariatesTests
{
    private static readonly JsonElement Ref = TestData.Ref("base_stagg_cs_cov.json");
    private static readonly DidOptions WithX = new() { Outcome = Formula.ParseTerm("y"), Covariates = [Formula.ParseTerm("x1")] };

    private static double[] Arr(JsonElement e) => [.. e.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.Null ? double.NaN : x.GetDouble())];

    /// <summary>As <see cref="TestData.Close"/>, with R's NA (JSON null) matching NaN.</summary>
    private static void Near(double expected, double actual, string what)
    {
        if (double.IsNaN(expected)) { Assert.True(double.IsNaN(actual), $"{what}: expected NA, got {actual:R}"); return; }
        Close(expected, actual, 1e-8, what);
    }

    public static TheoryData<string, CsEstimator, ControlGroup, CsBasePeriod> Cases()
    {
        var d = new TheoryData<string, CsEstimator, ControlGroup, CsBasePeriod>();
        foreach (var (en, e) in new[] { ("reg", CsEstimator.Regression), ("ipw", CsEstimator.Ipw), ("dr", CsEstimator.DoublyRobust) })
            foreach (var (cn, c) in new[] { ("nevertreated", ControlGroup.Never), ("notyettreated", ControlGroup.NotYet) })
                foreach (var (bn, b) in new[] { ("varying", CsBasePeriod.Varying), ("universal", CsBasePeriod.Universal) })
                    d.Add($"{en}_{cn}_{bn}", e, c, b);
        return d;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void GroupTimeAttsAndAggregations_MatchDid(string key, CsEstimator estimator, ControlGroup control, CsBasePeriod basePeriod)
    {
        var block = Ref.At(key);
        var r = CallawaySantAnna.Fit(DidDesign.FromCohort(DidEventStudyTests.Data, "year_treated"), WithX, control, new CsOptions { Estimator = estimator, BasePeriod = basePeriod });
        var grp = Arr(block.At("cell_group"));
        var time = Arr(block.At("time"));
        var att = Arr(block.At("att"));
        var se = Arr(block.At("se"));
        Assert.Equal(basePeriod == CsBasePeriod.Universal ? 90 : 81, grp.Length);
        Assert.Equal(grp.Length, r.Cells.Count);
        for (int i = 0; i < grp.Length; i++)
        {
            var c = r.Cells[i];
            Assert.Equal(((long)grp[i], (long)time[i]), (c.Group, c.Time));
            Near(att[i], c.Att, $"{key} ATT({c.Group},{c.Time})");
            Near(se[i], c.StdError, $"{key} SE({c.Group},{c.Time})");
        }
        Near(block.D("simple", "att"), r.Simple.Att, $"{key} simple");
        Near(block.D("simple", "se"), r.Simple.StdError, $"{key} simple se");
        var dy = block.At("dynamic");
        var e = Arr(dy.At("e"));
        Assert.Equal(e.Length, r.Dynamic.Effects.Count);
        for (int i = 0; i < e.Length; i++)
        {
            Assert.Equal((long)e[i], r.Dynamic.Effects[i].Key);
            Near(Arr(dy.At("att"))[i], r.Dynamic.Effects[i].Att, $"{key} dynamic e={e[i]}");
            Near(Arr(dy.At("se"))[i], r.Dynamic.Effects[i].StdError, $"{key} dynamic se e={e[i]}");
        }
        Near(dy.D("overall_att"), r.Dynamic.Overall.Att, $"{key} dynamic overall");
        Near(dy.D("overall_se"), r.Dynamic.Overall.StdError, $"{key} dynamic overall se");
        var ga = block.At("group");
        var gs = Arr(ga.At("g"));
        for (int i = 0; i < gs.Length; i++)
        {
            Assert.Equal((long)gs[i], r.Group.Effects[i].Key);
            Near(Arr(ga.At("att"))[i], r.Group.Effects[i].Att, $"{key} group {gs[i]}");
            Near(Arr(ga.At("se"))[i], r.Group.Effects[i].StdError, $"{key} group se {gs[i]}");
        }
        // The overall group SE is not compared: did 2.5.1 corrected the weight influence that 2.1.2 (our base_stagg_cs.json) had.
        Near(ga.D("overall_att"), r.Group.Overall.Att, $"{key} group overall");
    }

    /// <summary>The acceptance numbers of did's default (doubly robust) with x1: simple ATT and SE, never and not yet treated.</summary>
    [Fact]
    public void AcceptanceNumbers_DoublyRobustSimpleAtt()
    {
        var d = DidDesign.FromCohort(DidEventStudyTests.Data, "year_treated");
        var never = CallawaySantAnna.Fit(d, WithX, ControlGroup.Never).Simple;
        Close(-0.8636418665305966, never.Att, 1e-8, "dr never");
        Close(0.5818411648704531, never.StdError, 1e-8, "dr never se");
    }

    /// <summary>
    /// Universal base period without covariates: every cell is the 2×2 difference of means between g − 1 and t, written out from
    /// the rows of base_stagg.csv — ATT(g, t) = [ȳ(g, t) − ȳ(g, g − 1)] − [ȳ(C, t) − ȳ(C, g − 1)], also for t &lt; g − 1 (leads
    /// against the last pre-period); not-yet-treated controls are those not treated by max(t, g − 1). The cell t = g − 1 is 0 with no SE.
    /// </summary>
    [Theory]
    [InlineData(6, 2, ControlGroup.Never)]
    [InlineData(6, 9, ControlGroup.Never)]
    [InlineData(8, 3, ControlGroup.NotYet)]
    [InlineData(4, 7, ControlGroup.NotYet)]
    public void UniversalBase_CellIsTheTwoByTwoAgainstGMinusOne(long g, long t, ControlGroup control)
    {
        var rows = File.ReadAllLines(PathOf("base_stagg.csv")).Skip(1).Select(l => l.Split(','))
            .Select(f => (Cohort: long.Parse(f[2]), Year: long.Parse(f[1]), Y: double.Parse(f[7], System.Globalization.CultureInfo.InvariantCulture))).ToList();
        long b = g - 1, later = Math.Max(t, b);
        bool IsControl(long c) => c == 10000 || (control == ControlGroup.NotYet && c > later && c != g);
        double Mean(Func<long, bool> who, long year) => rows.Where(x => who(x.Cohort) && x.Year == year).Average(x => x.Y);
        double expected = (Mean(c => c == g, t) - Mean(c => c == g, b)) - (Mean(IsControl, t) - Mean(IsControl, b));
        var r = CallawaySantAnna.Fit(DidDesign.FromCohort(DidEventStudyTests.Data, "year_treated"), new DidOptions { Outcome = Formula.ParseTerm("y") }, control,
            new CsOptions { BasePeriod = CsBasePeriod.Universal });
        var cell = r.Cells.Single(c => c.Group == g && c.Time == t);
        Assert.Equal(b, cell.BasePeriod);
        Close(expected, cell.Att, 1e-12, $"ATT({g},{t})");
        var reference = r.Cells.Single(c => c.Group == g && c.Time == b);
        Assert.Equal(0.0, reference.Att);
        Assert.True(double.IsNaN(reference.StdError));
    }
}
