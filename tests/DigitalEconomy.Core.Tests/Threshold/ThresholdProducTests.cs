using System.Text.Json;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Regression;
using DigitalEconomy.Core.Threshold;
using Xunit;

namespace DigitalEconomy.Core.Tests.Threshold;

/// <summary>
/// Hansen's panel threshold model on Produc against ../shared/validation case m (refs/produc_threshold.json, produced by the
/// independent R implementation refs/pthr.R; copied to tests/data/validation): log(gsp) ~ log(pc) + log(emp) + log(pcap) × regime,
/// threshold variable unemp, state FE, qn = 400, trim = 0.05 at every step, 95 % LR intervals. Thresholds and intervals exactly,
/// SSRs, F statistics, slopes and standard errors within 1e-8 (relative).
/// </summary>
public class ThresholdProducTests
{
    private static readonly JsonElement Ref = TestData.Ref("produc_threshold.json");

    internal static ThresholdSpec Spec(ThresholdTransform transform, int k = 3, bool refit = false, params VcovSpec[] variances) => new(
        Formula.Parse("log(gsp) ~ log(pc) + log(emp) | state"), Formula.ParseTerm("unemp"), [Formula.ParseTerm("log(pcap)")],
        new ThresholdOptions
        {
            Thresholds = k, GridPoints = 400, Trim = [0.05, 0.05, 0.05], Transform = transform, RefitPerCandidate = refit,
            Variances = variances.Length == 0 ? [VcovSpec.Iid, new VcovSpec("hc1", [], SmallSample.None)] : [.. variances],
        });

    internal static ThresholdResult Fit(ThresholdTransform t, int k = 3, bool refit = false) =>
        PanelThreshold.Estimate(TestData.LoadPanel("Produc.csv", "state", "year"), Spec(t, k, refit));

    [Theory]
    [InlineData(ThresholdTransform.DropLastPeriod, "hansen_drop_last_period")]
    [InlineData(ThresholdTransform.FullWithin, "full_within")]
    public void SequentialSearchMatchesTheReference(ThresholdTransform transform, string variant)
    {
        var r = Fit(transform);
        var e = Ref.At(variant);
        Assert.Equal(e.At("nobs_used").GetInt32(), r.RowsUsed);
        Assert.Equal(48, r.Units);
        Assert.Equal(e.At("grid").EnumerateArray().Select(v => v.GetDouble()), r.Grid);
        TestData.Close(e.D("c_alpha_95"), r.CriticalLr, 1e-14, "c(0.95)");
        TestData.Close(e.D("ssr_linear"), r.SsrLinear, 1e-8, "S0");

        var s1 = r.Steps[0];
        Assert.Equal(e.D("single", "threshold"), s1.Stage.Gamma);
        TestData.Close(e.D("single", "ssr"), s1.Stage.Ssr, 1e-8, "S1");
        TestData.Close(e.D("single", "F1"), s1.F, 1e-8, "F1");
        AssertCi(e.At("single", "ci95"), s1.Stage);

        var s2 = r.Steps[1];
        Assert.Equal(e.D("double", "stage2_threshold"), s2.Stage.Gamma);
        TestData.Close(e.D("double", "stage2_ssr"), s2.Stage.Ssr, 1e-8, "S2");
        TestData.Close(e.D("double", "F2"), s2.F, 1e-8, "F2");
        AssertCi(e.At("double", "stage2_ci95"), s2.Stage);
        Assert.Equal(e.D("double", "refined_first_threshold"), s2.Refined[0].Gamma);
        TestData.Close(e.D("double", "refined_ssr"), s2.Refined[0].Ssr, 1e-8, "S2 refined");
        AssertCi(e.At("double", "refined_first_ci95"), s2.Refined[0]);

        var s3 = r.Steps[2];
        Assert.Equal(e.At("triple", "fixed").EnumerateArray().Select(v => v.GetDouble()), s3.Fixed);
        Assert.Equal(e.D("triple", "threshold"), s3.Stage.Gamma);
        TestData.Close(e.D("triple", "ssr"), s3.Stage.Ssr, 1e-8, "S3");
        TestData.Close(e.D("triple", "F3"), s3.F, 1e-8, "F3");
        AssertCi(e.At("triple", "ci95"), s3.Stage);
    }

