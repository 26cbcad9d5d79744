using System.Text.Json;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Regression;
using DigitalEconomy.Core.Resampling;
using Xunit;
using Xunit.Abstractions;
using static DigitalEconomy.Core.Tests.TestData;

namespace DigitalEconomy.Core.Tests.Regression;

/// <summary>
/// Analytic weights (<see cref="EstimationOptions.Weights"/>) against produc_weights.json (validation README
/// section j: fixest feols(weights = ~emp) and lm(weights = emp) with dummies, every variance re-derived from its
/// weighted sandwich formula), and hand derivations: equal weights, integer weights as duplicated rows, and the
/// refusals.
/// </summary>
public class WeightsTests(ITestOutputHelper output)
{
    private static readonly JsonElement Ref = TestData.Ref("produc_weights.json");
    private static readonly Panel Data = LoadPanel("Produc.csv", "state", "year");
    private const string Rhs = "log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp";
    private static readonly string[] Slopes = ["log(pcap)", "log(pc)", "log(emp)", "unemp"];

    private static string Fe(string spec) => spec == "twoways" ? " | state + year" : " | state";

    private static RegressionResult Fit(string spec, string vcov, SmallSample ssc = SmallSample.Stata) =>
        Estimation.Fit(Data, Rhs + Fe(spec), new EstimationOptions { Vcov = VcovSpec.Parse(vcov, ssc), Weights = "emp" });

    /// <summary>Asserts the SEs (and the matrix, when the block has one) within 1e-8 relative; returns the largest relative difference.</summary>
    private double Check(RegressionResult r, JsonElement block, string what)
    {
        double worst = 0;
        foreach (var t in Slopes)
        {
            double e = block.D("se", t);
            worst = Math.Max(worst, Math.Abs(r[t].StdError - e) / Math.Abs(e));
            Close(e, r[t].StdError, 1e-8, $"{what} se[{t}]");
        }
        if (block.TryGetProperty("vcov", out var v))
        {
            var rows = v.At("rownames").EnumerateArray().Select(x => x.GetString()!).ToList();
            var vals = v.At("values").EnumerateArray().Select(x => x.EnumerateArray().Select(y => y.GetDouble()).ToArray()).ToArray();
            var terms = r.Coefficients.Select(c => c.Term).ToList();
            for (int i = 0; i < rows.Count; i++)
                for (int j = 0; j < rows.Count; j++)
                {
                    double e = vals[i][j], got = r.Covariance[terms.IndexOf(rows[i])][terms.IndexOf(rows[j])];
                    worst = Math.Max(worst, Math.Abs(got - e) / Math.Abs(e));
                    Close(e, got, 1e-8, $"{what} V[{rows[i]},{rows[j]}]");
                }
        }
        output.WriteLine($"{what}: max rel diff {worst:g3}");
        return worst;
    }

    [Theory]
    [InlineData("twoways")]
    [InlineData("oneway_state")]
    public void Coefficients_SumOfWeights_WeightedSsr_AndIid(string spec)
    {
        var r = Fit(spec, "iid");
        var s = Ref.At(spec);
        Assert.Equal(s.At("n").GetInt32(), r.N);
        Assert.Equal(s.At("df_residual").GetInt32(), r.DfResid);
        Assert.Equal(s.At("K_lsdv_rank").GetInt32(), r.N - r.DfResid);
        Assert.Equal("emp", r.Weights);
        double worst = 0;
        foreach (var t in Slopes)
        {
            double e = s.D("coefficients", t);
            worst = Math.Max(worst, Math.Abs(r[t].Estimate - e) / Math.Abs(e));
            Close(e, r[t].Estimate, 1e-8, $"{spec} b[{t}]");
        }
        output.WriteLine($"{spec} coefficients: max rel diff {worst:g3}");
        Close(s.D("sum_weights"), r.SumWeights!.Value, 1e-12, "sum of weights");
        Close(s.D("ssr_weighted"), r.Ssr, 1e-8, "weighted SSR");
        Close(s.D("sigma_weighted"), r.Sigma, 1e-8, "weighted sigma");
        output.WriteLine($"{spec} ssr: rel diff {Math.Abs(r.Ssr - s.D("ssr_weighted")) / s.D("ssr_weighted"):g3}; sum w: {Math.Abs(r.SumWeights!.Value - s.D("sum_weights")) / s.D("sum_weights"):g3}");
        Check(r, s.At("iid"), $"{spec} iid");
    }

