using System.Collections.Immutable;

namespace DigitalEconomy.Contracts;

/// <summary>
/// One specification of a grid, typed: the single model from the study's grid to the Parquet row.
/// The formula is <c>Outcome ~ [lag(]Treatment[)] + Controls | FixedEffects</c>.
/// </summary>
/// <param name="Id">Stable id: the first 16 hex digits of SHA-256 of the canonical choices and the prepared dataset's hash.</param>
/// <param name="Outcome">Outcome column.</param>
/// <param name="Treatment">Treatment column.</param>
/// <param name="Lag">Whether the treatment enters lagged one period.</param>
/// <param name="ControlSet">Name of the control set.</param>
/// <param name="Controls">The control columns.</param>
/// <param name="FixedEffects">Absorbed factors (e.g. province, year; an interaction is written a^b); empty for none.</param>
/// <param name="Sample">Name of the sample.</param>
/// <param name="Filter">The sample's row filter, or null for all rows.</param>
/// <param name="Winsorize">Whether outcome, treatment and controls are winsorised at 1/99 % (pooled) before the fit.</param>
/// <param name="Vcov">Variance estimator as written in the study.</param>
/// <param name="Model">The model these choices make, typed (formula tree, parsed variance and filter, winsorised columns, the study's
/// singleton rule), built once when the grid is expanded: the work grains fit it as is and never parse the choices again.
/// For a non-linear node it is the linear model of the same choices (its winsorised columns and filter are what the node reads).</param>
/// <param name="Node">Null for the linear family (<paramref name="Model"/> is the fit); else the non-linear grid estimator this
/// specification is a node of (study/GridEstimators, docs/methods.md "Non-linear grid nodes"), with what it needs to fit on a silo.</param>
[GenerateSerializer, Immutable]
public sealed record Specification(
    string Id, string Outcome, string Treatment, bool Lag, string ControlSet, ImmutableArray<string> Controls,
    ImmutableArray<string> FixedEffects, string Sample, string? Filter, bool Winsorize, string Vcov, Core.Regression.ModelSpec Model,
    GridNode? Node = null);

/// <summary>
/// A specification of a non-linear grid estimator (GMM, DID, spatial; one class each in study/GridEstimators): the estimator word of
/// <c>grid.estimators</c> and the grid settings the node reads, carried whole so that the compute grain fits it from the record alone.
/// </summary>
/// <param name="Estimator">The word, e.g. <c>gmm-sys</c>, <c>did-cs</c>, <c>sar</c>.</param>
/// <param name="Cohort">DID nodes: the column of each unit's first treated period (<c>grid.cohort</c>); null for the others.</param>
/// <param name="Matrix">Spatial nodes: the weight matrix (one of <c>grid.matrices</c>, declared by a spatial analysis); null for the others.</param>
/// <param name="Gmm">GMM nodes: the instrument settings (<c>grid.gmm</c>); null for the others.</param>
[GenerateSerializer, Immutable]
public sealed record GridNode(string Estimator, string? Cohort = null, SpatialMatrixSpec? Matrix = null, GridGmmSettings? Gmm = null);

/// <summary>The numbers of one fitted specification (or why it could not be fitted).</summary>
[GenerateSerializer, Immutable]
public sealed record SpecificationResult(
    string SpecId, double? Estimate, double? StdError, double? Statistic, double? PValue, double? ConfLow, double? ConfHigh,
    long? N, double? R2, double? R2Within, string? Error);

/// <summary>Which prepared dataset a piece of work reads: its SHA-256 (the per-silo cache key) and panel columns.</summary>
[GenerateSerializer, Immutable]
public sealed record DatasetRef(string Sha256, string Unit, string Time);

/// <summary>The bytes of a prepared dataset (CSV), held by the DatasetGrain of its hash.</summary>
/// <param name="Sha256">SHA-256 of <paramref name="Csv"/>.</param>
/// <param name="Unit">Unit column.</param>
/// <param name="Time">Time column.</param>
/// <param name="Csv">The CSV bytes.</param>
/// <param name="Source">The file these bytes are, named in messages about a cell with its line: the user's dataset path, or a file of the run folder by its name alone (so that messages, which end up in results, are the same wherever the run is written).</param>
[GenerateSerializer, Immutable]
public sealed record DatasetBytes(string Sha256, string Unit, string Time, byte[] Csv, string Source);

/// <summary>Work for the compute grain (key: batch work key): fit a batch of specifications that share a sample and fixed effects.</summary>
[GenerateSerializer, Immutable]
public sealed record EstimateBatch(string RunId, DatasetRef Dataset, string BatchKey, ImmutableArray<Specification> Specifications) : ComputeWork<BatchEstimated>;

/// <summary>Reply to <see cref="EstimateBatch"/>: one result per specification, in the order sent.</summary>
[GenerateSerializer, Immutable]
public sealed record BatchEstimated(string BatchKey, ImmutableArray<SpecificationResult> Results) : WorkResult;

