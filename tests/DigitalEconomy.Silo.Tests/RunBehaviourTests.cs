using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using DigitalEconomy.Grains;
using DigitalEconomy.Store;
using Xunit;

namespace DigitalEconomy.Silo.Tests;

/// <summary>What a user sees of a run: numbers equal to `de estimate`, progress that is plain text when redirected, resume and interruption.</summary>
public class RunBehaviourTests
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), $"de-behaviour-{Environment.ProcessId}");

    [Fact]
    public async Task SpecificationResults_EqualDeEstimate_OnThePreparedDataset()
    {
        string study = Studies.Write(Path.Combine(Root, "equal"), big: false, batchSize: 5);
        var (code, output, err) = De.Run("run", study, "--out", Path.Combine(Root, "equal", "out"));
        Assert.True(code == 0, err);
        string dir = De.RunDir(output);
        var rows = await ResultTables.Specs.ReadFileAsync(Path.Combine(dir, "specs.parquet"));
        Assert.Equal(64, rows.Count);
        // Every combination of sample, winsorising, lag, fixed effects and variance once, with the full controls.
        foreach (var r in rows.Where(r => r.Controls == "full" && r.Outcome == "hqd_index"))
        {
            var args = new List<string> { "estimate", r.Formula, "--data", Path.Combine(dir, "dataset.csv"), "--unit", "province", "--time", "year", "--vcov", r.Vcov, "--json" };
            if (r.Sample == "east") args.AddRange(["--filter", "region == East"]);
            if (r.Winsor == "yes") args.AddRange(["--winsor", "hqd_index,de_index,gov,market,lngdp,fin"]);
            var (c, json, e) = De.Run([.. args]);
            Assert.True(c == 0, e);
            using var doc = JsonDocument.Parse(json);
            var coef = doc.RootElement.GetProperty("coefficients").EnumerateArray().Single(x => x.GetProperty("term").GetString() == r.Term);
            Assert.Equal(doc.RootElement.GetProperty("n").GetInt64(), r.N);
            Assert.True(Math.Abs(coef.GetProperty("estimate").GetDouble() - r.Estimate!.Value) <= 1e-12 * Math.Abs(r.Estimate.Value), $"{r.Formula} {r.Sample} {r.Winsor} {r.Vcov}: estimate");
            Assert.True(Math.Abs(coef.GetProperty("std_error").GetDouble() - r.StdError!.Value) <= 1e-10 * r.StdError.Value, $"{r.Formula} {r.Sample} {r.Winsor} {r.Vcov}: se");
        }
    }

    [Fact]
    public async Task RedirectedProgress_IsPlainLines_AndResumingAPartialLastBatch_CountsRight()
    {
        // 64 specifications in 8 groups of 8; batches of at most 3 leave a partial batch (2) in every group.
        string study = Studies.Write(Path.Combine(Root, "partial"), big: false, batchSize: 3);
        string outDir = Path.Combine(Root, "partial", "out");
        var (code, output, err) = De.Run("run", study, "--out", outDir);
        Assert.True(code == 0, err);
        Assert.DoesNotContain('\r', err);
        string dir = De.RunDir(output);
        var bytes = File.ReadAllBytes(Path.Combine(dir, "specs.parquet"));
        var parts = Directory.GetFiles(Path.Combine(dir, "specs"), "part-*.parquet");
        Assert.Equal(24, parts.Length);
        var partial = new List<string>();
        foreach (var p in parts) if ((await ResultTables.Specs.ReadFileAsync(p)).Count == 2) partial.Add(p);
        Assert.Equal(8, partial.Count);
        // Interrupted with every partial batch and a few full ones missing.
        foreach (var p in partial.Concat(parts.Except(partial).Take(5))) File.Delete(p);
        string manifest = Path.Combine(dir, "manifest.json");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"complete\"", "\"running\"", StringComparison.Ordinal));
        (code, output, err) = De.Run("run", study, "--out", outDir);
        Assert.True(code == 0, err);
        Assert.Contains("13 batches run, 11 reused", output, StringComparison.Ordinal);
        var counts = Regex.Matches(err, @"^estimate\s+(\d+)/(\d+)$", RegexOptions.Multiline).Select(m => (Done: int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), Total: int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))).ToList();
        // Lines within a stage are polled samples; every stage also gets a final line, and counts are specifications, never batches.
        Assert.All(counts, c => Assert.True(c.Done >= 64 - 8 * 2 - 5 * 3 && c.Done <= c.Total && c.Total == 64, $"{c.Done}/{c.Total}"));
        foreach (var stage in new[] { "prepare +1/1", "indices +6/6", "estimate +64/64", "aggregate +1/1", "report +1/1" })
            Assert.Matches(new Regex($"(?m)^{stage} done$"), err);
        Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(dir, "specs.parquet")));
    }

    [Fact]
    public async Task CtrlC_OnARun_SaysInterrupted_RecordsIt_AndTheSameCommandResumes()
    {
        // Long enough (432 calls for the grid, 3,000 for the bootstrap) that the signal arrives mid-run on a busy machine.
        string study = Studies.Write(Path.Combine(Root, "ctrlc"), big: true, batchSize: 1, bootstrapChunk: 1, replicates: 3000);
        string outDir = Path.Combine(Root, "ctrlc", "out");
        var psi = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "de.dll"), "run", study, "--out", outDir])
        {
            RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false,
        };
        using var p = Process.Start(psi)!;
        var err = new System.Text.StringBuilder();
        var started = new ManualResetEventSlim();
        p.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (err) err.AppendLine(e.Data);
            if (e.Data.StartsWith("estimate", StringComparison.Ordinal)) started.Set();
        };
        p.BeginErrorReadLine();
        var stdoutTask = p.StandardOutput.ReadToEndAsync();
        Assert.True(started.Wait(TimeSpan.FromSeconds(60)), $"the run never reached the estimate stage: {err}");
        using (var kill = Process.Start("kill", ["-INT", p.Id.ToString(CultureInfo.InvariantCulture)])!) kill.WaitForExit();
        Assert.True(p.WaitForExit(60_000), "de run did not stop after Ctrl+C");
        await p.WaitForExitAsync();
        string stdout = await stdoutTask;
        string text;
        lock (err) text = err.ToString();
        Assert.True(p.ExitCode == 130, $"exit {p.ExitCode}: {text} {stdout}");
        Assert.Contains("interrupted; resume with the same command", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        string dir = Directory.GetDirectories(Path.Combine(outDir, "big")).Single();
        using (var m = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "manifest.json"))))
            Assert.Equal("interrupted", m.RootElement.GetProperty("status").GetString());
        var (code, status, _) = De.Run("status", dir);
        Assert.Equal(0, code);
        Assert.Contains(": interrupted", status, StringComparison.Ordinal);
        int before = Directory.GetFiles(Path.Combine(dir, "specs"), "part-*.parquet").Length;
        Assert.InRange(before, 0, 431);
        string output;
        (code, output, var e2) = De.Run("run", study, "--out", outDir);
        Assert.True(code == 0, e2);
        Assert.Contains($"{before} reused", output, StringComparison.Ordinal);
        var reference = De.Run("run", study, "--out", Path.Combine(Root, "ctrlc", "reference"));
        Assert.Equal(File.ReadAllBytes(Path.Combine(De.RunDir(reference.Out), "specs.parquet")), File.ReadAllBytes(Path.Combine(dir, "specs.parquet")));
    }
}
