using System.Text.Json;
using DigitalEconomy.Core.Formulas;
using Xunit;

namespace DigitalEconomy.Client.Tests;

/// <summary>`de did` on base_stagg against the references (validation README sections l and p), and its one-line errors.</summary>
public class DidCommandTests
{
    private static (int Code, JsonElement Json, string Err) Run(params string[] more)
    {
        var (code, output, err) = CliRunner.Run(["did", "--data", CliRunner.Data("base_stagg.csv"), "--unit", "id", "--time", "year", "--outcome", "y", "--cohort", "year_treated", .. more, "--json"]);
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        return (code, doc.RootElement.Clone(), err);
    }

    private static void Close(double expected, double actual, double rel = 1e-8) =>
        Assert.True(Math.Abs(actual - expected) <= rel * Math.Abs(expected), $"expected {expected:R}, got {actual:R}");

    [Fact]
    public void SunAbraham_Json_HasTheReferenceAttAndEveryCell()
    {
        var (_, r, err) = Run("--method", "sunab", "--covariates", "x1");
        Assert.Contains("cohorts after the last period", err);
        Close(-1.1337494487718278, r.GetProperty("att").GetProperty("estimate").GetDouble());
        Close(0.20507049376143957, r.GetProperty("att").GetProperty("std_error").GetDouble());
        Assert.Equal(81, r.GetProperty("cells").GetArrayLength());
        Assert.Equal(17, r.GetProperty("by_period").GetArrayLength());
        Assert.Equal(9, r.GetProperty("by_cohort").GetArrayLength());
        Assert.Equal(94, r.GetProperty("df_tests").GetDouble());
        Assert.Equal(50, r.GetProperty("design").GetProperty("never_treated").GetInt32());
    }

    [Fact]
    public void EventStudy_Json_HasTheFixestCoefficientsAndThePreTrendTest()
    {
        var (_, r, _) = Run("--method", "event", "--covariates", "x1");
        var ev = r.GetProperty("event").EnumerateArray().ToList();
        Assert.Equal(17, ev.Count);
        var e0 = ev.Single(x => x.GetProperty("rel_period").GetInt32() == 0);
        Close(-5.172103086845952, e0.GetProperty("estimate").GetDouble());
        Close(0.37009928447326573, e0.GetProperty("std_error").GetDouble());
        Assert.Equal(8, r.GetProperty("pre_trend").GetProperty("df1").GetDouble());
    }

    [Fact]
    public void CallawaySantAnna_NotYet_Json_HasTheReferenceSimpleAtt()
    {
        var (_, r, _) = Run("--method", "cs", "--control", "notyet");
        Close(-0.799488915768886, r.GetProperty("simple").GetProperty("att").GetDouble());
        Close(0.693896435883057, r.GetProperty("simple").GetProperty("std_error").GetDouble());
        Assert.Equal(81, r.GetProperty("group_time").GetArrayLength());
    }

    [Fact]
    public void Twfe_WithPlacebo_IsReproducibleAndCountsItsDraws()
    {
        var (_, a, _) = Run("--covariates", "x1", "--placebo", "50", "--seed", "3");
        var (_, b, _) = Run("--covariates", "x1", "--placebo", "50", "--seed", "3");
        var pa = a.GetProperty("placebo");
        Assert.Equal(50, pa.GetProperty("estimates").GetArrayLength());
        Assert.Equal(pa.GetProperty("estimates").ToString(), b.GetProperty("placebo").GetProperty("estimates").ToString());
        Close(a.GetProperty("att").GetProperty("estimate").GetDouble(), pa.GetProperty("actual").GetDouble(), 1e-10);
        // The true effect on base_stagg is large relative to the placebo spread: no draw as extreme.
        Assert.Equal(1.0 / 51.0, pa.GetProperty("p_value").GetDouble(), 12);
    }

    [Fact]
    public void CsBootstrap_Json_HasAUniformBandPerCell_EqualToCore()
    {
        var (_, r, _) = Run("--method", "cs", "--bootstrap", "200", "--seed", "4");
        var b = r.GetProperty("bootstrap");
        var panel = Core.Data.Panel.Create(Core.Data.CsvReader.ReadFile(CliRunner.Data("base_stagg.csv")), "id", "year");
        var cs = Core.Did.CallawaySantAnna.Fit(Core.Did.DidDesign.FromCohort(panel, "year_treated"), new Core.Did.DidOptions { Outcome = Formula.ParseTerm("y") }, Core.Did.ControlGroup.Never);
        var core = Core.Did.CsBootstrap.Summarise(cs, Core.Did.CsBootstrap.Draws(cs, 4, "did/cs_bootstrap", 0, 200));
        Assert.Equal(core.CriticalValue, b.GetProperty("critical_value").GetDouble());
        var cells = b.GetProperty("group_time").EnumerateArray().ToList();
        Assert.Equal(81, cells.Count);
        Assert.Equal(core.Low[10], cells[10].GetProperty("band_low").GetDouble());
    }

