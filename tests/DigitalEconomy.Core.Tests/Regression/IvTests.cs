using System.Text.Json;
using DigitalEconomy.Core.Regression;
using Xunit;
using static DigitalEconomy.Core.Tests.TestData;

namespace DigitalEconomy.Core.Tests.Regression;

/// <summary>Within-2SLS on Produc, log(emp) instrumented by its lag; references in produc_iv.json.</summary>
public class IvTests
{
    private static readonly JsonElement Ref = TestData.Ref("produc_iv.json");
    private static readonly Core.Data.Panel Data = LoadPanel("Produc.csv", "state", "year");
    private const string Formula = "log(gsp) ~ log(pcap) + log(pc) | state | log(emp) ~ lag(log(emp))";
    private static readonly string[] Terms = ["log(emp)", "log(pcap)", "log(pc)"];

    [Fact]
    public void TwoSls_CoefficientsAndConventionalErrors()
    {
        var r = Estimation.Fit(Data, Formula);
        Assert.Equal(768, r.N);
        Assert.Equal(717, r.DfResid);
        Assert.Equal(Terms, r.Coefficients.Select(c => c.Term));
        foreach (var t in Terms)
        {
            Close(Ref.D("coefficients", t, "estimate"), r[t].Estimate, 1e-10, t);
            Close(Ref.D("coefficients", t, "se"), r[t].StdError, 1e-9, t);
            Close(Ref.D("vcov_variants", "conventional", "p_t_df_residual", t), r[t].PValue, 1e-8, t);
        }
        Close(Ref.D("ssr"), r.Ssr, 1e-10, "ssr");
    }

    [Theory]
    [InlineData("cluster_cr0", SmallSample.None)]
    [InlineData("cluster_cr1_slopes_only", SmallSample.Plm)]
    [InlineData("cluster_cr1_k_plus_1", SmallSample.Stata)]
    [InlineData("cluster_cr1_lsdv", SmallSample.Lsdv)]
    public void TwoSls_ClusterVariants(string variant, SmallSample convention)
    {
        var r = Estimation.Fit(Data, Formula, new EstimationOptions { Vcov = VcovSpec.Cluster("state") with { Convention = convention } });
        Assert.Equal(48, r.Clusters["state"]);
        foreach (var t in Terms)
        {
            Close(Ref.D("vcov_variants", variant, "se", t), r[t].StdError, 1e-9, $"{variant} se[{t}]");
            Close(Ref.D("vcov_variants", variant, "p_t_G_minus_1", t), r[t].PValue, 1e-8, $"{variant} p[{t}]");
        }
    }

    [Fact]
    public void TwoSls_SeveralVariancesFromOneFit_EachMatchesItsReference()
    {
        // One 2SLS fit, post-estimation per estimator: conventional, CR1 (Stata) and CR0 by state, each against plm.
        var rs = Estimation.Fit(Data, Core.Formulas.Formula.Parse(Formula), new EstimationOptions(),
            [VcovSpec.Iid, VcovSpec.Cluster("state") with { Convention = SmallSample.Stata }, VcovSpec.Cluster("state") with { Convention = SmallSample.None }]);
        Assert.Equal(3, rs.Count);
        foreach (var (r, variant) in rs.Zip(new[] { "conventional", "cluster_cr1_k_plus_1", "cluster_cr0" }))
        {
            Assert.Equal(768, r.N);
            foreach (var t in Terms)
            {
                Close(Ref.D("coefficients", t, "estimate"), r[t].Estimate, 1e-10, $"{variant} {t}");
                Close(Ref.D("vcov_variants", variant, "se", t), r[t].StdError, 1e-9, $"{variant} se[{t}]");
            }
        }
        // The identification statistics follow each estimator: Cragg-Donald under iid, Kleibergen-Paap under clusters.
        var fs = Ref.At("first_stage");
        Close(fs.D("cragg_donald_wald_F"), rs[0].Iv!.CraggDonaldF, 1e-9, "Cragg-Donald F");
        Assert.Null(rs[0].Iv!.KleibergenPaapWaldF);
        Close(fs.D("rk_wald_chi2_cr0"), rs[2].FirstStages![0].FTest.Statistic, 1e-9, "CR0 first-stage Wald");
        Assert.Equal(48, rs[1].Clusters["state"]);
    }