/// <summary>Work for the compute grain (key: specification id + "/" + first replicate): replicates r = First … First+Count−1, each from stream (seed, spec id, r).</summary>
[GenerateSerializer, Immutable]
public sealed record BootstrapBlock(string RunId, DatasetRef Dataset, long Seed, Specification Specification, int FirstReplicate, int Replicates) : ComputeWork<BootstrapBlockDone>;

/// <summary>One bootstrap replicate of a specification's coefficient.</summary>
[GenerateSerializer, Immutable]
public sealed record BootstrapReplicate(string SpecId, long Replicate, double? Estimate, string? Error);

/// <summary>Reply to <see cref="BootstrapBlock"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record BootstrapBlockDone(ImmutableArray<BootstrapReplicate> Replicates) : WorkResult;

/// <summary>
/// Work for the compute grain (key: specification id): the wild cluster bootstrap test of the specification's treatment
/// coefficient against 0, with draws from the streams (seed, spec id, draw), and its interval by test inversion.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record WildBootstrapWork(string RunId, DatasetRef Dataset, long Seed, Specification Specification, int Replicates,
    BootstrapWeights Weights, BootstrapWildType Type, double Level) : ComputeWork<WildBootstrapDone>;

/// <summary>Reply to <see cref="WildBootstrapWork"/>: the p-value and the inverted interval (null when unbounded on that side), the draws used, or why there is no result.</summary>
[GenerateSerializer, Immutable]
public sealed record WildBootstrapDone(string SpecId, double? PValue, double? ConfLow, double? ConfHigh, int Draws, bool Enumerated, int Clusters, string? Error) : WorkResult;

/// <summary>
/// Work for the compute grain (key: spec block key + "-" + first draw): refit <paramref name="Specifications"/> (observed estimates <paramref name="Estimates"/>, same order)
/// on their null outcomes y − b̂·T in draws d = First … First+Count−1, draw d resampling units from the stream family (seed, "curve-null").
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CurveNullBlock(string RunId, DatasetRef Dataset, long Seed, ImmutableArray<Specification> Specifications, ImmutableArray<double> Estimates, int FirstDraw, int Draws) : ComputeWork<CurveNullBlockDone>;

/// <summary>A specification refitted in one null draw: its estimate and two-sided p-value (null when the refit failed).</summary>
[GenerateSerializer, Immutable]
public sealed record CurveNullFit(string SpecId, long Draw, double? Estimate, double? PValue);

/// <summary>Reply to <see cref="CurveNullBlock"/>: one fit per (draw, specification), by draw then in the order sent.</summary>
[GenerateSerializer, Immutable]
public sealed record CurveNullBlockDone(ImmutableArray<CurveNullFit> Fits) : WorkResult;

/// <summary>Minima and maxima of the indicators for one period key (long.MinValue = pooled).</summary>
[GenerateSerializer, Immutable]
public sealed record PeriodRange(long Period, ImmutableArray<double> Min, ImmutableArray<double> Max);

/// <summary>Map step 1 of the pooled entropy index, asked of a RegionGrain.</summary>
[GenerateSerializer, Immutable]
public sealed record RegionRangesWork(string RegionColumn, ImmutableArray<IndicatorDto> Indicators, bool PerPeriod);

/// <summary>Reply: row count and per period key the indicator minima and maxima of the region.</summary>
[GenerateSerializer, Immutable]
public sealed record RegionRanges(string Region, long Count, ImmutableArray<PeriodRange> Ranges);

/// <summary>Map step 2: Σz and Σz·ln z of the region given the merged ranges.</summary>
[GenerateSerializer, Immutable]
public sealed record RegionSumsWork(string RegionColumn, ImmutableArray<IndicatorDto> Indicators, bool PerPeriod, double Shift, ImmutableArray<PeriodRange> Ranges);

/// <summary>Reply: the region's sums.</summary>
[GenerateSerializer, Immutable]
public sealed record RegionSums(string Region, long Count, ImmutableArray<double> SumZ, ImmutableArray<double> SumZLnZ);

/// <summary>Score the region's units with the merged ranges and the weights.</summary>
[GenerateSerializer, Immutable]
public sealed record RegionScoreWork(string RegionColumn, ImmutableArray<IndicatorDto> Indicators, bool PerPeriod, double Shift,
    ImmutableArray<PeriodRange> Ranges, ImmutableArray<double> Weights);

/// <summary>Reply: the scores of the region's rows, by row index of the dataset.</summary>
[GenerateSerializer, Immutable]
public sealed record RegionScores(ImmutableArray<int> Rows, ImmutableArray<double> Scores);

/// <summary>Thrown by the compute grain when its silo has no copy of the dataset and whose DatasetGrain holds none (it was re-activated after a silo died): the run grain puts the dataset again and retries.</summary>
[GenerateSerializer]
public sealed class DatasetUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DatasetUnavailableException() { }
    /// <summary>Creates the exception with a message.</summary>
    public DatasetUnavailableException(string message) : base(message) { }
    /// <summary>Creates the exception with a message and a cause.</summary>
    public DatasetUnavailableException(string message, Exception inner) : base(message, inner) { }
}
