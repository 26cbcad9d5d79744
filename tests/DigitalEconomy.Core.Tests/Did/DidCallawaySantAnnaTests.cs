using System.Text.Json;
using DigitalEconomy.Core.Did;
using DigitalEconomy.Core.Formulas;
using Xunit;
using static DigitalEconomy.Core.Tests.TestData;

namespace DigitalEconomy.Core.Tests.Did;

/// <summary>
/// Callaway–Sant'Anna against base_stagg_cs.json (validation README section p: R's did 2.1.2, est_method = "reg", varying base,
/// analytic SEs, never- and not-yet-treated controls): 81 group-time ATTs and SEs, simple, dynamic and group aggregations within 1e-8.
/// </summary>
public class DidCallawaySantAnnaTests
{
    private static readonly JsonElement Ref = TestData.Ref("base_stagg_cs.json");
    private static readonly DidOptions Options = new() { Outcome = Formula.ParseTerm("y") };

    /// <summary>jsonlite wrote the cells' groups as "group" and the group aggregation (a second "group" in R's list) as "group.1".</summary>
    private static (JsonElement Cells, JsonElement Agg) Groups(JsonElement block) => (block.At("group"), block.At("group.1"));

    private static double[] Arr(JsonElement e) => [.. e.EnumerateArray().Select(x => x.GetDouble())];

    [Theory]
    [InlineData("nevertreated", ControlGroup.Never)]
    [InlineData("notyettreated", ControlGroup.NotYet)]
    public void GroupTimeAttsAndAggregations_MatchDid(string key, ControlGroup control)
    {
        var block = Ref.At(key);
        var (groupsJson, groupAgg) = Groups(block);
        var r = CallawaySantAnna.Fit(DidDesign.FromCohort(DidEventStudyTests.Data, "year_treated"), Options, control);
        Assert.Equal(95, r.Units);
        var grp = Arr(groupsJson);
        var time = Arr(block.At("time"));
        var att = Arr(block.At("att"));
        var se = Arr(block.At("se"));
        Assert.Equal(81, r.Cells.Count);
        for (int i = 0; i < grp.Length; i++)
        {
            var c = r.Cells[i];
            Assert.Equal((long)grp[i], c.Group);
            Assert.Equal((long)time[i], c.Time);
            Close(att[i], c.Att, 1e-8, $"{key} ATT({c.Group},{c.Time})");
            Close(se[i], c.StdError, 1e-8, $"{key} SE({c.Group},{c.Time})");
        }
        Close(block.D("simple", "att"), r.Simple.Att, 1e-8, "simple");
        Close(block.D("simple", "se"), r.Simple.StdError, 1e-8, "simple se");
        var dy = block.At("dynamic");
        var e = Arr(dy.At("e"));
        Assert.Equal(e.Length, r.Dynamic.Effects.Count);
        for (int i = 0; i < e.Length; i++)
        {
            Assert.Equal((long)e[i], r.Dynamic.Effects[i].Key);
            Close(Arr(dy.At("att"))[i], r.Dynamic.Effects[i].Att, 1e-8, $"dynamic e={e[i]}");
            Close(Arr(dy.At("se"))[i], r.Dynamic.Effects[i].StdError, 1e-8, $"dynamic se e={e[i]}");
        }
        Close(dy.D("overall_att"), r.Dynamic.Overall.Att, 1e-8, "dynamic overall");
        Close(dy.D("overall_se"), r.Dynamic.Overall.StdError, 1e-8, "dynamic overall se");
        var gs = Arr(groupAgg.At("g"));
        for (int i = 0; i < gs.Length; i++)
        {
            Assert.Equal((long)gs[i], r.Group.Effects[i].Key);
            Close(Arr(groupAgg.At("att"))[i], r.Group.Effects[i].Att, 1e-8, $"group {gs[i]}");
            Close(Arr(groupAgg.At("se"))[i], r.Group.Effects[i].StdError, 1e-8, $"group se {gs[i]}");
        }
        Close(groupAgg.D("overall_att"), r.Group.Overall.Att, 1e-8, "group overall");
        Close(groupAgg.D("overall_se"), r.Group.Overall.StdError, 1e-8, "group overall se");
    }

