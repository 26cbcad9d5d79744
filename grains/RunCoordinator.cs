using System.Globalization;
using System.Text;
using System.Text.Json;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Grid;
using DigitalEconomy.Core.Indices;
using DigitalEconomy.Parquet;

namespace DigitalEconomy.Grains;

/// <summary>Sends work to grains wherever they are hosted (in process, or on silos over a broker).</summary>
public interface IGrainDispatcher
{
    /// <summary>Asks a SpecificationGrain to fit a batch.</summary>
    Task<SpecificationsEstimated> EstimateAsync(EstimateSpecifications work, CancellationToken cancellationToken);
    /// <summary>Asks a RegionGrain for its ranges.</summary>
    Task<RegionRangesComputed> RangesAsync(ComputeRegionRanges work, CancellationToken cancellationToken);
    /// <summary>Asks a RegionGrain for its sums.</summary>
    Task<RegionSumsComputed> SumsAsync(ComputeRegionSums work, CancellationToken cancellationToken);
    /// <summary>Asks a BootstrapGrain for a block of replicates.</summary>
    Task<BootstrapCompleted> BootstrapAsync(RunBootstrap work, CancellationToken cancellationToken);
}

/// <summary>The outcome of a run.</summary>
public sealed record RunResult(string RunId, string RunDirectory, int Specifications, int Failed, int BatchesRun, int BatchesReused, bool AlreadyComplete);

/// <summary>
/// The RunGrain: expands a study into stages and dispatches them. The run id is a hash of the study
/// file, the dataset and the seed, so the same study on the same data is the same run: a complete run
/// is never recomputed and an interrupted one resumes from the parts it has (parts are named by their
/// batch key and written atomically, so a part on disk is complete).
/// </summary>
public sealed class RunCoordinator(IGrainDispatcher dispatcher, IProgress<RunProgress>? progress = null) : IRunGrain
{
    /// <inheritdoc/>
    public async Task<RunCompleted> RunAsync(StartRun command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var r = await RunAsync(command.Study, command.OutRoot, command.MaxInFlight, cancellationToken).ConfigureAwait(false);
        return new RunCompleted(r.RunId, r.RunDirectory, r.Specifications, r.Failed, r.BatchesRun, r.BatchesReused, r.AlreadyComplete);
    }

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The run id of a study on its dataset.</summary>
    public static string RunId(StudyDefinition study)
    {
        ArgumentNullException.ThrowIfNull(study);
        return RunId(study, DatasetCache.HashFile(study.Dataset.Path));
    }

    private static string RunId(StudyDefinition study, string rawHash) =>
        "r" + SpecificationGrid.Id($"{study.SourceHash}|{rawHash}|{study.Seed}", "run")[..12];

