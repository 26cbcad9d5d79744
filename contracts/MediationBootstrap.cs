using System.Collections.Immutable;
using DigitalEconomy.Core.Regression;

namespace DigitalEconomy.Contracts;

/// <summary>
/// The cluster bootstrap of a·b in a Baron–Kenny mediation analysis (<c>bootstrap:</c> of the analysis).
/// Replicate r of mediator M draws from the stream (study seed, "ANALYSIS/M", r), so the draws depend on
/// the work's identity only, never on how the replicates were split over grain calls.
/// </summary>
/// <param name="Replicates">Replicates per mediator.</param>
/// <param name="Level">Level of the percentile and bias-corrected intervals.</param>
/// <param name="Chunk">Replicates per grain call.</param>
/// <param name="Outcome">Y as it appears in the formulas.</param>
/// <param name="Model">The baseline model of the analysis, Y ~ X + controls | fe with X first (variance estimator, filters, winsorised columns,
/// estimator): the point estimate and every replicate fit its typed <see cref="PathModels"/>; no formula text is built or parsed.</param>
[GenerateSerializer, Immutable]
public sealed record MediationBootstrapSpec(int Replicates, double Level, int Chunk, string Outcome, AnalysisModel Model)
{
    /// <summary>
    /// The typed a-path (M ~ X + controls | fe) and b-path (Y ~ X + M + controls | fe) models of <paramref name="mediator"/>, built from
    /// <see cref="Model"/>'s formula tree (<see cref="Mediation.PathModels(ModelSpec, string)"/>): no formula text is built or parsed.
    /// </summary>
    public (ModelSpec A, ModelSpec B) PathModels(string mediator) => Mediation.PathModels(Model.Model, mediator);
}

/// <summary>Work for the compute grain: a block of mediation bootstrap replicates for one mediator (key: run / analysis / mediator / first).</summary>
/// <param name="RunId">The run (for traces).</param>
/// <param name="Dataset">The prepared dataset.</param>
/// <param name="Treatment">X as it appears in the formulas.</param>
/// <param name="Mediator">M.</param>
/// <param name="Spec">The bootstrap (outcome, tail, model options).</param>
/// <param name="Seed">Run seed.</param>
/// <param name="StreamKey">Stream family: "ANALYSIS/M".</param>
/// <param name="First">First replicate.</param>
/// <param name="Count">Replicates in the block.</param>
[GenerateSerializer, Immutable]
public sealed record MediationBootstrapWork(string RunId, DatasetRef Dataset, string Treatment, string Mediator, MediationBootstrapSpec Spec, long Seed, string StreamKey, int First, int Count) : ComputeWork<MediationBootstrapDone>;

/// <summary>Replicate First + i's (a, b, a·b) in Draws[i]; a replicate that could not be estimated is empty.</summary>
[GenerateSerializer, Immutable]
public sealed record MediationBootstrapDone(int First, ImmutableArray<ImmutableArray<double>> Draws) : WorkResult;