    /// <summary>With the covariate x1 against base_stagg_cs_cov.json (R's did 2.5.1 + DRDID, sourced): dr (default) and ipw with the universal base.</summary>
    [Fact]
    public void CallawaySantAnna_WithCovariates_Json_HasTheReferenceSimpleAtt()
    {
        var (_, dr, _) = Run("--method", "cs", "--covariates", "x1");
        Assert.Equal("dr", dr.GetProperty("est").GetString());
        Close(-0.8636418665305966, dr.GetProperty("simple").GetProperty("att").GetDouble());
        Close(0.5818411648704531, dr.GetProperty("simple").GetProperty("std_error").GetDouble());
        var (_, ipw, _) = Run("--method", "cs", "--covariates", "x1", "--est", "ipw", "--control", "notyet", "--base-period", "universal");
        Assert.Equal("universal", ipw.GetProperty("base_period").GetString());
        Close(-0.936981334999916, ipw.GetProperty("simple").GetProperty("att").GetDouble());
        Close(0.5940758331671668, ipw.GetProperty("simple").GetProperty("std_error").GetDouble());
        Assert.Equal(90, ipw.GetProperty("group_time").GetArrayLength());
        var (_, or, _) = Run("--method", "cs", "--covariates", "x1", "--est", "or");
        Close(-0.8696353507441148, or.GetProperty("simple").GetProperty("att").GetDouble());
    }

    [Fact]
    public void CsBootstrap_Json_HasEachAggregationsUniformBand_EqualToCore()
    {
        var (_, r, _) = Run("--method", "cs", "--covariates", "x1", "--bootstrap", "100", "--seed", "4");
        var aggs = r.GetProperty("bootstrap").GetProperty("aggregations").EnumerateArray().ToList();
        Assert.Equal(["simple", "dynamic", "group", "calendar"], aggs.Select(a => a.GetProperty("type").GetString()));
        var panel = Core.Data.Panel.Create(Core.Data.CsvReader.ReadFile(CliRunner.Data("base_stagg.csv")), "id", "year");
        var cs = Core.Did.CallawaySantAnna.Fit(Core.Did.DidDesign.FromCohort(panel, "year_treated"), new Core.Did.DidOptions { Outcome = Formula.ParseTerm("y"), Covariates = [Formula.ParseTerm("x1")] }, Core.Did.ControlGroup.Never);
        var core = Core.Did.CsBootstrap.Summarise(cs, Core.Did.CsBootstrap.Draws(cs, 4, "did/cs_bootstrap", 0, 100));
        Assert.Equal(core.Aggregations[1].CriticalValue, aggs[1].GetProperty("critical_value").GetDouble());
        Assert.Equal(17, aggs[1].GetProperty("effects").GetArrayLength());
        Assert.Equal(core.Aggregations[2].High[3], aggs[2].GetProperty("effects")[3].GetProperty("band_high").GetDouble());
        Assert.Equal(core.Aggregations[3].OverallStdError, aggs[3].GetProperty("overall_std_error").GetDouble());
    }

    [Fact]
    public void Placebo_WithAStudysStreamKey_EqualsCoresDraws()
    {
        var (_, r, _) = Run("--covariates", "x1", "--placebo", "12", "--seed", "5", "--stream-key", "pilot/placebo/units");
        var panel = Core.Data.Panel.Create(Core.Data.CsvReader.ReadFile(CliRunner.Data("base_stagg.csv")), "id", "year");
        var core = Core.Did.TwfePlacebo.Prepare(Core.Did.DidDesign.FromCohort(panel, "year_treated"), new Core.Did.DidOptions { Outcome = Formula.ParseTerm("y"), Covariates = [Formula.ParseTerm("x1")] })
            .Draws(Core.Did.PlaceboKind.Units, 5, "pilot/placebo/units", 0, 12);
        Assert.Equal(core, r.GetProperty("placebo").GetProperty("estimates").EnumerateArray().Select(x => x.GetDouble()));
        Assert.Equal("pilot/placebo/units", r.GetProperty("placebo").GetProperty("stream_key").GetString());
    }

    [Theory]
    [InlineData("--method", "magic", "--method magic: expected twfe, event, sunab, cs or bacon")]
    [InlineData("--control", "later", "--control later: expected never or notyet")]
    [InlineData("--bin", "3", "--bin 3: expected two integers LO,HI")]
    [InlineData("--est", "magic", "--est magic: expected or, ipw or dr")]
    [InlineData("--base-period", "fixed", "--base-period fixed: expected varying or universal")]
    public void BadOptions_AreOneLine(string option, string value, string message)
    {
        var (code, _, err) = CliRunner.Run("did", "--data", CliRunner.Data("base_stagg.csv"), "--unit", "id", "--time", "year", "--outcome", "y", "--cohort", "year_treated", option, value);
        Assert.Equal(2, code);
        Assert.Contains(message, err);
        Assert.Single(err.Trim().Split('\n'));
    }

    [Fact]
    public void CohortAndTreatmentTogether_AreRefused()
    {
        var (code, _, err) = CliRunner.Run("did", "--data", CliRunner.Data("base_stagg.csv"), "--unit", "id", "--time", "year", "--outcome", "y", "--cohort", "year_treated", "--treatment", "treated");
        Assert.Equal(2, code);
        Assert.Contains("give one of --cohort COL (first treated period) or --treatment COL (0/1 adoption)", err);
    }
}
