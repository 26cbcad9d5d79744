using DigitalEconomy.Contracts;
using Xunit;
using static DigitalEconomy.Client.Tests.StudyRefusal;

namespace DigitalEconomy.Client.Tests;

/// <summary>The did analysis's section is read with its defaults into <see cref="DidSettings"/>, and a mistake is one line naming the key path.</summary>
public sealed class DidStudyTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"de-didstudy-{Environment.ProcessId}-{Guid.NewGuid():N}");

    public DidStudyTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string analyses)
    {
        string path = Path.Combine(_dir, "s.yaml");
        File.WriteAllText(path, $"name: t\ndataset:\n  path: {CliRunner.Data("base_stagg.csv")}\n  unit: id\n  time: year\n"
            + "baseline:\n  outcome: y\n  treatment: treated\n  controls: [x1]\n  fe: id + year\nanalyses:\n" + analyses);
        return path;
    }

    [Fact]
    public void Did_Defaults_AndEveryKey()
    {
        var s = StudyLoader.Load(Write("""
              - {name: a, type: did, outcome: y, cohort: year_treated}
              - {name: b, type: did, outcome: y, treatment: treated, covariates: [x1], methods: [sunab, bacon], control: notyet, vcov: hc1, ref: -2, bin: [-5, 5], placebo: {draws: 40, kind: years, chunk: 9}, fake_year: 2, leave_out_cohorts: true}
            """));
        var a = (DidSettings)s.Analyses[0].Settings!;
        Assert.Equal(("y", "year_treated", null), (a.Outcome.ToExpr().Text, a.Cohort, a.Treatment));
        Assert.Equal(["twfe", "event", "sunab", "cs"], a.Methods.ToArray());
        Assert.Equal(("never", -1, 0, 0, false), (a.Control, a.Reference, a.Placebo, a.FakeYear, a.LeaveOutCohorts));
        Assert.Equal("Difference-in-differences", s.Analyses[0].Title);
        var b = (DidSettings)s.Analyses[1].Settings!;
        Assert.Equal(["x1"], b.Covariates.Select(c => c.ToExpr().Text).ToArray());
        Assert.Equal(["sunab", "bacon"], b.Methods.ToArray());
        Assert.Equal(("notyet", "hc1", -2, -5, 5), (b.Control, b.Variances[0].ToString(), b.Reference, b.BinLow!.Value, b.BinHigh!.Value));
        Assert.Equal((40, "years", 9, 2, true), (b.Placebo, b.PlaceboKind, b.Chunk, b.FakeYear, b.LeaveOutCohorts));
        Assert.Equal("b/placebo/years", b.StreamKey("b"));
        Assert.Equal(("dr", "varying", 0), (a.Estimator, a.BasePeriod, a.Bootstrap));
    }

    [Fact]
    public void Did_CallawaySantAnnaKeys()
    {
        var s = StudyLoader.Load(Write("""
              - {name: c, type: did, outcome: y, cohort: year_treated, covariates: [x1], est: or, base_period: universal, bootstrap: {draws: 99, chunk: 10}}
              - {name: d, type: did, outcome: y, cohort: year_treated, est: ipw, bootstrap: {}}
            """));
        var c = (DidSettings)s.Analyses[0].Settings!;
        Assert.Equal(("reg", "universal", 99, 10), (c.Estimator, c.BasePeriod, c.Bootstrap, c.BootstrapChunk));
        Assert.Equal((Core.Did.CsEstimator.Regression, Core.Did.CsBasePeriod.Universal), (c.CsOptions.Estimator, c.CsOptions.BasePeriod));
        Assert.Equal("c/cs_bootstrap", DidSettings.BootstrapStreamKey("c"));
        var d = (DidSettings)s.Analyses[1].Settings!;
        Assert.Equal(("ipw", 999, 250), (d.Estimator, d.Bootstrap, d.BootstrapChunk));
    }

    [Theory]
    [InlineData("  - {type: did, cohort: year_treated}\n", "key 'analyses[0].outcome': missing")]
    [InlineData("  - {type: did, outcome: y}\n", "key 'analyses[0].cohort': give one of cohort")]
    [InlineData("  - {type: did, outcome: y, cohort: year_treated, treatment: treated}\n", "key 'analyses[0].cohort': give one of cohort")]
    [InlineData("  - {type: did, outcome: y, cohort: nonesuch}\n", "key 'analyses[0].cohort': unknown variable 'nonesuch'")]
    [InlineData("  - {type: did, outcome: y, cohort: year_treated, methods: [twfe, magic]}\n", "key 'analyses[0].methods[1]': unknown method 'magic'")]
    [InlineData("  - {type: did, outcome: y, cohort: year_treated, control: later}\n", "key 'analyses[0].control': expected never or notyet")]
    [InlineData("  - {type: did, outcome: y, cohort: year_treated, bin: [3]}\n", "key 'analyses[0].bin': expected two integers")]
    [InlineData("  - {type: did, outcome: y, cohort: year_treated, bin: [0, 5]}\n", "key 'analyses[0].bin': the reference period -1 must lie within [0, 5]")]
    [InlineData("  - {type: did, outcome: y, cohort: year_treated, placebo: {draws: 0}}\n", "key 'analyses[0].placebo.draws': expected at least 1 draw")]
    [InlineData("  - {type: did, outcome: y, cohort: year_treated, placebo: {kind: regions}}\n", "key 'analyses[0].placebo.kind': expected units or years")]
    [InlineData("  - {type: did, outcome: y, cohort: year_treated, placebos: 5}\n", "key 'analyses[0].placebos': unknown key")]
    [InlineData("  - {type: did, outcome: y, cohort: year_treated, est: magic}\n", "key 'analyses[0].est': expected or, ipw or dr, found 'magic'")]
    [InlineData("  - {type: did, outcome: y, cohort: year_treated, base_period: fixed}\n", "key 'analyses[0].base_period': expected varying or universal")]
    [InlineData("  - {type: did, outcome: y, cohort: year_treated, bootstrap: {draws: 1}}\n", "key 'analyses[0].bootstrap.draws': expected at least 2 draws")]
    [InlineData("  - {type: did, outcome: y, cohort: year_treated, methods: [twfe], bootstrap: {draws: 9}}\n", "key 'analyses[0].bootstrap': the multiplier bootstrap is Callaway-Sant'Anna's")]
    public void Mistakes_AreOneLineNamingTheKey(string analyses, string expected)
    {
        string message = Refused(Write(analyses));
        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.StartsWith("s.yaml: line ", message, StringComparison.Ordinal);
    }
}
