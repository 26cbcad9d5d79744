using DigitalEconomy.Contracts;
using DigitalEconomy.Store;

namespace DigitalEconomy.Grains;

internal sealed partial class RunExecution
{
    /// <summary>The estimated grid: every batch's rows, from this execution or from parts already committed.</summary>
    private sealed record Estimated(IReadOnlyList<Specification> Specs, IReadOnlyDictionary<string, List<SpecificationRow>> Rows, int BatchesRun, int BatchesReused);

    /// <summary>Stage 3: the specification grid in batches on SpecificationGrains; one part per batch, committed as its reply arrives.</summary>
    private async Task<Estimated> EstimateAsync(Indexed indexed, IReadOnlyList<Specification> specs, IReadOnlyList<Batch> batches, CancellationToken ct)
    {
        using var span = Telemetry.Source.StartActivity("run.estimate");
        string dir = Path.Combine(RunDir, "specs");
        Directory.CreateDirectory(dir);
        string PartPath(string key) => Path.Combine(dir, $"part-{key}.parquet");
        var rows = new Dictionary<string, List<SpecificationRow>>(StringComparer.Ordinal);
        foreach (var b in batches.Where(b => File.Exists(PartPath(b.Key)))) rows[b.Key] = await ResultTables.Specs.ReadFileAsync(PartPath(b.Key), ct);
        int reused = rows.Count;
        long done = rows.Values.Sum(r => r.Count);
        Progress("estimate", done, specs.Count);
        await WorkDispatcher.ForEachAsync(batches.Where(b => !rows.ContainsKey(b.Key)), _command.MaxInFlight, async b =>
        {
            var work = new EstimateBatch(RunId, indexed.Dataset, b.Key, [.. b.Specifications]);
            var reply = await _dispatch.CallAsync($"batch {b.Key}", () => _grains.GetGrain<ISpecificationGrain>(b.Key).EstimateAsync(work), ct);
            if (reply.Results.Length != b.Specifications.Count || reply.Results.Where((r, i) => r.SpecId != b.Specifications[i].Id).Any())
                throw new InvalidOperationException($"batch {b.Key}: the reply does not match the specifications sent");
            var part = b.Specifications.Select((s, i) => ResultRows.From(s, reply.Results[i])).ToList();
            await ResultTables.Specs.WriteFileAsync(PartPath(b.Key), part, ct);
            rows[b.Key] = part;
            done += part.Count;
            Progress("estimate", done, specs.Count);
        }, ct);
        return new Estimated(specs, rows, batches.Count - reused, reused);
    }
}
