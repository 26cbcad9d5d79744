using System.Collections.Immutable;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core.Resampling;
using DigitalEconomy.Store;

namespace DigitalEconomy.Grains;

/// <summary>What the run reports of the specification-curve inference: the observed statistics and their p-values from the null draws.</summary>
internal sealed record CurveSummaryRecord(int Draws, int DrawsUsed, int Sign, CurveStatistics Observed, CurvePValues PValues);

/// <summary>The rows of curve_inference.parquet (one per draw) and what the run reports of them.</summary>
internal sealed record Inferred(List<CurveInferenceRow> Rows, CurveSummaryRecord Summary);

/// <summary>Stage 6 (input: <see cref="GridInput"/>; output: <see cref="Inferred"/>, null without curve_inference).</summary>
internal sealed class InferStage(RunContext run) : RunStage(run)
{
    /// <summary>
    /// specification-curve inference under the null (docs/methods.md, "Specification grids"). Work is (spec block, draw block): spec blocks
    /// are the grid's batches (specifications sharing sample, fixed effects and winsorising, at most spec_chunk) among those with
    /// an estimate; one part per block, committed as its reply arrives, named by the block's key. Per draw the statistics are
    /// computed over every specification in spec-id order, so they depend on neither chunk size.
    /// </summary>
    public async Task<Inferred?> RunAsync(GridInput input, CancellationToken ct)
    {
        var (indexed, estimated) = input;
        if (_study.CurveInference is not { } ci) return null;
        using var span = Telemetry.Source.StartActivity("run.infer");
        var observed = estimated.Rows.Values.SelectMany(r => r).ToDictionary(r => r.SpecId, StringComparer.Ordinal);
        var included = estimated.Specs.Where(s => observed[s.Id].Estimate is { } e && double.IsFinite(e)).ToList();
        var specBlocks = GridExpansion.Batches(included, ci.SpecChunk);
        var drawBlocks = Enumerable.Range(0, (ci.Draws + ci.Chunk - 1) / ci.Chunk)
            .Select(k => (First: k * ci.Chunk, Count: Math.Min(ci.Chunk, ci.Draws - k * ci.Chunk))).ToList();
        var work = (from b in specBlocks from d in drawBlocks select (Key: $"{b.Key}-{d.First:D7}", Batch: b, d.First, d.Count)).ToList();
        string dir = Path.Combine(RunDir, "curve_null");
        Directory.CreateDirectory(dir);
        string PartPath(string key) => Path.Combine(dir, $"part-{key}.parquet");
        var parts = new Dictionary<string, List<CurveNullRow>>(StringComparer.Ordinal);
        foreach (var w in work)
        {
            // A block's part holds a fit for each of its specifications in each of its draws; anything else is moved aside and recomputed.
            var ids = w.Batch.Specifications.Select(x => x.Id).ToHashSet(StringComparer.Ordinal);
            var (found, damaged) = await RunParts.ReadAsync(PartPath(w.Key), ResultTables.CurveNull, r =>
                r.Count == ids.Count * w.Count && r.All(x => ids.Contains(x.SpecId) && x.Draw >= w.First && x.Draw < w.First + w.Count)
                && r.Select(x => (x.SpecId, x.Draw)).Distinct().Count() == r.Count
                    ? null : $"does not hold its block's fits ({r.Count} rows for {ids.Count} specifications × {w.Count} draws)", ct);
            if (damaged is not null) Damaged(damaged);
            if (found is not null) parts[w.Key] = found;
        }
        long total = (long)included.Count * ci.Draws, done = parts.Values.Sum(p => (long)p.Count);
        Progress("infer", done, total);
        await WorkDispatcher.ForEachAsync(work.Where(w => !parts.ContainsKey(w.Key)), _command.MaxInFlight, async w =>
        {
            var specs = w.Batch.Specifications;
            var block = new CurveNullBlock(RunId, indexed.Dataset, _study.Seed, [.. specs], [.. specs.Select(s => observed[s.Id].Estimate!.Value)], w.First, w.Count);
            var reply = await _dispatch.ComputeAsync($"curve null block {w.Key}", w.Key, block, ct);
            if (reply.Fits.Length != specs.Count * w.Count)
                throw new InvalidOperationException($"curve null block {w.Key}: {reply.Fits.Length} fits for {specs.Count} specifications × {w.Count} draws");
            var part = reply.Fits.Select(f => new CurveNullRow(f.SpecId, f.Draw, f.Estimate, f.PValue)).ToList();
            await ResultTables.CurveNull.WriteFileAsync(PartPath(w.Key), part, ct);
            parts[w.Key] = part;
            done += part.Count;
            Progress("infer", done, total);
        }, ct);

        var ordered = included.Select(s => observed[s.Id]).OrderBy(r => r.SpecId, StringComparer.Ordinal).ToList();
        int sign = CurveInference.DominantSign(ordered.Select(r => r.Estimate!.Value));
        var obs = CurveInference.Statistics([.. ordered.Select(r => r.Estimate!.Value)], [.. ordered.Select(r => r.PValue ?? double.NaN)], sign);
        var byDraw = parts.Values.SelectMany(p => p).GroupBy(r => r.Draw).OrderBy(g => g.Key).ToList();
        if (byDraw.Count != ci.Draws || byDraw.Any(g => g.Count() != included.Count))
            throw new InvalidOperationException($"the curve null parts do not hold {included.Count} specifications × {ci.Draws} draws");
        var rows = new List<CurveInferenceRow>(ci.Draws);
        var stats = new List<CurveStatistics>(ci.Draws);
        foreach (var g in byDraw)
        {
            var fits = g.OrderBy(r => r.SpecId, StringComparer.Ordinal).ToList();
            var st = CurveInference.Statistics([.. fits.Select(r => r.Estimate ?? double.NaN)], [.. fits.Select(r => r.PValue ?? double.NaN)], sign);
            stats.Add(st);
            rows.Add(new CurveInferenceRow(g.Key, SpecificationFit.Finite(st.Median), SpecificationFit.Finite(st.ShareSignificant), SpecificationFit.Finite(st.AggregateZ), st.Specifications));
        }
        var pv = CurveInference.PValues(obs, sign, stats);
        return new Inferred(rows, new CurveSummaryRecord(ci.Draws, pv.Draws, sign, obs, pv));
    }
}
