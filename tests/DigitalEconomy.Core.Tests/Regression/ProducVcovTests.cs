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

    [Fact]
    public void SeveralEstimators_FromOneFit_EqualTheirSingleFitsAndTheReferences()
    {
        var specs = VcovSpec.ParseList("hc1,cluster:state,dk,cr2:state,hc3,nw");
        Assert.Equal(["hc1", "cluster", "dk", "cr2", "hc3", "nw"], specs.Select(v => v.Name));
        Assert.Equal(["state", "year"], VcovSpec.ParseList("cluster:state,year").Single().ClusterColumns);
        Assert.Equal(2, VcovSpec.ParseList("hc1;cluster:state,dk").Count); // with ';' a comma only separates columns
        var fits = Estimation.Fit(Data, Core.Formulas.Formula.Parse(Rhs + Fe("twoways")), new EstimationOptions(), specs);
        Assert.Equal(specs.Count, fits.Count);
        for (int i = 0; i < specs.Count; i++)
        {
            var single = Estimation.Fit(Data, Rhs + Fe("twoways"), new EstimationOptions { Vcov = specs[i] });
            Assert.Equal(specs[i].ToString(), fits[i].Vcov);
            foreach (var t in Slopes)
            {
                Assert.Equal(single[t].Estimate, fits[i][t].Estimate);
                Assert.Equal(single[t].StdError, fits[i][t].StdError);
                Assert.Equal(single[t].PValue, fits[i][t].PValue);
            }
        }
        Check(fits[0], Ref.At("twoways", "hc", "HC1"), "one fit hc1");
        Check(fits[2], Ref.At("twoways", "driscoll_kraay", "fixest_default"), "one fit dk");
        Check(fits[3], Ref.At("twoways", "cluster_state", "CR2"), "one fit cr2");
        Check(fits[4], Ref.At("twoways", "hc", "HC3"), "one fit hc3");
        Check(fits[5], Ref.At("twoways", "newey_west_panel", "fixest_default"), "one fit nw");
    }

    [Fact]
    public void HatMatrixEstimators_AreRefusedByIvAndRandomEffects()
    {
        var e = Assert.Throws<InputException>(() => Estimation.Fit(Data, Rhs, new EstimationOptions { Vcov = VcovSpec.Parse("hc2"), Estimator = EstimatorKind.RandomEffects }));
        Assert.Contains("ols and within", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Grid_NewEstimators_MatchTheReferencesAndTheSingleFit()
    {
        // The specification grid (BatchEstimation) builds unit and period codes itself: unfiltered it must hit
        // the references; on a filtered (unbalanced two-way) sample it must equal Estimation.Fit.
        string[] vcovs = ["hc2", "hc3", "cr2:state", "cr3:state", "dk", "nw"];
        var formula = Core.Formulas.Formula.Parse(Rhs + Fe("twoways"));
        var models = new List<BatchModel>();
        foreach (var filter in new string?[] { null, "unemp < 9" })
            foreach (var v in vcovs)
                models.Add(new BatchModel(formula, new EstimationOptions { Vcov = VcovSpec.Parse(v), Filters = filter is null ? [] : [Core.Data.RowFilter.Parse(filter)] }, "log(pcap)"));
        var fits = BatchEstimation.Fit(Data, models);
        var refs = new[] { Ref.At("twoways", "hc", "HC2"), Ref.At("twoways", "hc", "HC3"), Ref.At("twoways", "cluster_state", "CR2"), Ref.At("twoways", "cluster_state", "CR3"),
            Ref.At("twoways", "driscoll_kraay", "fixest_default"), Ref.At("twoways", "newey_west_panel", "fixest_default") };
        for (int i = 0; i < models.Count; i++)
        {
            Assert.Null(fits[i].Error);
            var single = Estimation.Fit(Data, formula, models[i].Options)["log(pcap)"];
            Close(single.StdError, fits[i].Coefficient!.StdError, 1e-10, $"grid {models[i].Options.Vcov} {i}");
            Close(single.PValue, fits[i].Coefficient!.PValue, 1e-8, $"grid p {models[i].Options.Vcov} {i}");
            if (i < vcovs.Length) Close(refs[i].D("se", "log(pcap)"), fits[i].Coefficient!.StdError, 1e-8, $"grid {vcovs[i]} vs reference");
        }
    }
}
