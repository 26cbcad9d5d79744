using System.Collections.Immutable;
using System.Text.Json;
using DigitalEconomy.Client;
using DigitalEconomy.Contracts;
using DigitalEconomy.Grains;
using Xunit;

namespace DigitalEconomy.Silo.Tests;

/// <summary>
/// Issue 19, runs that lie or get stuck (embedded silo): a damaged part is moved aside, named and recomputed;
/// "the same command resumes" only when it does; a client that loses the run grain says so; counts after a resume.
/// </summary>
public class RunTrustTests
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), $"de-trust-{Environment.ProcessId}");

    private static void MarkRunning(string dir)
    {
        string manifest = Path.Combine(dir, "manifest.json");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"complete\"", "\"running\"", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("copied")]
    public void ADamagedPart_IsMovedAside_NamedInOutputAndManifest_AndRecomputed(string damage)
    {
        string study = Studies.Write(Path.Combine(Root, damage), big: false, batchSize: 5);
        string outDir = Path.Combine(Root, damage, "out");
        var (code, output, err) = De.Run("run", study, "--out", outDir);
        Assert.True(code == 0, err);
        string dir = De.RunDir(output);
        var reference = File.ReadAllBytes(Path.Combine(dir, "specs.parquet"));
        var parts = Directory.GetFiles(Path.Combine(dir, "specs"), "part-*.parquet").Order(StringComparer.Ordinal).ToArray();
        string victim = parts[3];
        if (damage == "truncated")
        {
            var bytes = File.ReadAllBytes(victim);
            File.WriteAllBytes(victim, bytes[..(bytes.Length / 2)]);
        }
        else File.Copy(parts[0], victim, overwrite: true); // a valid Parquet file holding another batch's specifications
        // The run stopped after its grid (parts written, results not yet): the same command resumes from the parts.
        MarkRunning(dir);
        (code, output, err) = De.Run("run", study, "--out", outDir);
        Assert.True(code == 0, $"exit {code}: {err}{output}");
        string moved = victim + ".damaged-1";
        Assert.True(File.Exists(moved), $"the damaged part was not kept aside as {moved}");
        Assert.True(File.Exists(victim), "the part was not recomputed");
        string name = "specs/" + Path.GetFileName(victim);
        var note = err.Split('\n').Single(l => l.StartsWith("note: ", StringComparison.Ordinal) && l.Contains(name, StringComparison.Ordinal));
        Assert.Contains(name + ".damaged-1", note, StringComparison.Ordinal);
        Assert.Contains(damage == "truncated" ? "not a Parquet file" : "does not hold", note, StringComparison.Ordinal);
        using (var m = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "manifest.json"))))
        {
            Assert.Equal("complete", m.RootElement.GetProperty("status").GetString());
            var d = m.RootElement.GetProperty("damaged_parts").EnumerateArray().Single();
            Assert.Equal(name, d.GetProperty("part").GetString());
            Assert.Equal(name + ".damaged-1", d.GetProperty("moved_to").GetString());
        }
        Assert.Equal(reference, File.ReadAllBytes(Path.Combine(dir, "specs.parquet")));
        // Damaged again: the next free name, the first one kept.
        File.WriteAllBytes(victim, [1, 2, 3]);
        MarkRunning(dir);
        (code, _, err) = De.Run("run", study, "--out", outDir);
        Assert.True(code == 0, err);
        Assert.True(File.Exists(victim + ".damaged-2") && File.Exists(moved));
        Assert.Equal(reference, File.ReadAllBytes(Path.Combine(dir, "specs.parquet")));
    }

    [Fact]
    public void ARunThatCouldNotWrite_DoesNotSayPartsAreKept()
    {
        string study = Studies.Write(Path.Combine(Root, "unwritable"), big: false, batchSize: 5);
        string blocker = Path.Combine(Root, "unwritable", "a-file");
        File.WriteAllText(blocker, "not a folder");
        var (code, output, err) = De.Run("run", study, "--out", Path.Combine(blocker, "out"));
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.StartsWith("error: ", err.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1], StringComparison.Ordinal);
        Assert.DoesNotContain("resumes", err, StringComparison.Ordinal);
        Assert.DoesNotContain("kept", err, StringComparison.Ordinal);
    }

    private static RunStatus Failed(string runId, string dir, string message) =>
        new(runId, RunState.Failed, "prepare", 0, 1, dir, message, null, "silo", []);

    [Fact]
    public void AFailedRun_SaysTheSameCommandResumes_OnlyWhenPartsAreKept_AndTheRunIdIsStillTheSame()
    {
        string study = Studies.Write(Path.Combine(Root, "keeps"), big: false, batchSize: 5);
        var def = StudyLoader.Load(study);
        string runId = RunStart.Build(def, Path.Combine(Root, "keeps", "out"), 1).RunId;
        string dir = Path.Combine(Root, "keeps", "out", def.Name, runId);
        Directory.CreateDirectory(Path.Combine(dir, "specs"));

        // Nothing written: nothing is kept, nothing to resume from.
        var (o, e) = (new StringWriter(), new StringWriter());
        Assert.Equal(2, RunCommands.Report(o, e, def, Failed(runId, dir, "IOException: disk full")));
        Assert.Equal("error: run " + runId + " failed: IOException: disk full", e.ToString().TrimEnd());

        // Parts written, same run id: kept, and the same command resumes.
        File.WriteAllBytes(Path.Combine(dir, "specs", "part-x.parquet"), [1]);
        (o, e) = (new StringWriter(), new StringWriter());
        Assert.Equal(2, RunCommands.Report(o, e, def, Failed(runId, dir, "IOException: disk full")));
        Assert.Contains($"parts written so far are kept in {dir}; the same command resumes", e.ToString(), StringComparison.Ordinal);

        // The dataset changed after the run started: the same command now makes another run id, so it does not resume this one.
        (o, e) = (new StringWriter(), new StringWriter());
        Assert.Equal(2, RunCommands.Report(o, e, def, Failed("r0123456789ab", dir, "dataset changed after the run was started")));
        Assert.DoesNotContain("resumes", e.ToString(), StringComparison.Ordinal);
        Assert.Contains($"the same command now starts a new run ({runId})", e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TheSummaryOfAResumedRun_SaysWhichSpecificationsThisExecutionFitted()
    {
        string study = Studies.Write(Path.Combine(Root, "counts"), big: false, batchSize: 1);
        var def = StudyLoader.Load(study);
        string dir = Path.Combine(Root, "counts", "run");
        Directory.CreateDirectory(dir);
        // 64 specifications in 64 batches: 14 fitted before the run grain's silo died, 50 after the resume.
        var resumed = new RunStatus("r1", RunState.Complete, "publish", 1, 1, dir, null, new RunSummary(64, 0, 50, 14, false, 0, 0, 64, 50), "silo", []);
        var (o, e) = (new StringWriter(), new StringWriter());
        Assert.Equal(0, RunCommands.Report(o, e, def, resumed));
        Assert.Contains("50 batches run, 14 reused); 64 specifications recomputed (50 by this execution, 14 before it, in parts already written), 0 reused from earlier runs",
            o.ToString(), StringComparison.Ordinal);
        // Everything before the silo died: this execution fitted nothing.
        var late = resumed with { Summary = new RunSummary(64, 0, 0, 64, false, 0, 0, 64, 0) };
        (o, e) = (new StringWriter(), new StringWriter());
        Assert.Equal(0, RunCommands.Report(o, e, def, late));
        Assert.Contains("0 batches run, 64 reused); 64 specifications recomputed (0 by this execution, 64 before it, in parts already written)", o.ToString(), StringComparison.Ordinal);
        // A run in one go: no parenthesis.
        var fresh = resumed with { Summary = new RunSummary(64, 0, 64, 0, false, 0, 0, 64, 64) };
        (o, e) = (new StringWriter(), new StringWriter());
        Assert.Equal(0, RunCommands.Report(o, e, def, fresh));
        Assert.Contains("64 batches run, 0 reused); 64 specifications recomputed, 0 reused from earlier runs", o.ToString(), StringComparison.Ordinal);
    }

    private static RunStatus Running(string host, string stage, long done, long total, params StageProgress[] finished) =>
        new("r1", RunState.Running, stage, done, total, "/x", null, null, host, [.. finished]);

    [Fact]
    public void TheProgress_SaysWhenTheRunGrainStopsAnswering_AndWhenTheRunResumesOnAnotherSilo()
    {
        var replies = new Queue<Func<Task<RunStatus>>>(
        [
            // The run grain's silo died: the call gets no answer for a while (the client retries until the run answers again).
            async () => { await Task.Delay(TimeSpan.FromSeconds(3)); return Running("silo-b", "prepare", 0, 1); },
            () => Task.FromResult(Running("silo-b", "estimate", 64, 64, new StageProgress("prepare", 1, 1), new StageProgress("indices", 6, 6))),
            () => Task.FromResult(new RunStatus("r1", RunState.Complete, "publish", 1, 1, "/x", null, new RunSummary(64, 0, 50, 14, false, 0, 0, 64, 50), "silo-b",
                [new StageProgress("prepare", 1, 1), new StageProgress("indices", 6, 6), new StageProgress("estimate", 64, 64)],
                ["specs/part-a.parquet could not be read (not a Parquet file): moved aside to specs/part-a.parquet.damaged-1 and recomputed"])),
        ]);
        var err = new StringWriter();
        var last = ProgressView.Follow(err, () => replies.Dequeue()(), Running("silo-a", "estimate", 14, 64), CancellationToken.None, quiet: TimeSpan.FromSeconds(1));
        Assert.Equal(RunState.Complete, last.State);
        var lines = err.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        int quiet = Array.FindIndex(lines, l => l.StartsWith("note: the run grain on silo-a has not answered for", StringComparison.Ordinal));
        int moved = Array.FindIndex(lines, l => l.StartsWith("note: the run is resuming on silo silo-b", StringComparison.Ordinal));
        int prepare = Array.FindIndex(lines, l => l.StartsWith("prepare", StringComparison.Ordinal));
        Assert.True(quiet >= 0 && moved > quiet && prepare > moved, string.Join('\n', lines));
        Assert.Single(lines, l => l == "note: specs/part-a.parquet could not be read (not a Parquet file): moved aside to specs/part-a.parquet.damaged-1 and recomputed");
    }
}
