using System.Text.Json;
using DigitalEconomy.Core.Did;
using DigitalEconomy.Core.Formulas;
using Xunit;
using static DigitalEconomy.Core.Tests.TestData;

namespace DigitalEconomy.Core.Tests.Did;

/// <summary>
/// The TWFE event study and Sun–Abraham against base_stagg.json (validation README section l: fixest 0.12.2 on fixest's
/// base_stagg, 95 units × 10 years, cluster = ~id with fixest's default factor G/(G−1)·(N−1)/(N−K), t(94)). Every number within 1e-8.
/// </summary>
public class DidEventStudyTests
{
    private static readonly JsonElement Ref = TestData.Ref("base_stagg.json");
    internal static readonly Core.Data.Panel Data = LoadPanel("base_stagg.csv", "id", "year");
    private static readonly DidOptions Options = new() { Outcome = Formula.ParseTerm("y"), Covariates = [Formula.ParseTerm("x1")] };

    [Fact]
    public void EventStudy_MatchesFixestTwfe()
    {
        var tw = Ref.At("twfe_event_study");
        var design = DidDesign.FromCohort(Data, "year_treated");
        Assert.Equal(45, design.Cohorts.Count * 5);
        Assert.Equal(50, design.NeverTreated);
        var es = EventStudy.Fit(design, Options);
        Assert.Equal(950, es.Fit.N);
        Assert.Equal(94, es.Fit.DfTests);
        Assert.Equal(17, es.Terms.Count);
        Close(tw.D("coefficients", "x1"), es.Fit["x1"].Estimate, 1e-8, "x1");
        Close(tw.D("se_cluster_fixest_default", "x1"), es.Fit["x1"].StdError, 1e-8, "se x1");
        Close(tw.D("cluster_factor_fixest_default"), es.Fit.SmallSampleFactor, 1e-12, "cluster factor");
        foreach (var t in es.Terms)
        {
            string name = $"time_to_treatment::{t.RelPeriod}";
            Close(tw.D("coefficients", name), t.Coefficient.Estimate, 1e-8, name);
            Close(tw.D("se_cluster_fixest_default", name), t.Coefficient.StdError, 1e-8, "se " + name);
            Close(tw.D("p_values", name), t.Coefficient.PValue, 1e-8, "p " + name);
        }
        // The pre-trend test: 8 leads (−9 … −2) on F(8, 94).
        Assert.NotNull(es.PreTrend);
        Assert.Equal(8, es.PreTrend!.Df1);
        Assert.Equal(94, es.PreTrend.Df2);
    }

    [Fact]
    public void PreTrendWald_IsTheQuadraticFormOfTheLeads()
    {
        // W = b' V⁻¹ b over the leads, with b and V taken from the reference (fixest's vcov), F = W/8.
        var tw = Ref.At("twfe_event_study");
        var vc = tw.At("vcov_fixest_default");
        var names = vc.At("rownames").EnumerateArray().Select(x => x.GetString()!).ToList();
        var lead = names.Select((n, i) => (n, i)).Where(x => x.n.StartsWith("time_to_treatment::-", StringComparison.Ordinal)).ToList();
        int q = lead.Count;
        var v = new double[q, q];
        var vals = vc.At("values").EnumerateArray().Select(r => r.EnumerateArray().Select(y => y.GetDouble()).ToArray()).ToArray();
        for (int a = 0; a < q; a++) for (int c = 0; c < q; c++) v[a, c] = vals[lead[a].i][lead[c].i];
        var b = lead.Select(x => tw.D("coefficients", x.n)).ToArray();
        var inv = Core.Numerics.Dense.InverseSpd(v)!;
        double w = 0;
        for (int a = 0; a < q; a++) for (int c = 0; c < q; c++) w += b[a] * inv[a, c] * b[c];
        var es = EventStudy.Fit(DidDesign.FromCohort(Data, "year_treated"), Options);
        Close(w / q, es.PreTrend!.Statistic, 1e-7, "pre-trend F");
    }

    [Fact]
    public void SunAbraham_CellsAndAggregationsMatchFixest()
    {
        var sa = Ref.At("sun_abraham");
        var r = SunAbraham.Fit(DidDesign.FromCohort(Data, "year_treated"), Options);
        Assert.Equal(81, r.Cells.Count);
        Close(sa.D("x1", "estimate"), r.Fit["x1"].Estimate, 1e-8, "x1");
        Close(sa.D("x1", "se"), r.Fit["x1"].StdError, 1e-8, "se x1");
        Close(sa.D("cluster_factor_fixest_default"), r.Fit.SmallSampleFactor, 1e-12, "cluster factor");
        var cc = sa.At("cell_coefficients");
        var coh = cc.At("cohort").EnumerateArray().Select(x => x.GetInt64()).ToArray();
        var rel = cc.At("rel_period").EnumerateArray().Select(x => x.GetInt32()).ToArray();
        var nobs = cc.At("n_obs").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        var est = cc.At("estimate").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        var se = cc.At("se").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        for (int i = 0; i < coh.Length; i++)
        {
            var cell = r.Cells.Single(c => c.Cohort == coh[i] && c.RelPeriod == rel[i]);
            Assert.Equal(nobs[i], cell.Rows);
            Close(est[i], cell.Coefficient.Estimate, 1e-8, $"cell {coh[i]},{rel[i]}");
            Close(se[i], cell.Coefficient.StdError, 1e-8, $"se cell {coh[i]},{rel[i]}");
        }
        // The acceptance numbers: ATT −1.133749449 (SE 0.2050704938).
        Close(-1.1337494487718278, r.Att.Estimate, 1e-8, "ATT");
        Close(0.20507049376143957, r.Att.StdError, 1e-8, "ATT se");
        Close(sa.D("att", "t"), r.Att.Statistic, 1e-8, "ATT t");
        Close(sa.D("att", "p"), r.Att.PValue, 1e-8, "ATT p");
        Assert.Equal(17, r.ByPeriod.Count);
        foreach (var (p, c) in r.ByPeriod)
        {
            var e = sa.At("by_period", $"year::{p}");
            Close(e.D("estimate"), c.Estimate, 1e-8, $"period {p}");
            Close(e.D("se"), c.StdError, 1e-8, $"se period {p}");
            Close(e.D("p"), c.PValue, 1e-8, $"p period {p}");
        }
        Assert.Equal(9, r.ByCohort.Count);
        foreach (var (g, c) in r.ByCohort)
        {
            var e = sa.At("by_cohort", $"cohort::{g}");
            Close(e.D("estimate"), c.Estimate, 1e-8, $"cohort {g}");
            Close(e.D("se"), c.StdError, 1e-8, $"se cohort {g}");
            Close(e.D("p"), c.PValue, 1e-8, $"p cohort {g}");
        }
    }

    [Fact]
    public void TreatmentColumn_GivesTheSameDesignAsTheCohortColumn()
    {
        // base_stagg's own 'treated' marks ever-treated units; the 0/1 adoption column is 1[year ≥ year_treated].
        var yt = Data.Frame.Numeric("year_treated");
        var post = Data.Time.Select((t, i) => t >= yt[i] ? 1.0 : 0.0).ToArray();
        var a = DidDesign.FromCohort(Data, "year_treated");
        var b = DidDesign.FromTreatment(Data.WithColumn("post", post), "post");
        Assert.Equal(a.UnitCohort, b.UnitCohort);
        var tw = EventStudy.Twfe(a, Options);
        Assert.Equal(tw.Att.Estimate, EventStudy.Twfe(b, Options).Att.Estimate);
    }
}