    [Fact]
    public void FirstStage_CraggDonald_KleibergenPaap_StockYogo()
    {
        var fs = Ref.At("first_stage");
        var iid = Estimation.Fit(Data, Formula);
        var first = Assert.Single(iid.FirstStages!);
        Assert.Equal("log(emp)", first.Endogenous);
        foreach (var t in new[] { "lag(log(emp))", "log(pcap)", "log(pc)" })
        {
            var c = first.Coefficients.Single(x => x.Term == t);
            Close(fs.D("coefficients", t, "estimate"), c.Estimate, 1e-10, t);
            Close(fs.D("coefficients", t, "se"), c.StdError, 1e-9, t);
        }
        Close(fs.D("F_conventional"), first.FTest.Statistic, 1e-9, "first-stage F");
        Assert.Equal(717, first.FTest.Df2);
        Close(fs.D("F_conventional_p"), first.FTest.PValue, 1e-7, "first-stage F p");
        Close(fs.D("cragg_donald_wald_F"), iid.Iv!.CraggDonaldF, 1e-9, "Cragg-Donald F");
        // Anderson LM = N·ρ² with one endogenous regressor and one instrument.
        Close(768 * fs.D("canonical_correlation_squared"), iid.Iv.KleibergenPaapLm.Statistic, 1e-9, "Anderson LM");
        Assert.Equal([16.38, 8.96, 6.66, 5.53], iid.Iv.StockYogoSize!);
        Assert.Null(iid.Iv.OverIdentification);

        var cl = Estimation.Fit(Data, Formula, new EstimationOptions { Vcov = VcovSpec.Cluster("state") with { Convention = SmallSample.Plm } });
        Close(fs.D("kleibergen_paap_rk_wald_F"), cl.Iv!.KleibergenPaapWaldF!.Value, 1e-9, "KP rk Wald F");
        var fsCl = cl.FirstStages![0];
        Close(fs.D("robust_first_stage_F", "cr1_slopes_only", "F"), fsCl.FTest.Statistic, 1e-9, "robust first-stage F");
        Close(fs.D("robust_first_stage_F", "cr1_slopes_only", "se"), fsCl.Coefficients[0].StdError, 1e-9, "robust first-stage se");
        var cl0 = Estimation.Fit(Data, Formula, new EstimationOptions { Vcov = VcovSpec.Cluster("state") with { Convention = SmallSample.None } });
        Close(fs.D("rk_wald_chi2_cr0"), cl0.FirstStages![0].FTest.Statistic, 1e-9, "CR0 first-stage Wald");
        // With K1 = L1 = 1 the KP rk LM is the cluster-robust score test of π = 0: positive and χ²(1).
        Assert.Equal(1, cl.Iv.KleibergenPaapLm.Df1);
        Assert.InRange(cl.Iv.KleibergenPaapLm.Statistic, 1, 768);
    }

    [Fact]
    public void Gmm2s_JustIdentified_EqualsTwoSls_AndOverIdentifiedHasHansenJ()
    {
        var opt = new EstimationOptions { Vcov = VcovSpec.Cluster("state"), Estimator = EstimatorKind.IvGmm2s };
        var gmm = Estimation.Fit(Data, Formula, opt);
        var tsls = Estimation.Fit(Data, Formula, opt with { Estimator = EstimatorKind.Iv2sls });
        foreach (var t in Terms) Close(tsls[t].Estimate, gmm[t].Estimate, 1e-9, t);
        var over = Estimation.Fit(Data, "log(gsp) ~ log(pcap) + log(pc) | state | log(emp) ~ lag(log(emp)) + lag(log(emp), 2)", opt);
        Assert.NotNull(over.Iv!.OverIdentification);
        Assert.Equal("Hansen J", over.Iv.OverIdentification!.Name);
        Assert.Equal(1, over.Iv.OverIdentification.Df1);
        Assert.Equal([19.93, 11.59, 8.75, 7.25], over.Iv.StockYogoSize!);
    }
}