    [Theory]
    [InlineData("twoways", SmallSample.Stata)]
    [InlineData("twoways", SmallSample.Lsdv)]
    [InlineData("oneway_state", SmallSample.Stata)]
    [InlineData("oneway_state", SmallSample.Lsdv)]
    public void Hc1_FactorNOverNMinusLsdvRank(string spec, SmallSample ssc)
    {
        // Stata's HC1 factor N/(N − k − a) and the LSDV one N/(N − K) coincide: k + a = 4 + 64 = 68 (two-way), 4 + 48 = 52 (one-way).
        var r = Fit(spec, "hc1", ssc);
        Close(Ref.D(spec, "hc1", "factor"), r.SmallSampleFactor, 1e-14, "HC1 factor");
        Check(r, Ref.At(spec, "hc1"), $"{spec} hc1 ({ssc})");
    }

    [Theory]
    [InlineData("twoways")]
    [InlineData("oneway_state")]
    public void Hc0_NoFactor(string spec) => Check(Fit(spec, "hc1", SmallSample.None), Ref.At(spec, "hc0"), $"{spec} hc0");

    [Theory]
    [InlineData("twoways")]
    [InlineData("oneway_state")]
    public void Cluster_Cr0_Cr1Lsdv_AndFixestDefault(string spec)
    {
        Check(Fit(spec, "cluster:state", SmallSample.None), Ref.At(spec, "cluster_cr0"), $"{spec} CR0");
        var lsdv = Fit(spec, "cluster:state", SmallSample.Lsdv);
        Close(Ref.D(spec, "cluster_cr1_lsdv", "factor"), lsdv.SmallSampleFactor, 1e-14, "CR1 LSDV factor");
        Check(lsdv, Ref.At(spec, "cluster_cr1_lsdv"), $"{spec} CR1 lsdv");
        // Our default (Stata) convention counts K = k + 1 when every FE is nested in the clusters, else k + the
        // non-nested FE's df: 4 + 17 = 21 two-way, 4 + 1 = 5 one-way — fixest's implied K.
        var stata = Fit(spec, "cluster:state");
        var fd = Ref.At(spec, "cluster_fixest_default");
        double k = fd.D("implied_K");
        int n = stata.N, g = stata.Clusters["state"];
        Close((double)g / (g - 1) * (n - 1) / (n - k), stata.SmallSampleFactor, 1e-14, "CR1 Stata factor from the implied K");
        Close(fd.D("factor"), stata.SmallSampleFactor, 1e-12, "CR1 Stata factor = fixest's");
        Check(stata, fd, $"{spec} CR1 stata (fixest default)");
    }

    [Fact]
    public void WeightedR2_IsOneMinusWeightedSsrOverWeightedTss()
    {
        // Weighted R² = 1 − Σwe²/Σw(y − ȳ_w)² (summary(lm(weights = w))); within R² = 1 − Σwe²/Σw ỹ² with ỹ the
        // weighted within transform — here the one-way case, where ỹ = y − (group's weighted mean), computed by hand.
        var r = Fit("oneway_state", "iid");
        var y = Data.Frame.Numeric("gsp").Select(v => Math.Log(v)).ToArray();
        var w = Data.Frame.Numeric("emp");
        var codes = Data.UnitCode;
        double sw = w.Sum(), ybar = y.Select((v, i) => v * w[i]).Sum() / sw;
        double tss = y.Select((v, i) => w[i] * (v - ybar) * (v - ybar)).Sum();
        var gw = new double[Data.UnitCount];
        var gy = new double[Data.UnitCount];
        for (int i = 0; i < y.Length; i++) { gw[codes[i]] += w[i]; gy[codes[i]] += w[i] * y[i]; }
        double within = y.Select((v, i) => w[i] * Math.Pow(v - gy[codes[i]] / gw[codes[i]], 2)).Sum();
        double ssr = Ref.D("oneway_state", "ssr_weighted");
        Close(1 - ssr / tss, r.R2, 1e-9, "weighted R²");
        Close(1 - ssr / within, r.R2Within!.Value, 1e-9, "weighted within R²");
    }