    [Theory]
    [InlineData(ThresholdTransform.DropLastPeriod, "hansen_drop_last_period")]
    [InlineData(ThresholdTransform.FullWithin, "full_within")]
    public void RegimeCoefficientsMatchTheReference(ThresholdTransform transform, string variant)
    {
        var r = Fit(transform, k: 2);
        foreach (var (step, key) in new[] { (r.Steps[0], "single"), (r.Steps[1], "double") })
        {
            var fit = Ref.At(variant, key, "fit");
            var iid = step.Fit[0];
            var hc0 = step.Fit[1];
            int n = r.RowsUsed, k = iid.Coefficients.Count;
            Assert.Equal(fit.D("df_homoskedastic"), n - k);
            TestData.Close(fit.D("ssr"), iid.Ssr, 1e-8, $"{key} SSR");
            // pthr.R's se_homoskedastic uses SSR/(n_used − k). hansen_drop_last_period absorbs no df (the deleted period took
            // them), so that is iid's df; full_within's iid (the pipeline, as Stata/fixest) divides by n − k − 48 instead.
            double scale = transform == ThresholdTransform.FullWithin ? Math.Sqrt((double)(n - k - 48) / (n - k)) : 1;
            foreach (var name in fit.At("coefficients").EnumerateObject().Select(p => p.Name))
            {
                string term = name switch { "lpc" => "log(pc)", "lemp" => "log(emp)", _ => name.Replace("lpcap", "log(pcap)", StringComparison.Ordinal) };
                TestData.Close(fit.D("coefficients", name), iid[term].Estimate, 1e-8, $"{key} {name}");
                TestData.Close(fit.D("se_homoskedastic", name), iid[term].StdError * scale, 1e-8, $"{key} se {name}");
                TestData.Close(fit.D("se_white", name), hc0[term].StdError, 1e-8, $"{key} HC0 {name}");
            }
        }
    }

    [Fact]
    public void RefitPerCandidateGivesTheSameSearch()
    {
        var fast = Fit(ThresholdTransform.DropLastPeriod);
        var slow = Fit(ThresholdTransform.DropLastPeriod, refit: true);
        for (int k = 0; k < 3; k++)
        {
            Assert.Equal(slow.Steps[k].Stage.Gamma, fast.Steps[k].Stage.Gamma);
            Assert.Equal(slow.Steps[k].Stage.CiLow, fast.Steps[k].Stage.CiLow);
            Assert.Equal(slow.Steps[k].Stage.CiHigh, fast.Steps[k].Stage.CiHigh);
            var a = slow.Steps[k].Stage.Curve.Ssr;
            var b = fast.Steps[k].Stage.Curve.Ssr;
            for (int i = 0; i < a.Count; i++) TestData.Close(a[i], b[i], 1e-10, $"step {k + 1} SSR {i}");
        }
    }

    private static void AssertCi(JsonElement ci, ThresholdEstimate est)
    {
        Assert.Equal(ci[0].GetDouble(), est.CiLow);
        Assert.Equal(ci[1].GetDouble(), est.CiHigh);
    }
}

