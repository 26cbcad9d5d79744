using System.Collections.Immutable;
using DigitalEconomy.Contracts;
using DigitalEconomy.Reporting.Tables;

namespace DigitalEconomy.Grains;

/// <summary>
/// What every stage of one execution needs, and nothing else: the grain factory, the command and its study, the run's id and
/// folder, the progress and note callbacks, the work dispatcher, and three collectors the stages add to and the manifest
/// reads — the datasets published (to restore a silo that lost them), the committed parts that were damaged, and the stage
/// timings. Everything else a stage needs comes in its input record; everything it makes goes out in its output record.
/// </summary>
internal sealed class RunContext
{
    private readonly Action<string, long, long> _progress;
    private readonly Action<string> _note;
    private readonly List<DatasetBytes> _datasets = [];
    private readonly List<Store.DamagedPart> _damaged = [];
    private readonly SortedDictionary<string, double> _timings = new(StringComparer.Ordinal);

    public RunContext(IGrainFactory grains, string runId, StartRun command, Action<string, long, long> progress, int maxAttempts, Action<string>? note)
    {
        Grains = grains;
        Command = command;
        Study = command.Study;
        _progress = progress;
        _note = note ?? (_ => { });
        RunId = runId;
        RunDir = Path.GetFullPath(Path.Combine(command.OutRoot, Study.Name, runId));
        Dispatch = new WorkDispatcher(grains, RestoreDatasetsAsync, maxAttempts, TimeSpan.FromMilliseconds(250));
    }

    public IGrainFactory Grains { get; }
    public StartRun Command { get; }
    public StudyDefinition Study { get; }
    public string RunId { get; }
    public string RunDir { get; }
    public WorkDispatcher Dispatch { get; }
    public string ManifestPath => Path.Combine(RunDir, "manifest.json");

    /// <summary>The study's table language and labels (tables, charts and the report use them).</summary>
    public TableLanguage Language => TableWords.ParseLanguage(Study.Tables?.Language ?? "en");

    public IReadOnlyDictionary<string, string> Labels => Study.Tables?.Labels ?? ImmutableDictionary<string, string>.Empty;

    public bool Zh => Language == TableLanguage.Zh;

    public void Progress(string stage, long done, long total) => _progress(stage, done, total);

    public void Note(string text) => _note(text);

    /// <summary>A path under the run folder as the manifest names files: relative, with '/'.</summary>
    public string Relative(string path) => Path.GetRelativePath(RunDir, path).Replace('\\', '/');

    /// <summary>Puts a dataset where every silo can fetch it, and remembers it for restores.</summary>
    public async Task<DatasetRef> PublishDatasetAsync(byte[] csv, string sha256, string source)
    {
        var bytes = new DatasetBytes(sha256, Study.Dataset.Unit, Study.Dataset.Time, csv, source);
        lock (_datasets) _datasets.Add(bytes);
        await Grains.GetGrain<IDatasetGrain>(sha256).PutAsync(bytes);
        return new DatasetRef(sha256, Study.Dataset.Unit, Study.Dataset.Time);
    }

    private async Task RestoreDatasetsAsync()
    {
        DatasetBytes[] all;
        lock (_datasets) all = [.. _datasets];
        foreach (var d in all) await Grains.GetGrain<IDatasetGrain>(d.Sha256).PutAsync(d);
    }

    /// <summary>A committed part that was moved aside: named to the user (a note) and, with the run, in the manifest.</summary>
    public void Damaged(Store.DamagedPart d)
    {
        lock (_damaged) _damaged.Add(d);
        _note($"{Relative(d.Path)} {d.Reason}: moved aside to {Relative(d.MovedTo)} and recomputed");
    }

    /// <summary>Committed parts that could not be used (moved aside and recomputed) so far, in the order they were found.</summary>
    public IReadOnlyList<Store.DamagedPart> DamagedParts
    {
        get { lock (_damaged) return [.. _damaged]; }
    }

    /// <summary>Records the wall-clock milliseconds of a stage (the manifest's timings; not part of any result file) and restarts the clock.</summary>
    public void Lap(string stage, System.Diagnostics.Stopwatch clock)
    {
        _timings[stage] = Math.Round(clock.Elapsed.TotalMilliseconds, 1);
        clock.Restart();
    }

    /// <summary>The stage timings so far, by stage name.</summary>
    public IReadOnlyDictionary<string, double> Timings => new SortedDictionary<string, double>(_timings, StringComparer.Ordinal);

    /// <summary>The folders of the other complete runs of this study under the results root, by name (read only: index reuse, incremental fits, the changes table).</summary>
    public IEnumerable<string> EarlierRuns()
    {
        string studyDir = Path.GetDirectoryName(RunDir)!;
        if (!Directory.Exists(studyDir)) return [];
        return Directory.GetDirectories(studyDir)
            .Where(d => !string.Equals(Path.GetFullPath(d), RunDir, StringComparison.Ordinal) && Manifest.ReadStatus(Path.Combine(d, "manifest.json")) == "complete")
            .Order(StringComparer.Ordinal);
    }
}

/// <summary>
/// The base of a stage: the context under the names the stage bodies use (<c>_study</c>, <c>_command</c>, <c>_dispatch</c>,
/// <c>RunDir</c>, <c>Progress</c>, …), so a stage reads as it did when the stages were one class. A stage keeps no state
/// between executions and shares none with other stages: it is made for one execution and called once.
/// </summary>
internal abstract class RunStage(RunContext run)
{
    protected readonly RunContext _run = run;
    protected readonly IGrainFactory _grains = run.Grains;
    protected readonly StartRun _command = run.Command;
    protected readonly StudyDefinition _study = run.Study;
    protected readonly WorkDispatcher _dispatch = run.Dispatch;

    protected string RunId => _run.RunId;
    protected string RunDir => _run.RunDir;
    protected TableLanguage Language => _run.Language;
    protected IReadOnlyDictionary<string, string> Labels => _run.Labels;
    protected bool Zh => _run.Zh;

    protected void Progress(string stage, long done, long total) => _run.Progress(stage, done, total);

    protected void Damaged(Store.DamagedPart d) => _run.Damaged(d);

    protected string Relative(string path) => _run.Relative(path);

    protected IEnumerable<string> EarlierRuns() => _run.EarlierRuns();

    protected Task<DatasetRef> PublishAsync(byte[] csv, string sha256, string source) => _run.PublishDatasetAsync(csv, sha256, source);
}
