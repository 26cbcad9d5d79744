using System.Text.Json;
using DigitalEconomy.Core.Regression;
using Xunit;
using Xunit.Abstractions;
using static DigitalEconomy.Core.Tests.TestData;

namespace DigitalEconomy.Core.Tests.Regression;

/// <summary>
/// The registered variance estimators against produc_vcov.json (validation README section i): Produc,
/// log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp with state + year (twoways) or state (oneway_state) FE.
/// Every SE and every entry of the reference matrix within 1e-8 relative.
/// </summary>
public class ProducVcovTests(ITestOutputHelper output)
{
    private static readonly JsonElement Ref = TestData.Ref("produc_vcov.json");
    private static readonly Core.Data.Panel Data = LoadPanel("Produc.csv", "state", "year");
    private const string Rhs = "log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp";
    private static readonly string[] Slopes = ["log(pcap)", "log(pc)", "log(emp)", "unemp"];

    private static string Fe(string spec) => spec == "twoways" ? " | state + year" : " | state";

    private static RegressionResult Fit(string spec, string vcov, SmallSample ssc = SmallSample.Stata) =>
        Estimation.Fit(Data, Rhs + Fe(spec), new EstimationOptions { Vcov = VcovSpec.Parse(vcov, ssc) });

    /// <summary>Asserts the SEs (and the matrix, when the block has one) and returns the largest relative difference.</summary>
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
            for (int i = 0; i < rows.Count; i++)
                for (int j = 0; j < rows.Count; j++)
                {
                    int a = r.Coefficients.ToList().FindIndex(c => c.Term == rows[i]), b = r.Coefficients.ToList().FindIndex(c => c.Term == rows[j]);
                    double e = vals[i][j], got = r.Covariance[a][b];
                    worst = Math.Max(worst, Math.Abs(got - e) / Math.Abs(e));
                    Close(e, got, 1e-8, $"{what} V[{rows[i]},{rows[j]}]");
                }
        }
        output.WriteLine($"{what}: max rel diff {worst:g3}");
        return worst;
    }

    [Theory]
    [InlineData("twoways", "hc2", "HC2")]
    [InlineData("twoways", "hc3", "HC3")]
    [InlineData("oneway_state", "hc2", "HC2")]
    [InlineData("oneway_state", "hc3", "HC3")]
    public void Hc2Hc3_FullLsdvLeverage(string spec, string vcov, string key)
    {
        var r = Fit(spec, vcov);
        Check(r, Ref.At(spec, "hc", key), $"{spec} {vcov}");
        Assert.Equal(Ref.At(spec, "df_residual").GetInt32(), (int)r.DfTests);
    }

    [Theory]
    [InlineData("twoways", "cr2:state", "CR2")]
    [InlineData("twoways", "cr3:state", "CR3")]
    [InlineData("oneway_state", "cr2:state", "CR2")]
    [InlineData("oneway_state", "cr3:state", "CR3")]
    public void Cr2Cr3_ByState(string spec, string vcov, string key)
    {
        var r = Fit(spec, vcov);
        Check(r, Ref.At(spec, "cluster_state", key), $"{spec} {vcov}");
        Assert.Equal(Ref.At(spec, "cluster_state", "G").GetInt32(), r.Clusters["state"]);
        if (key == "CR3") Assert.Null(r.CoefficientDf);
    }

    [Theory]
    [InlineData("twoways")]
    [InlineData("oneway_state")]
    public void Cr2_SatterthwaiteDf_AsClubSandwichCoefTest(string spec)
    {
        var r = Fit(spec, "cr2:state");
        var s = Ref.At(spec, "cluster_state", "CR2_satterthwaite");
        Assert.NotNull(r.CoefficientDf);
        double worst = 0;
        foreach (var t in Slopes)
        {
            int i = r.Coefficients.ToList().FindIndex(c => c.Term == t);
            double df = s.D("df_satterthwaite", t), p = s.D("p", t);
            worst = Math.Max(worst, Math.Max(Math.Abs(r.CoefficientDf![i] - df) / df, Math.Abs(r[t].PValue - p) / p));
            Close(df, r.CoefficientDf![i], 1e-8, $"{spec} df[{t}]");
            Close(s.D("t", t), r[t].Statistic, 1e-8, $"{spec} t[{t}]");
            Close(p, r[t].PValue, 1e-8, $"{spec} p[{t}]");
        }
        output.WriteLine($"{spec} cr2 Satterthwaite df and p: max rel diff {worst:g3}");
    }

    [Theory]
    [InlineData("twoways", SmallSample.None, "raw_c1")]
    [InlineData("twoways", SmallSample.Plm, "plm_sss")]
    [InlineData("twoways", SmallSample.Stata, "fixest_default")]
    [InlineData("oneway_state", SmallSample.None, "raw_c1")]
    [InlineData("oneway_state", SmallSample.Plm, "plm_sss")]
    [InlineData("oneway_state", SmallSample.Stata, "fixest_default")]
    public void DriscollKraay_RawPlmAndFixestConventions(string spec, SmallSample ssc, string key)
    {
        var r = Fit(spec, "dk", ssc);
        var block = Ref.At(spec, "driscoll_kraay", key);
        Check(r, block, $"{spec} dk {key}");
        Assert.Equal(Ref.At(spec, "driscoll_kraay", "T").GetInt32() - 1, (int)r.DfTests);
        if (block.TryGetProperty("factor", out var f)) Close(f.GetDouble(), r.SmallSampleFactor, 1e-10, "factor");
    }

    [Theory]
    [InlineData("twoways", SmallSample.None, "raw_c1")]
    [InlineData("twoways", SmallSample.Stata, "fixest_default")]
    [InlineData("oneway_state", SmallSample.None, "raw_c1")]
    [InlineData("oneway_state", SmallSample.Stata, "fixest_default")]
    public void NeweyWestPanel_RawAndFixestConventions(string spec, SmallSample ssc, string key)
    {
        var r = Fit(spec, "nw", ssc);
        var block = Ref.At(spec, "newey_west_panel", key);
        Check(r, block, $"{spec} nw {key}");
        if (block.TryGetProperty("t_df", out var df)) Assert.Equal(df.GetInt32(), (int)r.DfTests);
        if (block.TryGetProperty("factor", out var f)) Close(f.GetDouble(), r.SmallSampleFactor, 1e-10, "factor");
    }
}
