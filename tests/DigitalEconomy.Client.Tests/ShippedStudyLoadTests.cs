using DigitalEconomy.Study;
using Xunit;

namespace DigitalEconomy.Client.Tests;

/// <summary>
/// Issue 21, item 1 (typed reading of the study file): every shipped study (studies/*.yaml) loads through the typed pass and the
/// validation pass, and the values below were read by hand from the YAML files (name, seed, batch size, the dataset's file and
/// columns, how many derive steps, indices and analyses, the grid's dimensions' sizes).
/// </summary>
public sealed class ShippedStudyLoadTests
{
    private static string Repo() => RepoRoot.Path;

    // file, name, seed, batch size, data file, unit, derive steps, indices, analyses, language
    [Theory]
    [InlineData("city_nqpf", 20261122L, 25, "cities.csv", "city", 7, 0, 11, "zh")]
    [InlineData("city_pilot_did", 20261207L, 25, "cities.csv", "city", 0, 0, 1, "zh")]
    [InlineData("city_pilot_estimators", 20261207L, 25, "cities.csv", "city", 0, 0, 0, "en")]
    [InlineData("provincial_dynamic", 20261122L, 25, "provinces.csv", "province", 2, 0, 2, "zh")]
    [InlineData("provincial_estimators", 20261207L, 25, "provinces.csv", "province", 2, 0, 1, "zh")]
    [InlineData("provincial_hqd", 20261122L, 25, "provinces.csv", "province", 3, 0, 5, "zh")]
    [InlineData("provincial_spatial", 20261207L, 25, "provinces.csv", "province", 2, 0, 1, "zh")]
    [InlineData("provincial_tfp", 20261122L, 25, "provinces_2021.csv", "province", 3, 0, 6, "en")]
    [InlineData("provincial_threshold", 20261207L, 25, "provinces.csv", "province", 2, 0, 2, "zh")]
    [InlineData("regional_gaps", 20261123L, 25, "provinces.csv", "province", 2, 0, 6, "zh")]
    [InlineData("sample", 20261122L, 8, "provinces.csv", "province", 0, 2, 0, "en")]
    public void ShippedStudy_LoadsWithItsHandReadValues(string file, long seed, int batch, string data, string unit, int derive, int indices, int analyses, string language)
    {
        var s = StudyLoader.Load(Path.Combine(Repo(), "studies", file + ".yaml"));
        Assert.Equal(file, s.Name);
        Assert.Equal(seed, s.Seed);
        Assert.Equal(batch, s.BatchSize);
        Assert.Equal(data, Path.GetFileName(s.Dataset.Path));
        Assert.Equal(unit, s.Dataset.Unit);
        Assert.Equal("year", s.Dataset.Time);
        Assert.Equal("region", s.Dataset.Region);
        Assert.Equal(derive, s.Dataset.Derive.Length);
        Assert.Equal(indices, s.Indices.Length);
        Assert.Equal(analyses, s.Analyses.IsDefault ? 0 : s.Analyses.Length);
        Assert.Equal(language, s.Tables!.Language);
    }

    // file, treatment, then the sizes of outcomes, controls, fixed_effects, samples, winsorize, lag, vcov, estimators
    [Theory]
    [InlineData("city_nqpf", "lq_dig", new[] { 2, 3, 2, 3, 2, 2, 2, 0 })]
    [InlineData("city_pilot_estimators", "pilot_active", new[] { 1, 2, 1, 2, 1, 1, 1, 4 })]
    [InlineData("provincial_estimators", "de", new[] { 1, 2, 1, 1, 1, 1, 1, 5 })]
    [InlineData("sample", "de_index", new[] { 1, 2, 2, 3, 2, 2, 2, 0 })]
    public void ShippedGrid_HasItsHandReadDimensions(string file, string treatment, int[] sizes)
    {
        var g = StudyLoader.Load(Path.Combine(Repo(), "studies", file + ".yaml")).Grid!;
        Assert.Equal(treatment, g.Treatment);
        Assert.Equal(sizes, new[] { g.Outcomes.Length, g.Controls.Length, g.FixedEffects.Length, g.Samples.Length, g.Winsorize.Length, g.Lag.Length, g.Vcov.Length, g.Estimators.IsDefault ? 0 : g.Estimators.Length });
    }

    [Fact]
    public void ShippedStudies_KeepTheirSectionDetails()
    {
        // sample.yaml: bootstrap { replicates: 199, chunk: 50 } (pairs, baseline by default); samples in the file's order.
        var sample = StudyLoader.Load(Path.Combine(Repo(), "studies", "sample.yaml"));
        Assert.Equal((199, 50), (sample.Bootstrap!.Replicates, sample.Bootstrap.Chunk));
        Assert.Equal("baseline", Assert.Single(sample.Bootstrap.Specs));
        Assert.Equal(["all", "no_municipalities", "east"], sample.Grid!.Samples.Select(x => x.Name));
        Assert.Equal("municipality == 0", sample.Grid.Samples[1].Filter);
        Assert.Equal(["hqd_index", "de_index"], sample.Indices.Select(i => i.Name));
        Assert.Equal(0.0001, sample.Indices[0].Shift);
        // provincial_estimators.yaml: matrices [contiguity, distance], gmm { collapse: true }; city_pilot_estimators.yaml: cohort pilot_year.
        var est = StudyLoader.Load(Path.Combine(Repo(), "studies", "provincial_estimators.yaml")).Grid!;
        Assert.Equal(["contiguity", "distance"], est.Matrices.Select(m => m.Name));
        Assert.True(est.Gmm!.Collapse);
        Assert.Equal("pilot_year", StudyLoader.Load(Path.Combine(Repo(), "studies", "city_pilot_estimators.yaml")).Grid!.Cohort);
        // provincial_hqd.yaml: seven labels, fe "province" in the baseline.
        Assert.Equal(7, StudyLoader.Load(Path.Combine(Repo(), "studies", "provincial_hqd.yaml")).Tables!.Labels.Count);
    }
}
