using DigitalEconomy.Contracts;
using DigitalEconomy.Core.Data;

namespace DigitalEconomy.Grains;

/// <summary>
/// One execution of a run, stage by stage: prepare → indices → estimate → resample → infer → aggregate →
/// report → manifest. Each stage is a file of its own (RunExecution.*.cs). Work goes to grains; only
/// this class writes files, each atomically and named by its work key, so an execution that restarts
/// after a silo died finds the committed parts and rewrites identical bytes for the rest.
/// </summary>
internal sealed partial class RunExecution
{
    private readonly IGrainFactory _grains;
    private readonly StartRun _command;
    private readonly StudyDefinition _study;
    private readonly Action<string, long, long> _progress;
    private readonly Action<string> _note;
    private readonly WorkDispatcher _dispatch;
    private readonly List<DatasetBytes> _datasets = [];

    public RunExecution(IGrainFactory grains, string runId, StartRun command, Action<string, long, long> progress, int maxAttempts = 6, Action<string>? note = null)
    {
        _grains = grains;
        _command = command;
        _study = command.Study;
        _progress = progress;
        _note = note ?? (_ => { });
        RunId = runId;
        RunDir = Path.GetFullPath(Path.Combine(command.OutRoot, _study.Name, runId));
        _dispatch = new WorkDispatcher(grains, RestoreDatasetsAsync, maxAttempts, TimeSpan.FromMilliseconds(250));
    }

    /// <summary>When the run first started (read back from a manifest when it is resumed), to the second.</summary>
    private DateTimeOffset _startedUtc;

    /// <summary>When the publish stage wrote the report (the run's end), to the second; null before.</summary>
    private DateTimeOffset? _finishedUtc;

    public string RunId { get; }
    public string RunDir { get; }
    public int Retries => _dispatch.Retries;

    private string ManifestPath => Path.Combine(RunDir, "manifest.json");

