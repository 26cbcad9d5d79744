using DigitalEconomy.Contracts;
using DigitalEconomy.Core.Resampling;
using DigitalEconomy.Store;

namespace DigitalEconomy.Grains;

/// <summary>
/// The bootstrap of one specification, as its interval columns in specs.parquet: pairs (SE, percentile and
/// bias-corrected limits over the usable replicates) or wild (p-value of H0: coefficient = 0 and the interval by test
/// inversion); <paramref name="Note"/> says why the numbers are null when they are.
/// </summary>
internal sealed record BootstrapInterval(
    string SpecId, BootstrapMethod Method, int Replicates, int Failed, double? StdError, double? PercentileLow, double? PercentileHigh,
    double? BiasCorrectedLow, double? BiasCorrectedHigh, double? WildPValue, double? WildLow, double? WildHigh, bool Enumerated, string? Note)
{
    /// <summary>The row with this interval in its bootstrap columns.</summary>
    public SpecificationRow Apply(SpecificationRow r) => r with
    {
        BootMethod = Method == BootstrapMethod.Wild ? "wild" : "pairs", BootReplicates = Replicates,
        BootStdError = StdError, BootPercentileLow = PercentileLow, BootPercentileHigh = PercentileHigh,
        BootBcLow = BiasCorrectedLow, BootBcHigh = BiasCorrectedHigh, WildPValue = WildPValue, WildConfLow = WildLow, WildConfHigh = WildHigh, BootNote = Note,
    };
}

/// <summary>What the run reports of its bootstrap: how many specifications, and the baseline's interval (or the first bootstrapped one's when the baseline was not selected).</summary>
internal sealed record BootstrapSummaryRecord(BootstrapSpec Spec, int Specifications, BootstrapInterval Shown, bool ShownIsBaseline);

/// <summary>What the resample and infer stages read: the indexed dataset and the estimated grid.</summary>
internal sealed record GridInput(Indexed Indexed, Estimated Estimated);

/// <summary>The bootstrap's replicates (pairs) and every bootstrapped specification's interval, with what the run reports of them.</summary>
internal sealed record Resampled(List<BootstrapReplicate> Replicates, IReadOnlyDictionary<string, BootstrapInterval> Intervals, BootstrapSummaryRecord? Summary)
{
    /// <summary>specs.parquet's rows with the bootstrap columns of the bootstrapped specifications filled in.</summary>
    public List<SpecificationRow> Apply(IEnumerable<SpecificationRow> rows) => [.. rows.Select(r => Intervals.TryGetValue(r.SpecId, out var i) ? i.Apply(r) : r)];
}

/// <summary>Stage 5 (input: <see cref="GridInput"/>; output: <see cref="Resampled"/>, null without a bootstrap).</summary>
internal sealed class ResampleStage(RunContext run) : RunStage(run)
{
    /// <summary>
    /// the bootstrap of the selected specifications. Pairs: blocks of replicates per specification on
    /// the compute grain, one part per (specification, block). Wild: one compute grain call per specification.
    /// </summary>
    public async Task<Resampled?> RunAsync(GridInput input, CancellationToken ct)
    {
        var (indexed, estimated) = input;
        if (_study.Bootstrap is not { } bs) return null;
        using var span = Telemetry.Source.StartActivity("run.resample");
        var selected = BootstrapSelection.Select(_study.Grid!, estimated.Specs, bs.Specs);
        var estimateOf = estimated.Rows.Values.SelectMany(r => r).ToDictionary(r => r.SpecId, r => r.Estimate, StringComparer.Ordinal);
        var intervals = new SortedDictionary<string, BootstrapInterval>(StringComparer.Ordinal);
        // A specification that could not be estimated is not resampled: there is no estimate to bootstrap.
        foreach (var s in selected.Where(s => estimateOf[s.Id] is not { } e || !double.IsFinite(e)))
            intervals[s.Id] = new BootstrapInterval(s.Id, bs.Method, 0, 0, null, null, null, null, null, null, null, null, false, "the specification could not be estimated (see error)");
        var targets = selected.Where(s => !intervals.ContainsKey(s.Id)).ToList();
        var replicates = new List<BootstrapReplicate>();
        if (bs.Method == BootstrapMethod.Wild)
            await WildAsync(indexed, bs, targets, intervals, ct);
        else
            replicates = await PairsAsync(indexed, bs, targets, estimateOf, intervals, ct);
        if (intervals.Count == 0) return new Resampled(replicates, intervals, null);
        var baseline = selected.FirstOrDefault(s => GridExpansion.IsBaseline(_study.Grid!, s));
        var shown = intervals[baseline?.Id ?? intervals.Keys.First()];
        return new Resampled(replicates, intervals, new BootstrapSummaryRecord(bs, intervals.Count, shown, baseline is not null));
    }

