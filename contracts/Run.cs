namespace DigitalEconomy.Contracts;

/// <summary>Command to the RunGrain: run (or resume) a study under a results root.</summary>
/// <param name="Study">The validated study.</param>
/// <param name="DatasetSha256">SHA-256 of the dataset file as the client hashed it for the run id; the run grain verifies it when it reads the file.</param>
/// <param name="OutRoot">Results root (absolute; visible to every silo that may host the run grain).</param>
/// <param name="MaxInFlight">Work calls in flight at once.</param>
[GenerateSerializer, Immutable]
public sealed record StartRun(StudyDefinition Study, string DatasetSha256, string OutRoot, int MaxInFlight);

/// <summary>The life of a run.</summary>
public enum RunState
{
    /// <summary>Never started on this cluster.</summary>
    NotStarted,
    /// <summary>Working.</summary>
    Running,
    /// <summary>Every result is written.</summary>
    Complete,
    /// <summary>Stopped by an error (the message says which input or specification).</summary>
    Failed,
    /// <summary>Stopped on request; the same command resumes it.</summary>
    Interrupted,
}

/// <summary>Where a run stands.</summary>
/// <param name="RunId">The run.</param>
/// <param name="State">Its state.</param>
/// <param name="Stage">The current stage (prepare, indices, estimate, resample, aggregate, report, manifest).</param>
/// <param name="Done">Work done in the stage.</param>
/// <param name="Total">Work in the stage.</param>
/// <param name="RunDirectory">The results folder, once known.</param>
/// <param name="Message">Why it failed, or a note.</param>
/// <param name="Summary">Counts, once complete.</param>
/// <param name="Host">The silo hosting the run grain.</param>
/// <param name="Finished">The stages this activation has finished, in order, with their final counts (so that a client that polls sees every stage).</param>
/// <param name="Notes">What this activation wants the user told, one line each (a damaged part moved aside and recomputed); the client prints each once.</param>
[GenerateSerializer, Immutable]
public sealed record RunStatus(string RunId, RunState State, string Stage, long Done, long Total, string? RunDirectory, string? Message, RunSummary? Summary, string Host,
    System.Collections.Immutable.ImmutableArray<StageProgress> Finished, System.Collections.Immutable.ImmutableArray<string> Notes = default);

/// <summary>A finished stage and its final count.</summary>
[GenerateSerializer, Immutable]
public sealed record StageProgress(string Stage, long Done, long Total);

/// <summary>What a complete run did.</summary>
/// <param name="Specifications">Specifications in the grid.</param>
/// <param name="Failed">Specifications that could not be estimated (each with its reason in specs.parquet).</param>
/// <param name="BatchesRun">Batches computed by this run.</param>
/// <param name="BatchesReused">Batches whose part was already committed.</param>
/// <param name="AlreadyComplete">The run was complete before this start: nothing was recomputed.</param>
/// <param name="Retries">Work calls sent again after a timeout or a silo failure.</param>
/// <param name="SpecificationsReused">Specifications whose row was taken from an earlier run of the study (the same data key: docs/datasets.md).</param>
/// <param name="SpecificationsRecomputed">Specifications fitted by this run (or by an interrupted execution of it).</param>
/// <param name="SpecificationsFittedNow">Of those, the ones fitted by this execution; the rest were in parts an earlier execution of the run
/// (interrupted, or lost with its silo) had written.</param>
[GenerateSerializer, Immutable]
public sealed record RunSummary(int Specifications, int Failed, int BatchesRun, int BatchesReused, bool AlreadyComplete, int Retries,
    int SpecificationsReused = 0, int SpecificationsRecomputed = 0, int SpecificationsFittedNow = 0);
