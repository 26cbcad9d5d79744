using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Regression;
using DigitalEconomy.Core.Threshold;
using DigitalEconomy.Reporting.Charts;
using DigitalEconomy.Reporting.Tables;
using Xunit;

namespace DigitalEconomy.Reporting.Tests.Tables;

/// <summary>
/// The threshold tables on the model of ../shared/validation case m (refs/produc_threshold.json, full_within, qn = 400,
/// trim 0.05): the cells carry the reference's F statistics, thresholds and intervals; the test columns show the bootstrap
/// summary given (hand-made numbers, so the cells are checked against what was passed in, and the stars against p).
/// </summary>
public class ThresholdTablesTests
{
    private static ThresholdResult Result() => PanelThreshold.Estimate(TestData.Produc, new ThresholdSpec(
        Formula.Parse("log(gsp) ~ log(pc) + log(emp)"), Formula.ParseTerm("unemp"), [Formula.ParseTerm("log(pcap)")],
        new ThresholdOptions { Thresholds = 2, Trim = [0.05], Variances = [VcovSpec.Iid] }));

    [Fact]
    public void TestsTable_HoldsTheReferenceStatistics()
    {
        var r = Result();
        var tests = new ThresholdTest?[] { new(1, r.Steps[0].F, 300, 0.004, 9.5, 12.25, 18.0), null };
        var t = ThresholdTables.Tests("Threshold tests", r, tests, "unemp", TableLanguage.En);
        var rows = t.Blocks.Single().Rows;
        Assert.Equal(["k1", "k2", "k2_refined1"], rows.Select(x => x.Key));
        Assert.Equal(8, t.Columns.Count);
        Assert.Equal(22.40361229328055, rows[0].Cells[0].Value!.Value, 1e-8);
        Assert.Equal("22.404***", rows[0].Cells[0].Text);
        Assert.Equal(["0.004", "300", "9.500", "12.250", "18.000"], rows[0].Cells.Skip(1).Take(5).Select(c => c.Text));
        Assert.Equal(7.1, rows[0].Cells[6].Value);
        Assert.Equal("[6.9000, 9.0000]", rows[0].Cells[7].Text);
        Assert.Equal(8.1096232966698327, rows[1].Cells[0].Value!.Value, 1e-8);
        Assert.Equal("8.110", rows[1].Cells[0].Text);   // no bootstrap: no p, no stars
        Assert.Equal("", rows[1].Cells[1].Text);
        Assert.Equal(12.0, rows[1].Cells[6].Value);
        Assert.Equal("[3.1000, 13.0000]", rows[1].Cells[7].Text);
        Assert.Equal("[6.9000, 7.7000]", rows[2].Cells[7].Text);
        Assert.Contains("7.3523", t.Notes[0], StringComparison.Ordinal);
        var zh = ThresholdTables.Tests("门槛效应检验", r, tests, "失业率", TableLanguage.Zh);
        Assert.Equal("单一门槛", zh.Blocks[0].Rows[0].Label);
        Assert.Equal("门槛估计值", zh.Columns[6].Header);
    }

    [Fact]
    public void CoefficientsTable_LabelsTheRegimes_AndHoldsTheReferenceSlopes()
    {
        var r = Result();
        var t = ThresholdTables.Coefficients("Regime coefficients", r.Steps[1], ["log(pcap)"], "unemp", new RegressionTableOptions());
        var rows = t.Blocks.SelectMany(b => b.Rows).ToList();
        var r1 = rows.Single(x => x.Key == "log(pcap)_regime1");
        Assert.Equal("log(pcap) (unemp < 7.1)", r1.Label);
        Assert.Equal(-0.048968075648925247, r1.Cells[0].Value!.Value, 1e-9);
        Assert.Equal("log(pcap) (7.1 ≤ unemp < 12)", rows.Single(x => x.Key == "log(pcap)_regime2").Label);
        var r3 = rows.Single(x => x.Key == "log(pcap)_regime3");
        Assert.Equal("log(pcap) (unemp ≥ 12)", r3.Label);
        Assert.Equal(-0.052898663417350278, r3.Cells[0].Value!.Value, 1e-9);
        Assert.Equal(0.27599514937973602, rows.Single(x => x.Key == "log(pc)").Cells[0].Value!.Value, 1e-9);
    }

    [Fact]
    public void LrChart_RendersPngAndSvg()
    {
        var r = Result();
        var curves = r.Steps.Select(s => new ThresholdLrCurve($"γ{s.K}", s.Stage.Curve.Gamma, s.Stage.Curve.Lr)).ToList();
        var png = ThresholdLrChart.Render(curves, r.CriticalLr);
        Assert.Equal([0x89, 0x50, 0x4E, 0x47], png.Take(4));
        var svg = System.Text.Encoding.UTF8.GetString(ThresholdLrChart.Render(curves, r.CriticalLr, chart: new ChartOptions { Format = ChartFormat.Svg }));
        Assert.Contains("<svg", svg, StringComparison.Ordinal);
        Assert.Contains("95% critical value", svg, StringComparison.Ordinal);
    }
}
