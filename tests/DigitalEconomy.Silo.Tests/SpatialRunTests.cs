using DigitalEconomy.Client;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Spatial;
using DigitalEconomy.Grains;
using DigitalEconomy.Store;
using Orleans.TestingHost;
using StackExchange.Redis;
using Xunit;
using Xunit.Abstractions;

namespace DigitalEconomy.Silo.Tests;

/// <summary>
/// The spatial analysis type in a study run: its Moran permutations and impact draws go to the compute grain in blocks,
/// and analyses.parquet is byte-identical whatever the block size, embedded and on test clusters of 1 and 3 silos; the
/// run's numbers equal core's on the study's data (fit, and the draws of the stream ANALYSIS/MATRIX/MODEL).
/// </summary>
[Collection("orleans clusters")]
[Trait("Lane", "cluster")]
public sealed class SpatialRunTests(RedisFixture redis, ITestOutputHelper log) : IClassFixture<RedisFixture>
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), $"de-spatial-{Environment.ProcessId}");
    private const int Seed = 24, Draws = 60;

    private static string Repo()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir.FullName, "DigitalEconomy.sln"))) dir = dir.Parent!;
        return dir.FullName;
    }

    private static string Contiguity => Path.Combine(Repo(), "examples", "weights", "provinces_contiguity.csv");

    private static string Write(string name, int chunk, bool leeYu = false, string logDet = "auto")
    {
        string dir = Path.Combine(Root, name);
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, "spatial.yaml");
        File.WriteAllText(path, $$"""
            name: sp
            seed: {{Seed}}
            dataset:
              path: {{Studies.DataPath}}
              unit: province
              time: year
            baseline:
              outcome: lngdp
              treatment: fin
              controls: [gov, market]
              fe: province + year
              vcov: cluster:province
            analyses:
              - name: spill
                type: spatial
                weights: [{ name: contiguity, path: {{Contiguity}} }]
                moran: [lngdp]
                models: [sar, sdm]
                effects: twoways
                draws: {{Draws}}
                permutations: 30
                chunk: {{chunk}}
                lee_yu: {{(leeYu ? "true" : "false")}}
                logdet: {{logDet}}
            """);
        return path;
    }

    private static string Embedded(string study)
    {
        var (code, output, err) = De.Run("run", study, "--out", Path.Combine(Path.GetDirectoryName(study)!, "out"));
        Assert.True(code == 0, err + output);
        return De.RunDir(output);
    }

    private Task<InProcessTestCluster> ClusterAsync(int silos) => OrleansClusterTests.ClusterAsync(redis, silos);

    [Fact]
    public async Task Draws_are_byte_identical_whatever_the_blocks_embedded_and_on_1_and_3_silos_and_equal_core()
    {
        string run7 = Embedded(Write("chunk7", 7));
        var reference = File.ReadAllBytes(Path.Combine(run7, "analyses.parquet"));
        Assert.Equal(reference, File.ReadAllBytes(Path.Combine(Embedded(Write("chunk50", 50)), "analyses.parquet")));

        // The run's numbers are core's on the study's data (nothing derived): the SDM fit and the draws of stream (seed, "spill/contiguity/sdm", r).
        var panel = Panel.Create(CsvReader.ReadFile(Studies.DataPath), "province", "year");
        var w = SpatialWeightsFile.Read(Contiguity);
        var fit = SpatialPanel.Fit(panel, Formula.Parse("lngdp ~ fin + gov + market"), w, new SpatialOptions(SpatialModel.Sdm, SpatialEffects.TwoWays));
        var (mean, v) = Impacts.DrawParameters(fit);
        var draws = Impacts.SimulateBlock(w.AlignTo(panel.UnitLabels), mean, v, 3, true, Seed, "spill/contiguity/sdm", 0, Draws);
        var imp = Impacts.WithStandardErrors(fit.Impacts!, draws);
        var cells = await ResultTables.AnalysisCells.ReadFileAsync(Path.Combine(run7, "analyses.parquet"));
        var rho = cells.Single(c => c.Table == "spill" && c.RowKey == "rho" && c.RowKind == "estimate" && c.Column == 2);
        Assert.Equal(fit["rho"].Estimate, rho.Value!.Value, 12);
        var direct = cells.Single(c => c.Table == "spill_effects" && c.RowKey == "fin" && c.RowKind == "estimate" && c.Column == 4);
        Assert.Equal(imp[0].Direct, direct.Value!.Value, 12);
        Assert.Equal(imp[0].DirectSe!.Value, direct.StdError!.Value, 12);
        Assert.Equal(10, cells.Count(c => c.Table == "spill_moran" && c.Column == 1));

        foreach (int silos in new[] { 1, 3 })
        {
            await using var cluster = await ClusterAsync(silos);
            var def = StudyLoader.Load(Write($"silos{silos}", 7));
            string sha = RunCommands.HashFile(def.Dataset.Path);
            var grain = cluster.Client.GetGrain<IRunGrain>(RunCommands.RunId(def, sha));
            await grain.StartAsync(new StartRun(def, sha, Path.Combine(Root, $"silos{silos}", "out"), 4));
            var until = DateTime.UtcNow + TimeSpan.FromMinutes(2);
            RunStatus s;
            while (true)
            {
                s = await grain.GetStatusAsync();
                if (s.State is RunState.Complete or RunState.Failed or RunState.Interrupted) break;
                Assert.True(DateTime.UtcNow < until, $"timed out: {s}");
                await Task.Delay(100);
            }
            Assert.True(s.State == RunState.Complete, s.Message);
            Assert.Equal(reference, File.ReadAllBytes(Path.Combine(s.RunDirectory!, "analyses.parquet")));
            log.WriteLine($"{silos} silo(s): analyses.parquet identical to the embedded run ({reference.Length} bytes)");
        }
    }

    [Fact]
    public async Task Lee_yu_two_way_run_equals_core_and_differs_from_the_uncorrected_fit()
    {
        string run = Embedded(Write("leeyu", 50, leeYu: true));
        var panel = Panel.Create(CsvReader.ReadFile(Studies.DataPath), "province", "year");
        var w = SpatialWeightsFile.Read(Contiguity);
        var f = Formula.Parse("lngdp ~ fin + gov + market");
        var fit = SpatialPanel.Fit(panel, f, w, new SpatialOptions(SpatialModel.Sar, SpatialEffects.TwoWays, LeeYu: true));
        var plain = SpatialPanel.Fit(panel, f, w, new SpatialOptions(SpatialModel.Sar, SpatialEffects.TwoWays));
        var cells = await ResultTables.AnalysisCells.ReadFileAsync(Path.Combine(run, "analyses.parquet"));
        var rho = cells.Single(c => c.Table == "spill" && c.RowKey == "rho" && c.RowKind == "estimate" && c.Column == 1);
        Assert.Equal(fit["rho"].Estimate, rho.Value!.Value, 12);
        Assert.True(Math.Abs(fit["rho"].Estimate - plain["rho"].Estimate) > 1e-4, $"{fit["rho"].Estimate} vs {plain["rho"].Estimate}");
    }

    [Fact]
    public async Task Logdet_sparse_in_a_study_gives_the_eigen_fit()
    {
        // `logdet: sparse` reaches the fits of a run: SAR and SDM under the contiguity matrix equal core's eigen-path
        // fits (ρ, β and the exact direct effect) to 1e-10.
        string run = Embedded(Write("sparse", 50, logDet: "sparse"));
        var panel = Panel.Create(CsvReader.ReadFile(Studies.DataPath), "province", "year");
        var w = SpatialWeightsFile.Read(Contiguity);
        var f = Formula.Parse("lngdp ~ fin + gov + market");
        var cells = await ResultTables.AnalysisCells.ReadFileAsync(Path.Combine(run, "analyses.parquet"));
        foreach (var (model, column) in new[] { (SpatialModel.Sar, 1), (SpatialModel.Sdm, 2) })
        {
            var fit = SpatialPanel.Fit(panel, f, w, new SpatialOptions(model, SpatialEffects.TwoWays, LogDet: SpatialLogDet.Eigen));
            double rho = cells.Single(c => c.Table == "spill" && c.RowKey == "rho" && c.RowKind == "estimate" && c.Column == column).Value!.Value;
            double fin = cells.Single(c => c.Table == "spill" && c.RowKey == "fin" && c.RowKind == "estimate" && c.Column == column).Value!.Value;
            double direct = cells.Single(c => c.Table == "spill_effects" && c.RowKey == "fin" && c.RowKind == "estimate" && c.Column == 1 + 3 * (column - 1)).Value!.Value;
            Assert.Equal(fit["rho"].Estimate, rho, 10);
            Assert.Equal(fit["fin"].Estimate, fin, 10);
            Assert.Equal(fit.Impacts![0].Direct, direct, 10);
        }
    }

    [Fact]
    public void The_manifest_records_each_weight_matrix_the_run_used()
    {
        string dir = Path.Combine(Root, "manifest");
        Directory.CreateDirectory(dir);
        string study = Path.Combine(dir, "spatial.yaml");
        File.WriteAllText(study, $$"""
            name: spm
            seed: {{Seed}}
            dataset: { path: {{Studies.DataPath}}, unit: province, time: year }
            baseline: { outcome: lngdp, treatment: fin, controls: [gov], fe: province + year, vcov: cluster:province }
            analyses:
              - name: spill
                type: spatial
                weights: [{ name: contiguity, path: {{Contiguity}} }, { name: nested, path: {{Contiguity}}, economic: gdp }]
                moran: [lngdp]
                models: []
            """);
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(Embedded(study), "manifest.json")));
        var w = doc.RootElement.GetProperty("spatial_weights");
        Assert.Equal(2, w.GetArrayLength());
        var (c, n) = (w[0], w[1]);
        Assert.Equal(("spill", "contiguity", Contiguity), (c.GetProperty("analysis").GetString(), c.GetProperty("name").GetString(), c.GetProperty("source").GetString()));
        Assert.Equal("nested:" + Contiguity + ",gdp", n.GetProperty("source").GetString());
        // 30 provinces, 65 border pairs both ways; the nested matrix keeps the contiguity pattern.
        foreach (var m in new[] { c, n })
        {
            Assert.Equal(30, m.GetProperty("n").GetInt32());
            Assert.Equal(130, m.GetProperty("nonzeros").GetInt32());
            Assert.True(m.GetProperty("row_standardised").GetBoolean());
            Assert.Matches("^[0-9a-f]{64}$", m.GetProperty("sha256").GetString());
            // A row-standardised W with a symmetric base has largest eigenvalue 1, hence the interval's upper end 1.
            Assert.Equal(1, m.GetProperty("eigenvalue_max").GetDouble(), 12);
            Assert.Equal(1, m.GetProperty("interval_upper").GetDouble(), 12);
            Assert.Equal(1 / m.GetProperty("eigenvalue_min").GetDouble(), m.GetProperty("interval_lower").GetDouble(), 12);
        }
        Assert.NotEqual(c.GetProperty("sha256").GetString(), n.GetProperty("sha256").GetString());
    }
}
