namespace DigitalEconomy.Contracts;

/// <summary>One specification of a grid: its stable id, the formula and the choices that made it.</summary>
/// <param name="Id">Stable id: hash of the canonical specification and the dataset hash.</param>
/// <param name="Formula">The model formula.</param>
/// <param name="Term">The coefficient reported (the treatment, possibly lagged).</param>
/// <param name="Vcov">Variance estimator, e.g. <c>cluster:province</c>.</param>
/// <param name="Filter">Sample filter, or null for the full sample.</param>
/// <param name="Winsorize">Columns winsorised at 1/99 % before the fit.</param>
/// <param name="Choices">The grid choices (outcome, controls, fe, sample, winsor, lag, vcov) by dimension.</param>
public sealed record SpecificationDto(
    string Id, string Formula, string Term, string Vcov, string? Filter, IReadOnlyList<string> Winsorize, IReadOnlyDictionary<string, string> Choices);

/// <summary>Command to a SpecificationGrain: fit a batch of specifications and write its result part.</summary>
/// <param name="RunId">The run.</param>
/// <param name="DatasetHash">SHA-256 of the prepared dataset; the grain refuses a file with another hash.</param>
/// <param name="DatasetPath">Where the prepared dataset (CSV) is, readable by every silo.</param>
/// <param name="Unit">Unit column.</param>
/// <param name="Time">Time column.</param>
/// <param name="Seed">The run seed (for any randomness, keyed by spec id and replicate).</param>
/// <param name="BatchKey">Work key of the batch; the part file is named by it.</param>
/// <param name="PartPath">Where to write the batch's Parquet part (atomically).</param>
/// <param name="Specifications">The specifications, sorted by id.</param>
public sealed record EstimateSpecifications(
    string RunId, string DatasetHash, string DatasetPath, string Unit, string Time, long Seed, string BatchKey, string PartPath,
    IReadOnlyList<SpecificationDto> Specifications);

/// <summary>Reply of a SpecificationGrain: the batch's part is written.</summary>
public sealed record SpecificationsEstimated(string RunId, string BatchKey, int Count, int Failed, string Silo);

/// <summary>Command to a RegionGrain: range statistics of its indicators (map step 1 of the entropy index).</summary>
public sealed record ComputeRegionRanges(string RunId, string DatasetHash, string DatasetPath, string Unit, string Time, string RegionColumn, string Region,
    IReadOnlyList<IndicatorDto> Indicators, bool PerPeriod);

/// <summary>Reply: count, and per period key the indicator minima and maxima.</summary>
public sealed record RegionRangesComputed(string Region, long Count, IReadOnlyList<PeriodRange> Ranges);

/// <summary>Minima and maxima of the indicators for one period key (long.MinValue = pooled).</summary>
public sealed record PeriodRange(long Period, IReadOnlyList<double> Min, IReadOnlyList<double> Max);

/// <summary>Command to a RegionGrain: Σz and Σz·ln z given the merged ranges (map step 2).</summary>
public sealed record ComputeRegionSums(string RunId, string DatasetHash, string DatasetPath, string Unit, string Time, string RegionColumn, string Region,
    IReadOnlyList<IndicatorDto> Indicators, bool PerPeriod, double Shift, IReadOnlyList<PeriodRange> Ranges);

/// <summary>Reply: the region's sums.</summary>
public sealed record RegionSumsComputed(string Region, long Count, IReadOnlyList<double> SumZ, IReadOnlyList<double> SumZLnZ);

/// <summary>An indicator: data column and direction (+1 benefit, −1 cost), with its first-level dimension.</summary>
public sealed record IndicatorDto(string Code, int Direction, string? Dimension);

/// <summary>A grain that fits specifications (key: batch work key).</summary>
public interface ISpecificationGrain
{
    /// <summary>Fits the batch and writes its part; idempotent (the same part bytes on redelivery).</summary>
    Task<SpecificationsEstimated> EstimateAsync(EstimateSpecifications work, CancellationToken cancellationToken);
}

/// <summary>A grain that owns one region's slice of the data (key: region).</summary>
public interface IRegionGrain
{
    /// <summary>Map step 1 of the entropy index.</summary>
    Task<RegionRangesComputed> RangesAsync(ComputeRegionRanges work, CancellationToken cancellationToken);

    /// <summary>Map step 2 of the entropy index.</summary>
    Task<RegionSumsComputed> SumsAsync(ComputeRegionSums work, CancellationToken cancellationToken);
}
