using System.Text.Json;
using DigitalEconomy.Core.Regression;
using Xunit;
using static DigitalEconomy.Core.Tests.TestData;

namespace DigitalEconomy.Core.Tests.Regression;

/// <summary>Grunfeld (plm), inv ~ value + capital; references from R plm/sandwich (grunfeld.json).</summary>
public class GrunfeldTests
{
    private static readonly JsonElement Ref = TestData.Ref("grunfeld.json");
    private static readonly Core.Data.Panel Data = LoadPanel("Grunfeld.csv", "firm", "year");
    private static readonly string[] Slopes = ["value", "capital"];

    private static void AssertVariant(RegressionResult r, JsonElement variant, string[] terms, double rel = 1e-8)
    {
        foreach (var t in terms)
            Close(variant.D("se", t), r[t].StdError, rel, $"se[{t}]");
    }

    [Fact]
    public void PooledOls_MatchesLm()
    {
        var m = Ref.At("pooled_ols");
        var r = Estimation.Fit(Data, "inv ~ value + capital");
        Assert.Equal(200, r.N);
        Assert.Equal(197, r.DfResid);
        foreach (var t in new[] { "(Intercept)", "value", "capital" })
        {
            Close(m.D("coefficients", t, "estimate"), r[t].Estimate, 1e-10, t);
            Close(m.D("coefficients", t, "se"), r[t].StdError, 1e-9, t);
            Close(m.D("coefficients", t, "t"), r[t].Statistic, 1e-9, t);
            Close(m.D("coefficients", t, "p"), r[t].PValue, 1e-8, t);
        }
        Close(m.D("r_squared"), r.R2, 1e-10, "r2");
        Close(m.D("adj_r_squared"), r.AdjR2, 1e-10, "adj r2");
        Close(m.D("f_statistic"), r.WaldTest!.Statistic, 1e-9, "F");
        var hc1 = Estimation.Fit(Data, "inv ~ value + capital", new EstimationOptions { Vcov = VcovSpec.Hc1 });
        AssertVariant(hc1, m.At("vcov_variants", "hc1"), ["(Intercept)", "value", "capital"]);
        var cl = Estimation.Fit(Data, "inv ~ value + capital", new EstimationOptions { Vcov = VcovSpec.Cluster("firm") });
        AssertVariant(cl, m.At("vcov_variants", "cluster_cr1"), ["(Intercept)", "value", "capital"]);
        Assert.Equal(10, cl.Clusters["firm"]);
    }

    [Fact]
    public void OneWayFe_CoefficientsAndConventionalErrors()
    {
        var m = Ref.At("fe_oneway");
        var r = Estimation.Fit(Data, "inv ~ value + capital | firm");
        Assert.Equal(188, r.DfResid);
        Assert.Equal(DemeanMethod.OneFactorExact, r.DemeanMethod);
        foreach (var t in Slopes)
        {
            Close(m.D("coefficients", t, "estimate"), r[t].Estimate, 1e-10, t);
            Close(m.D("coefficients", t, "se"), r[t].StdError, 1e-9, t);
            Close(m.D("coefficients", t, "p"), r[t].PValue, 1e-8, t);
        }
        Close(m.D("ssr"), r.Ssr, 1e-10, "ssr");
        Close(m.D("r_squared", "plm_rsq"), r.R2Within!.Value, 1e-10, "within r2");
        Close(m.D("r_squared", "plm_adjrsq"), r.Statistics["adj_r2_within"], 1e-10, "adj within r2");
        Close(m.D("r_squared", "lsdv_r2"), r.R2, 1e-10, "lsdv r2");
        Close(m.D("r_squared", "lsdv_adj_r2"), r.AdjR2, 1e-10, "lsdv adj r2");
        Close(m.D("r_squared", "stata_xtreg_between"), r.Statistics["r2_between_stata"], 1e-9, "between");
        Close(m.D("r_squared", "stata_xtreg_overall"), r.Statistics["r2_overall_stata"], 1e-9, "overall");
        Close(m.D("f_statistic_slopes", "statistic"), r.WaldTest!.Statistic, 1e-9, "F");
        Close(m.D("intercept_stata_xtreg_fe", "estimate"), r.Statistics["intercept_stata"], 1e-9, "_cons");
    }

