using DigitalEconomy.Study;
using Xunit;

namespace DigitalEconomy.Client.Tests;

/// <summary>
/// A study's hash (hence its run id) covers the indicator systems it reads: editing a system file and running again
/// must not find the earlier run "already complete" with indices built from the old file.
/// </summary>
public class StudySystemHashTests
{
    private static readonly string Dir = Path.Combine(Path.GetTempPath(), $"de-system-hash-{Environment.ProcessId}");

    private static readonly string Hqd = File.ReadAllText(Path.Combine(RepoRoot.Path, "study", "systems", "hqd.yaml"));

    /// <summary>A study whose Hqd index comes from sys.yaml beside it, as an index (<paramref name="derive"/> false) or a derive step.</summary>
    private static string Study(string name, bool derive)
    {
        string dir = Path.Combine(Dir, name);
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, "study.yaml");
        string dataset = Path.Combine(RepoRoot.Path, "examples", "provinces.csv");
        File.WriteAllText(path, derive
            ? $$"""
                name: {{name}}
                dataset:
                  path: {{dataset}}
                  unit: province
                  time: year
                  derive:
                    - { name: hqd, kind: index, system: sys.yaml, shift: 0.0001 }
                grid: { treatment: fin, outcomes: [hqd], controls: { none: [] }, fixed_effects: ["province + year"], samples: { all: null }, vcov: ["cluster:province"] }
                """
            : $$"""
                name: {{name}}
                dataset: { path: {{dataset}}, unit: province, time: year, region: region }
                indices:
                  - { name: hqd_index, system: sys.yaml, shift: 0.0001 }
                grid: { treatment: fin, outcomes: [hqd_index], controls: { none: [] }, fixed_effects: ["province + year"], samples: { all: null }, vcov: ["cluster:province"] }
                """);
        return path;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EditingTheSystemFile_ChangesTheStudyHash_AndRewritingItUnchangedDoesNot(bool derive)
    {
        string study = Study(derive ? "derive" : "indices", derive);
        string system = Path.Combine(Path.GetDirectoryName(study)!, "sys.yaml");
        File.WriteAllText(system, Hqd);
        string first = StudyLoader.Load(study).SourceHash;
        File.WriteAllText(system, Hqd);
        Assert.Equal(first, StudyLoader.Load(study).SourceHash);
        // One indicator turned from benefit to cost: other indices, so another run.
        string flipped = Hqd.Replace("{ code: gdp_pc, name: GDP per capita, name_zh: 人均GDP, direction: \"+\"", "{ code: gdp_pc, name: GDP per capita, name_zh: 人均GDP, direction: \"-\"", StringComparison.Ordinal);
        Assert.NotEqual(Hqd, flipped);
        File.WriteAllText(system, flipped);
        Assert.NotEqual(first, StudyLoader.Load(study).SourceHash);
    }
}
