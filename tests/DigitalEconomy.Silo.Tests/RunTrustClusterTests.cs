using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DigitalEconomy.Client;
using DigitalEconomy.Grains;
using Microsoft.Extensions.Hosting;
using Xunit;
using Xunit.Abstractions;

namespace DigitalEconomy.Silo.Tests;

/// <summary>
/// Issue 19 on a real silo (SiloHost.Build, as 'de silo' hosts it) over a real redis-server, with `de run --redis`
/// clients in this process: Redis stalled at the end of a run; a second client on the same study with another --out.
/// </summary>
[Collection("orleans clusters")]
[Trait("Lane", "cluster")]
public sealed class RunTrustClusterTests(ITestOutputHelper log) : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"de-trust-cluster-{Environment.ProcessId}-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private static async Task<IHost> SiloAsync(string redis)
    {
        var host = SiloHost.Build(new ClusterSettings { Redis = redis, LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning });
        await host.StartAsync();
        return host;
    }

    private static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> what)
    {
        var until = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, $"timed out after {timeout.TotalSeconds:0} s: {what()}");
            await Task.Delay(20);
        }
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString(CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    private static string ManifestStatus(string runDir)
    {
        string path = Path.Combine(runDir, "manifest.json");
        if (!File.Exists(path)) return "";
        try
        {
            using var m = JsonDocument.Parse(File.ReadAllText(path));
            return m.RootElement.GetProperty("status").GetString() ?? "";
        }
        catch (Exception e) when (e is JsonException or IOException) { return ""; }
    }

    /// <summary>No .NET stack trace: no "   at Namespace.Type.Method(…)" line, no "--- End of …" line.</summary>
    private static void NoStackTrace(string text) =>
        Assert.False(text.Split('\n').Any(l => l.StartsWith("   at ", StringComparison.Ordinal) || l.StartsWith("--- End of", StringComparison.Ordinal)), text);

    [Fact]
    public async Task RedisStalledAtTheEndOfARun_TheManifestSaysComplete_AndEveryCommandAgrees()
    {
        using var redis = new RedisServer();
        using var silo = await SiloAsync(redis.Connection);
        string study = Studies.Write(Path.Combine(_dir, "stall"), big: false, batchSize: 1);
        string outDir = Path.Combine(_dir, "stall", "out");
        var def = StudyLoader.Load(study);
        string runId = RunStart.Build(def, outDir, 1).RunId;
        string runDir = Path.Combine(outDir, def.Name, runId);

        var run = Task.Run(() => De.Run("run", study, "--redis", redis.Connection, "--out", outDir));
        // The run grain wrote its record and reminder when it started; once its manifest is there, Redis stops
        // answering (SIGSTOP). The run finishes without it (work goes from silo to silo); its last record write stalls.
        await UntilAsync(() => File.Exists(Path.Combine(runDir, "manifest.json")) || run.IsCompleted, TimeSpan.FromSeconds(60), () => "no manifest");
        Assert.False(run.IsCompleted, "the run ended before Redis was stopped");
        Signal(redis.ProcessId, "STOP");
        var stopped = Stopwatch.StartNew();
        try
        {
            await UntilAsync(() => ManifestStatus(runDir) is "complete" or "failed", TimeSpan.FromSeconds(40), () => ManifestStatus(runDir));
            // Longer than a Redis command's timeout (5 s): the record write times out at least once.
            await Task.Delay(TimeSpan.FromSeconds(8));
        }
        finally
        {
            Signal(redis.ProcessId, "CONT");
        }
        log.WriteLine($"Redis stopped for {stopped.Elapsed.TotalSeconds:0.0} s");
        var (code, output, err) = await run.WaitAsync(TimeSpan.FromSeconds(60));
        log.WriteLine(output + err);
        NoStackTrace(output + err);
        // Give the run grain the time to finish retrying its record write (before the fix, it then marked the manifest failed).
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal("complete", ManifestStatus(runDir));
        Assert.True(code == 0, err);
        Assert.Contains($"run {runId}: 64 specifications", output, StringComparison.Ordinal);
        Assert.Equal(runDir, De.RunDir(output));

        var (sc, status, serr) = De.Run("status", runDir);
        NoStackTrace(status + serr);
        Assert.Equal(0, sc);
        Assert.Contains($"run {runId} of study 'small': complete", status, StringComparison.Ordinal);

        (sc, status, serr) = De.Run("status", runId, "--out", outDir, "--redis", redis.Connection);
        log.WriteLine(status + serr);
        NoStackTrace(status + serr);
        Assert.True(sc == 0, serr);
        Assert.Contains($"run {runId} on the cluster: complete", status, StringComparison.Ordinal);

        (code, output, err) = De.Run("run", study, "--redis", redis.Connection, "--out", outDir);
        NoStackTrace(output + err);
        Assert.True(code == 0, err);
        Assert.Contains($"run {runId} is already complete", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASecondClientWithAnotherOut_SaysItAttachesToTheRunningRun_AndCreatesNothingUnderItsOut()
    {
        using var redis = new RedisServer();
        using var silo = await SiloAsync(redis.Connection);
        string study = Studies.Write(Path.Combine(_dir, "two"), big: true, batchSize: 1);
        string outA = Path.Combine(_dir, "two", "a"), outB = Path.Combine(_dir, "two", "b");
        var def = StudyLoader.Load(study);
        string runId = RunStart.Build(def, outA, 1).RunId;
        string runDir = Path.Combine(outA, def.Name, runId);
        var first = Task.Run(() => De.Run("run", study, "--redis", redis.Connection, "--out", outA));
        await UntilAsync(() => File.Exists(Path.Combine(runDir, "manifest.json")) || first.IsCompleted, TimeSpan.FromSeconds(60), () => "no manifest");
        Assert.False(first.IsCompleted);
        var (code, output, err) = De.Run("run", study, "--redis", redis.Connection, "--out", outB);
        log.WriteLine(output + err);
        Assert.True(code == 0, err);
        Assert.Contains($"note: this study is already running (run {runId}) with results in {runDir}; attaching to it — --out {outB} is not used", err, StringComparison.Ordinal);
        Assert.Equal(runDir, De.RunDir(output));
        Assert.False(Directory.Exists(outB), "the second client created its --out");
        var (code1, _, err1) = await first.WaitAsync(TimeSpan.FromSeconds(120));
        Assert.True(code1 == 0, err1);
        Assert.DoesNotContain("note: this study is already running", err1, StringComparison.Ordinal);
    }
}