    [Theory]
    [InlineData("fe_oneway", "inv ~ value + capital | firm")]
    [InlineData("fe_twoways", "inv ~ value + capital | firm + year")]
    public void Fe_EveryVarianceVariant(string key, string formula)
    {
        var m = Ref.At(key, "vcov_variants");
        (string Variant, VcovSpec Spec)[] cases =
        [
            ("conventional", VcovSpec.Iid),
            ("hc0", VcovSpec.Hc1 with { Convention = SmallSample.None }),
            ("hc1_n_minus_k", VcovSpec.Hc1 with { Convention = SmallSample.Plm }),
            ("hc1_lsdv", VcovSpec.Hc1),
            ("cluster_cr0", VcovSpec.Cluster("firm") with { Convention = SmallSample.None }),
            ("cluster_cr1_slopes_only", VcovSpec.Cluster("firm") with { Convention = SmallSample.Plm }),
            ("cluster_cr1_stata_xtreg", VcovSpec.Cluster("firm")),
            ("cluster_cr1_lsdv", VcovSpec.Cluster("firm") with { Convention = SmallSample.Lsdv }),
        ];
        foreach (var (variant, spec) in cases)
        {
            var r = Estimation.Fit(Data, formula, new EstimationOptions { Vcov = spec });
            AssertVariant(r, m.At(variant), Slopes);
            if (spec.Kind == VcovKind.Cluster)
                foreach (var t in Slopes)
                    Close(m.D(variant, "p_t_G_minus_1", t), r[t].PValue, 1e-8, $"{variant} p[{t}]");
        }
    }

    [Fact]
    public void OneWayFe_ClusterWaldAndStataIntercept()
    {
        var m = Ref.At("fe_oneway");
        var r = Estimation.Fit(Data, "inv ~ value + capital | firm", new EstimationOptions { Vcov = VcovSpec.Cluster("firm") });
        Close(m.D("wald_F_slopes_cluster_stata_xtreg", "statistic"), r.WaldTest!.Statistic, 1e-9, "cluster F");
        Assert.Equal(9, r.WaldTest.Df2);
        Close(m.D("wald_F_slopes_cluster_stata_xtreg", "p"), r.WaldTest.PValue, 1e-8, "cluster F p");
        Close(m.D("intercept_stata_xtreg_fe", "se_cluster_stata_xtreg"), r.Statistics["intercept_stata_se"], 1e-9, "_cons se cluster");
        var c = Estimation.Fit(Data, "inv ~ value + capital | firm");
        Close(m.D("intercept_stata_xtreg_fe", "se_conventional"), c.Statistics["intercept_stata_se"], 1e-9, "_cons se");
    }

    [Fact]
    public void TwoWayFe_CoefficientsAndR2()
    {
        var m = Ref.At("fe_twoways");
        var r = Estimation.Fit(Data, "inv ~ value + capital | firm + year");
        Assert.Equal(169, r.DfResid);
        Assert.Equal(29, r.AbsorbedDf);
        Assert.Equal(DemeanMethod.TwoWayBalancedExact, r.DemeanMethod);
        foreach (var t in Slopes)
        {
            Close(m.D("coefficients", t, "estimate"), r[t].Estimate, 1e-10, t);
            Close(m.D("coefficients", t, "se"), r[t].StdError, 1e-9, t);
        }
        Close(m.D("r_squared", "plm_rsq"), r.R2Within!.Value, 1e-10, "within");
        Close(m.D("r_squared", "lsdv_r2"), r.R2, 1e-10, "lsdv");
        Close(m.D("f_statistic_slopes", "statistic"), r.WaldTest!.Statistic, 1e-9, "F");
        var cl = Estimation.Fit(Data, "inv ~ value + capital | firm + year", new EstimationOptions { Vcov = VcovSpec.Cluster("firm") });
        Close(m.D("wald_F_slopes_cluster_stata_xtreg", "statistic"), cl.WaldTest!.Statistic, 1e-9, "cluster F");
    }

