namespace DigitalEconomy.Contracts;

/// <summary>A study: dataset, indices to build, and the specification grid (parsed from YAML by the client).</summary>
/// <param name="Name">Study name (results go under DIR/&lt;name&gt;/&lt;run-id&gt;).</param>
/// <param name="Dataset">The yearbook panel.</param>
/// <param name="Indices">Composite indices added to the data before the regressions.</param>
/// <param name="Grid">The specification dimensions.</param>
/// <param name="Seed">Run seed.</param>
/// <param name="BatchSize">Specifications per SpecificationGrain call (and per part file).</param>
/// <param name="SourceHash">SHA-256 of the study file (part of the run id).</param>
public sealed record StudyDefinition(string Name, DatasetSpec Dataset, IReadOnlyList<IndexSpec> Indices, GridSpec Grid, long Seed, int BatchSize, string SourceHash)
{
    /// <summary>Optional cluster bootstrap of the baseline specification.</summary>
    public BootstrapSpec? Bootstrap { get; init; }
}

/// <summary>Dataset: CSV path (absolute), unit and time columns, and the region column RegionGrains are keyed by.</summary>
public sealed record DatasetSpec(string Path, string Unit, string Time, string Region)
{
    /// <summary>
    /// Columns whose interior gaps are filled by linear interpolation within unit before anything else
    /// (METHODS.md §1); every fill is listed in the run's fills.csv. Empty: none.
    /// </summary>
    public IReadOnlyList<string> Interpolate { get; init; } = [];
}

/// <summary>An entropy index to compute from indicators and add as a column.</summary>
public sealed record IndexSpec(string Name, IReadOnlyList<IndicatorDto> Indicators, double Shift, bool PerPeriod);

/// <summary>The grid dimensions (names map to lists of columns or to filters).</summary>
public sealed record GridSpec(
    string Treatment,
    IReadOnlyList<string> Outcomes,
    IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>> Controls,
    IReadOnlyList<string> FixedEffects,
    IReadOnlyList<KeyValuePair<string, string?>> Samples,
    IReadOnlyList<bool> Winsorize,
    IReadOnlyList<bool> Lag,
    IReadOnlyList<string> Vcov);

/// <summary>Progress of a run stage: done of total.</summary>
public sealed record RunProgress(string Stage, int Done, int Total);

/// <summary>Command to the RunGrain: run (or resume) a study under a results root.</summary>
public sealed record StartRun(StudyDefinition Study, string OutRoot, int MaxInFlight);

/// <summary>Reply of the RunGrain.</summary>
public sealed record RunCompleted(string RunId, string RunDirectory, int Specifications, int Failed, int BatchesRun, int BatchesReused, bool AlreadyComplete);

/// <summary>The coordinator of a run (key: run id): expands a study into stages, dispatches, aggregates.</summary>
public interface IRunGrain
{
    /// <summary>Runs or resumes the study; a complete run returns at once.</summary>
    Task<RunCompleted> RunAsync(StartRun command, CancellationToken cancellationToken);
}

/// <summary>
/// Command to a BootstrapGrain (key: specification id + first replicate): a block of pairs cluster
/// bootstrap replicates of the specification's coefficient, replicate r drawn from stream (seed, spec id, r).
/// </summary>
public sealed record RunBootstrap(string RunId, string DatasetHash, string DatasetPath, string Unit, string Time, long Seed,
    SpecificationDto Specification, int FirstReplicate, int Replicates, string PartPath);

/// <summary>Reply of a BootstrapGrain: the block's part is written.</summary>
public sealed record BootstrapCompleted(string RunId, string SpecificationId, int FirstReplicate, int Replicates, int Failed);

/// <summary>A grain that runs bootstrap replicates.</summary>
public interface IBootstrapGrain
{
    /// <summary>Runs a block of replicates and writes its part (idempotent: same part bytes on redelivery).</summary>
    Task<BootstrapCompleted> RunAsync(RunBootstrap work, CancellationToken cancellationToken);
}

/// <summary>Bootstrap of the baseline specification: replicates in chunks of the given size.</summary>
public sealed record BootstrapSpec(int Replicates, int Chunk);
