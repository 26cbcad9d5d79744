using DigitalEconomy.Core;
using DigitalEconomy.Study;
using Xunit;

namespace DigitalEconomy.Client.Tests;

/// <summary>The spatial analysis section of a study: matrices read and checked at load time, and hashed into the run id.</summary>
public class SpatialStudyTests
{
    private static readonly string Dir = Path.Combine(Path.GetTempPath(), $"de-spatial-study-{Environment.ProcessId}");

    private static string Repo() => RepoRoot.Path;

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

    [Fact]
    public void Economic_and_nested_matrices_are_built_from_the_dataset_at_load()
    {
        string contiguity = Path.Combine(Repo(), "examples", "weights", "provinces_contiguity.csv");
        string path = Path.Combine(Dir, "e2.yaml");
        File.WriteAllText(path, File.ReadAllText(Study("e", contiguity)).Replace("weights: [{ name: w, path: " + contiguity + " }]",
            "weights: [{ name: econ, economic: gdp_pc }, { name: nest, path: " + contiguity + ", economic: gdp_pc }, { name: mix, path: " + contiguity + ", economic: gdp_pc, phi: 0.5 }]"));
        var spec = (DigitalEconomy.Contracts.SpatialSpec)StudyLoader.Load(path).Analyses.Single().Settings!;
        var (econ, nest, mix) = (spec.Matrices[0], spec.Matrices[1], spec.Matrices[2]);
        Assert.Equal(("economic:gdp_pc", "nested:" + contiguity + ",gdp_pc", "nested:" + contiguity + ",gdp_pc,0.5"), (econ.Source, nest.Source, mix.Source));
        Assert.Equal(870, econ.Weights.Weights.Length); // every pair
        Assert.Equal(130, nest.Weights.Weights.Length); // the 65 border pairs both ways
        // Beijing–Tianjin: 1/|mean gdp_pc of Beijing − that of Tianjin| over 2011–2020, computed here from the CSV.
        var rows = File.ReadAllLines(Path.Combine(Repo(), "examples", "provinces.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        double Mean(string p) => rows.Where(f => f[0] == p).Average(f => double.Parse(f[6], System.Globalization.CultureInfo.InvariantCulture));
        double expected = 1 / Math.Abs(Mean("Beijing") - Mean("Tianjin"));
        double Raw(DigitalEconomy.Contracts.SpatialWeightsData w, string from, string to)
        {
            int i = w.Units.IndexOf(from), j = w.Units.IndexOf(to);
            for (int k = w.RowStart[i]; k < w.RowStart[i + 1]; k++) if (w.Columns[k] == j) return w.Weights[k];
            return 0;
        }
        Assert.Equal(expected, Raw(econ.Weights, "Beijing", "Tianjin"), 12);
        Assert.Equal(expected, Raw(nest.Weights, "Beijing", "Tianjin"), 12);
        Assert.Equal(0, Raw(nest.Weights, "Beijing", "Shanghai"));
        Assert.True(Raw(mix.Weights, "Beijing", "Shanghai") > 0); // the economic half reaches every unit
        File.WriteAllText(path, File.ReadAllText(path).Replace("{ name: econ, economic: gdp_pc }", "{ name: econ, economic: gdp_pc, phi: 0.3 }"));
        var e = Assert.Throws<InputException>(() => StudyLoader.Load(path));
        Assert.Contains("key 'analyses[0].weights[0].phi'", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void The_logdet_key_loads_and_a_bad_value_is_refused_at_its_key()
    {
        string w = Path.Combine(Repo(), "examples", "weights", "provinces_contiguity.csv");
        var spec = (DigitalEconomy.Contracts.SpatialSpec)StudyLoader.Load(Study("ld", w, ", logdet: sparse")).Analyses.Single().Settings!;
        Assert.Equal("sparse", spec.LogDet);
        var auto = (DigitalEconomy.Contracts.SpatialSpec)StudyLoader.Load(Study("ld0", w)).Analyses.Single().Settings!;
        Assert.Equal("auto", auto.LogDet);
        var e = Assert.Throws<InputException>(() => StudyLoader.Load(Study("ld2", w, ", logdet: lu")));
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains("key 'analyses[0].logdet'", e.Message);
        Assert.Contains("expected auto | eigen | sparse", e.Message);
    }

    /// <summary>The matrix's raw entries by unit names (any unit order).</summary>
    private static Dictionary<(string, string), double> Entries(DigitalEconomy.Contracts.SpatialWeightsData w)
    {
        var d = new Dictionary<(string, string), double>();
        for (int i = 0; i < w.Units.Length; i++)
            for (int k = w.RowStart[i]; k < w.RowStart[i + 1]; k++) d[(w.Units[i], w.Units[w.Columns[k]])] = w.Weights[k];
        return d;
    }

    [Fact]
    public void The_shipped_study_repeats_its_models_under_economic_and_nested_matrices_equal_to_the_one_off()
    {
        // studies/provincial_spatial.yaml: contiguity, distance, economic (gdp_pc of its own dataset) and nested
        // (distance × economic). The study's economic and nested matrices are the ones `de spatial --w economic:gdp_pc`
        // and `--w nested:FILE,gdp_pc` build from the same data (entry by entry, by unit names). Their fits were checked
        // against the one-off on the run's dataset.csv (hqd ~ de + gov + market + lngdp + fin, twoways): economic SDM
        // ρ −0.0807 (SE 0.0891), logLik 465.720; nested SAR ρ 0.0609, logLik 461.052; nested SDM ρ −0.0139, logLik 464.805.
        var study = StudyLoader.Load(Path.Combine(Repo(), "studies", "provincial_spatial.yaml"));
        var spec = (DigitalEconomy.Contracts.SpatialSpec)study.Analyses.Single(a => a.Settings is DigitalEconomy.Contracts.SpatialSpec).Settings!;
        Assert.Equal(["contiguity", "distance", "economic", "nested"], spec.Matrices.Select(m => m.Name).ToArray());
        Assert.Equal(["sar", "sdm"], spec.Models.ToArray());
        var frame = DigitalEconomy.Core.Data.CsvReader.ReadFile(Path.Combine(Repo(), "examples", "provinces.csv"));
        string distance = Path.Combine(Repo(), "examples", "weights", "provinces_distance.csv");
        foreach (var (name, text) in new[] { ("economic", "economic:gdp_pc"), ("nested", $"nested:{distance},gdp_pc") })
        {
            var oneOff = Entries(DigitalEconomy.Contracts.SpatialWeightsData.Of(DigitalEconomy.Store.SpatialWeightsFile.Resolve(text, "--w", frame, "province")));
            var inStudy = Entries(spec.Matrices.Single(m => m.Name == name).Weights);
            Assert.Equal(oneOff.Count, inStudy.Count);
            foreach (var (key, v) in oneOff) Assert.Equal(v, inStudy[key]);
        }
        Assert.Equal(870, Entries(spec.Matrices[2].Weights).Count); // economic: every ordered pair of 30 provinces
    }

    [Fact]
    public void Lee_yu_with_two_way_effects_loads_and_refuses_an_unstandardised_matrix_at_its_key()
    {
        string w = Path.Combine(Repo(), "examples", "weights", "provinces_contiguity.csv");
        var a = StudyLoader.Load(Study("ly", w, ", effects: twoways, lee_yu: true"));
        var spec = (DigitalEconomy.Contracts.SpatialSpec)a.Analyses.Single().Settings!;
        Assert.True(spec.LeeYu);
        Assert.Equal("twoways", spec.Effects);
        var e = Assert.Throws<InputException>(() => StudyLoader.Load(Study("ly2", w + ", row_standardise: false", ", effects: twoways, lee_yu: true")));
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains("key 'analyses[0].lee_yu'", e.Message);
        Assert.Contains("row_standardise: false", e.Message);
    }
}
