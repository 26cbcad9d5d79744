using DigitalEconomy.Core;
using Xunit;
using static DigitalEconomy.Client.Tests.StudyRefusal;

namespace DigitalEconomy.Client.Tests;

/// <summary>Issue 11: a study's baseline and analyses are checked before any work; a mistake is one line naming the key path.</summary>
public sealed class StudyAnalysesTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"de-analyses-{Environment.ProcessId}-{Guid.NewGuid():N}");

    public StudyAnalysesTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Data => Path.Combine(AppContext.BaseDirectory, "data", "provinces.csv");

    private string Write(string analyses, string baseline = "  outcome: lngdp\n  treatment: gov\n  controls: [market, fin]\n  fe: province + year\n")
    {
        string path = Path.Combine(_dir, "s.yaml");
        File.WriteAllText(path, $"name: t\ndataset:\n  path: {Data}\n  unit: province\n  time: year\n  region: region\nbaseline:\n{baseline}analyses:\n{analyses}");
        return path;
    }

    [Fact]
    public void AStudyWithAnalysesOnly_ExpandsEveryColumnFromTheBaseline()
    {
        var s = StudyLoader.Load(Write("""
              - {type: descriptives}
              - name: stepwise
                type: regressions
                columns: [{controls: []}, {controls: [market]}, {}, {instruments: ["lag(gov)"], estimator: gmm2s}]
              - {name: het, type: heterogeneity, by: region, groups: [East, West], permutations: 10}
              - {name: mech, type: mediation, mediators: [fin, rd_gdp]}
              - {name: mod, type: moderation, moderator: fin}
              - name: rob
                type: robustness
                variations: {no_muni: {filter: "municipality == 0"}, lagged: {lag: true}, hc1: {vcov: hc1}}
            """));
        Assert.Null(s.Grid);
        Assert.Equal(["descriptives", "stepwise", "het", "mech", "mod", "rob"], s.Analyses.Select(a => a.Name));
        Assert.Equal(["lngdp", "gov", "market", "fin"], s.Analyses[0].Variables.ToArray());
        var step = s.Analyses[1].Columns.Select(c => c.Model.Formula).ToArray();
        Assert.Equal("lngdp ~ gov | province + year", step[0]);
        Assert.Equal("lngdp ~ gov + market | province + year", step[1]);
        Assert.Equal("lngdp ~ gov + market + fin | province + year", step[2]);
        Assert.Equal("lngdp ~ market + fin | province + year | gov ~ lag(gov)", step[3]);
        Assert.Equal("iv-gmm2s", s.Analyses[1].Columns[3].Model.Estimator);
        Assert.All(s.Analyses[1].Columns, c => Assert.Equal("cluster:province", c.Model.Vcov));
        var het = s.Analyses[2];
        Assert.Equal(["region == East"], het.Columns[0].Model.Filters.ToArray());
        Assert.Equal(["East", "West"], het.Heterogeneity!.Groups.ToArray());
        // Mediators among the controls leave them; each mediator is an outcome of X (two-step style).
        Assert.Equal(["lngdp ~ gov + market | province + year", "fin ~ gov + market | province + year", "rd_gdp ~ gov + market | province + year"],
            s.Analyses[3].Columns.Select(c => c.Model.Formula));
        Assert.Equal(["lngdp ~ gov + market + fin | province + year", "lngdp ~ gov + market + fin + gov:fin | province + year"],
            s.Analyses[4].Columns.Select(c => c.Model.Formula));
        var rob = s.Analyses[5].Columns;
        Assert.Equal(["Baseline", "no_muni", "lagged", "hc1"], rob.Select(c => c.Label));
        Assert.Equal("lngdp ~ lag(gov) + market + fin | province + year", rob[2].Model.Formula);
        Assert.Equal(["municipality == 0"], rob[1].Model.Filters.ToArray());
        Assert.Equal("hc1", rob[3].Model.Vcov);
        // The treatment's row shows both of its forms; controls collapse into one row.
        Assert.Equal(["gov", "lag(gov)"], s.Analyses[5].KeyTerms.ToArray());
    }

    [Fact]
    public void TablesR2_DefaultsToWithin_AsXtregFe()
    {
        var s = StudyLoader.Load(Write("  - {type: regressions, columns: [{}]}\n"));
        Assert.Equal("within", s.Tables!.R2);
    }

    [Fact]
    public void KeyTermsGiven_TheLaggedTreatmentStaysInTheTable()
    {
        // key_terms: [gov] with a lagged variation: lag(gov) is kept (reported on gov's row), not dropped.
        var s = StudyLoader.Load(Write("""
              - name: rob
                type: robustness
                key_terms: [gov]
                variations: {lagged: {lag: true}}
            """));
        Assert.Equal(["gov", "lag(gov)"], s.Analyses[0].KeyTerms.ToArray());
    }

    [Fact]
    public void TableKey_AnalysesOfOneTable_NameAndTitle()
    {
        // Issue 28 point 4: region and municipality heterogeneity in one table.
        var s = StudyLoader.Load(Write("""
              - { name: r, type: heterogeneity, by: region, permutations: 0, table: { name: het, title: 表7 异质性分析 } }
              - { name: m, type: heterogeneity, by: municipality, permutations: 0, table: het }
              - { name: b, type: regressions, columns: [{}] }
            """));
        Assert.Equal([("het", "表7 异质性分析"), ("het", null), (null, null)], s.Analyses.Select(a => (a.Table, a.TableTitle)));
    }

    [Theory]
    [InlineData("  - {name: m, type: mediation, mediators: [fin, nonesuch]}\n", "key 'analyses[0].mediators[1]': unknown variable 'nonesuch'")]
    [InlineData("  - {type: regressions, columns: [{}]}\n  - {type: regresions}\n", "key 'analyses[1].type': unknown analysis type 'regresions'")]
    [InlineData("  - {type: regressions, columns: [{}, {contrls: [fin]}]}\n", "key 'analyses[0].columns[1].contrls': unknown key")]
    [InlineData("  - {type: regressions, columns: [{add: [\"log(\"]}]}\n", "key 'analyses[0].columns[0].add[0]': 'log(' is not a term")]
    [InlineData("  - {type: heterogeneity, by: region, groups: [East, Mars]}\n", "key 'analyses[0].groups[1]': no row has region = 'Mars'")]
    [InlineData("  - {type: heterogeneity, by: region, permutations: many}\n", "key 'analyses[0].permutations': expected an integer")]
    [InlineData("  - {type: regressions, columns: [{sample: \"region == Mars\"}]}\n", "key 'analyses[0].columns[0].sample': filter 'region == Mars' keeps no row")]
    [InlineData("  - {type: regressions, columns: [{instruments: [\"lag(gov)\"], hausman: true}]}\n", "key 'analyses[0].columns[0].hausman'")]
    [InlineData("  - {type: moderation, moderator: lngdp}\n", "has its outcome 'lngdp' among its regressors")]
    [InlineData("  - {type: descriptives}\n  - {type: descriptives}\n", "key 'analyses[1].name': another analysis is named 'descriptives'")]
    [InlineData("  - {name: a, type: regressions, columns: [{}], table: b}\n  - {name: b, type: regressions, columns: [{}]}\n", "key 'analyses[0].table': 'b' names another table's files")]
    [InlineData("  - {name: h, type: heterogeneity, by: region, table: h_differences}\n", "key 'analyses[0].table': 'h_differences' names another table's files")]
    [InlineData("  - {name: a, type: regressions, columns: [{}], table: {name: t, title: 表1}}\n  - {name: b, type: regressions, columns: [{}], table: {name: t, title: 表2}}\n", "key 'analyses[0].table.title': the analyses of table 't' give it 2 titles (表1, 表2)")]
    [InlineData("  - {name: a, type: regressions, columns: [{}], table: {title: 表1}}\n", "key 'analyses[0].table.name': missing")]
    [InlineData("  - {name: a, type: regressions, columns: [{}], table: \"a b\"}\n", "key 'analyses[0].table': use letters, digits, - and _ only")]
    [InlineData("  - {type: descriptives, table: t}\n", "key 'analyses[0].table': unknown key")]
    public void AWrongAnalysis_IsOneLineNamingTheKeyPath(string analyses, string expected)
    {
        string m = Refused(Write(analyses));
        Assert.StartsWith("s.yaml: line ", m, StringComparison.Ordinal);
        Assert.Contains(expected, m, StringComparison.Ordinal);
    }

    [Fact]
    public void AWrongBaseline_IsOneLineNamingTheKeyPath()
    {
        Assert.Contains("key 'baseline.treatment': unknown variable 'gdpx'", Refused(Write("  - {type: descriptives}\n", "  outcome: lngdp\n  treatment: gdpx\n")), StringComparison.Ordinal);
        Assert.Contains("key 'baseline.vcov': no cluster column 'city'", Refused(Write("  - {type: descriptives}\n", "  outcome: lngdp\n  treatment: gov\n  vcov: cluster:city\n")), StringComparison.Ordinal);
        string path = Path.Combine(_dir, "n.yaml");
        File.WriteAllText(path, $"name: t\ndataset:\n  path: {Data}\n  unit: province\n  time: year\n  region: region\nanalyses:\n  - {{type: descriptives}}\n");
        Assert.Contains("key 'analyses': analyses vary the study's baseline", Refused(path), StringComparison.Ordinal);
    }
}