    /// <summary>Runs (or resumes) a study under <paramref name="outRoot"/>.</summary>
    public async Task<RunResult> RunAsync(StudyDefinition study, string outRoot, int maxInFlight, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(study);
        try
        {
            return await RunCoreAsync(study, outRoot, maxInFlight, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // A run that failed before writing anything leaves no empty folders behind (parts it did
            // write are kept: they are complete, and a re-run resumes from them).
            RemoveIfEmpty(Path.GetFullPath(Path.Combine(outRoot, study.Name)));
            throw;
        }
    }

    private static void RemoveIfEmpty(string studyDir)
    {
        if (!Directory.Exists(studyDir)) return;
        foreach (var run in Directory.GetDirectories(studyDir))
            if (!Directory.EnumerateFiles(run, "*", SearchOption.AllDirectories).Any()) Directory.Delete(run, recursive: true);
        if (!Directory.EnumerateFileSystemEntries(studyDir).Any()) Directory.Delete(studyDir);
    }

    private async Task<RunResult> RunCoreAsync(StudyDefinition study, string outRoot, int maxInFlight, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(study);
        using var runSpan = Telemetry.Source.StartActivity("run");
        if (!File.Exists(study.Dataset.Path)) throw new InputException($"dataset '{study.Dataset.Path}' does not exist");
        string rawHash = DatasetCache.HashFile(study.Dataset.Path);
        string runId = RunId(study, rawHash); // the dataset is hashed once per run
        runSpan?.SetTag("de.run", runId);
        string runDir = Path.GetFullPath(Path.Combine(outRoot, study.Name, runId));
        string manifestPath = Path.Combine(runDir, "manifest.json");
        if (File.Exists(manifestPath) && ReadStatus(manifestPath) == "complete")
        {
            var m = JsonDocument.Parse(File.ReadAllText(manifestPath)).RootElement;
            return new RunResult(runId, runDir, m.GetProperty("specifications").GetInt32(), m.GetProperty("failed").GetInt32(), 0, m.GetProperty("batches").GetInt32(), true);
        }
        Directory.CreateDirectory(runDir);
        var originalDataset = study.Dataset.Path;
        string originalHash = rawHash;

        // Stage 0: fill interior gaps by linear interpolation within unit (METHODS.md §1), every fill listed.
        var raw = Panel.Create(CsvReader.ReadFile(study.Dataset.Path), study.Dataset.Unit, study.Dataset.Time);
        int fills = 0;
        if (study.Dataset.Interpolate.Count > 0)
        {
            var filled = new List<(string Column, FilledCell Cell)>();
            foreach (var col in study.Dataset.Interpolate)
            {
                raw = raw.WithColumn(col, PanelTransforms.Interpolate(raw, raw.Frame.Numeric(col), out var cells));
                filled.AddRange(cells.Select(c => (col, c)));
            }
            fills = filled.Count;
            AtomicFile.Write(Path.Combine(runDir, "fills.csv"), s =>
            {
                using var w = new StreamWriter(s, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
                w.WriteLine($"column,{Quote(study.Dataset.Unit)},{Quote(study.Dataset.Time)},value");
                foreach (var (c, cell) in filled) w.WriteLine($"{Quote(c)},{Quote(cell.Unit)},{cell.Time.ToString(Inv)},{cell.Value.ToString("R", Inv)}");
            });
            // The grains read the filled data, verified by its own hash.
            string inputPath = Path.Combine(runDir, "input.csv");
            AtomicFile.Write(inputPath, s => WriteCsv(s, raw.Frame));
            study = study with { Dataset = study.Dataset with { Path = inputPath } };
            rawHash = DatasetCache.HashFile(inputPath);
        }

        // Stage 1: indices through RegionGrains (map-reduce), then the prepared dataset.
        var indexWeights = new SortedDictionary<string, IReadOnlyDictionary<string, double>>(StringComparer.Ordinal);
        var prepared = raw;
        using (Telemetry.Source.StartActivity("run.indices"))
        {
            foreach (var ix in study.Indices)
            {
                var (scores, weights) = await BuildIndexAsync(study, runId, rawHash, raw, ix, cancellationToken).ConfigureAwait(false);
                prepared = prepared.WithColumn(ix.Name, scores);
                indexWeights[ix.Name] = weights;
                WriteIndexParts(runDir, study, raw, ix.Name, scores);
            }
        }
        string datasetPath = Path.Combine(runDir, "dataset.csv");
        AtomicFile.Write(datasetPath, s => WriteCsv(s, prepared.Frame));
        string preparedHash = DatasetCache.HashFile(datasetPath);

        // Stage 2: the specification grid in batches.
        var specs = SpecificationGrid.Expand(Grid(study.Grid), preparedHash);
        var batches = specs.Chunk(Math.Max(1, study.BatchSize)).Select((b, i) => (Key: $"b{i + 1:D5}", Specs: b)).ToList();
        string specsDir = Path.Combine(runDir, "specs");
        Directory.CreateDirectory(specsDir);
        var manifestStudy = study with { Dataset = study.Dataset with { Path = originalDataset } };
        WriteManifest(manifestPath, manifestStudy, runId, originalHash, preparedHash, specs.Count, batches.Count, 0, "running", indexWeights, fills: fills);
        int reused = batches.Count(b => File.Exists(PartPath(specsDir, b.Key)));
        int done = reused;
        progress?.Report(new RunProgress("specifications", done * study.BatchSize, specs.Count));
        using (Telemetry.Source.StartActivity("run.specifications"))
        using (var gate = new SemaphoreSlim(Math.Max(1, maxInFlight)))
        {
            var tasks = batches.Where(b => !File.Exists(PartPath(specsDir, b.Key))).Select(async b =>
            {
                await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    var work = new EstimateSpecifications(runId, preparedHash, datasetPath, study.Dataset.Unit, study.Dataset.Time, study.Seed, b.Key,
                        PartPath(specsDir, b.Key), b.Specs.Select(ToDto).ToList());
                    await EstimateUntilWrittenAsync(work, cancellationToken).ConfigureAwait(false);
                    int d = Interlocked.Increment(ref done);
                    progress?.Report(new RunProgress("specifications", Math.Min(specs.Count, d * study.BatchSize), specs.Count));
                }
                finally { gate.Release(); }
            }).ToList();
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }

        // Stage 3: bootstrap of the baseline specification through BootstrapGrains, in blocks.
        var baselineSpec = specs.First(sp => IsBaseline(study.Grid, sp.Choices));
        BootstrapSummary? boot = null;
        if (study.Bootstrap is { } bs)
        {
            using var bootSpan = Telemetry.Source.StartActivity("run.bootstrap");
            string bootDir = Path.Combine(runDir, "bootstrap");
            Directory.CreateDirectory(bootDir);
            var blocks = Enumerable.Range(0, (bs.Replicates + bs.Chunk - 1) / bs.Chunk)
                .Select(k => (First: k * bs.Chunk, Count: Math.Min(bs.Chunk, bs.Replicates - k * bs.Chunk))).ToList();
            string BlockPath(int first) => Path.Combine(bootDir, $"part-{baselineSpec.Id}-{first:D7}.parquet");
            int bdone = blocks.Count(b => File.Exists(BlockPath(b.First)));
            progress?.Report(new RunProgress("bootstrap", Math.Min(bs.Replicates, bdone * bs.Chunk), bs.Replicates));
            using (var gate = new SemaphoreSlim(Math.Max(1, maxInFlight)))
            {
                await Task.WhenAll(blocks.Where(b => !File.Exists(BlockPath(b.First))).Select(async b =>
                {
                    await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                    try
                    {
                        var work = new RunBootstrap(runId, preparedHash, datasetPath, study.Dataset.Unit, study.Dataset.Time, study.Seed, ToDto(baselineSpec), b.First, b.Count, BlockPath(b.First));
                        await SendUntilWrittenAsync(token => dispatcher.BootstrapAsync(work, token), work.PartPath, cancellationToken).ConfigureAwait(false);
                        int d = Interlocked.Increment(ref bdone);
                        progress?.Report(new RunProgress("bootstrap", Math.Min(bs.Replicates, d * bs.Chunk), bs.Replicates));
                    }
                    finally { gate.Release(); }
                })).ConfigureAwait(false);
            }
            var bootRows = blocks.SelectMany(b => ReadBootPart(BlockPath(b.First))).OrderBy(r => r.Replicate).ToList();
            BootstrapGrain.Schema.WriteFile(Path.Combine(runDir, "bootstrap.parquet"), bootRows, SpecificationGrain.PartOptions());
            var estimates = bootRows.Where(r => r.Estimate is not null).Select(r => r.Estimate!.Value).ToList();
            if (estimates.Count >= 2)
            {
                var baseRow = ReadPart(PartPath(specsDir, batches.First(b => b.Specs.Any(sp => sp.Id == baselineSpec.Id)).Key)).First(r => r.SpecId == baselineSpec.Id);
                var summary = Core.Resampling.ClusterBootstrap.Summarise(baseRow.Estimate ?? double.NaN, estimates);
                boot = new BootstrapSummary(baselineSpec.Id, bootRows.Count, bootRows.Count - estimates.Count, summary.StdError, summary.PercentileLow, summary.PercentileHigh);
            }
        }

        // Stage 4: aggregate, tables, manifest.
        List<SpecificationRow> rows;
        using (Telemetry.Source.StartActivity("run.aggregate"))
        {
            rows = batches.SelectMany(b => ReadPart(PartPath(specsDir, b.Key))).OrderBy(r => r.SpecId, StringComparer.Ordinal).ToList();
            if (rows.Count != specs.Count) throw new InvalidOperationException($"the parts hold {rows.Count} specifications, the grid has {specs.Count}");
            SpecificationGrain.Schema.WriteFile(Path.Combine(runDir, "specs.parquet"), rows, SpecificationGrain.PartOptions());
            Directory.CreateDirectory(Path.Combine(runDir, "tables"));
            AtomicFile.Write(Path.Combine(runDir, "tables", "specifications.md"), s => WriteTable(s, study, rows, boot));
            Directory.CreateDirectory(Path.Combine(runDir, "plots"));
            AtomicFile.Write(Path.Combine(runDir, "plots", "specification_curve.svg"),
                s => s.Write(Encoding.UTF8.GetBytes(SpecificationCurve.Svg(rows, $"{study.Name}: {study.Grid.Treatment}"))));
        }
        int failed = rows.Count(r => r.Error is not null);
        WriteManifest(manifestPath, manifestStudy, runId, originalHash, preparedHash, specs.Count, batches.Count, failed, "complete", indexWeights, boot, fills);
        return new RunResult(runId, runDir, specs.Count, failed, batches.Count - reused, reused, false);
    }

    /// <summary>How long one attempt at a batch may take before it is sent again. The default value is 60 s.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Sends a batch and waits for its reply — or for its part file, which is written atomically and so
    /// proves the batch done even when the reply was lost (a broker restart drops the reply queue). An
    /// attempt that neither answers nor writes within <see cref="AttemptTimeout"/> is sent again: the
    /// work is idempotent (same part name, same bytes).
    /// </summary>
    private Task EstimateUntilWrittenAsync(EstimateSpecifications work, CancellationToken ct) =>
        SendUntilWrittenAsync(token => dispatcher.EstimateAsync(work, token), work.PartPath, ct);

    private async Task SendUntilWrittenAsync(Func<CancellationToken, Task> send, string partPath, CancellationToken ct)
    {
        for (int attempt = 1; ; attempt++)
        {
            using var attemptCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var request = send(attemptCts.Token);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (true)
            {
                var finished = await Task.WhenAny(request, Task.Delay(TimeSpan.FromMilliseconds(500), ct)).ConfigureAwait(false);
                if (finished == request)
                {
                    try { await request.ConfigureAwait(false); return; }
                    catch (Exception) when (File.Exists(partPath)) { return; }
                    catch (OperationCanceledException) when (!ct.IsCancellationRequested) { break; }
                    catch (Exception e) when (e is not InputException && !ct.IsCancellationRequested && attempt < 5 && e.GetType().Name.Contains("Timeout", StringComparison.Ordinal)) { break; }
                }
                ct.ThrowIfCancellationRequested();
                if (File.Exists(partPath)) { await attemptCts.CancelAsync().ConfigureAwait(false); Observe(request); return; }
                if (clock.Elapsed > AttemptTimeout) { await attemptCts.CancelAsync().ConfigureAwait(false); Observe(request); break; }
            }
        }
    }

    private static void Observe(Task t) => t.ContinueWith(static x => _ = x.Exception, TaskScheduler.Default);

    private static string PartPath(string dir, string key) => Path.Combine(dir, $"part-{key}.parquet");

    private static string ReadStatus(string manifest)
    {
        try { return JsonDocument.Parse(File.ReadAllText(manifest)).RootElement.GetProperty("status").GetString() ?? ""; }
        catch (JsonException) { return ""; }
    }

    private async Task<(double[] Scores, IReadOnlyDictionary<string, double> Weights)> BuildIndexAsync(
        StudyDefinition study, string runId, string rawHash, Panel raw, IndexSpec ix, CancellationToken ct)
    {
        var regionCol = raw.Frame[study.Dataset.Region];
        var regions = Enumerable.Range(0, raw.RowCount).Select(i => regionCol.TextAt(i)).OfType<string>().Distinct().OrderBy(r => r, StringComparer.Ordinal).ToList();
        var d = study.Dataset;
        var rangeReplies = await Task.WhenAll(regions.Select(r => dispatcher.RangesAsync(
            new ComputeRegionRanges(runId, rawHash, d.Path, d.Unit, d.Time, d.Region, r, ix.Indicators, ix.PerPeriod), ct))).ConfigureAwait(false);
        progress?.Report(new RunProgress($"index {ix.Name}", regions.Count, 2 * regions.Count));
        // Merge in region order: min/max do not depend on it, and the sums below are added in this fixed order.
        var merged = rangeReplies.OrderBy(r => r.Region, StringComparer.Ordinal)
            .Select(r => RegionGrain.ToRanges(r.Ranges, r.Count)).Aggregate(RangeStatistics.Combine);
        var mergedDto = merged.Min.OrderBy(p => p.Key).Select(p => new PeriodRange(p.Key, p.Value, merged.Max[p.Key])).ToList();
        var sumReplies = await Task.WhenAll(regions.Select(r => dispatcher.SumsAsync(
            new ComputeRegionSums(runId, rawHash, d.Path, d.Unit, d.Time, d.Region, r, ix.Indicators, ix.PerPeriod, ix.Shift, mergedDto), ct))).ConfigureAwait(false);
        progress?.Report(new RunProgress($"index {ix.Name}", 2 * regions.Count, 2 * regions.Count));
        var sums = sumReplies.OrderBy(r => r.Region, StringComparer.Ordinal)
            .Select(r => new EntropySums(r.Count, [.. r.SumZ], [.. r.SumZLnZ])).Aggregate(EntropySums.Combine);
        var system = RegionGrain.System(ix.Indicators);
        var options = new EntropyOptions { Shift = ix.Shift, Scope = ix.PerPeriod ? NormalisationScope.PerPeriod : NormalisationScope.Pooled };
        var weights = EntropyIndex.WeightsFrom(system, sums, merged, options);
        var scored = EntropyIndex.Score(IndexInput.From(raw, system), merged, weights, options);
        return (scored.Score, system.Indicators.Select((ind, j) => (ind.Code, weights.Weight[j])).ToDictionary(p => p.Code, p => p.Item2));
    }

    private static void WriteIndexParts(string runDir, StudyDefinition study, Panel raw, string name, double[] scores)
    {
        string dir = Path.Combine(runDir, "indices");
        Directory.CreateDirectory(dir);
        var regionCol = raw.Frame[study.Dataset.Region];
        var schema = new RecordSchema<(string Unit, long Time, string Region, double Score)>()
            .String("unit", r => r.Unit, nullable: false).Int64("time", r => r.Time).String("region", r => r.Region, nullable: false).Double(name, r => r.Score);
        foreach (var g in Enumerable.Range(0, raw.RowCount).GroupBy(i => regionCol.TextAt(i) ?? "").OrderBy(g => g.Key, StringComparer.Ordinal))
            schema.WriteFile(Path.Combine(dir, $"part-{name}-{Safe(g.Key)}.parquet"),
                g.Select(i => (raw.UnitLabels[raw.UnitCode[i]], raw.Time[i], g.Key, scores[i])), SpecificationGrain.PartOptions());
    }

    private static string Safe(string s) => new([.. s.Select(c => char.IsLetterOrDigit(c) ? c : '_')]);

    private static SpecificationDto ToDto(Specification s) => new(s.Id, s.Formula, s.Term, s.Vcov, s.Filter, s.Winsorize, s.Choices);

    private static GridDefinition Grid(GridSpec g) => new()
    {
        Treatment = g.Treatment, Outcomes = g.Outcomes, Controls = g.Controls, FixedEffects = g.FixedEffects,
        Samples = g.Samples, Winsorize = g.Winsorize, Lag = g.Lag, Vcov = g.Vcov,
    };

    private static IEnumerable<SpecificationRow> ReadPart(string path)
    {
        using var r = ParquetReader.Open(path);
        var c = r.ReadAll();
        string S(int col, int i) => c[col].Strings![i]!;
        double? D(int col, int i) => c[col].IsNull(i) ? null : c[col].Doubles![i];
        var list = new List<SpecificationRow>();
        for (int i = 0; i < c[0].Count; i++)
            list.Add(new SpecificationRow(S(0, i), S(1, i), S(2, i), S(3, i), S(4, i), S(5, i), S(6, i), S(7, i), S(8, i), S(9, i), S(10, i),
                D(11, i), D(12, i), D(13, i), D(14, i), D(15, i), D(16, i), c[17].IsNull(i) ? null : c[17].Int64s![i], D(18, i), D(19, i), c[20].Strings![i]));
        return list;
    }

    /// <summary>The dataset as CSV with round-trip numbers (deterministic bytes).</summary>
    private static void WriteCsv(Stream s, DataFrame frame)
    {
        using var w = new StreamWriter(s, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
        w.WriteLine(string.Join(",", frame.Columns.Select(c => Quote(c.Name))));
        for (int i = 0; i < frame.RowCount; i++)
            w.WriteLine(string.Join(",", frame.Columns.Select(c => Quote(c.TextAt(i) ?? ""))));
    }

    private static string Quote(string v) => v.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + v.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : v;

    /// <summary>What the run reports about the bootstrap of its baseline specification.</summary>
    private sealed record BootstrapSummary(string SpecId, int Replicates, int Failed, double StdError, double PercentileLow, double PercentileHigh);

    private static bool IsBaseline(GridSpec g, IReadOnlyDictionary<string, string> c) =>
        c["outcome"] == g.Outcomes[0] && c["controls"] == g.Controls[0].Key && c["fe"] == g.FixedEffects[0].Trim() && c["sample"] == g.Samples[0].Key
        && c["winsor"] == (g.Winsorize[0] ? "yes" : "no") && c["lag"] == (g.Lag[0] ? "yes" : "no") && c["vcov"] == g.Vcov[0];

    private static List<BootstrapRow> ReadBootPart(string path)
    {
        using var r = ParquetReader.Open(path);
        var c = r.ReadAll();
        return Enumerable.Range(0, c[0].Count).Select(i => new BootstrapRow(c[0].Strings![i]!, c[1].Int64s![i],
            c[2].IsNull(i) ? null : c[2].Doubles![i], c[3].Strings![i])).ToList();
    }

    private static void WriteManifest(string path, StudyDefinition study, string runId, string rawHash, string preparedHash, int specs, int batches, int failed,
        string status, IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> weights, BootstrapSummary? boot = null, int fills = 0)
    {
        AtomicFile.Write(path, s =>
        {
            using var w = new Utf8JsonWriter(s, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            w.WriteStartObject();
            w.WriteString("study", study.Name);
            w.WriteString("run_id", runId);
            w.WriteString("status", status);
            w.WriteString("study_sha256", study.SourceHash);
            w.WriteNumber("seed", study.Seed);
            w.WriteString("code_version", typeof(RunCoordinator).Assembly.GetName().Version?.ToString() ?? "0");
            w.WriteStartObject("dataset");
            w.WriteString("path", study.Dataset.Path);
            w.WriteString("raw_sha256", rawHash);
            w.WriteString("prepared_sha256", preparedHash);
            w.WriteEndObject();
            w.WriteNumber("specifications", specs);
            w.WriteNumber("batches", batches);
            w.WriteNumber("batch_size", study.BatchSize);
            w.WriteNumber("failed", failed);
            w.WriteNumber("interpolated_cells", fills);
            if (boot is not null)
            {
                w.WriteStartObject("bootstrap");
                w.WriteString("spec_id", boot.SpecId);
                w.WriteNumber("replicates", boot.Replicates);
                w.WriteNumber("failed", boot.Failed);
                w.WriteNumber("std_error", boot.StdError);
                w.WriteNumber("percentile_low", boot.PercentileLow);
                w.WriteNumber("percentile_high", boot.PercentileHigh);
                w.WriteEndObject();
            }
            w.WriteStartObject("index_weights");
            foreach (var (k, v) in weights)
            {
                w.WriteStartObject(k);
                foreach (var (ind, x) in v) w.WriteNumber(ind, x);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    /// <summary>Markdown: the baseline (first choice of every dimension) and each one-dimension departure from it.</summary>
    private static void WriteTable(Stream s, StudyDefinition study, List<SpecificationRow> rows, BootstrapSummary? boot)
    {
        var g = study.Grid;
        string[] dims = ["outcome", "controls", "fe", "sample", "winsor", "lag", "vcov"];
        var baseline = new Dictionary<string, string>
        {
            ["outcome"] = g.Outcomes[0], ["controls"] = g.Controls[0].Key, ["fe"] = g.FixedEffects[0].Trim(), ["sample"] = g.Samples[0].Key,
            ["winsor"] = g.Winsorize[0] ? "yes" : "no", ["lag"] = g.Lag[0] ? "yes" : "no", ["vcov"] = g.Vcov[0],
        };
        static string[] Choices(SpecificationRow r) => [r.Outcome, r.Controls, r.FixedEffects, r.Sample, r.Winsor, r.Lag, r.Vcov];
        int Diff(SpecificationRow r) => dims.Select((d, k) => Choices(r)[k] == baseline[d] ? 0 : 1).Sum();
        var cols = rows.Where(r => Diff(r) == 0).Concat(rows.Where(r => Diff(r) == 1)
            .OrderBy(r => Array.FindIndex(dims, d => Choices(r)[Array.IndexOf(dims, d)] != baseline[d])).ThenBy(r => string.Join("|", Choices(r)), StringComparer.Ordinal)).ToList();
        using var w = new StreamWriter(s, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
        w.WriteLine($"# {study.Name}: baseline and robustness columns");
        w.WriteLine();
        w.WriteLine($"Coefficient of `{g.Treatment}` (standard error). Column (1) is the baseline; each other column changes one choice. *** p<0.01, ** p<0.05, * p<0.1.");
        w.WriteLine();
        w.WriteLine("| | " + string.Join(" | ", cols.Select((_, i) => $"({i + 1})")) + " |");
        w.WriteLine("|---|" + string.Concat(cols.Select(_ => "---|")));
        string Stars(double? p) => p is null ? "" : p < 0.01 ? "***" : p < 0.05 ? "**" : p < 0.1 ? "*" : "";
        w.WriteLine("| estimate | " + string.Join(" | ", cols.Select(r => r.Estimate is { } e ? e.ToString("0.0000", Inv) + Stars(r.PValue) : "failed")) + " |");
        w.WriteLine("| | " + string.Join(" | ", cols.Select(r => r.StdError is { } e ? $"({e.ToString("0.0000", Inv)})" : "")) + " |");
        w.WriteLine("| N | " + string.Join(" | ", cols.Select(r => r.N?.ToString(Inv) ?? "")) + " |");
        w.WriteLine("| R² (LSDV) | " + string.Join(" | ", cols.Select(r => r.R2?.ToString("0.000", Inv) ?? "")) + " |");
        foreach (var (d, k) in dims.Select((d, k) => (d, k)))
            w.WriteLine($"| {d} | " + string.Join(" | ", cols.Select(r => Choices(r)[k])) + " |");
        w.WriteLine();
        w.WriteLine($"{rows.Count} specifications in all (specs.parquet); {rows.Count(r => r.Error is not null)} could not be estimated (see the error column).");
        if (boot is not null)
            w.WriteLine($"Cluster bootstrap of column (1), {boot.Replicates} replicates (bootstrap.parquet): SE {boot.StdError.ToString("0.0000", Inv)}, 95% percentile interval [{boot.PercentileLow.ToString("0.0000", Inv)}, {boot.PercentileHigh.ToString("0.0000", Inv)}].");
    }
}
