using DigitalEconomy.Contracts;
using DigitalEconomy.Store;

namespace DigitalEconomy.Grains;

/// <summary>What the estimate stage reads: the indexed dataset, the grid's specifications and their batches.</summary>
internal sealed record EstimateInput(Indexed Indexed, IReadOnlyList<Specification> Specs, IReadOnlyList<Batch> Batches);

/// <summary>
/// The estimated grid: every batch's rows, from this execution or from parts already committed; how many
/// specifications were taken from earlier runs (same data key) and how many were fitted.
/// </summary>
internal sealed record Estimated(IReadOnlyList<Specification> Specs, IReadOnlyDictionary<string, List<SpecificationRow>> Rows, int BatchesRun, int BatchesReused,
    Incremental Incremental, int FittedNow);

/// <summary>What the estimate stage took from earlier runs: the specifications reused and recomputed (ids), and the runs read.</summary>
internal sealed record Incremental(IReadOnlySet<string> Reused, int Recomputed, IReadOnlyList<string> RunsRead);

/// <summary>Stage 4 (input: <see cref="EstimateInput"/>; output: <see cref="Estimated"/>).</summary>
internal sealed class EstimateStage(RunContext run) : RunStage(run)
{
    /// <summary>
    /// the specification grid. Each specification's data key (<see cref="DataKeys"/>) is looked up among
    /// the rows of the earlier complete runs of this study under the same results root (read only): a match is
    /// reused as it is (its numbers byte-identical, under this run's specification id); the others go in batches to
    /// the compute grain. One part per batch (reused and fitted rows together), committed as its reply arrives.
    /// </summary>
    public async Task<Estimated> RunAsync(EstimateInput input, CancellationToken ct)
    {
        var (indexed, specs, batches) = input;
        using var span = Telemetry.Source.StartActivity("run.estimate");
        string dir = Path.Combine(RunDir, "specs");
        Directory.CreateDirectory(dir);
        string PartPath(string key) => Path.Combine(dir, $"part-{key}.parquet");
        var keys = new DataKeys(indexed.Panel);
        var keyOf = specs.ToDictionary(s => s.Id, keys.Key, StringComparer.Ordinal);
        var (earlier, runsRead) = await EarlierRowsAsync(ct);
        var reused = new HashSet<string>(specs.Where(s => keyOf[s.Id] is { } k && earlier.ContainsKey(k)).Select(s => s.Id), StringComparer.Ordinal);
        var rows = new Dictionary<string, List<SpecificationRow>>(StringComparer.Ordinal);
        // A committed part is used only when it holds exactly its batch's specifications; another file under its name is moved aside and the batch recomputed.
        foreach (var b in batches)
        {
            var (part, damaged) = await RunParts.ReadAsync(PartPath(b.Key), ResultTables.Specs, r => HoldsBatch(r, b), ct);
            if (damaged is not null) Damaged(damaged);
            if (part is not null) rows[b.Key] = part;
        }
        long done = rows.Values.Sum(r => r.Count);
        Progress("estimate", done, specs.Count);
        int sent = 0, fitted = 0;
        await WorkDispatcher.ForEachAsync(batches.Where(b => !rows.ContainsKey(b.Key)), _command.MaxInFlight, async b =>
        {
            var fit = b.Specifications.Where(s => !reused.Contains(s.Id)).ToList();
            var results = new Dictionary<string, SpecificationResult>(StringComparer.Ordinal);
            if (fit.Count > 0)
            {
                Interlocked.Increment(ref sent);
                Interlocked.Add(ref fitted, fit.Count);
                var work = new EstimateBatch(RunId, indexed.Dataset, b.Key, [.. fit]);
                var reply = await _dispatch.ComputeAsync($"batch {b.Key}", b.Key, work, ct);
                if (reply.Results.Length != fit.Count || reply.Results.Where((r, i) => r.SpecId != fit[i].Id).Any())
                    throw new InvalidOperationException($"batch {b.Key}: the reply does not match the specifications sent");
                foreach (var r in reply.Results) results[r.SpecId] = r;
            }
            var part = b.Specifications.Select(s => reused.Contains(s.Id)
                ? Reuse(earlier[keyOf[s.Id]!], s.Id)
                : ResultRows.From(s, results[s.Id]) with { DataKey = keyOf[s.Id] }).ToList();
            await ResultTables.Specs.WriteFileAsync(PartPath(b.Key), part, ct);
            lock (rows)
            {
                rows[b.Key] = part;
                done += part.Count;
            }
            Progress("estimate", done, specs.Count);
        }, ct);
        span?.SetTag("de.reused", reused.Count);
        return new Estimated(specs, rows, sent, batches.Count - sent, new Incremental(reused, specs.Count - reused.Count, runsRead), fitted);
    }

    /// <summary>Null when a part's rows are its batch's specifications in order, else what is wrong with them.</summary>
    private static string? HoldsBatch(List<SpecificationRow> rows, Batch b)
    {
        if (rows.Select(r => r.SpecId).SequenceEqual(b.Specifications.Select(s => s.Id), StringComparer.Ordinal)) return null;
        string Ids(IEnumerable<string> ids) => string.Join(", ", ids.Take(3)) + (ids.Skip(3).Any() ? ", …" : "");
        return $"does not hold its batch's specifications ({rows.Count} rows: {Ids(rows.Select(r => r.SpecId))}; expected {b.Specifications.Count}: {Ids(b.Specifications.Select(s => s.Id))})";
    }

    /// <summary>
    /// An earlier run's row under this run's specification id: its choices and numbers as they are; the bootstrap
    /// columns are left out (the resample stage fills them for this run).
    /// </summary>
    private static SpecificationRow Reuse(SpecificationRow earlier, string specId) => earlier with
    {
        SpecId = specId, BootMethod = null, BootReplicates = null, BootStdError = null, BootPercentileLow = null, BootPercentileHigh = null,
        BootBcLow = null, BootBcHigh = null, WildPValue = null, WildConfLow = null, WildConfHigh = null, BootNote = null,
    };

    /// <summary>
    /// The rows of the earlier complete runs of this study under this results root, by data key (rows without one,
    /// from files of schema 4 and older, are skipped), and the ids of the runs read. Runs are read in the order of
    /// their folder names and the first row of a key is kept (equal keys carry equal numbers). Nothing there is written.
    /// </summary>
    private async Task<(Dictionary<string, SpecificationRow> Rows, List<string> Runs)> EarlierRowsAsync(CancellationToken ct)
    {
        var byKey = new Dictionary<string, SpecificationRow>(StringComparer.Ordinal);
        var runs = new List<string>();
        foreach (var run in EarlierRuns())
        {
            string file = Path.Combine(run, "specs.parquet");
            if (!File.Exists(file)) continue;
            List<SpecificationRow> rows;
            try { rows = await ResultTables.Specs.ReadFileAsync(file, ct); }
            catch (Core.InputException) { continue; } // a results file this version cannot read is not reused, never an error of this run
            runs.Add(Path.GetFileName(run));
            foreach (var r in rows)
                if (r.DataKey is { } k) byKey.TryAdd(k, r);
        }
        return (byKey, runs);
    }
}
