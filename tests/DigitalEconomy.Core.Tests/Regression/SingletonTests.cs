using System.Text.Json;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Regression;
using Xunit;
using Xunit.Abstractions;
using static DigitalEconomy.Core.Tests.TestData;

namespace DigitalEconomy.Core.Tests.Regression;

/// <summary>
/// Singletons against produc_singletons.json (validation README section k): Produc less 46 rows, 770 rows,
/// log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp | state + region^year. Kept: N 770, G 48, LSDV rank 196;
/// dropped iteratively (reghdfe): N 763, G 46, rank 189. Coefficients, iid and HC1 SEs (K = exact LSDV rank, our
/// Stata convention: N − k − absorbed df) and cluster-by-state SEs with K = LSDV rank (SmallSample.Lsdv), 1e-8 relative.
/// </summary>
public class SingletonTests(ITestOutputHelper output)
{
    private static readonly JsonElement Ref = TestData.Ref("produc_singletons.json");
    private static readonly Core.Data.Panel Data = LoadPanel("Produc_singletons.csv", "state", "year");
    private const string Model = "log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp | state + region^year";
    private static readonly string[] Slopes = ["log(pcap)", "log(pc)", "log(emp)", "unemp"];

    private static RegressionResult Fit(bool drop, string vcov, SmallSample ssc = SmallSample.Stata) =>
        Estimation.Fit(Data, Model, new EstimationOptions { Vcov = VcovSpec.Parse(vcov, ssc), DropSingletons = drop });

    [Theory]
    [InlineData(false, "fixef_rm_none")]
    [InlineData(true, "singletons_removed_iteratively")]
    public void MatchesTheReference(bool drop, string block)
    {
        var b = Ref.At(block);
        var iid = Fit(drop, "iid");
        var hc1 = Fit(drop, "hc1");
        var cl = Fit(drop, "cluster:state", SmallSample.Lsdv);
        Assert.Equal(b.At("n_used").GetInt32(), iid.N);
        Assert.Equal(b.At("n_removed").GetInt32(), iid.SingletonsRemoved);
        Assert.Equal(b.At("G_states").GetInt32(), cl.Clusters["state"]);
        Assert.Equal(b.At("df_residual").GetInt32(), iid.DfResid);
        // Exact LSDV rank = slopes + absorbed df: the 9 regions' collinearities of state nested in region^year are found.
        Assert.Equal(b.At("K_lsdv_rank").GetInt32(), Slopes.Length + iid.AbsorbedDf);
        Assert.Equal(b.At("fe_levels", "state").GetInt32(), iid.FixedEffects["state"]);
        Assert.Equal(b.At("fe_levels", "region_year").GetInt32(), iid.FixedEffects["region^year"]);
        Close(b.D("ssr"), iid.Ssr, 1e-8, "ssr");
        double worst = 0, worstB = 0;
        foreach (var t in Slopes)
        {
            foreach (var (fit, key) in new[] { (iid, "se_iid"), (hc1, "se_hc1"), (cl, "se_cluster_state_lsdv") })
            {
                double e = b.D(key, t);
                worst = Math.Max(worst, Math.Abs(fit[t].StdError - e) / e);
                Close(e, fit[t].StdError, 1e-8, $"{key}[{t}]");
            }
            double be = b.D("coefficients", t);
            worstB = Math.Max(worstB, Math.Abs(iid[t].Estimate - be) / Math.Abs(be));
            Close(be, iid[t].Estimate, 1e-8, $"coefficient {t}");
        }
        output.WriteLine($"{block}: largest relative SE difference {worst:g3}, coefficient {worstB:g3}");
    }

    [Fact]
    public void RemovesTheReferenceRowsIteratively()
    {
        var d = ModelData.Build(Data, Formula.Parse(Model), new EstimationOptions { DropSingletons = true });
        var removed = d.SingletonRows.Select(r => $"{Data.UnitLabels[Data.UnitCode[r]]} {Data.Time[r]}").Order(StringComparer.Ordinal).ToList();
        var expected = Ref.At("singletons_removed_iteratively", "removed_rows").EnumerateArray().Select(x => x.GetString()!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, removed);
        // NEVADA 1980 is a singleton only after round 1 (NEVADA 1981 alone in region 8 × 1981) removed its pair.
        Assert.Contains("NEVADA 1980", removed);
        Assert.Equal(7, removed.Count);
    }

    [Fact]
    public void KeepingIsTheLibraryDefault_AndRemovesNothing()
    {
        var r = Estimation.Fit(Data, Model);
        Assert.Equal(770, r.N);
        Assert.Equal(0, r.SingletonsRemoved);
        Assert.DoesNotContain(r.Warnings, w => w.Contains("singleton", StringComparison.Ordinal));
    }

    [Fact]
    public void DroppingWithoutFixedEffects_RemovesNothing()
    {
        var r = Estimation.Fit(Data, "log(gsp) ~ log(pcap) + unemp", new EstimationOptions { DropSingletons = true });
        Assert.Equal(770, r.N);
        Assert.Equal(0, r.SingletonsRemoved);
    }
}