    private async Task<List<BootstrapReplicate>> PairsAsync(Indexed indexed, BootstrapSpec bs, List<Specification> targets,
        Dictionary<string, double?> estimateOf, SortedDictionary<string, BootstrapInterval> intervals, CancellationToken ct)
    {
        string dir = Path.Combine(RunDir, "bootstrap");
        Directory.CreateDirectory(dir);
        var blocks = targets.SelectMany(s => Enumerable.Range(0, (bs.Replicates + bs.Chunk - 1) / bs.Chunk)
            .Select(k => (Spec: s, First: k * bs.Chunk, Count: Math.Min(bs.Chunk, bs.Replicates - k * bs.Chunk)))).ToList();
        string PartPath(string spec, int first) => Path.Combine(dir, $"part-{spec}-{first:D7}.parquet");
        var parts = new Dictionary<(string, int), List<BootstrapReplicate>>();
        foreach (var b in blocks)
        {
            // A block's part holds its specification's replicates First … First + Count - 1, in order; anything else is moved aside and recomputed.
            var (rows, damaged) = await RunParts.ReadAsync(PartPath(b.Spec.Id, b.First), ResultTables.Bootstrap, r =>
                r.Count == b.Count && r.Select((x, i) => x.SpecId == b.Spec.Id && x.Replicate == b.First + i).All(ok => ok)
                    ? null : $"does not hold replicates {b.First}–{b.First + b.Count - 1} of {b.Spec.Id} ({r.Count} rows)", ct);
            if (damaged is not null) Damaged(damaged);
            if (rows is not null) parts[(b.Spec.Id, b.First)] = rows.Select(ResultRows.Replicate).ToList();
        }
        long total = (long)targets.Count * bs.Replicates, done = parts.Values.Sum(p => p.Count);
        Progress("resample", done, total);
        await WorkDispatcher.ForEachAsync(blocks.Where(b => !parts.ContainsKey((b.Spec.Id, b.First))), _command.MaxInFlight, async b =>
        {
            var work = new BootstrapBlock(RunId, indexed.Dataset, _study.Seed, b.Spec, b.First, b.Count);
            var reply = await _dispatch.ComputeAsync($"bootstrap of {b.Spec.Id}, block {b.First}", $"{b.Spec.Id}/{b.First}", work, ct);
            var part = reply.Replicates.ToList();
            await ResultTables.Bootstrap.WriteFileAsync(PartPath(b.Spec.Id, b.First), part.Select(ResultRows.Row), ct);
            lock (parts)
            {
                parts[(b.Spec.Id, b.First)] = part;
                done += part.Count;
            }
            Progress("resample", done, total);
        }, ct);
        var all = parts.Values.SelectMany(p => p).OrderBy(r => r.SpecId, StringComparer.Ordinal).ThenBy(r => r.Replicate).ToList();
        foreach (var s in targets)
        {
            var reps = all.Where(r => r.SpecId == s.Id).ToList();
            var ok = reps.Where(r => r.Estimate is { } e && double.IsFinite(e)).Select(r => r.Estimate!.Value).ToList();
            if (ok.Count < 2)
            {
                intervals[s.Id] = new BootstrapInterval(s.Id, bs.Method, ok.Count, reps.Count - ok.Count, null, null, null, null, null, null, null, null, false,
                    $"only {ok.Count} of {reps.Count} replicates could be fitted");
                continue;
            }
            var sum = ClusterBootstrap.Summarise(estimateOf[s.Id]!.Value, ok, bs.Level);
            intervals[s.Id] = new BootstrapInterval(s.Id, bs.Method, ok.Count, reps.Count - ok.Count, sum.StdError, sum.PercentileLow, sum.PercentileHigh,
                sum.BiasCorrectedLow, sum.BiasCorrectedHigh, null, null, null, false, null);
        }
        return all;
    }

    private async Task WildAsync(Indexed indexed, BootstrapSpec bs, List<Specification> targets, SortedDictionary<string, BootstrapInterval> intervals, CancellationToken ct)
    {
        var replies = new Dictionary<string, WildBootstrapDone>(StringComparer.Ordinal);
        Progress("resample", 0, targets.Count);
        await WorkDispatcher.ForEachAsync(targets, _command.MaxInFlight, async s =>
        {
            var work = new WildBootstrapWork(RunId, indexed.Dataset, _study.Seed, s, bs.Replicates, bs.Weights, bs.Type, bs.Level);
            var reply = await _dispatch.ComputeAsync($"wild bootstrap of {s.Id}", s.Id, work, ct);
            int n;
            lock (replies)
            {
                replies[s.Id] = reply;
                n = replies.Count;
            }
            Progress("resample", n, targets.Count);
        }, ct);
        foreach (var (id, r) in replies)
            intervals[id] = new BootstrapInterval(id, bs.Method, r.Draws, 0, null, null, null, null, null, r.PValue, r.ConfLow, r.ConfHigh, r.Enumerated,
                r.Error ?? (r.ConfLow is null || r.ConfHigh is null ? "the test inverts to an interval unbounded on the side left null" : null));
    }
}
