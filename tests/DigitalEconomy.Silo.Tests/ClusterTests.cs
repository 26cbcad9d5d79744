using System.Diagnostics;
using DigitalEconomy.Client;
using DigitalEconomy.Parquet;
using Xunit;

namespace DigitalEconomy.Silo.Tests;

/// <summary>Runs on a real RabbitMQ with 1–3 `de silo` processes, compared byte for byte with embedded runs.</summary>
[Collection("rabbit")]
public class ClusterTests(RabbitFixture rabbit)
{
    private readonly RabbitFixture _rabbit = rabbit;
    private static readonly string Root = Path.Combine(Path.GetTempPath(), $"de-cluster-{Environment.ProcessId}");

    internal static (int Code, string Out, string Err) De(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = Cli.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    internal static string RunDir(string output) => output.Split('\n').First(l => l.StartsWith("results: ", StringComparison.Ordinal))["results: ".Length..].Trim();

    private static byte[] Embedded(string study, string tag)
    {
        var (code, output, err) = De("run", study, "--out", Path.Combine(Root, tag, "embedded"));
        Assert.True(code == 0, err);
        return File.ReadAllBytes(Path.Combine(RunDir(output), "specs.parquet"));
    }

    /// <summary>Waits until a run under <paramref name="outDir"/> has written <paramref name="parts"/> parts (or ends).</summary>
    private static async Task WaitForParts(string outDir, int parts, Task run)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(120) && !run.IsCompleted)
        {
            var specs = Directory.Exists(outDir) ? Directory.GetDirectories(outDir, "specs", SearchOption.AllDirectories).FirstOrDefault() : null;
            if (specs is not null && Directory.GetFiles(specs, "part-*.parquet").Length >= parts) return;
            await Task.Delay(20);
        }
    }

    [Fact]
    public void SpecsAndBootstrap_AreByteIdentical_EmbeddedAndOnClustersOf1_2_3Silos()
    {
        _ = _rabbit;
        string study = Studies.Write(Path.Combine(Root, "det"), big: false, batchSize: 5, bootstrapChunk: 10);
        var expected = Embedded(study, "det");
        var expectedBoot = File.ReadAllBytes(Path.Combine(Directory.GetDirectories(Path.Combine(Root, "det", "embedded", "small")).Single(), "bootstrap.parquet"));
        for (int n = 1; n <= 3; n++)
        {
            var silos = Enumerable.Range(0, n).Select(_ => new SiloProcess(1)).ToList();
            try
            {
                var (code, output, err) = De("run", study, "--out", Path.Combine(Root, "det", $"cluster{n}"), "--broker", RabbitFixture.Url);
                Assert.True(code == 0, err);
                Assert.Equal(expected, File.ReadAllBytes(Path.Combine(RunDir(output), "specs.parquet")));
                Assert.Equal(expectedBoot, File.ReadAllBytes(Path.Combine(RunDir(output), "bootstrap.parquet")));
            }
            finally { silos.ForEach(s => s.Dispose()); }
        }
    }

    [Fact]
    public async Task KillingASiloMidRun_TheRunCompletes_EverySpecificationOnce_SameBytes()
    {
        string study = Studies.Write(Path.Combine(Root, "kill"), big: true, batchSize: 2);
        var expected = Embedded(study, "kill");
        var a = new SiloProcess(1);
        var b = new SiloProcess(1);
        try
        {
            string outDir = Path.Combine(Root, "kill", "cluster");
            var run = Task.Run(() => De("run", study, "--out", outDir, "--broker", RabbitFixture.Url, "--concurrency", "2"));
            // Kill one silo once a quarter of the 216 parts exist.
            await WaitForParts(outDir, 54, run);
            Assert.False(run.IsCompleted, "the run finished before a silo could be killed");
            a.KillHard();
            var (code, output, err) = await run;
            Assert.True(code == 0, err);
            var bytes = File.ReadAllBytes(Path.Combine(RunDir(output), "specs.parquet"));
            Assert.Equal(expected, bytes);
            using var r = ParquetReader.Open(new MemoryStream(bytes));
            var ids = r.ReadAll(["spec_id"])[0].Strings!;
            Assert.Equal(432, ids.Length);
            Assert.Equal(432, ids.Distinct().Count());
        }
        finally
        {
            a.Dispose();
            b.Dispose();
        }
    }

    [Fact]
    public async Task StoppingTheBrokerMidRun_SilosAndClientReconnect_AndTheRunCompletes()
    {
        string study = Studies.Write(Path.Combine(Root, "bounce"), big: true, batchSize: 2);
        var expected = Embedded(study, "bounce");
        var a = new SiloProcess(1);
        var b = new SiloProcess(1);
        try
        {
            string outDir = Path.Combine(Root, "bounce", "cluster");
            var run = Task.Run(() => De("run", study, "--out", outDir, "--broker", RabbitFixture.Url, "--concurrency", "2"));
            await WaitForParts(outDir, 30, run);
            Assert.False(run.IsCompleted, "the run finished before the broker could be stopped");
            RabbitFixture.Bounce(TimeSpan.FromSeconds(4));
            var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromMinutes(5)));
            Assert.True(finished == run, "the run did not complete within 5 minutes after the broker came back");
            var (code, output, err) = await run;
            Assert.True(code == 0, err);
            Assert.Equal(expected, File.ReadAllBytes(Path.Combine(RunDir(output), "specs.parquet")));
        }
        finally
        {
            a.Dispose();
            b.Dispose();
        }
    }

    [Fact]
    public void UnreachableBroker_OneClearLine_NonZeroExit_Quickly_NoResults()
    {
        string study = Studies.Write(Path.Combine(Root, "unreach"), big: false, batchSize: 5);
        string outDir = Path.Combine(Root, "unreach", "out");
        var sw = Stopwatch.StartNew();
        var (code, output, err) = De("run", study, "--out", outDir, "--broker", "amqp://guest:guest@127.0.0.1:5999/");
        Assert.Equal(2, code);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(20), $"took {sw.Elapsed}");
        Assert.Equal("", output);
        Assert.Equal("error: cannot reach the broker at 127.0.0.1:5999 (Connection refused); is RabbitMQ running?", err.Trim());
        Assert.False(Directory.Exists(outDir));
    }
}
