using DigitalEconomy.Core;
using Xunit;
using static DigitalEconomy.Client.Tests.StudyRefusal;

namespace DigitalEconomy.Client.Tests;

/// <summary>The regional-gap analyses (trends, disparity, convergence, coupling) are read with their defaults, and a mistake is one line naming the key path.</summary>
public sealed class StudyGapsTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"de-gaps-{Environment.ProcessId}-{Guid.NewGuid():N}");

    public StudyGapsTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Data => Path.Combine(AppContext.BaseDirectory, "data", "provinces.csv");

    private string Write(string analyses)
    {
        string path = Path.Combine(_dir, "s.yaml");
        File.WriteAllText(path, $"name: t\ndataset:\n  path: {Data}\n  unit: province\n  time: year\n  region: region\n"
            + "baseline:\n  outcome: lngdp\n  treatment: gov\n  controls: [market, fin]\n  fe: province + year\n  vcov: hc1\n  sample: \"municipality == 0\"\nanalyses:\n" + analyses);
        return path;
    }

    [Fact]
    public void GapAnalyses_TakeTheRegionBaselineVcovAndSample_UnlessTold()
    {
        var s = StudyLoader.Load(Write("""
              - {type: trends, variable: lngdp, groups: [West, East]}
              - {name: d, type: disparity, variable: lngdp, by: municipality, weight: gdp, sample: all}
              - {name: c, type: convergence, variable: lngdp, controls: [gov], fe: province, vcov: "cluster:province"}
              - {name: cc, type: coupling, subsystems: [gov, fin], weights: [0.4, 0.6]}
            """));
        Assert.Equal(["trends", "d", "c", "cc"], s.Analyses.Select(a => a.Name));
        var t = s.Analyses[0].Gaps!;
        Assert.Equal(("lngdp", "region", null, "hc1"), (t.Variable, t.By, t.Weight, t.Vcov.ToString()));
        Assert.Equal(["municipality == 0"], t.Filters.Select(f => f.Text).ToArray());
        Assert.Equal(["West", "East"], t.Groups.ToArray());
        Assert.Empty(s.Analyses[1].Gaps!.Groups);
        var d = s.Analyses[1].Gaps!;
        Assert.Equal(("municipality", "gdp"), (d.By, d.Weight));
        Assert.Empty(d.Filters);
        var c = s.Analyses[2].Gaps!;
        Assert.Equal(["gov"], c.Controls.ToArray());
        // Parsed once by the loader: one factor, and the variance estimator with its cluster column.
        Assert.Equal(("province", "cluster:province"), (c.FeText, c.Vcov.ToString()));
        Assert.Equal(["province"], Assert.Single(c.Fe).Columns);
        Assert.Equal(["province"], c.Vcov.ClusterColumns);
        var cc = s.Analyses[3].Gaps!;
        Assert.Equal(["gov", "fin"], cc.Subsystems.ToArray());
        Assert.Equal([0.4, 0.6], cc.Alpha.ToArray());
        Assert.Equal("Coupling coordination", s.Analyses[3].Title);
    }

    [Theory]
    [InlineData("  - {type: trends}\n", "key 'analyses[0].variable': missing")]
    [InlineData("  - {type: trends, variable: nonesuch}\n", "key 'analyses[0].variable': unknown variable 'nonesuch'")]
    [InlineData("  - {type: disparity, variable: lngdp, by: continent}\n", "key 'analyses[0].by': no column 'continent'")]
    [InlineData("  - {type: disparity, variable: lngdp, weigth: gdp}\n", "key 'analyses[0].weigth': unknown key")]
    [InlineData("  - {type: trends, variable: lngdp, sample: \"region == Mars\"}\n", "key 'analyses[0].sample': filter 'region == Mars' keeps no row")]
    [InlineData("  - {type: descriptives}\n  - {type: lngdp}\n  - {type: trends, variable: gov}\n  - {type: coupling, subsystems: [gov, nonesuch]}\n", "key 'analyses[1].type': unknown analysis type 'lngdp'; expected one of: descriptives, correlations, regressions, robustness, heterogeneity, mediation, moderation, trends, disparity, convergence, coupling")]
    [InlineData("  - {type: descriptives}\n  - {type: trends, variable: gov}\n  - {type: disparity, variable: gov}\n  - {type: coupling, subsystems: [gov, nonesuch]}\n", "key 'analyses[3].subsystems[1]': unknown variable 'nonesuch'")]
    [InlineData("  - {type: coupling, subsystems: [gov]}\n", "key 'analyses[0].subsystems': coupling coordination needs two or more subsystems; found 1")]
    [InlineData("  - {type: coupling, subsystems: [gov, fin, gov]}\n", "key 'analyses[0].subsystems[2]': 'gov' is listed twice")]
    [InlineData("  - {type: coupling, subsystems: [gov, fin], weights: [0.5]}\n", "key 'analyses[0].weights': expected one weight per subsystem (2), found 1")]
    [InlineData("  - {type: coupling, subsystems: [gov, fin], weights: [0.5, 0.6]}\n", "key 'analyses[0].weights': the weights must sum to 1; they sum to 1.1")]
    [InlineData("  - {type: coupling, subsystems: [gov, fin], weights: [0.5, half]}\n", "key 'analyses[0].weights[1]': expected a number")]
    [InlineData("  - {type: coupling, subsystems: [gov, fin], controls: [gov]}\n", "key 'analyses[0].controls': unknown key")]
    [InlineData("  - {type: convergence, variable: lngdp, controls: [gov, lngdp]}\n", "key 'analyses[0].controls[1]': 'lngdp' is the converging variable")]
    [InlineData("  - {type: convergence, variable: lngdp, fe: continent}\n", "key 'analyses[0].fe': no column 'continent'")]
    [InlineData("  - {type: convergence, variable: lngdp, vcov: \"cluster:continent\"}\n", "key 'analyses[0].vcov': no cluster column 'continent'")]
    [InlineData("  - {type: convergence, variable: lngdp, by: region}\n", "key 'analyses[0].by': unknown key")]
    [InlineData("  - {type: trends, variable: lngdp, groups: [East, Mars]}\n", "key 'analyses[0].groups[1]': no row has region = 'Mars'")]
    [InlineData("  - {type: coupling, subsystems: [gov, fin], groups: [East, East]}\n", "key 'analyses[0].groups[1]': 'East' is listed twice")]
    [InlineData("  - {type: convergence, variable: lngdp, groups: [East]}\n", "key 'analyses[0].groups': unknown key")]
    [InlineData("  - {type: trends, variable: lngdp, name: \"a b\"}\n", "key 'analyses[0].name': use letters, digits")]
    [InlineData("  - {type: trends, variable: lngdp}\n  - {type: trends, variable: gov}\n", "key 'analyses[1].name': another analysis is named 'trends'")]
    public void AWrongKey_IsOneLineWithItsPath(string analyses, string expected)
    {
        string message = Refused(Write(analyses));
        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.StartsWith("s.yaml: line ", message, StringComparison.Ordinal);
    }
}
