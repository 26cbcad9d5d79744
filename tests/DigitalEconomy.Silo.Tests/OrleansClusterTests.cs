using DigitalEconomy.Client;
using DigitalEconomy.Contracts;
using DigitalEconomy.Grains;
using DigitalEconomy.Store;
using Orleans.TestingHost;
using StackExchange.Redis;
using Xunit;
using Xunit.Abstractions;

namespace DigitalEconomy.Silo.Tests;

/// <summary>A redis-server for the cluster tests of one class (reminders and run records live there, as on a real cluster).</summary>
public sealed class RedisFixture : IDisposable
{
    public RedisServer Server { get; } = new();
    public void Dispose() => Server.Dispose();
}

/// <summary>
/// The pipeline on Orleans.TestingHost clusters of 1–3 silos in this process (real serialization
/// between silos; reminders and run records in a real Redis): results byte-identical to the embedded
/// run, and runs that survive the death of a work silo and of the run grain's own silo.
/// </summary>
[Collection("orleans clusters")]
[Trait("Lane", "cluster")]
public sealed class OrleansClusterTests(RedisFixture redis, ITestOutputHelper log) : IClassFixture<RedisFixture>
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), $"de-orleans-{Environment.ProcessId}");

    private Task<InProcessTestCluster> ClusterAsync(int silos) => ClusterAsync(redis, silos);

    /// <summary>An in-process cluster of <paramref name="silos"/> silos with reminders and run records in <paramref name="redis"/> (also for other test classes).</summary>
    internal static async Task<InProcessTestCluster> ClusterAsync(RedisFixture redis, int silos)
    {
        var builder = new InProcessTestClusterBuilder((short)silos);
        builder.Options.ConfigureFileLogging = false;
        string connection = redis.Server.Connection;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddDigitalEconomy();
            var config = ConfigurationOptions.Parse(connection);
            silo.UseRedisReminderService(o => o.ConfigurationOptions = config.Clone());
            silo.AddRunStorage(config);
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    /// <summary>The embedded run of the same study: the reference bytes.</summary>
    private static byte[] Embedded(string study, string outDir)
    {
        var (code, output, err) = De.Run("run", study, "--out", outDir);
        Assert.True(code == 0, err);
        return File.ReadAllBytes(Path.Combine(De.RunDir(output), "specs.parquet"));
    }

    internal static (IRunGrain Grain, StartRun Command) Prepare(IGrainFactory grains, string study, string outDir)
    {
        var def = StudyLoader.Load(study);
        string sha = RunCommands.HashFile(def.Dataset.Path);
        return (grains.GetGrain<IRunGrain>(RunCommands.RunId(def, sha)), new StartRun(def, sha, outDir, 4));
    }

    internal static async Task<RunStatus> UntilAsync(Func<Task<RunStatus>> status, Func<RunStatus, bool> done, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            var s = await status();
            if (done(s)) return s;
            Assert.True(DateTime.UtcNow < until, $"timed out: {s}");
            await Task.Delay(100);
        }
    }

    internal static bool Finished(RunStatus s) => s.State is RunState.Complete or RunState.Failed or RunState.Interrupted;

    [Fact]
    public async Task Results_AreByteIdentical_Embedded_AndOn1_2_3Silos()
    {
        string study = Studies.Write(Path.Combine(Root, "layouts"), big: true, batchSize: 5, bootstrapChunk: 7);
        var reference = Embedded(study, Path.Combine(Root, "layouts", "embedded"));
        // However the work is split: one specification per grain call gives the same bytes.
        string single = Studies.Write(Path.Combine(Root, "layouts", "b1"), big: true, batchSize: 1, bootstrapChunk: 7);
        Assert.Equal(reference, Embedded(single, Path.Combine(Root, "layouts", "b1", "embedded")));
        foreach (int silos in new[] { 1, 2, 3 })
        {
            await using var cluster = await ClusterAsync(silos);
            string outDir = Path.Combine(Root, "layouts", $"silos{silos}");
            var (grain, command) = Prepare(cluster.Client, study, outDir);
            await grain.StartAsync(command);
            var s = await UntilAsync(grain.GetStatusAsync, Finished, TimeSpan.FromMinutes(2));
            Assert.True(s.State == RunState.Complete, s.Message);
            Assert.Equal(432, s.Summary!.Specifications);
            Assert.Equal(reference, File.ReadAllBytes(Path.Combine(s.RunDirectory!, "specs.parquet")));
            log.WriteLine($"{silos} silo(s): specs.parquet identical to the embedded run ({reference.Length} bytes)");
        }
    }

    [Fact]
    public async Task AWorkSiloKilledMidRun_TheRunCompletes_WithEverySpecificationOnce()
    {
        string study = Studies.Write(Path.Combine(Root, "kill"), big: true, batchSize: 2);
        var reference = Embedded(study, Path.Combine(Root, "kill", "embedded"));
        await using var cluster = await ClusterAsync(3);
        var (grain, command) = Prepare(cluster.Client, study, Path.Combine(Root, "kill", "cluster"));
        var first = await grain.StartAsync(command);
        var mid = await UntilAsync(grain.GetStatusAsync, s => Finished(s) || (s.Stage == "estimate" && s.Done >= 20), TimeSpan.FromMinutes(1));
        Assert.Equal(RunState.Running, mid.State);
        var victim = cluster.Silos.First(x => x.SiloAddress.ToString() != mid.Host);
        await cluster.KillSiloAsync(victim);
        var s = await UntilAsync(grain.GetStatusAsync, Finished, TimeSpan.FromMinutes(2));
        Assert.True(s.State == RunState.Complete, s.Message);
        var rows = await ResultTables.Specs.ReadFileAsync(Path.Combine(s.RunDirectory!, "specs.parquet"));
        Assert.Equal(432, rows.Count);
        Assert.Equal(432, rows.Select(r => r.SpecId).Distinct().Count());
        Assert.Equal(reference, File.ReadAllBytes(Path.Combine(s.RunDirectory!, "specs.parquet")));
        log.WriteLine($"killed {victim.SiloAddress} at {mid.Done}/{mid.Total}; the run grain on {first.Host} retried {s.Summary!.Retries} calls");
    }

    [Fact]
    public async Task TheRunGrainsOwnSiloKilled_TheRunResumesByItsReminder_OnAnotherSilo()
    {
        string study = Studies.Write(Path.Combine(Root, "own"), big: true, batchSize: 1, bootstrapChunk: 1);
        var reference = Embedded(study, Path.Combine(Root, "own", "embedded"));
        await using var cluster = await ClusterAsync(2);
        var (grain, command) = Prepare(cluster.Client, study, Path.Combine(Root, "own", "cluster"));
        await grain.StartAsync(command);
        var mid = await UntilAsync(grain.GetStatusAsync, s => Finished(s) || (s.Stage == "estimate" && s.Done >= 50), TimeSpan.FromMinutes(1));
        Assert.Equal(RunState.Running, mid.State);
        string manifest = Path.Combine(mid.RunDirectory!, "manifest.json");
        await cluster.KillSiloAsync(cluster.Silos.Single(x => x.SiloAddress.ToString() == mid.Host));
        // No call to the run grain now (a call would re-activate it): only its reminder may bring it back.
        var until = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (!File.ReadAllText(manifest).Contains("\"status\": \"complete\"", StringComparison.Ordinal))
        {
            if (DateTime.UtcNow >= until)
            {
                var stuck = await grain.GetStatusAsync(); // says why, when the run failed after resuming
                Assert.Fail($"the run did not resume within 3 minutes of its silo's death: {stuck.State} at {stuck.Stage} {stuck.Done}/{stuck.Total}: {stuck.Message}");
            }
            await Task.Delay(500);
        }
        var s = await grain.GetStatusAsync();
        Assert.Equal(RunState.Complete, s.State);
        Assert.NotEqual(mid.Host, s.Host);
        Assert.Equal(reference, File.ReadAllBytes(Path.Combine(s.RunDirectory!, "specs.parquet")));
        // Truthful counts after the resume (batch size 1): every batch either run by the resumed execution or found
        // committed; every specification fitted by this run, those of the resumed execution no more than were left.
        var sum = s.Summary!;
        Assert.Equal(432, sum.BatchesRun + sum.BatchesReused);
        Assert.Equal(432, sum.SpecificationsRecomputed);
        Assert.Equal(sum.BatchesRun, sum.SpecificationsFittedNow);
        Assert.InRange(sum.SpecificationsFittedNow, 0, 432 - mid.Done);
        log.WriteLine($"run grain moved from {mid.Host} to {s.Host}; resumed from {mid.Done}/{mid.Total}; {sum.SpecificationsFittedNow} specifications fitted after the resume");
    }

    [Fact]
    public async Task CurveInference_IsByteIdentical_Embedded_WhateverTheChunking_AndOn1_2_3Silos()
    {
        string dir = Path.Combine(Root, "curve");
        string study = Studies.Write(Path.Combine(dir, "a"), big: false, batchSize: 5, curve: "{ draws: 20, chunk: 7, spec_chunk: 5 }");
        var (code, output, err) = De.Run("run", study, "--out", Path.Combine(dir, "a", "embedded"));
        Assert.True(code == 0, err);
        string runDir = De.RunDir(output);
        var reference = File.ReadAllBytes(Path.Combine(runDir, "curve_inference.parquet"));
        var rows = await ResultTables.CurveInference.ReadFileAsync(Path.Combine(runDir, "curve_inference.parquet"));
        Assert.Equal(Enumerable.Range(0, 20).Select(d => (long)d), rows.Select(r => r.Draw));
        Assert.All(rows, r => Assert.Equal(64, r.Specifications));
        // The run grain's statistics from the parts equal core's statistics of the specs of each draw (spec-id order).
        var parts = new List<CurveNullRow>();
        foreach (var f in Directory.GetFiles(Path.Combine(runDir, "curve_null"), "part-*.parquet")) parts.AddRange(await ResultTables.CurveNull.ReadFileAsync(f));
        Assert.Equal(64 * 20, parts.Count);
        var specs = (await ResultTables.Specs.ReadFileAsync(Path.Combine(runDir, "specs.parquet"))).OrderBy(r => r.SpecId, StringComparer.Ordinal).ToList();
        int sign = Core.Resampling.CurveInference.DominantSign(specs.Select(r => r.Estimate!.Value));
        foreach (var r in rows)
        {
            var draw = parts.Where(p => p.Draw == r.Draw).OrderBy(p => p.SpecId, StringComparer.Ordinal).ToList();
            var st = Core.Resampling.CurveInference.Statistics([.. draw.Select(p => p.Estimate ?? double.NaN)], [.. draw.Select(p => p.PValue ?? double.NaN)], sign);
            Assert.Equal(st.Median, r.Median);
            Assert.Equal(st.AggregateZ, r.AggregateZ);
        }
        string manifest = File.ReadAllText(Path.Combine(runDir, "manifest.json"));
        Assert.Contains("\"curve_inference\"", manifest, StringComparison.Ordinal);
        Assert.Contains("Specification-curve inference under the null (20 of 20 draws, 64 specifications", File.ReadAllText(Path.Combine(runDir, "tables", "specifications.md")), StringComparison.Ordinal);
        // Other chunks (draws and specifications) and another batch size: the same bytes.
        string other = Studies.Write(Path.Combine(dir, "b"), big: false, batchSize: 64, curve: "{ draws: 20, chunk: 20, spec_chunk: 100 }");
        var (code2, output2, err2) = De.Run("run", other, "--out", Path.Combine(dir, "b", "embedded"));
        Assert.True(code2 == 0, err2);
        Assert.Equal(reference, File.ReadAllBytes(Path.Combine(De.RunDir(output2), "curve_inference.parquet")));
        foreach (int silos in new[] { 1, 2, 3 })
        {
            await using var cluster = await ClusterAsync(silos);
            var (grain, command) = Prepare(cluster.Client, study, Path.Combine(dir, $"silos{silos}"));
            await grain.StartAsync(command);
            var s = await UntilAsync(grain.GetStatusAsync, Finished, TimeSpan.FromMinutes(2));
            Assert.True(s.State == RunState.Complete, s.Message);
            Assert.Equal(reference, File.ReadAllBytes(Path.Combine(s.RunDirectory!, "curve_inference.parquet")));
            log.WriteLine($"{silos} silo(s): curve_inference.parquet identical to the embedded run ({reference.Length} bytes)");
        }
    }
}