    // ---------------------------------------------------------------- hand derivations

    private static Panel WithWeights(Func<int, double> w) =>
        Data.WithColumn("w", [.. Enumerable.Range(0, Data.RowCount).Select(w)]);

    [Theory]
    [InlineData(Rhs + " | state + year", "iid")]
    [InlineData(Rhs + " | state + year", "hc1")]
    [InlineData(Rhs + " | state + year", "cluster:state")]
    [InlineData(Rhs + " | state + year", "cluster:state,year")]
    [InlineData(Rhs + " | state + year", "dk")]
    [InlineData(Rhs + " | state + year", "nw")]
    [InlineData(Rhs + " | state", "hc1")]
    [InlineData(Rhs, "cluster:state")]
    [InlineData("log(gsp) ~ log(pcap) + log(pc) | state | log(emp) ~ lag(log(emp))", "iid")]
    [InlineData("log(gsp) ~ log(pcap) + log(pc) | state | log(emp) ~ lag(log(emp))", "cluster:state")]
    public void EqualWeights_GiveTheUnweightedFit(string formula, string vcov)
    {
        // w = 3 everywhere: X* = √3 X̃, e* = √3 e, so b is unchanged, the bread is B/3, the scores 3x̃e (meat 9M),
        // Σwe² = 3·SSR, and every sandwich B M B and σ̂²B are unchanged; N and df do not depend on w.
        var panel = WithWeights(_ => 3);
        var o = new EstimationOptions { Vcov = VcovSpec.Parse(vcov) };
        var plain = Estimation.Fit(panel, formula, o);
        var weighted = Estimation.Fit(panel, formula, o with { Weights = "w" });
        Assert.Equal(plain.N, weighted.N);
        Assert.Equal(plain.DfResid, weighted.DfResid);
        Assert.Equal(plain.Coefficients.Select(c => c.Term), weighted.Coefficients.Select(c => c.Term));
        foreach (var c in plain.Coefficients)
        {
            Close(c.Estimate, weighted[c.Term].Estimate, 1e-10, $"b[{c.Term}]");
            Close(c.StdError, weighted[c.Term].StdError, 1e-10, $"se[{c.Term}]");
        }
        Close(3 * plain.Ssr, weighted.Ssr, 1e-10, "SSR");
        Close(plain.R2, weighted.R2, 1e-10, "R²");
        Close(3.0 * plain.N, weighted.SumWeights!.Value, 1e-14, "Σw");
    }

    /// <summary>Produc with row i repeated wᵢ = 1 + (i mod 3) times; each copy is its own panel unit (pid) so (unit, year) stays unique.</summary>
    private static (Panel Weighted, Panel Duplicated) Duplicates()
    {
        Func<int, double> w = i => 1 + i % 3;
        var weighted = WithWeights(w);
        var rows = new List<int>();
        var pid = new List<string?>();
        for (int i = 0; i < weighted.RowCount; i++)
            for (int c = 0; c < w(i); c++) { rows.Add(i); pid.Add($"{weighted.UnitLabels[weighted.UnitCode[i]]}#{c}"); }
        var frame = weighted.Frame.Take(rows).With(Column.Text("pid", [.. pid]));
        return (weighted, Panel.Create(frame, "pid", "year"));
    }