    [Fact]
    public void RandomEffects_SeveralVariancesFromOneFit_ConventionalMatchesPlm_ClusterSharesTheEstimate()
    {
        var m = Ref.At("re_swamy_arora");
        var rs = Estimation.Fit(Data, Core.Formulas.Formula.Parse("inv ~ value + capital"), new EstimationOptions { Estimator = EstimatorKind.RandomEffects },
            [VcovSpec.Iid, VcovSpec.Cluster("firm")]);
        Assert.Equal(2, rs.Count);
        foreach (var t in new[] { "(Intercept)", "value", "capital" })
        {
            Close(m.D("coefficients", t, "estimate"), rs[0][t].Estimate, 1e-9, t);
            Close(m.D("coefficients", t, "se"), rs[0][t].StdError, 1e-9, t);
            // One fit: the clustered column has the same estimates and variance components.
            Assert.Equal(rs[0][t].Estimate, rs[1][t].Estimate);
        }
        Close(m.D("theta"), rs[1].Statistics["theta"], 1e-10, "theta");
        Assert.Equal(10, rs[1].Clusters["firm"]);
        // CR1 by firm on the quasi-demeaned design, written out in base R with plm's θ (G/(G−1)·(N−1)/(N−K), K = 3):
        // X* = x − θ·x̄ᵢ, b = (X*'X*)⁻¹X*'y*, V = c·B (Σ_g s_g s_g') B with s_g = Σ_{i∈g} x*ᵢuᵢ.
        Close(24.8432318787372, rs[1]["(Intercept)"].StdError, 1e-9, "cluster se (Intercept)");
        Close(0.0137556568467531, rs[1]["value"].StdError, 1e-9, "cluster se value");
        Close(0.0549727774623946, rs[1]["capital"].StdError, 1e-9, "cluster se capital");
    }

    [Fact]
    public void RandomEffects_SwamyArora_MatchesPlm()
    {
        var m = Ref.At("re_swamy_arora");
        var r = Estimation.Fit(Data, "inv ~ value + capital", new EstimationOptions { Estimator = EstimatorKind.RandomEffects });
        foreach (var t in new[] { "(Intercept)", "value", "capital" })
        {
            Close(m.D("coefficients", t, "estimate"), r[t].Estimate, 1e-9, t);
            Close(m.D("coefficients", t, "se"), r[t].StdError, 1e-9, t);
            Close(m.D("coefficients", t, "p"), r[t].PValue, 1e-8, t);
        }
        Close(m.D("theta"), r.Statistics["theta"], 1e-10, "theta");
        Close(m.D("sigma_u"), r.Statistics["sigma_u"], 1e-10, "sigma_u");
        Close(m.D("sigma_e"), r.Statistics["sigma_e"], 1e-10, "sigma_e");
        Close(m.D("r_squared", "plm_rsq"), r.R2, 1e-9, "r2");
        Close(m.D("r_squared", "stata_xtreg_within"), r.Statistics["r2_within_stata"], 1e-9, "within");
        Close(m.D("r_squared", "stata_xtreg_between"), r.Statistics["r2_between_stata"], 1e-9, "between");
        Close(m.D("r_squared", "stata_xtreg_overall"), r.Statistics["r2_overall_stata"], 1e-9, "overall");
        Close(m.D("wald_chi2_slopes", "statistic"), r.WaldTest!.Statistic, 1e-9, "chi2");
    }

    [Fact]
    public void Hausman_MatchesPhtest()
    {
        var m = Ref.At("hausman_fe_vs_re");
        var fe = Estimation.Fit(Data, "inv ~ value + capital | firm");
        var re = Estimation.Fit(Data, "inv ~ value + capital", new EstimationOptions { Estimator = EstimatorKind.RandomEffects });
        var h = Estimation.Hausman(fe, re);
        Close(m.D("statistic"), h.Statistic, 1e-8, "chi2");
        Assert.Equal(2, h.Df);
        Close(m.D("p"), h.PValue, 1e-8, "p");
    }
}
