using System.Collections.Immutable;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Indices;
using DigitalEconomy.Store;

namespace DigitalEconomy.Grains;

/// <summary>The dataset with the index columns: what the regressions read; the index weights and, per index, whether it was reused.</summary>
internal sealed record Indexed(Panel Panel, DatasetRef Dataset, IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> Weights,
    IReadOnlyDictionary<string, IndexStatus>? Status = null);

/// <summary>Stage 2 (input: <see cref="Prepared"/>; output: <see cref="Indexed"/>).</summary>
internal sealed class IndicesStage(RunContext run) : RunStage(run)
{
    private readonly IndexReuse _reuse = new(run);

    /// <summary>each pooled entropy index as a map-reduce over RegionGrains (ranges, then sums, then scores); the scored dataset is published.</summary>
    public async Task<Indexed> RunAsync(Prepared prepared, CancellationToken ct)
    {
        using var span = Telemetry.Source.StartActivity("run.indices");
        var raw = prepared.Panel;
        var weights = new SortedDictionary<string, IReadOnlyDictionary<string, double>>(StringComparer.Ordinal);
        if (_study.Indices.IsDefaultOrEmpty)
        {
            // The data the analyses read is kept beside the results when it differs from the input file.
            if (prepared.Derived.Count > 0) AtomicFile.Write(Path.Combine(RunDir, "dataset.csv"), s => s.Write(CsvWriter.ToBytes(raw.Frame)));
            return new Indexed(raw, prepared.Dataset, weights);
        }
        // The study loader refuses indices without dataset.region.
        var regionCol = raw.Frame[_study.Dataset.Region ?? throw new InvalidOperationException("indices need dataset.region")];
        var regions = Enumerable.Range(0, raw.RowCount).Select(regionCol.TextAt).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToList();
        var panel = raw;
        var rows = new List<IndexScoreRow>();
        int step = 0, steps = 3 * _study.Indices.Length;
        var status = new SortedDictionary<string, IndexStatus>(StringComparer.Ordinal);
        foreach (var ix in _study.Indices)
        {
            string inputKey = IndexReuse.IndexInputKey(raw, ix);
            var earlier = await _reuse.EarlierIndexAsync(raw, ix, inputKey, ct);
            double[] scores;
            IReadOnlyDictionary<string, double> w;
            if (earlier.Reused is { } r)
            {
                (scores, w) = (r.Scores, r.Weights);
                step += 3;
                Progress("indices", step, steps);
                status[ix.Name] = new IndexStatus(inputKey, false, earlier.From,
                    $"reused from run {earlier.From}: every indicator cell is the same, so the normalisation (min/max per indicator{(ix.PerPeriod ? " and period" : "")}) and the entropy weights over the whole panel are the same", r.Ranges);
            }
            else
            {
                ImmutableArray<PeriodRange> ranges;
                (scores, w, ranges) = await IndexAsync(prepared.Dataset, raw.RowCount, regions, ix, () => Progress("indices", ++step, steps), ct);
                status[ix.Name] = new IndexStatus(inputKey, true, earlier.Compared?.Run, IndexReuse.WhyRecomputed(ix, earlier.Compared, ranges, w), ranges);
            }
            panel = panel.WithColumn(ix.Name, scores);
            weights[ix.Name] = w;
            for (int i = 0; i < raw.RowCount; i++)
                rows.Add(new IndexScoreRow(ix.Name, raw.UnitLabels[raw.UnitCode[i]], raw.Time[i], regionCol.TextAt(i) ?? "", scores[i]));
        }
        await ResultTables.Indices.WriteFileAsync(Path.Combine(RunDir, "indices.parquet"), rows, ct);
        byte[] bytes = CsvWriter.ToBytes(panel.Frame);
        AtomicFile.Write(Path.Combine(RunDir, "dataset.csv"), s => s.Write(bytes));
        var dataset = await PublishAsync(bytes, DatasetCache.Hash(bytes), "dataset.csv");
        return new Indexed(panel, dataset, weights, status);
    }

    private async Task<(double[] Scores, IReadOnlyDictionary<string, double> Weights, ImmutableArray<PeriodRange> Ranges)> IndexAsync(
        DatasetRef dataset, int rowCount, List<string> regions, IndexSpec ix, Action stepDone, CancellationToken ct)
    {
        IRegionGrain Region(string r) => _grains.GetGrain<IRegionGrain>($"{dataset.Sha256}/{r}");
        string col = _study.Dataset.Region!;
        var rangeReplies = await Task.WhenAll(regions.Select(r => _dispatch.CallAsync($"index {ix.Name}, region {r} (ranges)",
            () => Region(r).RangesAsync(dataset, new RegionRangesWork(col, ix.Indicators, ix.PerPeriod)), ct)));
        stepDone();
        // Merged in region order: min/max do not depend on it, and the sums are added in this fixed order.
        var merged = rangeReplies.OrderBy(r => r.Region, StringComparer.Ordinal).Select(r => RegionGrain.ToRanges(r.Ranges, r.Count)).Aggregate(RangeStatistics.Combine);
        var mergedMessage = RegionGrain.ToMessage(merged);
        var sumReplies = await Task.WhenAll(regions.Select(r => _dispatch.CallAsync($"index {ix.Name}, region {r} (sums)",
            () => Region(r).SumsAsync(dataset, new RegionSumsWork(col, ix.Indicators, ix.PerPeriod, ix.Shift, mergedMessage)), ct)));
        stepDone();
        var sums = sumReplies.OrderBy(r => r.Region, StringComparer.Ordinal).Select(r => new EntropySums(r.Count, [.. r.SumZ], [.. r.SumZLnZ])).Aggregate(EntropySums.Combine);
        var system = RegionGrain.System(ix.Indicators);
        var options = new EntropyOptions { Shift = ix.Shift, Scope = ix.PerPeriod ? NormalisationScope.PerPeriod : NormalisationScope.Pooled };
        var w = EntropyIndex.WeightsFrom(system, sums, merged, options);
        var scoreWork = new RegionScoreWork(col, ix.Indicators, ix.PerPeriod, ix.Shift, mergedMessage, [.. w.Weight]);
        var scoreReplies = await Task.WhenAll(regions.Select(r => _dispatch.CallAsync($"index {ix.Name}, region {r} (scores)",
            () => Region(r).ScoreAsync(dataset, scoreWork), ct)));
        stepDone();
        var scores = new double[rowCount];
        Array.Fill(scores, double.NaN);
        foreach (var reply in scoreReplies)
            for (int k = 0; k < reply.Rows.Length; k++) scores[reply.Rows[k]] = reply.Scores[k];
        return (scores, system.Indicators.Select((ind, j) => (ind.Code, w.Weight[j])).ToDictionary(p => p.Code, p => p.Item2, StringComparer.Ordinal), mergedMessage);
    }
}
