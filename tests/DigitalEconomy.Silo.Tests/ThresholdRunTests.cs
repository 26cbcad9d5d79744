using System.Text.Json;
using DigitalEconomy.Client;
using DigitalEconomy.Contracts;
using DigitalEconomy.Silo;
using DigitalEconomy.Store;
using DigitalEconomy.Study;
using Orleans.TestingHost;
using StackExchange.Redis;
using Xunit;
using Xunit.Abstractions;

namespace DigitalEconomy.Silo.Tests;

/// <summary>
/// A study's threshold analysis (issue 23): the bootstrap blocks on the compute grain give the same bytes whatever the block
/// size, embedded and on in-process clusters of 1–3 silos, and the tests table holds the numbers of `de threshold --json`
/// run on the run's own dataset.csv with the analysis's seed and stream key.
/// </summary>
public sealed class ThresholdRunTests(RedisFixture redis, ITestOutputHelper log) : IClassFixture<RedisFixture>
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), $"de-threshold-{Environment.ProcessId}");
    private const int Seed = 17, Reps = 30;

    private static string Write(string name, int chunk)
    {
        string dir = Path.Combine(Root, name);
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, "th.yaml");
        File.WriteAllText(path, $$"""
            name: th
            seed: {{Seed}}
            dataset:
              path: {{Studies.DataPath}}
              unit: province
              time: year
              region: region
            indices:
              - name: de_index
                system: de
                shift: 0.0001
            baseline:
              outcome: lngdp
              treatment: de_index
              controls: [gov, market, fin]
              fe: province
              vcov: cluster:province
            analyses:
              - name: th
                type: threshold
                threshold_var: rd_gdp
                thresholds: 2
                reps: {{Reps}}
                chunk: {{chunk}}
                grid: 100
                trim: 0.05
            """);
        return path;
    }

    private static string RunEmbedded(string study)
    {
        var (code, output, err) = De.Run("run", study, "--out", Path.Combine(Path.GetDirectoryName(study)!, "out"));
        Assert.True(code == 0, err + output);
        return De.RunDir(output);
    }

    [Fact]
    public async Task TheBootstrap_IsByteIdentical_WhateverTheBlocks_EmbeddedAndOn1_2_3Silos_AndEqualsDeThreshold()
    {
        string run = RunEmbedded(Write("chunk7", 7));
        byte[] analyses = File.ReadAllBytes(Path.Combine(run, "analyses.parquet"));
        byte[] md = File.ReadAllBytes(Path.Combine(run, "tables", "th.md"));
        Assert.True(File.Exists(Path.Combine(run, "tables", "th_coefficients.md")));
        Assert.True(File.Exists(Path.Combine(run, "plots", "th_lr.png")));

        // One block per test against blocks of 7: the same bytes.
        string one = RunEmbedded(Write("chunk100", 100));
        Assert.Equal(analyses, File.ReadAllBytes(Path.Combine(one, "analyses.parquet")));
        Assert.Equal(md, File.ReadAllBytes(Path.Combine(one, "tables", "th.md")));

        // The one-off command on the run's own data with the analysis's seed and stream key gives the table's numbers.
        var (code, json, err) = De.Run("threshold", "lngdp ~ gov + market + fin", "--threshold-var", "rd_gdp", "--regime", "de_index", "--thresholds", "2",
            "--reps", $"{Reps}", "--grid", "100", "--trim", "0.05", "--vcov", "cluster:province", "--seed", $"{Seed}", "--stream-key", "th",
            "--data", Path.Combine(run, "dataset.csv"), "--unit", "province", "--time", "year", "--json");
        Assert.True(code == 0, err);
        var cells = await ResultTables.AnalysisCells.ReadFileAsync(Path.Combine(run, "analyses.parquet"));
        double? Cell(string row, int column) => cells.Single(c => c.Table == "th" && c.RowKey == row && c.Column == column).Value;
        using (var doc = JsonDocument.Parse(json))
        {
            var steps = doc.RootElement.GetProperty("steps");
            for (int k = 1; k <= 2; k++)
            {
                var s = steps[k - 1];
                var b = s.GetProperty("bootstrap");
                Assert.Equal(s.GetProperty("f").GetDouble(), Cell($"k{k}", 1));
                Assert.Equal(b.GetProperty("p_value").GetDouble(), Cell($"k{k}", 2));
                Assert.Equal(Reps, Cell($"k{k}", 3));
                Assert.Equal(b.GetProperty("crit_10").GetDouble(), Cell($"k{k}", 4));
                Assert.Equal(b.GetProperty("crit_5").GetDouble(), Cell($"k{k}", 5));
                Assert.Equal(b.GetProperty("crit_1").GetDouble(), Cell($"k{k}", 6));
                Assert.Equal(s.GetProperty("estimate").GetProperty("threshold").GetDouble(), Cell($"k{k}", 7));
            }
        }

        string study = Write("cluster", 7);
        foreach (int silos in new[] { 1, 2, 3 })
        {
            await using var cluster = await ClusterAsync(silos);
            var def = StudyLoader.Load(study);
            string sha = RunCommands.HashFile(def.Dataset.Path);
            var grain = cluster.Client.GetGrain<IRunGrain>(RunCommands.RunId(def, sha));
            await grain.StartAsync(new StartRun(def, sha, Path.Combine(Root, "cluster", $"silos{silos}"), 4));
            var until = DateTime.UtcNow + TimeSpan.FromMinutes(3);
            RunStatus st;
            while (true)
            {
                st = await grain.GetStatusAsync();
                if (st.State is RunState.Complete or RunState.Failed or RunState.Interrupted) break;
                Assert.True(DateTime.UtcNow < until, $"timed out: {st}");
                await Task.Delay(100);
            }
            Assert.True(st.State == RunState.Complete, st.Message);
            Assert.Equal(analyses, File.ReadAllBytes(Path.Combine(st.RunDirectory!, "analyses.parquet")));
            Assert.Equal(md, File.ReadAllBytes(Path.Combine(st.RunDirectory!, "tables", "th.md")));
            log.WriteLine($"{silos} silo(s): analyses.parquet and tables/th.md identical to the embedded run");
        }
    }

    private Task<InProcessTestCluster> ClusterAsync(int silos) => OrleansClusterTests.ClusterAsync(redis, silos);
}
