using DigitalEconomy.Core.Did;
using DigitalEconomy.Core.Regression;
using DigitalEconomy.Reporting.Tables;
using Xunit;

namespace DigitalEconomy.Reporting.Tests.Tables;

/// <summary>The did analysis's tables from given numbers (the base_stagg references of validation README sections l and p).</summary>
public class DidTablesTests
{
    private static string Text(Table t, string key, int column) => t.Blocks.SelectMany(b => b.Rows).Single(r => r.Key == key).Cells[column].Text;

    [Fact]
    public void Robust_PrintsEachAtt_WithStarsAndItsSe()
    {
        // Sun–Abraham ATT −1.133749449 (SE 0.2050704938, p 2.88e-7); CS never-treated simple −0.755190 (SE 0.679167, p 0.266).
        var t = DidTables.Robust("ATT", [
            new DidAtt("Sun–Abraham", -1.1337494487718278, 0.20507049376143957, 2.8820382355497816e-07, "never treated", 950),
            new DidAtt("CS", -0.755190119610254, 0.67916719418683, 0.266, "never treated", null),
        ], zh: false);
        Assert.Equal(["(1)", "(2)"], t.Columns.Select(c => c.Header));
        Assert.Equal(["Sun–Abraham", "CS"], t.Columns.Select(c => c.Label));
        Assert.Equal("-1.134***", Text(t, "att", 0));
        Assert.Equal("(0.205)", Text(t, "att_se", 0));
        Assert.Equal("-0.755", Text(t, "att", 1));
        Assert.Equal("(0.679)", Text(t, "att_se", 1));
        Assert.Equal("950", Text(t, "N", 0));
        Assert.Equal("", Text(t, "N", 1));
        Assert.Equal(-1.1337494487718278, t.Blocks[0].Rows[0].Cells[0].Value);
    }

    [Fact]
    public void EventStudy_RowsPerPeriod_ReferenceAsZero_AndThePreTrendTestInTheFirstColumn()
    {
        // fixest's TWFE event study on base_stagg: t = −2: 0.357168 (SE 0.269013, p 0.1875); t = 0: −5.172103 (SE 0.370099, p 1.1e-24).
        var twfe = new DidEventColumn("TWFE", new Dictionary<int, DidAtt>
        {
            [-2] = new("", 0.35716781663704694, 0.2690128460123177, 0.18749316142485106, "", null),
            [0] = new("", -5.172103086845952, 0.37009928447326573, 1.1250336872570797e-24, "", null),
        });
        var cs = new DidEventColumn("CS", new Dictionary<int, DidAtt>
        {
            [-1] = new("", -0.241325173661484, 0.467952723845846, 0.606, "", null),
            [0] = new("", -5.04151532537521, 0.601611566539699, 5e-17, "", null),
        });
        var t = DidTables.EventStudy("Event study", [twfe, cs], -1, new TestResult("pre-trend", 2.5, 8, 94, 0.0163), zh: false);
        var keys = t.Blocks[0].Rows.Where(r => r.Kind == RowKind.Estimate).Select(r => r.Key).ToList();
        Assert.Equal(["event::-2", "event::-1", "event::0"], keys);
        Assert.Equal("0.357", Text(t, "event::-2", 0));
        Assert.Equal("(0.269)", Text(t, "event::-2_se", 0));
        Assert.Equal("0", Text(t, "event::-1", 0));
        Assert.Equal("-0.241", Text(t, "event::-1", 1));
        Assert.Equal("-5.172***", Text(t, "event::0", 0));
        Assert.Equal("", Text(t, "event::-2", 1));
        Assert.Equal("2.500", Text(t, "pretrend_f", 0));
        Assert.Equal("0.016", Text(t, "pretrend_p", 0));
        Assert.Equal("", Text(t, "pretrend_f", 1));
    }

