using DigitalEconomy.Client;
using Xunit;
using static DigitalEconomy.Client.Tests.StudyRefusal;

namespace DigitalEconomy.Client.Tests;

/// <summary>The non-linear words of grid.estimators and their keys (grid.gmm, grid.cohort, grid.matrices) as the study loader reads them: accepted forms and one-line refusals naming the key.</summary>
public sealed class GridNodeStudyTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"de-gridnodes-{Environment.ProcessId}-{Guid.NewGuid():N}");

    public GridNodeStudyTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Repo() => RepoRoot.Path;

    private string Write(string extra, string analyses = "", string after = "")
    {
        string data = Path.Combine(AppContext.BaseDirectory, "data", "provinces.csv");
        string path = Path.Combine(_dir, "s.yaml");
        File.WriteAllText(path, $"""
            name: t
            dataset:
              path: {data}
              unit: province
              time: year
            {analyses}
            grid:
              treatment: gov
              outcomes: [lngdp]
              controls:
                full: [market, fin]
                none: []
              fixed_effects: ["province + year", "province"]
              samples:
                all: null
              vcov: ["cluster:province", "hc1"]
            {extra}
            {after}
            """);
        return path;
    }

    private static string Spatial => $"""
        baseline: {"{"} outcome: lngdp, treatment: gov, controls: [market], fe: province + year, vcov: cluster:province {"}"}
        analyses:
          - name: sp
            type: spatial
            weights: [{"{"} name: contiguity, path: {Path.Combine(Repo(), "examples", "weights", "provinces_contiguity.csv")} {"}"}]
            moran: [lngdp]
            models: []
        """;

    [Fact]
    public void NonLinearWords_AndTheirKeys_AreRead()
    {
        var g = StudyLoader.Load(Write("  estimators: [within, gmm-sys, sar]\n  gmm: { collapse: false, lags: 1, endogenous: [fin] }\n  matrices: [contiguity]", Spatial)).Grid!;
        Assert.Equal(["within", "gmm-sys", "sar"], g.Estimators.ToArray());
        Assert.False(g.Gmm!.Collapse);
        Assert.Equal(1, g.Gmm.Lags);
        Assert.Equal(["fin"], g.Gmm.Endogenous.ToArray());
        Assert.Equal("contiguity", Assert.Single(g.Matrices).Name);
        // within: 2 fe × 2 vcov × 2 control sets; gmm-sys: 2 control sets (baseline fe and vcov); sar: 2 fe × 2 control sets × 1 matrix.
        Assert.Equal(8 + 2 + 4, GridExpansion.Expand(g, "").Count);
    }

    [Fact]
    public void TheShippedStudies_LoadWithTheirCurvesAcrossEstimators()
    {
        var p = StudyLoader.Load(Path.Combine(Repo(), "studies", "provincial_estimators.yaml")).Grid!;
        // within, gmm-diff, gmm-sys: 2 control sets each; sar and sdm: 2 control sets × 2 matrices.
        Assert.Equal(3 * 2 + 2 * 2 * 2, GridExpansion.Expand(p, "").Count);
        var c = StudyLoader.Load(Path.Combine(Repo(), "studies", "city_pilot_estimators.yaml")).Grid!;
        Assert.Equal("pilot_year", c.Cohort);
        // within, did-twfe, did-sa: 2 control sets × 2 samples; did-cs: the empty control set × 2 samples.
        Assert.Equal(3 * 4 + 2, GridExpansion.Expand(c, "").Count);
    }

    [Theory]
    [InlineData("  gmm: { collapse: false }", "key 'grid.gmm': is read by the GMM estimators only")]
    [InlineData("  estimators: [gmm-diff]\n  gmm: { lags: 9 }", "key 'grid.gmm.lags': expected an integer from 0 to 5")]
    [InlineData("  estimators: [gmm-diff]\n  gmm: { endogenous: [gov] }", "key 'grid.gmm.endogenous[0]': 'gov' is in no control set")]
    [InlineData("  estimators: [gmm-diff]\n  gmm: { colapse: true }", "key 'grid.gmm.colapse'")]
    [InlineData("  cohort: year", "key 'grid.cohort': is read by the DID estimators only")]
    [InlineData("  estimators: [did-twfe]", "key 'grid.estimators[0]': did-twfe needs the adoption design: add grid.cohort")]
    [InlineData("  estimators: [did-cs]\n  cohort: nope", "key 'grid.cohort': unknown variable 'nope'")]
    [InlineData("  estimators: [sar]", "key 'grid.estimators[0]': sar needs weight matrices: add grid.matrices")]
    [InlineData("  estimators: [sar]\n  matrices: [contiguity]", "key 'grid.matrices[0]': no weight matrix 'contiguity': grid matrices are those a spatial analysis declares")]
    [InlineData("  matrices: [contiguity]", "key 'grid.matrices': is read by the spatial estimators only")]
    [InlineData("  estimators: [gmm-sys]\n  weights: [fin]", "key 'grid.estimators[0]': gmm-sys forms no specification")]
    public void AWrongEntry_IsOneLineNamingItsKey(string extra, string expected) =>
        Assert.Contains(expected, Refused(Write(extra)), StringComparison.Ordinal);

    [Fact]
    public void ASpatialWordFirst_IsRefused_ItCannotNameTheBaseline() =>
        Assert.Contains("key 'grid.estimators[0]': sdm makes one node per matrix and cannot name the baseline",
            Refused(Write("  estimators: [sdm, within]\n  matrices: [contiguity]", Spatial)), StringComparison.Ordinal);

    [Fact]
    public void CurveInferenceAndBootstrapOverNodes_AreRefused()
    {
        Assert.Contains("key 'curve_inference': the null refits are linear fits and the grid has non-linear estimators (gmm-diff)",
            Refused(Write("  estimators: [within, gmm-diff]", after: "curve_inference: { draws: 10 }")), StringComparison.Ordinal);
        Assert.Contains("key 'bootstrap.specs': the bootstrap refits linear specifications and the selection includes a node",
            Refused(Write("  estimators: [within, gmm-diff]", after: "bootstrap: { specs: all, replicates: 9 }")), StringComparison.Ordinal);
        // The baseline of a grid whose first estimator is linear is bootstrapped as before.
        Assert.NotNull(StudyLoader.Load(Write("  estimators: [within, gmm-diff]", after: "bootstrap: { replicates: 9 }")).Bootstrap);
    }
}