    [Theory]
    [InlineData(Rhs + " | state + year")]
    [InlineData(Rhs + " | state")]
    [InlineData(Rhs)]
    [InlineData("log(gsp) ~ log(pcap) + unemp | state + year | log(emp) ~ log(pc) + log(water)")]
    public void IntegerWeights_EqualDuplicatedRows(string formula)
    {
        // Duplicating row i wᵢ times gives the same normal equations (Σ over copies = wᵢ times the row; group sums
        // and sizes become weighted sums and Σw of the group), so the same b and residuals, and the same bread
        // (X̃'WX̃)⁻¹ and Σwe². Only N differs: the duplicated fit has Σw rows, the weighted one N, with the same
        // K (coefficients plus the same FE levels). So σ̂²_dup = Σwe²/(Σw − K) against Σwe²/(N − K):
        //   se_dup = se_w · √((N − K)/(Σw − K)).
        // CR0 by state is equal as well: the copies of a row sit in its state's cluster, so each cluster's score
        // sum Σ_{i∈g} wᵢeᵢx̃ᵢ is the same.
        var (weighted, duplicated) = Duplicates();
        var o = new EstimationOptions();
        var w = Estimation.Fit(weighted, formula, o with { Weights = "w" });
        var dup = Estimation.Fit(duplicated, formula, o);
        Assert.Equal(w.SumWeights!.Value, dup.N);
        int kw = w.N - w.DfResid, kd = dup.N - dup.DfResid;
        Assert.Equal(kw, kd);
        double scale = Math.Sqrt((double)w.DfResid / dup.DfResid);
        foreach (var c in dup.Coefficients)
        {
            Close(c.Estimate, w[c.Term].Estimate, 1e-10, $"b[{c.Term}]");
            Close(c.StdError, w[c.Term].StdError * scale, 1e-10, $"iid se[{c.Term}]");
        }
        Close(dup.Ssr, w.Ssr, 1e-10, "Σwe²");
        Close(dup.R2, w.R2, 1e-10, "R²");
        if (dup.R2Within is { } rw) Close(rw, w.R2Within!.Value, 1e-10, "within R²");
        var cr0 = o with { Vcov = VcovSpec.Cluster("state") with { Convention = SmallSample.None } };
        var wc = Estimation.Fit(weighted, formula, cr0 with { Weights = "w" });
        var dc = Estimation.Fit(duplicated, formula, cr0);
        foreach (var c in dc.Coefficients) Close(c.StdError, wc[c.Term].StdError, 1e-10, $"CR0 se[{c.Term}]");
    }

    [Fact]
    public void Gmm2s_IntegerWeights_EqualDuplicatedRows()
    {
        // Two-step GMM: the moment covariance by state Σ_g (Σ_{i∈g} wᵢeᵢzᵢ)(…)' is the same for the duplicated
        // rows (copies share the cluster), and so are Z'WX and Z'Wy: same b and CR0 variance.
        var (weighted, duplicated) = Duplicates();
        const string formula = "log(gsp) ~ log(pcap) + unemp | state + year | log(emp) ~ log(pc) + log(water)";
        var o = new EstimationOptions { Estimator = EstimatorKind.IvGmm2s, Vcov = VcovSpec.Cluster("state") with { Convention = SmallSample.None } };
        var w = Estimation.Fit(weighted, formula, o with { Weights = "w" });
        var dup = Estimation.Fit(duplicated, formula, o);
        foreach (var c in dup.Coefficients)
        {
            Close(c.Estimate, w[c.Term].Estimate, 1e-9, $"b[{c.Term}]");
            Close(c.StdError, w[c.Term].StdError, 1e-9, $"se[{c.Term}]");
        }
        Close(dup.Iv!.OverIdentification!.Statistic, w.Iv!.OverIdentification!.Statistic, 1e-8, "Hansen J");
    }

    // ---------------------------------------------------------------- sample rules and refusals

    [Fact]
    public void NegativeWeight_IsRefusedInOneLineNamingTheCell()
    {
        var panel = WithWeights(i => i == 17 ? -2.5 : 1);
        var e = Assert.Throws<InputException>(() => Estimation.Fit(panel, Rhs + " | state", new EstimationOptions { Weights = "w" }));
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains("state 'ARIZONA', year 1970", e.Message);
        Assert.Contains("weight 'w' is -2.5", e.Message);
        var inf = WithWeights(i => i == 0 ? double.PositiveInfinity : 1);
        var e2 = Assert.Throws<InputException>(() => Estimation.Fit(inf, Rhs + " | state", new EstimationOptions { Weights = "w" }));
        Assert.Contains("state 'ALABAMA', year 1970", e2.Message);
    }

