using System.Diagnostics;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Indices;

namespace DigitalEconomy.Grains;

/// <summary>Owns one region's rows: the map steps of the entropy index (ranges, then sums).</summary>
public sealed class RegionGrain(DatasetCache datasets) : IRegionGrain
{
    private IndexInput Slice(string hash, string path, string unit, string time, string regionColumn, string region, IReadOnlyList<IndicatorDto> indicators)
    {
        var panel = datasets.Get(hash, path, unit, time);
        var col = panel.Frame[regionColumn];
        var rows = Enumerable.Range(0, panel.RowCount).Where(i => col.TextAt(i) == region).ToList();
        var input = IndexInput.From(panel, System(indicators));
        return input.Slice(rows);
    }

    /// <summary>The indicator system of a work message.</summary>
    public static IndicatorSystem System(IReadOnlyList<IndicatorDto> indicators)
    {
        ArgumentNullException.ThrowIfNull(indicators);
        return new IndicatorSystem("work", indicators.Select(i => new Indicator(i.Code, i.Direction >= 0 ? Direction.Positive : Direction.Negative,
            Path: i.Dimension is null ? null : [i.Dimension])).ToList());
    }

    /// <inheritdoc/>
    public Task<RegionRangesComputed> RangesAsync(ComputeRegionRanges work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        using var span = Telemetry.Source.StartActivity("grain.region.ranges");
        span?.SetTag("de.region", work.Region);
        var sw = Stopwatch.StartNew();
        var slice = Slice(work.DatasetHash, work.DatasetPath, work.Unit, work.Time, work.RegionColumn, work.Region, work.Indicators);
        var r = EntropyIndex.Ranges(slice, new EntropyOptions { Scope = work.PerPeriod ? NormalisationScope.PerPeriod : NormalisationScope.Pooled });
        var ranges = r.Min.OrderBy(p => p.Key).Select(p => new PeriodRange(p.Key, p.Value, r.Max[p.Key])).ToList();
        Telemetry.GrainLatency.Record(sw.Elapsed.TotalMilliseconds, new KeyValuePair<string, object?>("grain", "region"));
        return Task.FromResult(new RegionRangesComputed(work.Region, r.Count, ranges));
    }

    /// <inheritdoc/>
    public Task<RegionSumsComputed> SumsAsync(ComputeRegionSums work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        using var span = Telemetry.Source.StartActivity("grain.region.sums");
        span?.SetTag("de.region", work.Region);
        var slice = Slice(work.DatasetHash, work.DatasetPath, work.Unit, work.Time, work.RegionColumn, work.Region, work.Indicators);
        var options = new EntropyOptions { Scope = work.PerPeriod ? NormalisationScope.PerPeriod : NormalisationScope.Pooled, Shift = work.Shift };
        var s = EntropyIndex.Sums(slice, ToRanges(work.Ranges, work.Indicators.Count), options);
        return Task.FromResult(new RegionSumsComputed(work.Region, s.Count, s.SumZ, s.SumZLnZ));
    }

    /// <summary>Merged ranges from their message form.</summary>
    public static RangeStatistics ToRanges(IReadOnlyList<PeriodRange> ranges, long count = 0)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        return new RangeStatistics(count, ranges.ToDictionary(r => r.Period, r => r.Min.ToArray()), ranges.ToDictionary(r => r.Period, r => r.Max.ToArray()));
    }
}