    [Fact]
    public void AcceptanceNumbers_SimpleAtt()
    {
        var d = DidDesign.FromCohort(DidEventStudyTests.Data, "year_treated");
        var never = CallawaySantAnna.Fit(d, Options, ControlGroup.Never).Simple;
        var notYet = CallawaySantAnna.Fit(d, Options, ControlGroup.NotYet).Simple;
        Close(-0.755190119610254, never.Att, 1e-8, "never");
        Close(0.67916719418683, never.StdError, 1e-8, "never se");
        Close(-0.799488915768886, notYet.Att, 1e-8, "not yet");
        Close(0.693896435883057, notYet.StdError, 1e-8, "not yet se");
    }

    /// <summary>
    /// Unconditional group-time ATTs are 2×2 differences of means, written out here from the rows of base_stagg.csv:
    /// ATT(g, t) = [ȳ(g, t) − ȳ(g, b)] − [ȳ(C, t) − ȳ(C, b)], b = g − 1 for t ≥ g and t − 1 before.
    /// </summary>
    [Theory]
    [InlineData(5, 7, ControlGroup.Never)]
    [InlineData(5, 3, ControlGroup.Never)]
    [InlineData(3, 8, ControlGroup.NotYet)]
    [InlineData(8, 4, ControlGroup.NotYet)]
    public void GroupTimeAtt_IsTheTwoByTwoDifferenceOfMeans(long g, long t, ControlGroup control)
    {
        var rows = File.ReadAllLines(PathOf("base_stagg.csv")).Skip(1).Select(l => l.Split(','))
            .Select(f => (Cohort: long.Parse(f[2]), Year: long.Parse(f[1]), Y: double.Parse(f[7], System.Globalization.CultureInfo.InvariantCulture))).ToList();
        long b = t >= g ? g - 1 : t - 1;
        bool IsControl(long c) => c == 10000 || (control == ControlGroup.NotYet && c > t && c != g);
        double Mean(Func<long, bool> who, long year) => rows.Where(x => who(x.Cohort) && x.Year == year).Average(x => x.Y);
        double expected = (Mean(c => c == g, t) - Mean(c => c == g, b)) - (Mean(IsControl, t) - Mean(IsControl, b));
        var r = CallawaySantAnna.Fit(DidDesign.FromCohort(DidEventStudyTests.Data, "year_treated"), Options, control);
        var cell = r.Cells.Single(c => c.Group == g && c.Time == t);
        Assert.Equal(b, cell.BasePeriod);
        Close(expected, cell.Att, 1e-12, $"ATT({g},{t})");
    }

    /// <summary>
    /// The calendar aggregation (not in the reference): every cohort has 5 units, so pg-weights are equal and the effect
    /// of period t is the plain mean of the reference's ATT(g, t) over cohorts g ≤ t; the overall one is their mean.
    /// </summary>
    [Fact]
    public void Calendar_IsTheMeanOfTheReferenceCellsOfEachPeriod()
    {
        var block = Ref.At("nevertreated");
        var grp = Arr(block.At("group"));
        var time = Arr(block.At("time"));
        var att = Arr(block.At("att"));
        var r = CallawaySantAnna.Fit(DidDesign.FromCohort(DidEventStudyTests.Data, "year_treated"), Options, ControlGroup.Never);
        var expected = new List<double>();
        for (int t = 2; t <= 10; t++)
        {
            double e = Enumerable.Range(0, grp.Length).Where(i => time[i] == t && grp[i] <= t).Average(i => att[i]);
            expected.Add(e);
            Close(e, r.Calendar.Effects.Single(x => x.Key == t).Att, 1e-8, $"calendar {t}");
        }
        Close(expected.Average(), r.Calendar.Overall.Att, 1e-8, "calendar overall");
    }
}
