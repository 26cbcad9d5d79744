using System.Text.Json;
using DigitalEconomy.Store;
using Xunit;

namespace DigitalEconomy.Silo.Tests;

/// <summary>
/// A study's <c>singletons:</c> rule through a run (issue 20 item 5): the analyses' models against
/// produc_singletons.json (validation README section k; iid and HC1 SEs with K = the exact LSDV rank, our Stata
/// convention), the grid's N, and the tables' note; a study without <c>dataset.region</c> runs.
/// </summary>
public class SingletonStudyTests
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), $"de-singletons-{Environment.ProcessId}");
    private const string Model = "log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp | state + region^year";

    private static string RunStudy(string name, string rule)
    {
        string dir = Path.Combine(Root, name);
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, "s.yaml");
        File.WriteAllText(path, $$"""
            name: {{name}}
            {{rule}}
            dataset:
              path: {{Path.Combine(AppContext.BaseDirectory, "data", "Produc_singletons.csv")}}
              unit: state
              time: year
            baseline: { outcome: gsp, treatment: pcap, controls: [pc, emp, unemp], fe: state + region^year, vcov: iid }
            analyses:
              - name: base
                type: regressions
                columns: [{ formula: "{{Model}}" }, { formula: "{{Model}}", vcov: hc1 }]
            grid:
              treatment: pcap
              outcomes: [gsp]
              controls: { full: [pc, emp, unemp] }
              fixed_effects: ["state + region^year"]
              samples: { all: null }
              vcov: [iid]
            """);
        var (code, output, err) = De.Run("run", path, "--out", Path.Combine(dir, "out"));
        Assert.True(code == 0, err + output);
        return De.RunDir(output);
    }

    [Theory]
    [InlineData("", "singletons_removed_iteratively")]
    [InlineData("singletons: keep", "fixef_rm_none")]
    public async Task Models_MatchTheReference_UnderTheStudysRule(string rule, string block)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "data", "produc_singletons.json")));
        var b = doc.RootElement.GetProperty(block);
        string run = RunStudy(rule.Length == 0 ? "drop" : "keep", rule);
        var models = await ResultTables.Models.ReadFileAsync(Path.Combine(run, "models.parquet"));
        int n = b.GetProperty("n_used").GetInt32();
        foreach (var (column, key) in new[] { (1L, "se_iid"), (2L, "se_hc1") })
            foreach (var row in models.Where(m => m.Column == column))
            {
                Assert.Null(row.Error);
                Assert.Equal(n, (int)row.N!.Value);
                double e = b.GetProperty(key).GetProperty(row.Term!).GetDouble();
                Assert.True(Math.Abs(row.StdError!.Value - e) <= 1e-8 * e, $"{key}[{row.Term}]: expected {e:R}, got {row.StdError:R}");
                double be = b.GetProperty("coefficients").GetProperty(row.Term!).GetDouble();
                Assert.True(Math.Abs(row.Estimate!.Value - be) <= 1e-8 * Math.Abs(be), $"coefficient {row.Term}");
            }
        var specs = await ResultTables.Specs.ReadFileAsync(Path.Combine(run, "specs.parquet"));
        Assert.Equal(n, (int)Assert.Single(specs).N!.Value);
        string md = File.ReadAllText(Path.Combine(run, "tables", "base.md"));
        int removed = b.GetProperty("n_removed").GetInt32();
        if (removed > 0) Assert.Contains($"removed iteratively before estimation, as reghdfe: (1) {removed}, (2) {removed}", md, StringComparison.Ordinal);
        else Assert.DoesNotContain("ingleton", md, StringComparison.Ordinal);
    }
}
