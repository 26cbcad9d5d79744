using System.Text.Json;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Numerics;
using DigitalEconomy.Core.Regression;
using Xunit;
using static DigitalEconomy.Core.Tests.TestData;

namespace DigitalEconomy.Core.Tests.Regression;

/// <summary>The fit stage's FittedModel, the typed vector term and the fixed-effects parser (issue 20 item 2), against plm references and hand derivations.</summary>
public class PipelineTests
{
    private static readonly JsonElement Ref = TestData.Ref("grunfeld.json");
    private static readonly Core.Data.Panel Data = LoadPanel("Grunfeld.csv", "firm", "year");

    [Fact]
    public void KeptFit_HoldsWhatPostEstimationNeeds_MatchesPlmWithin()
    {
        var m = Ref.At("fe_oneway");
        var (r, fit) = Estimation.FitLinearKept(Data, Formula.Parse("inv ~ value + capital | firm"), new EstimationOptions());
        Assert.Equal(200, fit.N);
        Assert.Equal(188, fit.DfResid);
        Assert.Equal(["value", "capital"], fit.KeptNames);
        Close(m.D("coefficients", "value", "estimate"), fit.B[0], 1e-10, "b value");
        Close(m.D("coefficients", "capital", "estimate"), fit.B[1], 1e-10, "b capital");
        Close(m.D("ssr"), fit.Ssr, 1e-10, "ssr");
        Close(m.D("r_squared", "plm_rsq"), fit.R2Within!.Value, 1e-10, "within r2");
        // The kept arrays are the within transform: every firm's demeaned response sums to zero, and the residuals are
        // ỹ − X̃b with X̃'e = 0 (normal equations), each to rounding.
        var d = fit.Design!;
        var sums = new double[10];
        for (int i = 0; i < fit.N; i++) sums[d.Unit[i]] += fit.DemeanedY[i];
        Assert.All(sums, s => Assert.True(Math.Abs(s) < 1e-9, $"firm sum {s}"));
        foreach (var x in fit.Xk) Assert.True(Math.Abs(ThinQr.Dot(x, fit.Residuals)) < 1e-6, "X̃'e");
        // The bread (X̃'X̃)⁻¹ times σ² = SSR/df gives plm's conventional standard errors.
        double s2 = fit.Ssr / fit.DfResid;
        Close(m.D("coefficients", "value", "se"), Math.Sqrt(s2 * fit.Bread[0, 0]), 1e-9, "se value");
        Close(m.D("coefficients", "capital", "se"), Math.Sqrt(s2 * fit.Bread[1, 1]), 1e-9, "se capital");
        Assert.Equal(r["value"].StdError, Math.Sqrt(s2 * fit.Bread[0, 0]), 12);
    }

    [Fact]
    public void VectorTerm_FitsAsTheColumnItHolds_PlmPooledOls()
    {
        // inv ~ value + capital with value handed in as a typed vector: lm's coefficients, and the term named by its label.
        var m = Ref.At("pooled_ols");
        var value = Data.Frame.Numeric("value");
        var f = Formula.Of(new VarExpr("inv"), [new VectorExpr("firm value", value), new VarExpr("capital")], []);
        var r = Estimation.Fit(Data, f);
        Close(m.D("coefficients", "value", "estimate"), r["firm value"].Estimate, 1e-10, "value");
        Close(m.D("coefficients", "capital", "estimate"), r["capital"].Estimate, 1e-10, "capital");
        Assert.Empty(new VectorExpr("v", value).Columns);
        Assert.Throws<ArgumentException>(() => new VectorExpr("short", [1.0, 2.0]).Evaluate(Data));
    }

    [Fact]
    public void FixedEffectsPart_ParsesAlone()
    {
        var fes = Formula.ParseFixedEffects(" province^year + unit ");
        Assert.Equal(2, fes.Count);
        Assert.Equal(["province", "year"], fes[0].Columns);
        Assert.Equal("unit", fes[1].Text);
        Assert.Empty(Formula.ParseFixedEffects("0"));
        Assert.Throws<InputException>(() => Formula.ParseFixedEffects("unit +"));
        Assert.Throws<InputException>(() => Formula.ParseFixedEffects("unit x"));
    }

    [Fact]
    public void Resample_SourceRows_MapEachResampledRowToItsOrigin()
    {
        var rng = new Core.Resampling.CounterRng(7, "pipeline", 3);
        var sample = Core.Resampling.ClusterBootstrap.Resample(Data, rng, out var rows);
        var same = Core.Resampling.ClusterBootstrap.Resample(Data, new Core.Resampling.CounterRng(7, "pipeline", 3));
        Assert.Equal(Data.RowCount, rows.Length);
        var inv = Data.Frame.Numeric("inv");
        var sInv = sample.Frame.Numeric("inv");
        Assert.Equal(same.Frame.Numeric("inv"), sInv);
        for (int i = 0; i < rows.Length; i++)
        {
            Assert.Equal(inv[rows[i]], sInv[i]);
            Assert.Equal(Data.Time[rows[i]], sample.Time[i]);
        }
    }
}
