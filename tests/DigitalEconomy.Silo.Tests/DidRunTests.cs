using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Did;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Store;
using Xunit;
using Xunit.Abstractions;

namespace DigitalEconomy.Silo.Tests;

/// <summary>
/// The <c>did</c> analysis in a run (issue 22): its placebo draws, computed in blocks of <c>DidPlaceboWork</c> on the compute
/// grain, equal core's draws on the study's dataset bit for bit, and permutations.parquet and analyses.parquet are
/// byte-identical whatever the block size, embedded and on 1–3 silos of an in-process cluster.
/// </summary>
public sealed class DidRunTests(RedisFixture redis, ITestOutputHelper log) : IClassFixture<RedisFixture>
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), $"de-did-{Environment.ProcessId}");
    private const int Seed = 5, Draws = 30;

    private static string Write(string name, int chunk, string methods = "[twfe, event]") =>
        Study(name, "did", $$"""
                methods: {{methods}}
                placebo: { draws: {{Draws}}, chunk: {{chunk}} }
            """);

    private static string WriteBootstrap(string name, int chunk) =>
        Study(name, "did_boot", $$"""
                methods: [cs]
                control: notyet
                bootstrap: { draws: {{Draws}}, chunk: {{chunk}} }
            """);

    /// <summary>The study both tests run: the cities panel and one did analysis, whose last keys (<paramref name="keys"/>) differ.</summary>
    private static string Study(string name, string study, string keys)
    {
        string dir = Path.Combine(Root, name);
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, "did.yaml");
        File.WriteAllText(path, $$"""
            name: {{study}}
            seed: {{Seed}}
            dataset:
              path: {{Path.Combine(AppContext.BaseDirectory, "data", "cities.csv")}}
              unit: city
              time: year
            baseline: { outcome: tfp, treatment: pilot_active, controls: [gov, fin], fe: city + year, vcov: cluster:city }
            analyses:
              - name: pilot
                type: did
                outcome: tfp
                cohort: pilot_year
                covariates: [gov, fin]

            """ + keys + "\n");
        return path;
    }

    private static string RunEmbedded(string study, string name)
    {
        var (code, output, err) = De.Run("run", study, "--out", Path.Combine(Root, name, "out"));
        Assert.True(code == 0, err + output);
        return De.RunDir(output);
    }

    [Fact]
    public async Task PlaceboDraws_EqualCore_AndAreByteIdentical_WhateverTheBlocks_AndOn1_2_3Silos()
    {
        string study = Write("chunk7", 7);
        string run = RunEmbedded(study, "chunk7");
        var rows = (await ResultTables.Permutations.ReadFileAsync(Path.Combine(run, "permutations.parquet"))).Where(r => r.Analysis == "pilot" && r.Test == "placebo").ToList();
        Assert.Equal(Enumerable.Range(0, Draws).Select(i => (long)i), rows.Select(r => r.Permutation));

        // Core on the study's dataset (no derived column, so the run's prepared data are these rows) with the same seed and stream key: the same doubles.
        var panel = Panel.Create(CsvReader.ReadFile(Path.Combine(AppContext.BaseDirectory, "data", "cities.csv")), "city", "year");
        var design = DidDesign.FromCohort(panel, "pilot_year");
        var options = new DidOptions { Outcome = Formula.ParseTerm("tfp"), Covariates = [Formula.ParseTerm("gov"), Formula.ParseTerm("fin")] };
        var expected = TwfePlacebo.Prepare(design, options).Draws(PlaceboKind.Units, Seed, "pilot/placebo/units", 0, Draws);
        Assert.Equal(expected, rows.Select(r => r.Statistic!.Value));

        // The table's actual estimate is the TWFE DID (cluster by city) of the same data.
        var cells = await ResultTables.AnalysisCells.ReadFileAsync(Path.Combine(run, "analyses.parquet"));
        double actual = cells.Single(c => c.Table == "pilot_placebo" && c.RowKey == "actual").Value!.Value;
        Assert.Equal(EventStudy.Twfe(design, options).Att.Estimate, actual, 10);

        var perm = File.ReadAllBytes(Path.Combine(run, "permutations.parquet"));
        var analyses = File.ReadAllBytes(Path.Combine(run, "analyses.parquet"));
        string whole = RunEmbedded(Write("chunk30", Draws), "chunk30");
        Assert.Equal(perm, File.ReadAllBytes(Path.Combine(whole, "permutations.parquet")));
        Assert.Equal(analyses, File.ReadAllBytes(Path.Combine(whole, "analyses.parquet")));
        foreach (int silos in new[] { 1, 2, 3 })
        {
            await using var cluster = await OrleansClusterTests.ClusterAsync(redis, silos);
            var (grain, command) = OrleansClusterTests.Prepare(cluster.Client, study, Path.Combine(Root, $"silos{silos}"));
            await grain.StartAsync(command);
            var s = await OrleansClusterTests.UntilAsync(grain.GetStatusAsync, OrleansClusterTests.Finished, TimeSpan.FromMinutes(2));
            Assert.True(s.State == Contracts.RunState.Complete, s.Message);
            Assert.Equal(perm, File.ReadAllBytes(Path.Combine(s.RunDirectory!, "permutations.parquet")));
            Assert.Equal(analyses, File.ReadAllBytes(Path.Combine(s.RunDirectory!, "analyses.parquet")));
            log.WriteLine($"{silos} silo(s): permutations.parquet ({perm.Length} bytes) and analyses.parquet identical to the embedded run");
        }
    }

    /// <summary>
    /// The multiplier bootstrap in blocks of <c>DidBootstrapWork</c>: the table equals core's bootstrap of the same draws (stream
    /// key pilot/cs_bootstrap), and analyses.parquet is byte-identical for chunks 7 and 30, embedded and on 1–3 silos.
    /// </summary>
    [Fact]
    public async Task CsBootstrap_EqualsCore_AndIsByteIdentical_WhateverTheBlocks_AndOn1_2_3Silos()
    {
        string study = WriteBootstrap("boot7", 7);
        string run = RunEmbedded(study, "boot7");
        var cells = await ResultTables.AnalysisCells.ReadFileAsync(Path.Combine(run, "analyses.parquet"));
        double Cell(string key, int column) => cells.Single(c => c.Table == "pilot_cs_bootstrap" && c.RowKey == key && c.Column == column).Value!.Value;
        var panel = Panel.Create(CsvReader.ReadFile(Path.Combine(AppContext.BaseDirectory, "data", "cities.csv")), "city", "year");
        var design = DidDesign.FromCohort(panel, "pilot_year");
        var options = new DidOptions { Outcome = Formula.ParseTerm("tfp"), Covariates = [Formula.ParseTerm("gov"), Formula.ParseTerm("fin")] };
        var cs = CallawaySantAnna.Fit(design, options, ControlGroup.NotYet);
        var boot = CsBootstrap.Summarise(cs, CsBootstrap.Draws(cs, Seed, "pilot/cs_bootstrap", 0, Draws));
        Assert.Equal(cs.Simple.Att, Cell("simple_all", 1), 12);
        Assert.Equal(boot.Aggregations[0].StdErrors[0], Cell("simple_all", 3), 12);
        var dynamic = boot.Aggregations.Single(x => x.Type == "dynamic");
        Assert.Equal(dynamic.CriticalValue, Cell("dynamic_critical", 4), 12);
        Assert.Equal(dynamic.OverallStdError, Cell("dynamic_overall", 3), 12);
        Assert.Equal(dynamic.Low[0], Cell("dynamic_" + cs.Dynamic.Effects[0].Key!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), 4), 12);

        var analyses = File.ReadAllBytes(Path.Combine(run, "analyses.parquet"));
        string whole = RunEmbedded(WriteBootstrap("boot30", Draws), "boot30");
        Assert.Equal(analyses, File.ReadAllBytes(Path.Combine(whole, "analyses.parquet")));
        foreach (int silos in new[] { 1, 2, 3 })
        {
            await using var cluster = await OrleansClusterTests.ClusterAsync(redis, silos);
            var (grain, command) = OrleansClusterTests.Prepare(cluster.Client, study, Path.Combine(Root, $"bootsilos{silos}"));
            await grain.StartAsync(command);
            var s = await OrleansClusterTests.UntilAsync(grain.GetStatusAsync, OrleansClusterTests.Finished, TimeSpan.FromMinutes(2));
            Assert.True(s.State == Contracts.RunState.Complete, s.Message);
            Assert.Equal(analyses, File.ReadAllBytes(Path.Combine(s.RunDirectory!, "analyses.parquet")));
            log.WriteLine($"{silos} silo(s): analyses.parquet ({analyses.Length} bytes) identical to the embedded run");
        }
    }

    [Fact]
    public async Task ShippedStudy_WritesEveryTableAndChart_WithCoresNumbers()
    {
        string dir = Path.Combine(Root, "shipped");
        var (code, output, err) = De.Run("run", Path.Combine(ShippedRedisConfigTests.RepoRoot(), "studies", "city_pilot_did.yaml"), "--out", dir);
        Assert.True(code == 0, err + output);
        string run = De.RunDir(output);
        foreach (var stem in new[] { "pilot_did", "pilot_did_robust", "pilot_did_event", "pilot_did_bacon", "pilot_did_placebo" })
            Assert.True(File.Exists(Path.Combine(run, "tables", stem + ".md")), stem);
        foreach (var stem in new[] { "pilot_did_event", "pilot_did_placebo" })
            Assert.True(File.Exists(Path.Combine(run, "plots", stem + ".png")) && File.Exists(Path.Combine(run, "plots", stem + ".svg")), stem);
        var cells = await ResultTables.AnalysisCells.ReadFileAsync(Path.Combine(run, "analyses.parquet"));
        double Cell(string table, string key, int column) => cells.Single(c => c.Table == table && c.RowKey == key && c.Column == column).Value!.Value;
        var panel = Panel.Create(CsvReader.ReadFile(Path.Combine(ShippedRedisConfigTests.RepoRoot(), "examples", "cities.csv")), "city", "year");
        var design = DidDesign.FromCohort(panel, "pilot_year");
        var options = new DidOptions { Outcome = Formula.ParseTerm("tfp"), Covariates = [Formula.ParseTerm("lngdp"), Formula.ParseTerm("gov"), Formula.ParseTerm("fin"), Formula.ParseTerm("openness")] };
        Assert.Equal(EventStudy.Twfe(design, options).Att.Estimate, Cell("pilot_did_robust", "att", 1), 12);
        Assert.Equal(SunAbraham.Fit(design, options).Att.Estimate, Cell("pilot_did_robust", "att", 2), 12);
        // Callaway–Sant'Anna now conditions on the covariates (doubly robust, did's default).
        var cs = CallawaySantAnna.Fit(design, options, ControlGroup.NotYet);
        Assert.Equal(cs.Simple.Att, Cell("pilot_did_robust", "att", 3), 12);
        Assert.Equal(cs.Simple.Att, Cell("pilot_did_cs_bootstrap", "simple_all", 1), 12);
        Assert.True(File.Exists(Path.Combine(run, "tables", "pilot_did_cs_bootstrap.md")));
        Assert.Equal(Bacon.Decompose(design, options with { Covariates = [] }).TwfeEstimate, Cell("pilot_did_bacon", "twfe", 2), 12);
        var draws = (await ResultTables.Permutations.ReadFileAsync(Path.Combine(run, "permutations.parquet"))).Count(r => r.Analysis == "pilot_did" && r.Test == "placebo");
        Assert.Equal(500, draws);
        Assert.Equal(500, Cell("pilot_did_placebo", "draws", 1));
    }
}
