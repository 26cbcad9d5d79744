using System.Collections.Immutable;
using System.Diagnostics;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Indices;

namespace DigitalEconomy.Grains;

/// <summary>
/// One region of one dataset version (key: dataset SHA-256 + "/" + region). Finds its rows once per
/// activation and keeps them; answers the map steps of the pooled entropy index and scores its units.
/// </summary>
public sealed class RegionGrain(DatasetCache datasets) : Grain, IRegionGrain
{
    private Panel? _panel;
    private int[]? _rows;
    private readonly Dictionary<string, IndexInput> _slices = new(StringComparer.Ordinal);

    private async Task<IndexInput> SliceAsync(DatasetRef dataset, string regionColumn, ImmutableArray<IndicatorDto> indicators)
    {
        string key = this.GetPrimaryKeyString();
        int slash = key.IndexOf('/', StringComparison.Ordinal);
        if (key[..slash] != dataset.Sha256) throw new ArgumentException($"region grain {key} was asked about dataset {dataset.Sha256}", nameof(dataset));
        if (_panel is null || _rows is null)
        {
            _panel = await datasets.GetAsync(dataset);
            string region = key[(slash + 1)..];
            var col = _panel.Frame[regionColumn];
            _rows = [.. Enumerable.Range(0, _panel.RowCount).Where(i => col.TextAt(i) == region)];
        }
        string sysKey = string.Join(";", indicators.Select(i => $"{i.Code}:{i.Direction}:{i.Dimension}"));
        if (!_slices.TryGetValue(sysKey, out var slice))
            _slices[sysKey] = slice = IndexInput.From(_panel, System(indicators)).Slice(_rows);
        return slice;
    }

    /// <summary>The indicator system of a work message.</summary>
    public static IndicatorSystem System(ImmutableArray<IndicatorDto> indicators) =>
        new("work", [.. indicators.Select(i => new Indicator(i.Code, i.Direction >= 0 ? Direction.Positive : Direction.Negative, Path: i.Dimension is null ? null : [i.Dimension]))]);

    private static EntropyOptions Options(bool perPeriod, double shift = 0) =>
        new() { Scope = perPeriod ? NormalisationScope.PerPeriod : NormalisationScope.Pooled, Shift = shift };

    /// <inheritdoc/>
    public async Task<RegionRanges> RangesAsync(DatasetRef dataset, RegionRangesWork work)
    {
        ArgumentNullException.ThrowIfNull(work);
        using var span = Telemetry.Source.StartActivity("grain.region.ranges");
        span?.SetTag("de.region", this.GetPrimaryKeyString());
        var sw = Stopwatch.StartNew();
        var slice = await SliceAsync(dataset, work.RegionColumn, work.Indicators);
        var r = EntropyIndex.Ranges(slice, Options(work.PerPeriod));
        Telemetry.GrainLatency.Record(sw.Elapsed.TotalMilliseconds, new KeyValuePair<string, object?>("grain", "region"));
        return new RegionRanges(Region(), r.Count, ToMessage(r));
    }

    /// <inheritdoc/>
    public async Task<RegionSums> SumsAsync(DatasetRef dataset, RegionSumsWork work)
    {
        ArgumentNullException.ThrowIfNull(work);
        using var span = Telemetry.Source.StartActivity("grain.region.sums");
        span?.SetTag("de.region", this.GetPrimaryKeyString());
        var slice = await SliceAsync(dataset, work.RegionColumn, work.Indicators);
        var s = EntropyIndex.Sums(slice, ToRanges(work.Ranges), Options(work.PerPeriod, work.Shift));
        return new RegionSums(Region(), s.Count, [.. s.SumZ], [.. s.SumZLnZ]);
    }

    /// <inheritdoc/>
    public async Task<RegionScores> ScoreAsync(DatasetRef dataset, RegionScoreWork work)
    {
        ArgumentNullException.ThrowIfNull(work);
        using var span = Telemetry.Source.StartActivity("grain.region.score");
        span?.SetTag("de.region", this.GetPrimaryKeyString());
        var slice = await SliceAsync(dataset, work.RegionColumn, work.Indicators);
        var weights = new EntropyWeights([], [], [.. work.Weights], []);
        var scored = EntropyIndex.Score(slice, ToRanges(work.Ranges), weights, Options(work.PerPeriod, work.Shift));
        return new RegionScores([.. _rows!], [.. scored.Score]);
    }

    private string Region()
    {
        string key = this.GetPrimaryKeyString();
        return key[(key.IndexOf('/', StringComparison.Ordinal) + 1)..];
    }

    /// <summary>Ranges in their message form, periods in ascending order.</summary>
    public static ImmutableArray<PeriodRange> ToMessage(RangeStatistics r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return [.. r.Min.OrderBy(p => p.Key).Select(p => new PeriodRange(p.Key, [.. p.Value], [.. r.Max[p.Key]]))];
    }

    /// <summary>Ranges from their message form.</summary>
    public static RangeStatistics ToRanges(ImmutableArray<PeriodRange> ranges, long count = 0) =>
        new(count, ranges.ToDictionary(r => r.Period, r => r.Min.ToArray()), ranges.ToDictionary(r => r.Period, r => r.Max.ToArray()));
}
