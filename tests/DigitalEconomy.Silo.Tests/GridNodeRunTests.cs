using DigitalEconomy.Client;
using DigitalEconomy.Contracts;
using DigitalEconomy.Store;
using Orleans.TestingHost;
using Xunit;
using Xunit.Abstractions;

namespace DigitalEconomy.Silo.Tests;

/// <summary>
/// A grid with non-linear nodes (difference and system GMM, SAR and SDM under two weight matrices) beside the linear
/// specifications, run as a study: specs.parquet is byte-identical embedded whatever the batch size and on test clusters
/// of 1, 2 and 3 silos (the pattern of <see cref="OrleansClusterTests"/>), and every node has its estimate.
/// </summary>
[Collection("orleans clusters")]
[Trait("Lane", "cluster")]
public sealed class GridNodeRunTests(RedisFixture redis, ITestOutputHelper log) : IClassFixture<RedisFixture>
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), $"de-gridnodes-{Environment.ProcessId}");

    private static string Weights(string name) => Path.Combine(ShippedRedisConfigTests.RepoRoot(), "examples", "weights", $"provinces_{name}.csv");

    private static string Write(string name, int batchSize)
    {
        string dir = Path.Combine(Root, name);
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, "nodes.yaml");
        File.WriteAllText(path, $$"""
            name: nodes
            seed: 11
            batch_size: {{batchSize}}
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
              - name: sp
                type: spatial
                weights: [{ name: contiguity, path: {{Weights("contiguity")}} }, { name: distance, path: {{Weights("distance")}} }]
                moran: [lngdp]
                models: []
            grid:
              treatment: fin
              outcomes: [lngdp]
              controls:
                base: [gov, market]
                none: []
              fixed_effects: ["province + year"]
              samples:
                all: null
              vcov: ["cluster:province"]
              estimators: [within, gmm-diff, gmm-sys, sar, sdm]
              matrices: [contiguity, distance]
            """);
        return path;
    }

    private static string Embedded(string study)
    {
        var (code, output, err) = De.Run("run", study, "--out", Path.Combine(Path.GetDirectoryName(study)!, "out"));
        Assert.True(code == 0, err + output);
        return De.RunDir(output);
    }

    [Fact]
    public async Task NodesBesideLinearSpecifications_AreByteIdentical_Embedded_WhateverTheBatches_AndOn1_2_3Silos()
    {
        string study = Write("b4", 4);
        string runDir = Embedded(study);
        var reference = File.ReadAllBytes(Path.Combine(runDir, "specs.parquet"));
        var rows = await ResultTables.Specs.ReadFileAsync(Path.Combine(runDir, "specs.parquet"));
        // within, gmm-diff, gmm-sys: 2 control sets each; sar and sdm: 2 control sets × 2 matrices.
        Assert.Equal(14, rows.Count);
        Assert.All(rows, r => Assert.True(r.Error is null && r.Estimate is { } e && double.IsFinite(e) && r.StdError > 0, $"{r.Estimator}: {r.Error}"));
        Assert.Equal(["gmm-diff", "gmm-sys", "sar:contiguity", "sar:distance", "sdm:contiguity", "sdm:distance", "within"],
            rows.Select(r => r.Estimator!).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(reference, File.ReadAllBytes(Path.Combine(Embedded(Write("b1", 1)), "specs.parquet")));
        foreach (int silos in new[] { 1, 2, 3 })
        {
            await using var cluster = await OrleansClusterTests.ClusterAsync(redis, silos);
            var (grain, command) = OrleansClusterTests.Prepare(cluster.Client, study, Path.Combine(Root, $"silos{silos}"));
            await grain.StartAsync(command);
            var s = await OrleansClusterTests.UntilAsync(grain.GetStatusAsync, OrleansClusterTests.Finished, TimeSpan.FromMinutes(2));
            Assert.True(s.State == RunState.Complete, s.Message);
            Assert.Equal(reference, File.ReadAllBytes(Path.Combine(s.RunDirectory!, "specs.parquet")));
            log.WriteLine($"{silos} silo(s): specs.parquet identical to the embedded run ({reference.Length} bytes)");
        }
    }
}
