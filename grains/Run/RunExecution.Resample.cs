using DigitalEconomy.Contracts;
using DigitalEconomy.Core.Resampling;
using DigitalEconomy.Store;

namespace DigitalEconomy.Grains;

/// <summary>What the run reports of the bootstrap of its baseline specification.</summary>
internal sealed record BootstrapSummaryRecord(string SpecId, int Replicates, int Failed, double StdError, double PercentileLow, double PercentileHigh);

internal sealed partial class RunExecution
{
    private sealed record Resampled(List<BootstrapReplicate> Replicates, BootstrapSummaryRecord? Summary);

    /// <summary>Stage 4: the pairs cluster bootstrap of the baseline specification in blocks on BootstrapGrains; one part per block.</summary>
    private async Task<Resampled?> ResampleAsync(Indexed indexed, Estimated estimated, CancellationToken ct)
    {
        if (_study.Bootstrap is not { } bs) return null;
        using var span = Telemetry.Source.StartActivity("run.resample");
        var baseline = estimated.Specs.First(s => GridExpansion.IsBaseline(_study.Grid!, s));
        string dir = Path.Combine(RunDir, "bootstrap");
        Directory.CreateDirectory(dir);
        var blocks = Enumerable.Range(0, (bs.Replicates + bs.Chunk - 1) / bs.Chunk)
            .Select(k => (First: k * bs.Chunk, Count: Math.Min(bs.Chunk, bs.Replicates - k * bs.Chunk))).ToList();
        string PartPath(int first) => Path.Combine(dir, $"part-{baseline.Id}-{first:D7}.parquet");
        var parts = new Dictionary<int, List<BootstrapReplicate>>();
        foreach (var b in blocks.Where(b => File.Exists(PartPath(b.First)))) parts[b.First] = (await ResultTables.Bootstrap.ReadFileAsync(PartPath(b.First), ct)).Select(ResultRows.Replicate).ToList();
        long done = parts.Values.Sum(p => p.Count);
        Progress("resample", done, bs.Replicates);
        await WorkDispatcher.ForEachAsync(blocks.Where(b => !parts.ContainsKey(b.First)), _command.MaxInFlight, async b =>
        {
            var work = new BootstrapBlock(RunId, indexed.Dataset, _study.Seed, baseline, b.First, b.Count);
            var reply = await _dispatch.CallAsync($"bootstrap block {b.First}", () => _grains.GetGrain<IBootstrapGrain>($"{baseline.Id}/{b.First}").RunAsync(work), ct);
            var part = reply.Replicates.ToList();
            await ResultTables.Bootstrap.WriteFileAsync(PartPath(b.First), part.Select(ResultRows.Row), ct);
            parts[b.First] = part;
            done += part.Count;
            Progress("resample", done, bs.Replicates);
        }, ct);
        var all = parts.Values.SelectMany(p => p).OrderBy(r => r.Replicate).ToList();
        var estimates = all.Where(r => r.Estimate is { } e && double.IsFinite(e)).Select(r => r.Estimate!.Value).ToList();
        var baseRow = estimated.Rows.Values.SelectMany(r => r).First(r => r.SpecId == baseline.Id);
        BootstrapSummaryRecord? summary = null;
        if (estimates.Count >= 2 && baseRow.Estimate is { } est)
        {
            var s = ClusterBootstrap.Summarise(est, estimates);
            summary = new BootstrapSummaryRecord(baseline.Id, all.Count, all.Count - estimates.Count, s.StdError, s.PercentileLow, s.PercentileHigh);
        }
        return new Resampled(all, summary);
    }
}
