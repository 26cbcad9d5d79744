using DigitalEconomy.Core;
using DigitalEconomy.Study;
using Xunit;

namespace DigitalEconomy.Client.Tests;

/// <summary>The spatial analysis section of a study: matrices read and checked at load time, and hashed into the run id.</summary>
public class SpatialStudyTests
{
    private static readonly string Dir = Path.Combine(Path.GetTempPath(), $"de-spatial-study-{Environment.ProcessId}");

    private static string Repo()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir.FullName, "DigitalEconomy.sln"))) dir = dir.Parent!;
        return dir.FullName;
    }

    private static string Study(string name, string weightsFile, string extra = "")
    {
        Directory.CreateDirectory(Dir);
        string path = Path.Combine(Dir, name + ".yaml");
        File.WriteAllText(path, $$"""
            name: {{name}}
            dataset: { path: {{Path.Combine(Repo(), "examples", "provinces.csv")}}, unit: province, time: year }
            baseline: { outcome: lngdp, treatment: fin, controls: [gov], fe: province + year, vcov: cluster:province }
            analyses:
              - { name: sp, type: spatial, weights: [{ name: w, path: {{weightsFile}} }]{{extra}} }
            """);
        return path;
    }

    [Fact]
    public void The_matrix_is_read_at_load_and_a_changed_matrix_changes_the_study_hash()
    {
        string original = Path.Combine(Repo(), "examples", "weights", "provinces_contiguity.csv");
        var a = StudyLoader.Load(Study("a", original));
        var spec = (DigitalEconomy.Contracts.SpatialSpec)a.Analyses.Single().Settings!;
        Assert.Equal(30, spec.Matrices.Single().Weights.Units.Length);
        Assert.Equal(130, spec.Matrices.Single().Weights.Weights.Length); // 65 border pairs, both directions
        Assert.Equal(["sdm"], spec.Models.ToArray());
        Assert.Equal("twoways", spec.Effects);
        Assert.Equal(["lngdp", "fin"], spec.Moran.ToArray());
        // The same study text with another matrix file content: another hash, hence another run id.
        string copy = Path.Combine(Dir, "w.csv");
        File.WriteAllText(copy, File.ReadAllText(original));
        var b1 = StudyLoader.Load(Study("b", copy));
        File.WriteAllText(copy, File.ReadAllText(Path.Combine(Repo(), "examples", "weights", "provinces_distance.csv")));
        var b2 = StudyLoader.Load(Study("b", copy));
        Assert.NotEqual(b1.SourceHash, b2.SourceHash);
    }

    [Fact]
    public void A_matrix_whose_names_do_not_match_the_units_is_refused_in_one_line_with_its_key()
    {
        string bad = Path.Combine(Dir, "bad.csv");
        Directory.CreateDirectory(Dir);
        File.WriteAllText(bad, File.ReadAllText(Path.Combine(Repo(), "examples", "weights", "provinces_contiguity.csv")).Replace("Hainan", "Hainan Island"));
        var e = Assert.Throws<InputException>(() => StudyLoader.Load(Study("c", bad)));
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains("key 'analyses[0].weights[0].path'", e.Message);
        Assert.Contains("panel units not in W: Hainan", e.Message);
        Assert.Contains("W units not in the panel: Hainan Island", e.Message);
        var e2 = Assert.Throws<InputException>(() => StudyLoader.Load(Study("d", Path.Combine(Repo(), "examples", "weights", "provinces_contiguity.csv"), ", models: [slx]")));
        Assert.Contains("key 'analyses[0].models[0]'", e2.Message);
        Assert.Contains("expected sar | sem | sac | sdm", e2.Message);
    }
}
