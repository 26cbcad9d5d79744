using DigitalEconomy.Contracts;
using DigitalEconomy.Core.Gmm;
using Xunit;
using static DigitalEconomy.Client.Tests.StudyRefusal;

namespace DigitalEconomy.Client.Tests;

/// <summary>The <c>type: gmm</c> analysis: its section read into typed models from the baseline, and its mistakes in one line.</summary>
public sealed class GmmStudyTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"de-gmm-{Environment.ProcessId}-{Guid.NewGuid():N}");

    public GmmStudyTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string analyses)
    {
        string path = Path.Combine(_dir, "s.yaml");
        File.WriteAllText(path, $"name: t\ndataset:\n  path: {Path.Combine(AppContext.BaseDirectory, "data", "provinces.csv")}\n  unit: province\n  time: year\n" +
            $"baseline:\n  outcome: lngdp\n  treatment: gov\n  controls: [market, fin]\n  fe: province + year\n  sample: \"municipality == 0\"\nanalyses:\n{analyses}");
        return path;
    }

    [Fact]
    public void DefaultColumn_IsTheBaselineAsATwoStepCollapsedDifferenceGmm()
    {
        var s = StudyLoader.Load(Write("  - { type: gmm }\n  - { name: sys, type: gmm, sample: all, columns: [{ system: true, twostep: false, gmm: [\"lngdp:2:3\", \"gov:1:.:c\"], collapse: false, iv: [market] }] }\n"));
        var g = (GmmAnalysisSettings)s.Analyses[0].Settings!;
        var m = Assert.Single(g.Columns).Model;
        Assert.Equal("lngdp ~ lag(lngdp) + gov + market + fin | gmm: lngdp:2:.:c | difference, two-step, time effects", m.Text);
        Assert.Null(m.Iv); // plm's default: gov, market, fin as IV-style instruments
        Assert.Equal("municipality == 0", Assert.Single(g.Filters).Text);
        var sys = ((GmmAnalysisSettings)s.Analyses[1].Settings!).Columns[0].Model;
        Assert.Equal("lngdp ~ lag(lngdp) + gov + market + fin | gmm: lngdp:2:3, gov:1:.:c | iv: market | system, one-step, time effects", sys.Text);
        Assert.Empty(((GmmAnalysisSettings)s.Analyses[1].Settings!).Filters);
    }

    [Fact]
    public void Mistakes_AreOneLineWithTheKeyPath()
    {
        Assert.Contains("key 'analyses[0].columns[0].gmm[0]': gmm 'lngdp:0:.': the first lag '0' is not an integer ≥ 1",
            Refused(Write("  - { type: gmm, columns: [{ gmm: [\"lngdp:0:.\"] }] }\n")), StringComparison.Ordinal);
        Assert.Contains("key 'analyses[0].columns[0].gmm[0]': unknown variable 'gdpx'",
            Refused(Write("  - { type: gmm, columns: [{ gmm: [\"gdpx:2:.\"] }] }\n")), StringComparison.Ordinal);
        Assert.Contains("key 'analyses[0].columns[0].formula': 'lngdp ~ lag(lngdp) | province': a GMM model is 'y ~ regressors' only",
            Refused(Write("  - { type: gmm, columns: [{ formula: \"lngdp ~ lag(lngdp) | province\" }] }\n")), StringComparison.Ordinal);
        Assert.Contains("key 'analyses[0].columns[0].orthogonal'",
            Refused(Write("  - { type: gmm, columns: [{ system: true, orthogonal: true }] }\n")), StringComparison.Ordinal);
        Assert.Contains("analyses[0].columns[0].lags",
            Refused(Write("  - { type: gmm, columns: [{ lags: 2 }] }\n")), StringComparison.Ordinal);
    }

    [Fact]
    public void ShippedDynamicStudy_ReadsThreeColumns()
    {
        var s = StudyLoader.Load(Path.Combine(RepoRoot.Path, "studies", "provincial_dynamic.yaml"));
        var g = (GmmAnalysisSettings)s.Analyses.Single(a => a.Kind == "gmm").Settings!;
        Assert.Equal([false, true, true], g.Columns.Select(c => c.Model.System));
        Assert.All(g.Columns, c => Assert.True(c.Model.TwoStep && c.Model.Gmm.All(x => x.Collapse)));
        Assert.Equal(GmmTransformation.FirstDifferences, g.Columns[0].Model.Transformation);
        Assert.Equal(["hqd:2:.:c", "de:2:4:c"], g.Columns[2].Model.Gmm.Select(x => x.Text));
    }
}
