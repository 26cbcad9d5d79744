using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Gmm;
using DigitalEconomy.Reporting.Tables;
using Xunit;

namespace DigitalEconomy.Reporting.Tests.Tables;

/// <summary>
/// The GMM table on EmplUK's Arellano–Bond two-step and Blundell–Bond one-step fits; the printed numbers are plm's
/// (refs/emplUK_gmm.json) rounded: e.g. lag(log(emp)) 0.47415 with Windmeijer SE 0.18540 (z = 2.557, p = 0.011: **).
/// </summary>
public class GmmTableTests
{
    private static readonly Panel EmplUk = Panel.Create(CsvReader.ReadFile(TestData.PathOf("EmplUK.csv")), "firm", "year");

    private static GmmResult Ab() => GmmEstimator.Fit(EmplUk, new GmmSpec(Formula.ParseTerm("log(emp)"),
        [.. new[] { "lag(log(emp), 1)", "lag(log(emp), 2)", "log(wage)", "lag(log(wage), 1)", "log(capital)", "log(output)", "lag(log(output), 1)" }.Select(Formula.ParseTerm)],
        [new GmmStyle(Formula.ParseTerm("log(emp)"), 2, GmmStyle.AllLags, false)], TwoStep: true));

    private static GmmResult Bb() => GmmEstimator.Fit(EmplUk, new GmmSpec(Formula.ParseTerm("log(emp)"),
        [.. new[] { "lag(log(emp), 1)", "log(wage)", "lag(log(wage), 1)", "log(capital)", "lag(log(capital), 1)" }.Select(Formula.ParseTerm)],
        [.. new[] { "log(emp)", "log(wage)", "log(capital)" }.Select(v => new GmmStyle(Formula.ParseTerm(v), 2, 99, false))], System: true));

    private static string Text(Table t, string key, int column, RowKind kind = RowKind.Estimate) =>
        t.Blocks.SelectMany(b => b.Rows).First(r => r.Key == key && r.Kind == kind).Cells[column].Text;

    [Fact]
    public void Table_PrintsCoefficientsAndTheReferees_Diagnostics()
    {
        var t = GmmTable.Build("Dynamic panel", [new GmmTableColumn("", Ab()), new GmmTableColumn("BB", Bb())]);
        Assert.Equal(["Difference GMM (two-step)", "BB"], t.Columns.Select(c => c.Label));
        Assert.Equal("0.474**", Text(t, "lag(log(emp))", 0));
        Assert.Equal("(0.185)", Text(t, "lag(log(emp))", 0, RowKind.Parenthesised));
        Assert.Equal("-0.513***", Text(t, "log(wage)", 0)); // -0.51320 / 0.14557: z = -3.53
        Assert.Equal("0.936***", Text(t, "lag(log(emp))", 1));
        Assert.Equal("(0.026)", Text(t, "lag(log(emp))", 1, RowKind.Parenthesised));
        Assert.Equal("", Text(t, "lag(log(emp),2)", 1)); // not in the system model
        Assert.DoesNotContain(t.Blocks.SelectMany(b => b.Rows), r => r.Key is "1984" or "(Intercept)");
        Assert.Equal("0.124", Text(t, "ar1_p", 0, RowKind.Statistic));   // plm 0.12394
        Assert.Equal("0.780", Text(t, "ar2_p", 0, RowKind.Statistic));   // plm 0.77972
        Assert.Equal("0.220", Text(t, "hansen_p", 0, RowKind.Statistic)); // plm 0.22011
        Assert.Equal("0.097", Text(t, "hansen_p", 1, RowKind.Statistic)); // plm 0.09710
        Assert.Equal("38", Text(t, "instruments", 0, RowKind.Statistic));
        Assert.Equal("113", Text(t, "instruments", 1, RowKind.Statistic));
        Assert.Equal("140", Text(t, "units", 0, RowKind.Statistic));
        // 1031 firm-years: 611 = 1031 − 3·140 differenced equations with two lags; 891 = 1031 − 140 level equations.
        Assert.Equal("611", Text(t, "n", 0, RowKind.Statistic));
        Assert.Equal("891", Text(t, "n", 1, RowKind.Statistic));
        Assert.Equal("YES", Text(t, "time_effects", 0, RowKind.Indicator));
        Assert.Equal(2, t.Notes.Count);
    }

    [Fact]
    public void Chinese_AndAFailedColumn_AndTooManyInstruments()
    {
        var few = EmplUk.Subset([.. Enumerable.Range(0, EmplUk.RowCount).Where(r => EmplUk.UnitCode[r] < 30)]);
        var small = GmmEstimator.Fit(few, Ab().Spec);
        var t = GmmTable.Build("表", [new GmmTableColumn("", small), new GmmTableColumn("坏", null, "gmm: 3 instruments for 5 coefficients")], TableLanguage.Zh);
        Assert.Equal("差分GMM（两步）", t.Columns[0].Label);
        Assert.Contains(t.Blocks.SelectMany(b => b.Rows), r => r.Label == "工具变量个数");
        Assert.Equal("—", Text(t, "instruments", 1, RowKind.Statistic));
        Assert.Contains("(1) 工具变量个数 38 超过个体数 30（Roodman 经验法则）", t.Notes);
        Assert.Contains("(2) 未能估计: gmm: 3 instruments for 5 coefficients", t.Notes);
    }
}