    [Fact]
    public void Placebo_SummaryFakeYearAndLeaveOut()
    {
        var s = PlaceboSummary.Of(2.0, [1.0, -3.0, 2.0, 0.5]);
        var t = DidTables.Placebo("Placebo", s, "units", (2, new DidAtt("", 0.01, 0.02, 0.6, "", null)), [(2015L, new DidAtt("", -0.05, 0.02, 0.012, "", null))], zh: true);
        Assert.Equal("2.000", Text(t, "actual", 0));
        Assert.Equal("4", Text(t, "draws", 0));
        Assert.Equal("0.125", Text(t, "placebo_mean", 0));
        Assert.Equal("0.600", Text(t, "placebo_p", 0));
        Assert.Equal("0.500", Text(t, "placebo_share", 0));
        Assert.Equal("0.010", Text(t, "fake_year", 0));
        Assert.Equal("-0.050**", Text(t, "without_2015", 0));
        Assert.Contains("剔除 2015 年试点批次", t.Blocks[0].Rows.Select(r => r.Label));
    }

    [Fact]
    public void Bacon_TypesAndTheirSum()
    {
        var b = new BaconResult([
            new BaconTerm("treated vs never", 2, null, 1.0, 0.5),
            new BaconTerm("earlier vs later treated", 2, 3, 3.0, 0.25),
            new BaconTerm("later vs earlier treated", 3, 2, -1.0, 0.25),
        ], 1.0);
        var t = DidTables.Bacon("Bacon", b, zh: false);
        Assert.Equal("0.500", Text(t, "treated vs never", 0));
        Assert.Equal("3.000", Text(t, "earlier vs later treated", 1));
        Assert.Equal("1.000", Text(t, "twfe", 1));
    }

    [Fact]
    public void CsBootstrap_RowsPerAggregation_WithAnalyticAndBootstrapSes_AndTheUniformBand()
    {
        // Made-up numbers of one cohort (g = 2) and two periods: the table only lays them out.
        CsEffect E(long? key, double att, double se) => new(key, att, se, att - 1.96 * se, att + 1.96 * se);
        var cs = new CsResult(ControlGroup.Never, [new GroupTimeAtt(2, 2, 1, -0.8636, 0.5818, 5, 50), new GroupTimeAtt(2, 3, 1, 1.25, 0.4, 5, 50)],
            E(null, 0.1932, 0.35),
            new CsAggregation("dynamic", [E(0, -0.8636, 0.5818), E(1, 1.25, 0.4)], E(null, 0.1932, 0.35)),
            new CsAggregation("group", [E(2, 0.1932, 0.35)], E(null, 0.1932, 0.35)),
            new CsAggregation("calendar", [E(2, -0.8636, 0.5818), E(3, 1.25, 0.4)], E(null, 0.1932, 0.35)),
            55, []) { Influence = [] };
        var boot = new CsBootstrapResult(999, [0.6, 0.41], 2.3, [-2.2436, 0.307], [0.5164, 2.193])
        {
            Aggregations =
            [
                new("simple", [0.36], 1.97, [-0.5160], [0.9024], double.NaN),
                new("dynamic", [0.6, 0.41], 2.2, [-2.1836, 0.348], [0.4564, 2.152], 0.34),
                new("group", [0.36], 1.97, [-0.5160], [0.9024], 0.36),
                new("calendar", [0.6, 0.41], 2.2, [-2.1836, 0.348], [0.4564, 2.152], 0.34),
            ],
        };
        var t = DidTables.CsBootstrap("CS bootstrap", cs, boot, zh: false);
        Assert.Equal(["ATT", "SE", "Bootstrap SE", "Band low", "Band high"], t.Columns.Select(c => c.Label));
        Assert.Equal(["0.193", "0.350", "0.360", "-0.516", "0.902"], Enumerable.Range(0, 5).Select(c => Text(t, "simple_all", c)));
        Assert.Equal(["-0.864", "0.582", "0.600", "-2.184", "0.456"], Enumerable.Range(0, 5).Select(c => Text(t, "dynamic_0", c)));
        Assert.Equal(["0.193", "0.350", "0.340", "", ""], Enumerable.Range(0, 5).Select(c => Text(t, "dynamic_overall", c)));
        Assert.Equal("2.200", Text(t, "dynamic_critical", 3));
        Assert.Equal("1.970", Text(t, "group_critical", 3));
        Assert.Equal(4, t.Blocks.Count);
        Assert.Contains("999 draws", t.Notes[0], StringComparison.Ordinal);
        Assert.Contains("critical value 2.300", t.Notes[0], StringComparison.Ordinal);
    }
}