public class ThresholdUnbalancedTests
{
    /// <summary>
    /// An unbalanced Produc (every 7th row deleted, so states have 14 to 15 rows): the cumulative-sum SSR of every candidate
    /// equals the SSR of its own regression (the refit path) in both variants, and the full-within step SSR equals the
    /// fit pipeline's SSR of the regime regression at the estimated thresholds.
    /// </summary>
    [Theory]
    [InlineData(ThresholdTransform.FullWithin)]
    [InlineData(ThresholdTransform.DropLastPeriod)]
    public void CumulativeSumsEqualOneRegressionPerCandidate(ThresholdTransform transform)
    {
        var full = TestData.LoadPanel("Produc.csv", "state", "year");
        var panel = full.Subset([.. Enumerable.Range(0, full.RowCount).Where(r => r % 7 != 3)]);
        Assert.False(panel.IsBalanced);
        var spec = ThresholdProducTests.Spec(transform, k: 2);
        var fast = PanelThreshold.Estimate(panel, spec);
        var slow = PanelThreshold.Estimate(panel, spec with { Options = spec.Options with { RefitPerCandidate = true } });
        int dropped = transform == ThresholdTransform.FullWithin ? 0 : 48;
        Assert.Equal(panel.RowCount - dropped, fast.RowsUsed);
        for (int k = 0; k < 2; k++)
        {
            Assert.Equal(slow.Steps[k].Thresholds, fast.Steps[k].Thresholds);
            var a = slow.Steps[k].Stage.Curve.Ssr;
            var b = fast.Steps[k].Stage.Curve.Ssr;
            Assert.Equal(a.Count, b.Count);
            for (int i = 0; i < a.Count; i++) TestData.Close(a[i], b[i], 1e-10, $"step {k + 1} candidate {i}");
        }
        TestData.Close(fast.Steps[0].Stage.Ssr, fast.Steps[0].Fit[0].Ssr, 1e-10, "S1 = SSR of the regime regression");
    }
}

public class ThresholdSearchVariantsTests
{
    private static readonly Core.Data.Panel Produc = TestData.LoadPanel("Produc.csv", "state", "year");

    /// <summary>
    /// Two regime-dependent terms (m = 2: the candidate's D_γ is a 2 × 2 matrix) and the exact search over every distinct
    /// value: the cumulative-sum SSR of every candidate equals its own regression, in both variants; the exact grid is the
    /// distinct values of unemp from position ⌊0.05·|dd|⌋ to ⌊0.95·|dd|⌋ (1-based), each once.
    /// </summary>
    [Theory]
    [InlineData(ThresholdTransform.FullWithin)]
    [InlineData(ThresholdTransform.DropLastPeriod)]
    public void TwoRegimeTerms_AndTheExactGrid_AgreeWithOneRegressionPerCandidate(ThresholdTransform transform)
    {
        var spec = new ThresholdSpec(Formula.Parse("log(gsp) ~ log(pc)"), Formula.ParseTerm("unemp"), [Formula.ParseTerm("log(pcap)"), Formula.ParseTerm("log(emp)")],
            new ThresholdOptions { Thresholds = 2, GridPoints = 0, Trim = [0.05], Transform = transform });
        var fast = PanelThreshold.Estimate(Produc, spec);
        var slow = PanelThreshold.Estimate(Produc, spec with { Options = spec.Options with { RefitPerCandidate = true } });
        var dd = Produc.Frame.Numeric("unemp").Distinct().Order().ToArray();
        int lo = (int)Math.Floor(0.05 * dd.Length), hi = (int)Math.Floor(0.95 * dd.Length);
        Assert.Equal(dd[(lo - 1)..hi], fast.Grid);
        for (int k = 0; k < 2; k++)
        {
            Assert.Equal(slow.Steps[k].Thresholds, fast.Steps[k].Thresholds);
            var a = slow.Steps[k].Stage.Curve.Ssr;
            var b = fast.Steps[k].Stage.Curve.Ssr;
            for (int i = 0; i < a.Count; i++) TestData.Close(a[i], b[i], 1e-10, $"step {k + 1} candidate {i}");
        }
        // Four regime columns per step-1 fit (2 terms × 2 regimes) besides log(pc).
        Assert.Equal(["log(pc)", "log(pcap)_regime1", "log(pcap)_regime2", "log(emp)_regime1", "log(emp)_regime2"], fast.Steps[0].Fit[0].Coefficients.Select(c => c.Term));
        TestData.Close(fast.Steps[0].Stage.Ssr, fast.Steps[0].Fit[0].Ssr, 1e-10, "S1 = SSR of the regime regression");
    }
}