    /// <summary>Runs every stage; a complete run returns its summary without recomputing.</summary>
    public async Task<RunSummary> ExecuteAsync(CancellationToken ct)
    {
        using var span = Telemetry.Source.StartActivity("run");
        span?.SetTag("de.run", RunId);
        if (Manifest.ReadStatus(ManifestPath) == "complete") return Manifest.ReadSummary(ManifestPath);
        Directory.CreateDirectory(RunDir);
        var now = DateTimeOffset.UtcNow;
        _startedUtc = Manifest.ReadStartedUtc(ManifestPath) ?? new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var prepared = await PrepareAsync(ct);
        Lap("prepare", clock);
        var indexed = await IndicesAsync(prepared, ct);
        Lap("indices", clock);
        var specs = _study.Grid is { } grid ? GridExpansion.Expand(grid, indexed.Dataset.Sha256) : [];
        var batches = GridExpansion.Batches(specs, _study.BatchSize);
        if (_study.Bootstrap is { } bootstrap) BootstrapSelection.Select(_study.Grid!, specs, bootstrap.Specs); // an unknown id stops the run before any fit
        WriteManifest(prepared, indexed, specs.Count, batches.Count, null, "running");
        var analysed = await AnalysesAsync(indexed, ct);
        Lap("analyses", clock);
        List<Store.SpecificationRow> rows = [];
        int batchesRun = 0, batchesReused = 0, fittedNow = 0;
        Incremental? incremental = null;
        Resampled? boot = null;
        Inferred? curve = null;
        AnalysisTable? gridTable = null;
        if (_study.Grid is not null)
        {
            var estimated = await EstimateAsync(indexed, specs, batches, ct);
            (batchesRun, batchesReused, incremental, fittedNow) = (estimated.BatchesRun, estimated.BatchesReused, estimated.Incremental, estimated.FittedNow);
            Lap("estimate", clock);
            boot = await ResampleAsync(indexed, estimated, ct);
            Lap("resample", clock);
            curve = await InferAsync(indexed, estimated, ct);
            Lap("infer", clock);
            rows = await AggregateAsync(estimated, boot, curve, ct);
            Lap("aggregate", clock);
            gridTable = Report(rows, boot, curve?.Summary);
            _changes = await ChangesAsync(rows, estimated.Incremental, ct);
            Lap("report", clock);
        }
        Publish(prepared, indexed, analysed, rows, gridTable, boot, curve);
        Lap("publish", clock);
        var summary = new RunSummary(rows.Count, rows.Count(r => r.Error is not null), batchesRun, batchesReused, false, Retries,
            incremental?.Reused.Count ?? 0, incremental?.Recomputed ?? 0, fittedNow);
        WriteManifest(prepared, indexed, specs.Count, batches.Count, new Finished(summary, boot?.Summary, curve?.Summary, incremental), "complete");
        return summary;
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

    /// <summary>Committed parts that could not be used (moved aside and recomputed), for the manifest.</summary>
    private readonly List<Store.DamagedPart> _damaged = [];

    /// <summary>A committed part that was moved aside: named to the user (a note) and, with the run, in the manifest.</summary>
    private void Damaged(Store.DamagedPart d)
    {
        lock (_damaged) _damaged.Add(d);
        _note($"{Relative(d.Path)} {d.Reason}: moved aside to {Relative(d.MovedTo)} and recomputed");
    }

    /// <summary>A path under the run folder as the manifest names files: relative, with '/'.</summary>
    private string Relative(string path) => Path.GetRelativePath(RunDir, path).Replace('\\', '/');

    /// <summary>A run that stopped before writing anything leaves no empty folders behind (parts it did write are kept: a re-run resumes from them).</summary>
    private void RemoveIfEmpty()
    {
        if (Directory.Exists(RunDir) && !Directory.EnumerateFiles(RunDir, "*", SearchOption.AllDirectories).Any()) Directory.Delete(RunDir, recursive: true);
        string studyDir = Path.GetDirectoryName(RunDir)!;
        if (Directory.Exists(studyDir) && !Directory.EnumerateFileSystemEntries(studyDir).Any()) Directory.Delete(studyDir);
    }

    /// <summary>Puts a dataset where every silo can fetch it, and remembers it for restores.</summary>
    private async Task<DatasetRef> PublishAsync(byte[] csv, string sha256, string source)
    {
        var bytes = new DatasetBytes(sha256, _study.Dataset.Unit, _study.Dataset.Time, csv, source);
        lock (_datasets) _datasets.Add(bytes);
        await _grains.GetGrain<IDatasetGrain>(sha256).PutAsync(bytes);
        return new DatasetRef(sha256, _study.Dataset.Unit, _study.Dataset.Time);
    }

    private async Task RestoreDatasetsAsync()
    {
        DatasetBytes[] all;
        lock (_datasets) all = [.. _datasets];
        foreach (var d in all) await _grains.GetGrain<IDatasetGrain>(d.Sha256).PutAsync(d);
    }

    private void Progress(string stage, long done, long total) => _progress(stage, done, total);

    /// <summary>Wall-clock milliseconds per stage of this execution (the manifest's timings; not part of any result file).</summary>
    private readonly SortedDictionary<string, double> _timings = new(StringComparer.Ordinal);

    private void Lap(string stage, System.Diagnostics.Stopwatch clock)
    {
        _timings[stage] = Math.Round(clock.Elapsed.TotalMilliseconds, 1);
        clock.Restart();
    }

    /// <summary>The raw (interpolated) dataset.</summary>
    private sealed record Prepared(Panel Panel, DatasetRef Dataset, string RawSha256, int Fills, IReadOnlyList<DeriveRecord> Derived);

    /// <summary>The dataset with the index columns: what the regressions read.</summary>
    private sealed record Indexed(Panel Panel, DatasetRef Dataset, IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> Weights,
        IReadOnlyDictionary<string, IndexStatus>? Status = null);

    /// <summary>What the completed run reports.</summary>
    private sealed record Finished(RunSummary Summary, BootstrapSummaryRecord? Bootstrap, CurveSummaryRecord? Curve, Incremental? Incremental = null);
}