    [Fact]
    public void ZeroWeights_AreDroppedAndCounted_MissingWeights_AreMissingValues()
    {
        // Rows with w = 0 contribute nothing to Σwe² or the normal equations: the fit equals the fit without them.
        var panel = WithWeights(i => i % 17 == 5 ? 0 : 1 + i % 4);
        var keep = Enumerable.Range(0, panel.RowCount).Where(i => i % 17 != 5).ToList();
        var o = new EstimationOptions { Weights = "w", Vcov = VcovSpec.Cluster("state") };
        var r = Estimation.Fit(panel, Rhs + " | state + year", o);
        var sub = Estimation.Fit(panel.Subset(keep), Rhs + " | state + year", o);
        Assert.Equal(816 - 48, r.N);
        Assert.Contains("48 rows with weight w = 0 dropped", r.Warnings);
        foreach (var c in sub.Coefficients)
        {
            Close(c.Estimate, r[c.Term].Estimate, 1e-10, c.Term);
            Close(c.StdError, r[c.Term].StdError, 1e-10, c.Term);
        }
        var missing = WithWeights(i => i < 3 ? double.NaN : 1);
        var m = Estimation.Fit(missing, Rhs + " | state", new EstimationOptions { Weights = "w" });
        Assert.Equal(813, m.N);
        Assert.Contains(m.Warnings, x => x.StartsWith("3 of 816 rows dropped for missing values", StringComparison.Ordinal));
        Assert.Throws<EstimationException>(() => Estimation.Fit(WithWeights(_ => 0), Rhs + " | state", new EstimationOptions { Weights = "w" }));
        Assert.Throws<InputException>(() => Estimation.Fit(Data, Rhs + " | state", new EstimationOptions { Weights = "nosuch" }));
    }

    [Theory]
    [InlineData("hc2")]
    [InlineData("hc3")]
    [InlineData("cr2:state")]
    [InlineData("cr3:state")]
    public void LeverageEstimators_AreRefusedWithWeights(string vcov)
    {
        var e = Assert.Throws<InputException>(() => Fit("twoways", vcov));
        Assert.Contains("not available with --weights emp", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Throws<InputException>(() => Estimation.Fit(Data, Formula.Parse(Rhs + " | state"), new EstimationOptions { Weights = "emp" }, [VcovSpec.Hc1, VcovSpec.Parse(vcov)]));
    }

    [Fact]
    public void RandomEffectsHausmanAndWildBootstrap_RefuseWeights()
    {
        var re = Assert.Throws<InputException>(() => Estimation.Fit(Data, Rhs, new EstimationOptions { Estimator = EstimatorKind.RandomEffects, Weights = "emp" }));
        Assert.StartsWith("weights are not supported with re;", re.Message);
        var h = Assert.Throws<InputException>(() => Estimation.Hausman(Data, Formula.Parse(Rhs + " | state"), new EstimationOptions { Weights = "emp" }));
        Assert.Contains("weights are not supported with re", h.Message);
        var wild = Assert.Throws<InputException>(() => WildBootstrap.Prepare(Data, Formula.Parse(Rhs + " | state"), new EstimationOptions { Vcov = VcovSpec.Cluster("state"), Weights = "emp" }, "unemp"));
        Assert.Contains("does not support weights", wild.Message);
    }

    [Fact]
    public void SeveralEstimatorsFromOneFit_AndTheBatchPath_MatchSingleFits()
    {
        var f = Formula.Parse(Rhs + " | state + year");
        var o = new EstimationOptions { Weights = "emp" };
        var fits = Estimation.Fit(Data, f, o, [VcovSpec.Iid, VcovSpec.Hc1, VcovSpec.Cluster("state"), VcovSpec.Parse("dk")]);
        Check(fits[0], Ref.At("twoways", "iid"), "side by side iid");
        Check(fits[1], Ref.At("twoways", "hc1"), "side by side hc1");
        Check(fits[2], Ref.At("twoways", "cluster_fixest_default"), "side by side cluster");
        var dk = Estimation.Fit(Data, f, o with { Vcov = VcovSpec.Parse("dk") });
        foreach (var c in dk.Coefficients) Assert.Equal(c.StdError, fits[3][c.Term].StdError);
        var batch = BatchEstimation.Fit(Data, [new BatchModel(f, o with { Vcov = VcovSpec.Cluster("state") }, "unemp")]);
        Assert.Null(batch[0].Error);
        Assert.Equal(fits[2]["unemp"].StdError, batch[0].Coefficient!.StdError);
        Assert.Equal(fits[2]["unemp"].Estimate, batch[0].Coefficient!.Estimate);
    }
}
