using DigitalEconomy.Contracts;
using DigitalEconomy.Core.Data;

namespace DigitalEconomy.Grains;

/// <summary>
/// One execution of a run: the stages (grains/Run/Stages/, one class each, with an input and an output record) called in
/// order — prepare → indices → analyses → estimate → resample → infer → aggregate → report → changes → publish → manifest.
/// Work goes to grains; only the stages write files, each atomically and named by its work key, so an execution that
/// restarts after a silo died finds the committed parts and rewrites identical bytes for the rest. What the stages share is
/// the <see cref="RunContext"/> (and its collectors: datasets published, damaged parts, timings); nothing else.
/// </summary>
internal sealed class RunExecution
{
    private readonly RunContext _run;

    public RunExecution(IGrainFactory grains, string runId, StartRun command, Action<string, long, long> progress, int maxAttempts = 6, Action<string>? note = null) =>
        _run = new RunContext(grains, runId, command, progress, maxAttempts, note);

    public string RunId => _run.RunId;
    public string RunDir => _run.RunDir;
    public int Retries => _run.Dispatch.Retries;

    private string ManifestPath => _run.ManifestPath;

    /// <summary>Runs every stage; a complete run returns its summary without recomputing.</summary>
    public async Task<RunSummary> ExecuteAsync(CancellationToken ct)
    {
        using var span = Telemetry.Source.StartActivity("run");
        span?.SetTag("de.run", RunId);
        if (Manifest.ReadStatus(ManifestPath) == "complete") return Manifest.ReadSummary(ManifestPath);
        Directory.CreateDirectory(RunDir);
        var study = _run.Study;
        var now = DateTimeOffset.UtcNow;
        var startedUtc = Manifest.ReadStartedUtc(ManifestPath) ?? new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // The charts are drawn last, on the run's critical path; the first chart of a process loads the drawing code and the
        // CJK font. That is done now on a pool thread while the first stages mostly wait on grain calls (10k grid: the
        // publish stage 0.2 s shorter). A warm-up that fails changes nothing: the charts themselves say what is wrong.
        if (study.Grid is not null || !study.Analyses.IsDefaultOrEmpty)
            _ = Task.Run(WarmUpCharts, CancellationToken.None);
        var prepared = await new PrepareStage(_run).RunAsync(ct);
        _run.Lap("prepare", clock);
        var indexed = await new IndicesStage(_run).RunAsync(prepared, ct);
        _run.Lap("indices", clock);
        var specs = study.Grid is { } grid ? GridExpansion.Expand(grid, indexed.Dataset.Sha256) : [];
        var batches = GridExpansion.Batches(specs, study.BatchSize);
        if (study.Bootstrap is { } bootstrap) BootstrapSelection.Select(study.Grid!, specs, bootstrap.Specs); // an unknown id stops the run before any fit
        var manifest = new ManifestStage(_run);
        manifest.Run(new ManifestInput(prepared, indexed, specs.Count, batches.Count, "running", startedUtc));
        var analysed = await new AnalysesStage(_run).RunAsync(indexed, ct);
        _run.Lap("analyses", clock);
        List<Store.SpecificationRow> rows = [];
        int batchesRun = 0, batchesReused = 0, fittedNow = 0;
        Incremental? incremental = null;
        Resampled? boot = null;
        Inferred? curve = null;
        AnalysisTable? gridTable = null;
        Changes? changes = null;
        if (study.Grid is not null)
        {
            var estimated = await new EstimateStage(_run).RunAsync(new EstimateInput(indexed, specs, batches), ct);
            (batchesRun, batchesReused, incremental, fittedNow) = (estimated.BatchesRun, estimated.BatchesReused, estimated.Incremental, estimated.FittedNow);
            _run.Lap("estimate", clock);
            boot = await new ResampleStage(_run).RunAsync(new GridInput(indexed, estimated), ct);
            _run.Lap("resample", clock);
            curve = await new InferStage(_run).RunAsync(new GridInput(indexed, estimated), ct);
            _run.Lap("infer", clock);
            rows = await new AggregateStage(_run).RunAsync(new AggregateInput(estimated, boot, curve), ct);
            _run.Lap("aggregate", clock);
            gridTable = new ReportStage(_run).Run(new ReportInput(rows, boot, curve?.Summary));
            changes = await new ChangesStage(_run).RunAsync(new ChangesInput(rows, estimated.Incremental), ct);
            _run.Lap("report", clock);
        }
        var published = new PublishStage(_run).Run(new PublishInput(prepared, indexed, analysed, rows, gridTable, boot, curve, changes, startedUtc));
        _run.Lap("publish", clock);
        var summary = new RunSummary(rows.Count, rows.Count(r => r.Error is not null), batchesRun, batchesReused, false, Retries,
            incremental?.Reused.Count ?? 0, incremental?.Recomputed ?? 0, fittedNow);
        manifest.Run(new ManifestInput(prepared, indexed, specs.Count, batches.Count, "complete", startedUtc,
            new Finished(summary, boot?.Summary, curve?.Summary, incremental), published, changes));
        return summary;
    }

    private static void WarmUpCharts()
    {
        try { Reporting.Charts.ChartWarmUp.Run(); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Deliberately dropped: see the call.
        }
    }

    /// <summary>
    /// Records a run that stopped (failed or interrupted) in its manifest, when it got as far as writing one. A manifest
    /// that says complete stays so: every result file was written before it, so whatever failed afterwards (the run
    /// record's write to the cluster's storage) does not make the results less complete.
    /// </summary>
    public void MarkStopped(string status, string? reason)
    {
        if (File.Exists(ManifestPath))
        {
            if (Manifest.ReadStatus(ManifestPath) != "complete") Manifest.SetStatus(ManifestPath, status, reason);
        }
        else RemoveIfEmpty();
    }

    /// <summary>A run that stopped before writing anything leaves no empty folders behind (parts it did write are kept: a re-run resumes from them).</summary>
    private void RemoveIfEmpty()
    {
        if (Directory.Exists(RunDir) && !Directory.EnumerateFiles(RunDir, "*", SearchOption.AllDirectories).Any()) Directory.Delete(RunDir, recursive: true);
        string studyDir = Path.GetDirectoryName(RunDir)!;
        if (Directory.Exists(studyDir) && !Directory.EnumerateFileSystemEntries(studyDir).Any()) Directory.Delete(studyDir);
    }
}
