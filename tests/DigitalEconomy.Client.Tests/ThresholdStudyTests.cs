using Xunit;
using static DigitalEconomy.Client.Tests.StudyRefusal;

namespace DigitalEconomy.Client.Tests;

/// <summary>The study's threshold analysis: its section read into the typed model, and every mistake one line naming the key path.</summary>
public sealed class ThresholdStudyTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"de-threshold-study-{Environment.ProcessId}-{Guid.NewGuid():N}");

    public ThresholdStudyTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string analyses)
    {
        string path = Path.Combine(_dir, "s.yaml");
        string data = Path.Combine(AppContext.BaseDirectory, "data", "provinces.csv");
        File.WriteAllText(path, $"name: t\ndataset:\n  path: {data}\n  unit: province\n  time: year\nbaseline:\n  outcome: lngdp\n  treatment: gov\n  controls: [market, fin]\n  fe: province + year\nanalyses:\n{analyses}");
        return path;
    }

    [Fact]
    public void TheSection_BecomesTheTypedModel_WithTheBaselineAsDefaults()
    {
        var s = StudyLoader.Load(Write("  - {name: th, type: threshold, threshold_var: rd_gdp, thresholds: 2, trim: [0.05, 0.1], reps: 99, chunk: 10}\n"));
        var a = s.Analyses.Single();
        Assert.Equal("threshold", a.Kind);
        var th = (DigitalEconomy.Contracts.ThresholdAnalysisSpec)a.Settings!;
        Assert.Equal((99, 10), (th.Reps, th.Chunk));
        var spec = th.Model.ToSpec();
        // Response and regime-independent regressors from the baseline, the unit's fixed effects (not the baseline's fe).
        Assert.Equal("lngdp ~ market + fin | province", spec.Formula.Source);
        Assert.Equal("rd_gdp", spec.ThresholdVariable.Text);
        Assert.Equal(["gov"], spec.Regime.Select(r => r.Text));
        Assert.Equal(2, spec.Options.Thresholds);
        Assert.Equal([0.05, 0.1], spec.Options.Trim.ToArray());
        Assert.Equal(400, spec.Options.GridPoints);
        Assert.Equal(Core.Threshold.ThresholdTransform.FullWithin, spec.Options.Transform);
        Assert.Equal("cluster:province", spec.Options.Variances.Single().ToString());
    }

    [Theory]
    [InlineData("  - {type: threshold}\n", "key 'analyses[0].threshold_var': missing")]
    [InlineData("  - {type: threshold, threshold_var: nonesuch}\n", "key 'analyses[0].threshold_var': unknown variable 'nonesuch'")]
    [InlineData("  - {type: threshold, threshold_var: rd_gdp, regime: [\"log(\"]}\n", "key 'analyses[0].regime[0]': 'log(' is not a term")]
    [InlineData("  - {type: threshold, threshold_var: rd_gdp, transform: first_diff}\n", "key 'analyses[0].transform': expected full_within or hansen_drop_last_period, got 'first_diff'")]
    [InlineData("  - {type: threshold, threshold_var: rd_gdp, trim: [0.05, 0.6]}\n", "key 'analyses[0].trim[1]': expected a fraction from 0 to below 0.5, found 0.6")]
    [InlineData("  - {type: threshold, threshold_var: rd_gdp, thresholds: 0}\n", "key 'analyses[0].thresholds': expected an integer from 1 to 20, found 0")]
    [InlineData("  - {type: threshold, threshold_var: rd_gdp, trheshold: 2}\n", "key 'analyses[0].trheshold': unknown key")]
    public void AWrongSection_IsOneLineNamingTheKeyPath(string analyses, string expected)
    {
        string m = Refused(Write(analyses));
        Assert.StartsWith("s.yaml: line ", m, StringComparison.Ordinal);
        Assert.Contains(expected, m, StringComparison.Ordinal);
    }
}
