using System.Globalization;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Regression;
using FsCheck;
using FsCheck.Fluent;
using Xunit;
using static DigitalEconomy.Core.Tests.TestData;


namespace DigitalEconomy.Core.Tests.Regression;

/// <summary>Invariants of the estimators, checked over random permutations, labels and scales (FsCheck).</summary>
public class PropertyTests
{
    private static readonly DataFrame Empl = CsvReader.ReadFile(PathOf("EmplUK.csv"));
    private const string TwoWay = "log(emp) ~ log(wage) + log(capital) + log(output) | firm + year";
    private static readonly EstimationOptions Clustered = new() { Vcov = VcovSpec.Cluster("firm") };
    private static readonly RegressionResult Baseline = Estimation.Fit(Panel.Create(Empl, "firm", "year"), TwoWay, Clustered);
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(15);

    private static bool Same(RegressionResult a, RegressionResult b, double rel = 1e-9)
    {
        for (int i = 0; i < a.Coefficients.Count; i++)
        {
            var x = a.Coefficients[i];
            var y = b.Coefficients[i];
            if (x.Term != y.Term) return false;
            if (Math.Abs(x.Estimate - y.Estimate) > rel * Math.Abs(x.Estimate)) return false;
            if (Math.Abs(x.StdError - y.StdError) > rel * x.StdError) return false;
        }
        return a.N == b.N && a.DfResid == b.DfResid;
    }

    [Fact]
    public void UnbalancedTwoWay_InvariantToRowOrder()
    {
        var gen = Gen.Shuffle(Enumerable.Range(0, Empl.RowCount).ToArray());
        Check.One(Runs, Prop.ForAll(Arb.From(gen), order =>
            Same(Baseline, Estimation.Fit(Panel.Create(Empl.Take(order), "firm", "year"), TwoWay, Clustered))));
    }

    [Fact]
    public void UnbalancedTwoWay_InvariantToRelabellingUnits()
    {
        var firms = Empl["firm"].Values!.Distinct().ToArray();
        var gen = Gen.Shuffle(Enumerable.Range(0, firms.Length).ToArray());
        Check.One(Runs, Prop.ForAll(Arb.From(gen), perm =>
        {
            var map = new Dictionary<double, string>();
            for (int i = 0; i < firms.Length; i++) map[firms[i]] = "城市" + perm[i].ToString(CultureInfo.InvariantCulture);
            var labels = Empl["firm"].Values!.Select(v => (string?)map[v]).ToArray();
            var frame = Empl.With(Column.Text("firm", labels));
            return Same(Baseline, Estimation.Fit(Panel.Create(frame, "firm", "year"), TwoWay, Clustered));
        }));
    }

    [Fact]
    public void ScalingARegressor_ScalesItsCoefficientAndError()
    {
        var gen = Gen.Elements(0.001, 0.5, 3.0, 1000.0, -7.25, 1e6);
        var panel = Panel.Create(Empl, "firm", "year");
        Check.One(Runs, Prop.ForAll(Arb.From(gen), c =>
        {
            var scaled = panel.WithColumn("wage_s", Empl["wage"].Values!.Zip(panel.Frame["wage"].Values!, (_, w) => w * c).ToArray());
            var r = Estimation.Fit(scaled, "log(emp) ~ wage_s + log(capital) | firm + year", Clustered);
            var b = Estimation.Fit(panel, "log(emp) ~ wage + log(capital) | firm + year", Clustered);
            return Math.Abs(r["wage_s"].Estimate * c - b["wage"].Estimate) <= 1e-9 * Math.Abs(b["wage"].Estimate)
                && Math.Abs(r["wage_s"].StdError * Math.Abs(c) - b["wage"].StdError) <= 1e-9 * b["wage"].StdError
                && Math.Abs(r["log(capital)"].Estimate - b["log(capital)"].Estimate) <= 1e-9 * Math.Abs(b["log(capital)"].Estimate);
        }));
    }

    [Fact]
    public void AlternatingProjections_EqualLsdvWithDummies_OnUnbalancedPanel()
    {
        var panel = Panel.Create(Empl, "firm", "year");
        var absorbed = Estimation.Fit(panel, TwoWay);
        Assert.Equal(DemeanMethod.AlternatingProjections, absorbed.DemeanMethod);
        Assert.True(absorbed.DemeanIterations > 0);
        // LSDV: pooled OLS with explicit firm and year dummies (first level of each left out).
        var p = panel;
        var names = new List<string>();
        var firms = panel.UnitLabels;
        for (int g = 1; g < firms.Length; g++)
        {
            var d = panel.UnitCode.Select(c => c == g ? 1.0 : 0.0).ToArray();
            p = p.WithColumn($"f{g}", d);
            names.Add($"f{g}");
        }
        var years = panel.Periods;
        for (int t = 1; t < years.Count; t++)
        {
            var d = panel.Time.Select(y => y == years[t] ? 1.0 : 0.0).ToArray();
            p = p.WithColumn($"y{t}", d);
            names.Add($"y{t}");
        }
        var lsdv = Estimation.Fit(p, "log(emp) ~ log(wage) + log(capital) + log(output) + " + string.Join(" + ", names));
        foreach (var t in new[] { "log(wage)", "log(capital)", "log(output)" })
        {
            Close(lsdv[t].Estimate, absorbed[t].Estimate, 1e-9, t);
            Close(lsdv[t].StdError, absorbed[t].StdError, 1e-9, t);
        }
        Assert.Equal(lsdv.DfResid, absorbed.DfResid);
        Close(lsdv.R2, absorbed.R2, 1e-10, "LSDV R2");
    }
}
