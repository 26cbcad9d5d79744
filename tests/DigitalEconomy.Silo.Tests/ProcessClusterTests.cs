using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using DigitalEconomy.Client;
using DigitalEconomy.Contracts;
using DigitalEconomy.Grains;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;
using Xunit.Abstractions;

namespace DigitalEconomy.Silo.Tests;

/// <summary>
/// The cluster as it is deployed: a real redis-server on 127.0.0.1, two `de silo` processes and a
/// `de run --redis` process; one silo is killed with SIGKILL while the grid is being estimated.
/// </summary>
[Collection("process cluster")]
[Trait("Lane", "cluster")]
public sealed partial class ProcessClusterTests(ITestOutputHelper log)
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), $"de-process-{Environment.ProcessId}");

    /// <summary>The `de` built next to the tests (the client project is referenced, so de.dll, its deps and runtimeconfig are copied here).</summary>
    private static string DeDll => Path.Combine(AppContext.BaseDirectory, "de.dll");

    /// <summary>The dotnet host running this test (set by the SDK); falls back to dotnet on the PATH.</summary>
    private static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } p && File.Exists(p) ? p : "dotnet";

    /// <summary>A child `de` process whose output lines are kept with the time each arrived.</summary>
    private sealed class DeProcess : IDisposable
    {
        private readonly Process _process;
        public ConcurrentQueue<(DateTime At, string Line)> Out { get; } = new();
        public ConcurrentQueue<(DateTime At, string Line)> Err { get; } = new();

        public DeProcess(params string[] args)
        {
            var psi = new ProcessStartInfo(Dotnet) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            psi.ArgumentList.Add(DeDll);
            foreach (var a in args) psi.ArgumentList.Add(a);
            psi.Environment.Remove("DE_REDIS");
            _process = new Process { StartInfo = psi };
            _process.OutputDataReceived += (_, e) => { if (e.Data is not null) Out.Enqueue((DateTime.UtcNow, e.Data)); };
            _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Err.Enqueue((DateTime.UtcNow, e.Data)); };
            Assert.True(_process.Start(), $"could not start {Dotnet} {DeDll}");
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public int Id => _process.Id;
        public bool HasExited => _process.HasExited;
        public int ExitCode => _process.ExitCode;
        public string Text => string.Join('\n', Out.Select(x => x.Line)) + "\n--- stderr ---\n" + string.Join('\n', Err.Select(x => x.Line));

        public bool WaitForExit(TimeSpan timeout)
        {
            if (!_process.WaitForExit(timeout)) return false;
            _process.WaitForExit(); // drains the redirected streams
            return true;
        }

        /// <summary>SIGKILL: no shutdown, no goodbye to the cluster.</summary>
        public void Kill9() => _process.Kill(entireProcessTree: true);

        public void Dispose()
        {
            try { if (!_process.HasExited) { _process.Kill(entireProcessTree: true); _process.WaitForExit(5000); } }
            catch (InvalidOperationException) { }
            _process.Dispose();
        }
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

    [GeneratedRegex(@"^estimate\s+(\d+)/(\d+)$")]
    private static partial Regex EstimateLine();

    [Fact]
    public async Task TwoSiloProcesses_OneKilledWithSigkillMidRun_SpecsParquetIsByteIdenticalToEmbedded()
    {
        Assert.True(File.Exists(DeDll), $"de.dll not found next to the tests: {DeDll}");
        string study = Studies.Write(Path.Combine(Root, "study"), big: true, batchSize: 1);
        var def = StudyLoader.Load(study);
        string runId = RunCommands.RunId(def, RunCommands.HashFile(def.Dataset.Path));

        // The reference: the same study embedded (an in-process silo, no Redis).
        var (code, output, err) = De.Run("run", study, "--out", Path.Combine(Root, "embedded"));
        Assert.True(code == 0, err);
        var reference = File.ReadAllBytes(Path.Combine(De.RunDir(output), "specs.parquet"));

        using var redis = new RedisServer();
        var ports = new[] { SiloHost.FreePort(), SiloHost.FreePort() };
        var silos = new List<DeProcess>();
        DeProcess? run = null;
        try
        {
            foreach (int port in ports)
                silos.Add(new DeProcess("silo", "--redis", redis.Connection, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--gateway", SiloHost.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture)));
            foreach (var silo in silos)
                await UntilAsync(() => silo.Out.Any(l => l.Line.Contains(" ready at ", StringComparison.Ordinal)) || silo.HasExited, TimeSpan.FromSeconds(60), () => silo.Text);
            Assert.All(silos, s => Assert.False(s.HasExited, s.Text));

            string outDir = Path.Combine(Root, "cluster");
            string specsDir = Path.Combine(outDir, def.Name, runId, "specs");
            var started = DateTime.UtcNow;
            run = new DeProcess("run", study, "--redis", redis.Connection, "--out", outDir);

            // Part files (one per specification: batch_size 1) as they are committed, polled every 20 ms.
            var parts = new List<(DateTime At, int Count)>();
            int Parts() => Directory.Exists(specsDir) ? Directory.GetFiles(specsDir, "part-*.parquet").Length : 0;
            void Poll() { int n = Parts(); if (parts.Count == 0 || parts[^1].Count != n) parts.Add((DateTime.UtcNow, n)); }

            // Kill when the run says the estimate stage is under way and some parts are committed.
            await UntilAsync(() => { Poll(); return run.HasExited || (run.Err.Any(l => EstimateLine().IsMatch(l.Line)) && Parts() >= 40); }, TimeSpan.FromSeconds(60), () => run.Text);
            Assert.False(run.HasExited, run.Text);

            // Kill the silo that does not host the run grain (the other case, a resume by reminder, is OrleansClusterTests').
            string host;
            using (var client = SiloHost.BuildClient(new ClusterSettings { Redis = redis.Connection, LogLevel = Microsoft.Extensions.Logging.LogLevel.None }))
            {
                await client.StartAsync();
                host = (await client.Services.GetRequiredService<IGrainFactory>().GetGrain<IRunGrain>(runId).GetStatusAsync()).Host;
                await client.StopAsync(TimeSpan.FromSeconds(5));
            }
            Poll();
            int victim = Array.FindIndex(ports, p => !host.Contains($":{p}:", StringComparison.Ordinal));
            Assert.True(victim >= 0 && ports.Count(p => host.Contains($":{p}:", StringComparison.Ordinal)) == 1, $"run grain host '{host}' is neither silo ({string.Join(", ", ports)})");
            int partsAtKill = Parts();
            var killedAt = DateTime.UtcNow;
            silos[victim].Kill9();
            Assert.True(silos[victim].WaitForExit(TimeSpan.FromSeconds(10)), "the killed silo did not exit");

            while (!run.WaitForExit(TimeSpan.FromMilliseconds(20)))
            {
                Poll();
                Assert.True(DateTime.UtcNow - started < TimeSpan.FromMinutes(2), "the run did not finish within 2 minutes:\n" + run.Text);
            }
            Poll();
            Assert.True(run.ExitCode == 0, run.Text);
            Assert.False(silos[1 - victim].HasExited, "the surviving silo died:\n" + silos[1 - victim].Text);

            string runDir = De.RunDir(string.Join('\n', run.Out.Select(l => l.Line)));
            Assert.Equal(Path.Combine(outDir, def.Name, runId), runDir);
            var rows = await DigitalEconomy.Store.ResultTables.Specs.ReadFileAsync(Path.Combine(runDir, "specs.parquet"));
            Assert.Equal(432, rows.Count);
            Assert.Equal(432, rows.Select(r => r.SpecId).Distinct().Count());
            Assert.Equal(432, Parts());
            Assert.Equal(reference, File.ReadAllBytes(Path.Combine(runDir, "specs.parquet")));

            // The longest stall: the longest time without progress, from the first part to the run's exit
            // (the exit counts as progress: after the last part the run still aggregates and reports).
            var exited = DateTime.UtcNow;
            var growth = parts.Where(p => p.Count > 0).Append((At: exited, Count: -1)).ToList();
            var gaps = growth.Zip(growth.Skip(1), (a, b) => (From: a, Gap: b.At - a.At)).ToList();
            var longest = gaps.MaxBy(g => g.Gap);
            var afterKill = gaps.Where(g => g.From.At >= killedAt || g.From.At + g.Gap > killedAt).MaxBy(g => g.Gap);
            var lines = run.Err.Where(l => Regex.IsMatch(l.Line, @"^\w+\s+\d+/\d+$")).ToList();
            var lineGap = lines.Zip(lines.Skip(1), (a, b) => (a.Line, Gap: b.At - a.At)).MaxBy(g => g.Gap);
            log.WriteLine($"run {runId}: run grain on {host}; killed silo pid {silos[victim].Id} (port {ports[victim]}) with SIGKILL at {partsAtKill}/432 parts, {(killedAt - started).TotalSeconds:0.0} s after `de run` started");
            log.WriteLine($"longest stall (no new part, or the last part to the run's exit): {longest.Gap.TotalSeconds:0.00} s, after {longest.From.Count} parts, {(longest.From.At - killedAt).TotalSeconds:+0.00;-0.00} s from the kill; parts 1..432 took {(growth[^2].At - growth[0].At).TotalSeconds:0.0} s, the last part to exit {(exited - growth[^2].At).TotalSeconds:0.0} s");
            log.WriteLine($"longest stall spanning or after the kill: {afterKill.Gap.TotalSeconds:0.00} s, after {afterKill.From.Count} parts");
            log.WriteLine($"longest gap between progress lines on stderr: {lineGap.Gap.TotalSeconds:0.00} s after '{lineGap.Line}'; `de run` took {(exited - started).TotalSeconds:0.0} s in all");
            // When the dead silo owned the run grain's grain-directory entry, Orleans deactivates the run grain on
            // the survivor too (DirectoryFailure) and only its reminder (1 min period) resumes it: the long stall.
            foreach (var (_, line) in silos[1 - victim].Out.Where(l => l.Line.Contains("RunGrain", StringComparison.Ordinal)))
                log.WriteLine($"surviving silo: {(line.Length > 300 ? line[..300] + "…" : line)}");
            log.WriteLine($"specs.parquet identical to the embedded run ({reference.Length} bytes), 432 distinct specifications");
            Assert.True(longest.Gap < TimeSpan.FromSeconds(90), $"stall of {longest.Gap}: longer than the run reminder's period (1 min) allows");
        }
        finally
        {
            run?.Dispose();
            foreach (var s in silos) s.Dispose();
        }
    }
}
