using System.Text.Json;
using DigitalEconomy.Core.Regression;
using Xunit;
using static DigitalEconomy.Core.Tests.TestData;

namespace DigitalEconomy.Core.Tests.Regression;

/// <summary>Baron–Kenny on Produc with state + year FE; references in produc_mediation.json.</summary>
public class MediationTests
{
    private static readonly JsonElement Ref = TestData.Ref("produc_mediation.json");
    private static readonly Core.Data.Panel Data = LoadPanel("Produc.csv", "state", "year");

    private static MediationResult Run(VcovSpec v) =>
        Mediation.BaronKenny(Data, Core.Formulas.Formula.Parse("log(gsp) ~ log(pcap) + log(pc) + unemp | state + year"), Core.Formulas.Formula.ParseTerm("log(emp)"), new EstimationOptions { Vcov = v });

    [Theory]
    [InlineData("conventional", "se_conventional")]
    [InlineData("cluster_cr1_slopes_only", "se_cluster_cr1_slopes_only")]
    [InlineData("cluster_cr1_stata_xtreg", "se_cluster_cr1_stata_xtreg")]
    [InlineData("cluster_cr1_lsdv", "se_cluster_cr1_lsdv")]
    public void ThreeRegressions_MatchPlm(string variant, string seKey)
    {
        var spec = variant switch
        {
            "conventional" => VcovSpec.Iid,
            "cluster_cr1_slopes_only" => VcovSpec.Cluster("state") with { Convention = SmallSample.Plm },
            "cluster_cr1_lsdv" => VcovSpec.Cluster("state") with { Convention = SmallSample.Lsdv },
            _ => VcovSpec.Cluster("state"),
        };
        var r = Run(spec);
        (string Key, Coefficient C)[] paths =
        [
            ("step1_total_effect_c", r.Total), ("step2_a_path_X_on_M", r.APath),
            ("step3_direct_effect_c_prime", r.Direct), ("step3_b_path_M_on_Y", r.BPath),
        ];
        foreach (var (key, c) in paths)
        {
            Close(Ref.D(key, "estimate"), c.Estimate, 1e-9, key);
            Close(Ref.D(key, seKey), c.StdError, 1e-8, $"{key} {seKey}");
        }
        Close(Ref.D("indirect_effect_ab"), r.Indirect, 1e-9, "a*b");
        Close(Ref.D("identity_check_c_minus_c_prime"), r.Total.Estimate - r.Direct.Estimate, 1e-9, "c - c'");
        var sobel = Ref.At("sobel", variant == "conventional" ? "using_conventional_se" : "using_" + variant);
        Close(sobel.D("sobel_z"), r.SobelZ, 1e-8, "sobel z");
        Close(sobel.D("sobel_p"), r.SobelP, 1e-7, "sobel p");
        Close(sobel.D("aroian_z"), r.AroianZ, 1e-8, "aroian z");
    }

    [Fact]
    public void FullStep2Model_MatchesPlmSummary()
    {
        var m = Ref.At("full_models", "step2");
        var r = Estimation.Fit(Data, "log(emp) ~ log(pcap) + log(pc) + unemp | state + year");
        Assert.Equal(m.At("df_residual").GetInt32(), r.DfResid);
        foreach (var t in new[] { "log(pcap)", "log(pc)", "unemp" })
        {
            Close(m.D("coefficients", t, "estimate"), r[t].Estimate, 1e-9, t);
            Close(m.D("coefficients", t, "se"), r[t].StdError, 1e-9, t);
        }
        Close(m.D("r_squared", "plm_rsq"), r.R2Within!.Value, 1e-9, "r2");
    }
    [Fact]
    public void TypedPathModels_FromTheTotalModelsTree_MatchPlm()
    {
        // The study's form: the mediator is a data column and the paths come from the total model's formula tree.
        var panel = Data.WithColumn("lnemp", [.. Data.Frame.Numeric("emp").Select(v => Math.Log(v))]);
        var total = new ModelSpec { Formula = Core.Formulas.Formula.Parse("log(gsp) ~ log(pcap) + log(pc) + unemp | state + year") };
        var (a, b) = Mediation.PathModels(total, "lnemp");
        Assert.Equal("lnemp ~ log(pcap) + log(pc) + unemp | state + year", a.Formula.Source);
        Assert.Equal("log(gsp) ~ log(pcap) + lnemp + log(pc) + unemp | state + year", b.Formula.Source);
        var p = Mediation.Paths(panel, a, b);
        Close(Ref.D("step2_a_path_X_on_M", "estimate"), p[0], 1e-9, "a");
        Close(Ref.D("step3_b_path_M_on_Y", "estimate"), p[1], 1e-9, "b");
        Close(Ref.D("indirect_effect_ab"), p[2], 1e-9, "a*b");
    }
}
