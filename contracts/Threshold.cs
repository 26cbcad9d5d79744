using System.Collections.Immutable;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Regression;
using DigitalEconomy.Core.Threshold;

namespace DigitalEconomy.Contracts;

/// <summary>
/// The wire form of core's <see cref="ThresholdSpec"/> (a threshold model with its options): the formula as its tree, the
/// threshold variable and regime terms as term trees, so a silo never parses text.
/// </summary>
/// <param name="Formula">Response and regime-independent regressors.</param>
/// <param name="ThresholdVariable">q.</param>
/// <param name="Regime">The regime-dependent terms z.</param>
/// <param name="Thresholds">Number of thresholds K.</param>
/// <param name="GridPoints">Hansen's qn (0 = every distinct value).</param>
/// <param name="Trim">Trimming per step.</param>
/// <param name="Transform">full_within or hansen_drop_last_period.</param>
/// <param name="Level">Confidence level.</param>
/// <param name="Variances">Variance estimators of the regime coefficients.</param>
[GenerateSerializer, Immutable]
public sealed record ThresholdModel(Formula Formula, ExprSurrogate ThresholdVariable, ImmutableArray<ExprSurrogate> Regime, int Thresholds, int GridPoints,
    ImmutableArray<double> Trim, string Transform, double Level, ImmutableArray<VcovSpec> Variances)
{
    /// <summary>The wire form of <paramref name="spec"/>.</summary>
    public static ThresholdModel From(ThresholdSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var o = spec.Options;
        return new(spec.Formula, ExprSurrogate.From(spec.ThresholdVariable), [.. spec.Regime.Select(ExprSurrogate.From)], o.Thresholds, o.GridPoints,
            o.Trim, ThresholdOptions.Name(o.Transform), o.Level, o.Variances);
    }

    /// <summary>Core's spec.</summary>
    public ThresholdSpec ToSpec() => new(Formula, ThresholdVariable.ToExpr(), [.. Regime.Select(r => r.ToExpr())], new ThresholdOptions
    {
        Thresholds = Thresholds,
        GridPoints = GridPoints,
        Trim = Trim,
        Transform = ThresholdOptions.ParseTransform(Transform, "transform"),
        Level = Level,
        Variances = Variances,
    });
}

/// <summary>
/// Work for the compute grain: draws [First, First + Count) of the bootstrap of the test of K − 1 against K thresholds
/// (key: run / analysis / k / first). Draw r uses stream r of (seed, StreamKey), so a block's draws do not depend on where or
/// in which block they ran.
/// </summary>
/// <param name="RunId">The run (for traces).</param>
/// <param name="Dataset">The prepared dataset.</param>
/// <param name="Model">The threshold model.</param>
/// <param name="NullThresholds">γ̂₁ … γ̂ₖ₋₁ of the sample's sequential search (the null model).</param>
/// <param name="K">The alternative's number of thresholds.</param>
/// <param name="Seed">Run seed.</param>
/// <param name="StreamKey">Stream family: "ANALYSIS/k".</param>
/// <param name="First">First draw.</param>
/// <param name="Count">Draws in the block.</param>
[GenerateSerializer, Immutable]
public sealed record ThresholdBootstrapWork(string RunId, DatasetRef Dataset, ThresholdModel Model, ImmutableArray<double> NullThresholds, int K, long Seed,
    string StreamKey, int First, int Count) : ComputeWork<ThresholdBootstrapDone>;

/// <summary>F* of draws First … First + Count − 1 in order (NaN when a draw had no allowed grid point).</summary>
[GenerateSerializer, Immutable]
public sealed record ThresholdBootstrapDone(int First, ImmutableArray<double> F) : WorkResult;

/// <summary>A study's <c>threshold</c> analysis: the model, the bootstrap replications of each F test and the draws per grain call.</summary>
/// <param name="Model">The threshold model.</param>
/// <param name="Reps">Bootstrap replications B of each F test (0: no bootstrap).</param>
/// <param name="Chunk">Draws per grain call; never changes a byte of the results.</param>
[GenerateSerializer, Immutable]
public sealed record ThresholdAnalysisSpec(ThresholdModel Model, int Reps, int Chunk) : AnalysisSettings;
