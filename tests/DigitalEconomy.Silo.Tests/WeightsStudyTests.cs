using System.Text.Json;
using DigitalEconomy.Store;
using Xunit;

namespace DigitalEconomy.Silo.Tests;

/// <summary>
/// Analytic weights through a study run (issue 20 item 4): the baseline's <c>weights:</c>, a column's <c>weights: none</c>
/// and the grid's weights dimension, against produc_weights.json (validation README section j) and produc.json.
/// </summary>
public class WeightsStudyTests
{
    private static readonly string Dir = Path.Combine(Path.GetTempPath(), $"de-weights-study-{Environment.ProcessId}");
    private static readonly string[] Slopes = ["log(pcap)", "log(pc)", "log(emp)", "unemp"];

    private static JsonElement Ref(string file) => JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "data", file))).RootElement;

    private static void Near(double expected, double? actual, string what) =>
        Assert.True(actual is { } a && Math.Abs(a - expected) <= 1e-8 * Math.Abs(expected), $"{what}: expected {expected:R}, got {actual:R}");

    [Fact]
    public async Task WeightedModels_InAnalysesAndTheGrid_MatchTheReferences()
    {
        Directory.CreateDirectory(Dir);
        string path = Path.Combine(Dir, "w.yaml");
        const string model = "log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp | state + year";
        File.WriteAllText(path, $$"""
            name: weights
            dataset:
              path: {{Path.Combine(AppContext.BaseDirectory, "data", "Produc.csv")}}
              unit: state
              time: year
            baseline: { outcome: gsp, treatment: pcap, controls: [pc, emp, unemp], fe: state + year, vcov: iid, weights: emp }
            analyses:
              - name: base
                type: regressions
                columns: [{ formula: "{{model}}" }, { formula: "{{model}}", vcov: "cluster:state" }, { formula: "{{model}}", weights: none }]
            grid:
              treatment: pcap
              outcomes: [gsp]
              controls: { full: [pc, emp, unemp] }
              fixed_effects: ["state + year"]
              samples: { all: null }
              vcov: [iid]
              weights: [none, emp]
            """);
        var (code, output, err) = De.Run("run", path, "--out", Path.Combine(Dir, "out"));
        Assert.True(code == 0, err + output);
        string run = De.RunDir(output);

        var w = Ref("produc_weights.json").GetProperty("twoways");
        var fe = Ref("produc.json").GetProperty("fe_twoways").GetProperty("coefficients");
        var models = await ResultTables.Models.ReadFileAsync(Path.Combine(run, "models.parquet"));
        foreach (var t in Slopes)
        {
            var c1 = models.Single(m => m.Column == 1 && m.Term == t);
            Near(w.GetProperty("coefficients").GetProperty(t).GetDouble(), c1.Estimate, $"(1) b[{t}]");
            Near(w.GetProperty("iid").GetProperty("se").GetProperty(t).GetDouble(), c1.StdError, $"(1) iid se[{t}]");
            Near(w.GetProperty("cluster_fixest_default").GetProperty("se").GetProperty(t).GetDouble(), models.Single(m => m.Column == 2 && m.Term == t).StdError, $"(2) cluster se[{t}]");
            Near(fe.GetProperty(t).GetProperty("estimate").GetDouble(), models.Single(m => m.Column == 3 && m.Term == t).Estimate, $"(3) unweighted b[{t}]");
        }
        string md = File.ReadAllText(Path.Combine(run, "tables", "base.md"));
        // Columns (1) and (2) are weighted, (3) is not: the note names them (TableWords "weights_cols_note").
        Assert.Contains("(1), (2) weighted by emp.", md, StringComparison.Ordinal);

        // The grid's weights dimension: the unweighted and the weighted fit of the same choices (the treatment is raw pcap here).
        var specs = await ResultTables.Specs.ReadFileAsync(Path.Combine(run, "specs.parquet"));
        Assert.Equal(2, specs.Count);
        Assert.Equal(["emp", null], specs.OrderBy(s => s.Weights is null).Select(s => s.Weights));
        Assert.All(specs, s => Assert.Null(s.Error));
        Assert.All(specs, s => Assert.Equal(816, s.N));
        Assert.NotEqual(specs[0].Estimate, specs[1].Estimate);
    }
}
