using System.Text.Json;
using DigitalEconomy.Core.Regression;
using Xunit;
using static DigitalEconomy.Core.Tests.TestData;

namespace DigitalEconomy.Core.Tests.Regression;

/// <summary>Produc (plm), log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp; references in produc.json.</summary>
public class ProducTests
{
    private static readonly JsonElement Ref = TestData.Ref("produc.json");
    private static readonly Core.Data.Panel Data = LoadPanel("Produc.csv", "state", "year");
    private const string Rhs = "log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp";
    private static readonly string[] Slopes = ["log(pcap)", "log(pc)", "log(emp)", "unemp"];

    internal static readonly (string Variant, VcovSpec Spec)[] Variants =
    [
        ("conventional", VcovSpec.Iid),
        ("hc0", VcovSpec.Hc1 with { Convention = SmallSample.None }),
        ("hc1_n_minus_k", VcovSpec.Hc1 with { Convention = SmallSample.Plm }),
        ("hc1_lsdv", VcovSpec.Hc1),
        ("cluster_cr0", VcovSpec.Cluster("state") with { Convention = SmallSample.None }),
        ("cluster_cr1_slopes_only", VcovSpec.Cluster("state") with { Convention = SmallSample.Plm }),
        ("cluster_cr1_stata_xtreg", VcovSpec.Cluster("state")),
        ("cluster_cr1_lsdv", VcovSpec.Cluster("state") with { Convention = SmallSample.Lsdv }),
    ];

    [Theory]
    [InlineData("fe_oneway", " | state")]
    [InlineData("fe_twoways", " | state + year")]
    public void Fe_CoefficientsAndEveryVarianceVariant(string key, string fe)
    {
        var m = Ref.At(key);
        var baseFit = Estimation.Fit(Data, Rhs + fe);
        Assert.Equal(m.At("df_residual").GetInt32(), baseFit.DfResid);
        Assert.Equal(m.At("n_absorbed_fe_parameters").GetInt32(), baseFit.AbsorbedDf);
        foreach (var t in Slopes)
        {
            Close(m.D("coefficients", t, "estimate"), baseFit[t].Estimate, 1e-10, t);
            Close(m.D("coefficients", t, "t"), baseFit[t].Statistic, 1e-9, t);
            Close(m.D("coefficients", t, "p"), baseFit[t].PValue, 1e-8, t);
        }
        Close(m.D("ssr"), baseFit.Ssr, 1e-10, "ssr");
        Close(m.D("r_squared", "plm_rsq"), baseFit.R2Within!.Value, 1e-10, "within r2");
        Close(m.D("r_squared", "lsdv_r2"), baseFit.R2, 1e-10, "lsdv r2");
        Close(m.D("f_statistic_slopes", "statistic"), baseFit.WaldTest!.Statistic, 1e-9, "F");
        foreach (var (variant, spec) in Variants)
        {
            var r = Estimation.Fit(Data, Rhs + fe, new EstimationOptions { Vcov = spec });
            foreach (var t in Slopes)
            {
                Close(m.D("vcov_variants", variant, "se", t), r[t].StdError, 1e-8, $"{variant} se[{t}]");
                if (spec.Kind == VcovKind.Cluster)
                    Close(m.D("vcov_variants", variant, "p_t_G_minus_1", t), r[t].PValue, 1e-8, $"{variant} p[{t}]");
            }
        }
        var cl = Estimation.Fit(Data, Rhs + fe, new EstimationOptions { Vcov = VcovSpec.Cluster("state") });
        Close(m.D("wald_F_slopes_cluster_stata_xtreg", "statistic"), cl.WaldTest!.Statistic, 1e-9, "cluster F");
    }

    [Fact]
    public void PooledOls_AllVariants()
    {
        var m = Ref.At("pooled_ols");
        var terms = Slopes.Prepend("(Intercept)").ToArray();
        var r = Estimation.Fit(Data, Rhs);
        foreach (var t in terms) Close(m.D("coefficients", t, "estimate"), r[t].Estimate, 1e-10, t);
        Close(m.D("r_squared"), r.R2, 1e-10, "r2");
        foreach (var (variant, spec) in new[] { ("conventional", VcovSpec.Iid), ("hc1", VcovSpec.Hc1), ("cluster_cr1", VcovSpec.Cluster("state")) })
        {
            var f = Estimation.Fit(Data, Rhs, new EstimationOptions { Vcov = spec });
            foreach (var t in terms) Close(m.D("vcov_variants", variant, "se", t), f[t].StdError, 1e-8, $"{variant} se[{t}]");
        }
    }

    [Fact]
    public void RandomEffectsAndHausman()
    {
        var m = Ref.At("re_swamy_arora");
        var re = Estimation.Fit(Data, Rhs, new EstimationOptions { Estimator = EstimatorKind.RandomEffects });
        foreach (var t in Slopes.Prepend("(Intercept)"))
        {
            Close(m.D("coefficients", t, "estimate"), re[t].Estimate, 1e-9, t);
            Close(m.D("coefficients", t, "se"), re[t].StdError, 1e-9, t);
        }
        Close(m.D("theta"), re.Statistics["theta"], 1e-10, "theta");
        Close(m.D("sigma_u"), re.Statistics["sigma_u"], 1e-10, "sigma_u");
        var fe = Estimation.Fit(Data, Rhs + " | state");
        var h = Estimation.Hausman(fe, re);
        Close(Ref.D("hausman_fe_vs_re", "statistic"), h.Statistic, 1e-8, "hausman");
        Assert.Equal(4, h.Df);
        Close(Ref.D("hausman_fe_vs_re", "p"), h.PValue, 1e-8, "hausman p");
    }
}
