using System.Globalization;
using System.Text;
using DigitalEconomy.Core;
using DigitalEconomy.Study;
using Xunit;

namespace DigitalEconomy.Client.Tests;

/// <summary>
/// Issue 21 item 1: a loaded study re-checked against a newer dataset (<see cref="StudyCheck.Recheck(Contracts.StudyDefinition)"/>,
/// what a scheduled or inbox run does before it starts) says what no longer fits with the loader's own words: the
/// loader and the re-check call the same checks, so loading the study against the new data names the same key and
/// the same problem.
/// </summary>
public sealed class StudyCheckTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"de-studycheck-{Environment.ProcessId}-{Guid.NewGuid():N}");

    public StudyCheckTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A 4-province × 3-year panel; <paramref name="drop"/> leaves a column out, <paramref name="text"/> writes "n.a." in that column's first cell, <paramref name="regions"/> the region of provinces 3–4 (1–2 are East).</summary>
    private string Data(string file, string? drop = null, string? text = null, string west = "West")
    {
        string[] cols = ["province", "year", "region", "lngdp", "gov", "market", "fin", "pop"];
        var sb = new StringBuilder(string.Join(',', cols.Where(c => c != drop))).Append('\n');
        bool first = true;
        for (int p = 1; p <= 4; p++)
            for (int y = 2015; y <= 2017; y++)
            {
                var cells = new Dictionary<string, string>
                {
                    ["province"] = $"P{p}", ["year"] = y.ToString(CultureInfo.InvariantCulture), ["region"] = p <= 2 ? "East" : west,
                    ["lngdp"] = (p + 0.1 * y - 200).ToString(CultureInfo.InvariantCulture), ["gov"] = (0.1 * p + 0.01 * (y % 7)).ToString(CultureInfo.InvariantCulture),
                    ["market"] = (p * y % 5).ToString(CultureInfo.InvariantCulture), ["fin"] = (1.5 * p - 0.2 * (y % 3)).ToString(CultureInfo.InvariantCulture), ["pop"] = (10 * p).ToString(CultureInfo.InvariantCulture),
                };
                if (text is not null && first) cells[text] = "n.a.";
                first = false;
                sb.Append(string.Join(',', cols.Where(c => c != drop).Select(c => cells[c]))).Append('\n');
            }
        string path = Path.Combine(_dir, file);
        File.WriteAllText(path, sb.ToString());
        return path;
    }

    private const string Grid = """
        grid:
          treatment: gov
          outcomes: [lngdp]
          controls:
            full: [market, fin]
          fixed_effects: ["province + year"]
          samples:
            all: null
            west: "region == West"
          vcov: ["cluster:region"]
          estimators: [within]
          weights: [none, pop]

        """;

    /// <summary>The baseline both analysis studies share.</summary>
    private const string Baseline = """
        baseline:
          outcome: lngdp
          treatment: gov
          controls: [fin]
          fe: province + year

        """;

    private const string Analyses = Baseline + """
        analyses:
          - {type: descriptives}
          - name: stepwise
            type: regressions
            columns: [{controls: []}, {controls: [market]}]

        """;

    private string Study(string data, string body)
    {
        string path = Path.Combine(_dir, "s.yaml");
        File.WriteAllText(path, $"name: t\ndataset:\n  path: {data}\n  unit: province\n  time: year\n  region: region\n{body}");
        return path;
    }

    /// <summary>The study loaded against the good data, re-checked against <paramref name="newer"/>.</summary>
    private string[] Recheck(string body, string newer)
    {
        var study = StudyLoader.Load(Study(Data("v1.csv"), body));
        return [.. StudyCheck.Recheck(study with { Dataset = study.Dataset with { Path = newer } })];
    }

    /// <summary>The loader's message for the study loaded against <paramref name="data"/>, split into key and what.</summary>
    private (string Key, string What) Loaded(string body, string data)
    {
        var e = Assert.Throws<InputException>(() => StudyLoader.Load(Study(data, body)));
        Assert.DoesNotContain('\n', e.Message);
        var m = System.Text.RegularExpressions.Regex.Match(e.Message, "^s\\.yaml: line \\d+, key '([^']+)': (.*)$");
        Assert.True(m.Success, e.Message);
        return (m.Groups[1].Value, m.Groups[2].Value);
    }

    [Fact]
    public void TheSameData_Fits()
    {
        Assert.Empty(Recheck(Grid, Data("same.csv")));
        Assert.Empty(Recheck(Analyses, Data("same.csv")));
    }

    [Fact]
    public void AControlGone_IsNamedUnderItsKey_WithTheAvailableVariables()
    {
        string available = "fin, gov, lngdp, pop, province, region, year";
        Assert.Equal([$"grid.controls.full: unknown variable 'market'; available: {available}"], Recheck(Grid, Data("v2.csv", drop: "market")));
    }

    [Fact]
    public void AControlNoLongerNumeric_NamesTheCellThatIsNotANumber()
    {
        // market is column 6 of the file; its first data row is line 2.
        Assert.Equal(["grid.controls.full: 'market' is not numeric (v2.csv: line 2, column 6 ('market'): expected a number, found 'n.a.')"],
            Recheck(Grid, Data("v2.csv", text: "market")));
    }

    [Fact]
    public void AClusterColumnGone_AndAFilterThatKeepsNothing_AreEachNamed()
    {
        string columns = "province, year, lngdp, gov, market, fin, pop";
        // In study order: the dataset's region, the sample that filters on it, the variance clustered by it.
        Assert.Equal([$"dataset.region: no column 'region'; available columns: {columns}", $"grid.samples.west: v2.csv: unknown column 'region'; available columns: {columns}",
            $"grid.vcov: no cluster column 'region'; available columns: {columns}"], Recheck(Grid, Data("v2.csv", drop: "region")));
        Assert.Equal(["grid.samples.west: filter 'region == West' keeps no row of the dataset"], Recheck(Grid, Data("v3.csv", west: "North")));
    }

    [Fact]
    public void AWeightColumnNoLongerNumeric_IsNamedAsTheLoaderNamesIt()
    {
        Assert.Equal(["grid.weights[1]: weight column 'pop' is not numeric"], Recheck(Grid, Data("v2.csv", text: "pop")));
    }

    [Fact]
    public void AnAnalysisModel_NamesItsFormula_AndDescriptivesTheirVariable()
    {
        string available = "fin, gov, lngdp, pop, province, region, year";
        // The baseline's controls are [fin]: the descriptives do not read market, the second regression column adds it.
        Assert.Equal([$"analyses[1]: the model 'lngdp ~ gov + market | province + year' names unknown variable 'market'; available: {available}"],
            Recheck(Analyses, Data("v2.csv", drop: "market")));
        // No regression column reads fin; the descriptives describe it.
        Assert.Equal(["analyses[0].variables: 'fin' is not numeric (v2.csv: line 2, column 7 ('fin'): expected a number, found 'n.a.')"],
            Recheck(Analyses, Data("v2.csv", text: "fin")));
        Assert.Equal(["analyses[1]: the model 'lngdp ~ gov + market | province + year': 'market' is not numeric (v2.csv: line 2, column 6 ('market'): expected a number, found 'n.a.')"],
            Recheck(Analyses, Data("v2.csv", text: "market")));
    }

    [Theory]
    [InlineData("market", null)]
    [InlineData(null, "market")]
    [InlineData(null, "pop")]
    [InlineData("province", null)]
    public void TheLoader_SaysWhatTheRecheckSays(string? drop, string? text)
    {
        string newer = Data("v2.csv", drop, text);
        var (key, what) = Loaded(Grid, newer);
        var again = Recheck(Grid, newer);
        Assert.Equal($"{key}: {what}", again[0]);
    }

    private const string TypeSettings = Baseline + """
        analyses:
          - { name: th, type: threshold, threshold_var: market, vcov: "cluster:pop" }
          - name: dyn
            type: gmm
            columns: [{ formula: "lngdp ~ lag(lngdp) + gov", gmm: ["lngdp:2:.", "gov:2:3"], iv: [market] }]

        """;

    [Fact]
    public void WhatATypesOwnSettingsRead_IsRecheckedUnderItsKey()
    {
        // The threshold variable and a GMM instrument live in the types' own settings, not in the models every analysis carries.
        Assert.Empty(Recheck(TypeSettings, Data("same.csv")));
        string available = "fin, gov, lngdp, pop, province, region, year";
        Assert.Equal([$"analyses[0].threshold_var: unknown variable 'market'; available: {available}", $"analyses[1].columns[0]: unknown variable 'market'; available: {available}"],
            Recheck(TypeSettings, Data("v2.csv", drop: "market")));
        // The threshold regression's cluster column gone.
        Assert.Equal(["analyses[0].vcov: no column 'pop'; available columns: province, year, region, lngdp, gov, market, fin"], Recheck(TypeSettings, Data("v3.csv", drop: "pop")));
        // The regime term (the baseline's treatment by default) no longer numeric: named under regime and in the GMM column.
        // gov is column 5 of the file; its first data row is line 2.
        string notNumeric = "'gov' is not numeric (v2.csv: line 2, column 5 ('gov'): expected a number, found 'n.a.')";
        Assert.Equal([$"analyses[0].regime: {notNumeric}", $"analyses[1].columns[0]: {notNumeric}"],
            Recheck(TypeSettings, Data("v2.csv", text: "gov")).Where(p => p.StartsWith("analyses[0].regime", StringComparison.Ordinal) || p.StartsWith("analyses[1].columns", StringComparison.Ordinal)).ToArray());
    }

    [Fact]
    public void ADidCohortColumnGone_IsNamedUnderCohort()
    {
        var study = StudyLoader.Load(Path.Combine(RepoRoot.Path, "studies", "city_pilot_did.yaml"));
        var lines = File.ReadAllLines(Path.Combine(RepoRoot.Path, "examples", "cities.csv"));
        int drop = Array.IndexOf(lines[0].Split(','), "pilot_year");
        string newer = Path.Combine(_dir, "cities_v2.csv");
        File.WriteAllLines(newer, lines.Select(l => string.Join(',', l.Split(',').Where((_, i) => i != drop))));
        var problems = StudyCheck.Recheck(study with { Dataset = study.Dataset with { Path = newer } });
        Assert.Equal(["analyses[0].cohort: unknown variable 'pilot_year'"], problems.Select(p => p.Split(';')[0]).Distinct().ToArray());
    }

    [Fact]
    public void EveryShippedStudy_FitsItsOwnData()
    {
        // No false alarm: a study re-checked against the data it was loaded with has nothing to say (grids, analyses,
        // gaps, indices, derived measures, interpolation — whatever the shipped studies use).
        var studies = Directory.GetFiles(Path.Combine(RepoRoot.Path, "studies"), "*.yaml").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(11, studies.Count);
        foreach (var path in studies)
        {
            var study = StudyLoader.Load(path);
            Assert.True(StudyCheck.Recheck(study).IsEmpty, $"{Path.GetFileName(path)}: {StudyCheck.OneLine(StudyCheck.Recheck(study))}");
        }
    }

    [Fact]
    public void ManyProblems_MakeOneLine_NamingFiveAndCountingTheRest()
    {
        var problems = Enumerable.Range(1, 7).Select(i => $"k{i}: wrong").ToArray();
        Assert.Equal("k1: wrong; k2: wrong; k3: wrong; k4: wrong; k5: wrong; and 2 more", StudyCheck.OneLine(problems));
        Assert.Equal("k1: wrong", StudyCheck.OneLine(problems[..1]));
    }
}
