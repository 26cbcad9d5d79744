using System.Collections.Immutable;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Did;
using DigitalEconomy.Core.Regression;

namespace DigitalEconomy.Contracts;

/// <summary>
/// The settings of a <c>did</c> analysis (study/Analyses/DidAnalysis.cs), checked by the client: the design column, the
/// outcome and covariates, the estimators, the event window, the placebo draws and the deterministic checks.
/// </summary>
/// <param name="Outcome">The outcome term, parsed once by the study loader and sent typed (a silo never parses it again).</param>
/// <param name="Cohort">The cohort column (first treated period), or null with <paramref name="Treatment"/>.</param>
/// <param name="Treatment">The 0/1 adoption column, or null with <paramref name="Cohort"/>.</param>
/// <param name="Covariates">Covariate terms, typed as <paramref name="Outcome"/>.</param>
/// <param name="Methods">twfe, event, sunab, cs, bacon: the estimators reported, in this order.</param>
/// <param name="Control">Callaway–Sant'Anna's controls: never or notyet.</param>
/// <param name="Variances">The regressions' variance estimators; empty = cluster by the panel unit.</param>
/// <param name="Reference">The event study's omitted relative period.</param>
/// <param name="BinLow">Lower end point of the event window (binned), or null.</param>
/// <param name="BinHigh">Upper end point, or null.</param>
/// <param name="Placebo">Placebo draws of the TWFE DID (0 = none).</param>
/// <param name="PlaceboKind">units or years.</param>
/// <param name="Chunk">Placebo draws per compute-grain call.</param>
/// <param name="FakeYear">Shift of the fake-year placebo (0 = none).</param>
/// <param name="LeaveOutCohorts">Refit without each cohort in turn.</param>
/// <param name="Estimator">Callaway–Sant'Anna's estimator with covariates: reg, ipw or dr (did's est_method; default dr).</param>
/// <param name="BasePeriod">Callaway–Sant'Anna's base period: varying or universal (did's base_period; default varying).</param>
/// <param name="Bootstrap">Multiplier-bootstrap draws of Callaway–Sant'Anna (0 = none).</param>
/// <param name="BootstrapChunk">Bootstrap draws per compute-grain call.</param>
[GenerateSerializer, Immutable]
public sealed record DidSettings(
    ExprSurrogate Outcome, string? Cohort, string? Treatment, ImmutableArray<ExprSurrogate> Covariates, ImmutableArray<string> Methods, string Control,
    ImmutableArray<VcovSpec> Variances, int Reference, int? BinLow, int? BinHigh, int Placebo, string PlaceboKind, int Chunk, int FakeYear, bool LeaveOutCohorts,
    string Estimator = "dr", string BasePeriod = "varying", int Bootstrap = 0, int BootstrapChunk = 100)
    : AnalysisSettings
{
    /// <summary>Callaway–Sant'Anna's estimator and base period.</summary>
    public CsOptions CsOptions => new()
    {
        Estimator = Estimator switch { "reg" => CsEstimator.Regression, "ipw" => CsEstimator.Ipw, _ => CsEstimator.DoublyRobust },
        BasePeriod = BasePeriod == "universal" ? CsBasePeriod.Universal : CsBasePeriod.Varying,
    };

    /// <summary>The stream family key of the multiplier bootstrap of analysis <paramref name="analysis"/>: draw b uses stream b of (seed, key).</summary>
    public static string BootstrapStreamKey(string analysis) => $"{analysis}/cs_bootstrap";

    /// <summary>The adoption design on <paramref name="panel"/>.</summary>
    /// <exception cref="InputException">As <see cref="DidDesign.FromCohort"/> / <see cref="DidDesign.FromTreatment"/>.</exception>
    public DidDesign Design(Panel panel) => Cohort is not null ? DidDesign.FromCohort(panel, Cohort) : DidDesign.FromTreatment(panel, Treatment!);

    /// <summary>core's options of the regression-based estimators.</summary>
    public DidOptions Options(double level = 0.95) => new()
    {
        Outcome = Outcome.ToExpr(),
        Covariates = Covariates.IsDefault ? [] : [.. Covariates.Select(c => c.ToExpr())],
        Variances = Variances.IsDefaultOrEmpty ? null : [.. Variances],
        Reference = Reference,
        BinLow = BinLow,
        BinHigh = BinHigh,
        ConfidenceLevel = level,
    };

    /// <summary>The placebo kind.</summary>
    public PlaceboKind Kind => PlaceboKind == "years" ? Core.Did.PlaceboKind.Years : Core.Did.PlaceboKind.Units;

    /// <summary>Callaway–Sant'Anna's control group.</summary>
    public ControlGroup ControlGroup => Control == "notyet" ? Core.Did.ControlGroup.NotYet : Core.Did.ControlGroup.Never;

    /// <summary>The stream family key of the placebo draws of analysis <paramref name="analysis"/>: draw b uses stream b of (seed, key).</summary>
    public string StreamKey(string analysis) => $"{analysis}/placebo/{PlaceboKind}";
}

/// <summary>
/// Work for the compute grain: a block of placebo draws of a TWFE DID (key: run / analysis / placebo / first). Draw b
/// reassigns the cohorts with stream b of (seed, stream key), so a block's estimates do not depend on where or in which
/// block they ran.
/// </summary>
/// <param name="RunId">The run (for traces).</param>
/// <param name="Dataset">The prepared dataset.</param>
/// <param name="Settings">The analysis's settings (design, outcome, covariates, placebo kind).</param>
/// <param name="Seed">Run seed.</param>
/// <param name="StreamKey">Key of the stream family.</param>
/// <param name="First">First draw.</param>
/// <param name="Count">Draws in the block.</param>
[GenerateSerializer, Immutable]
public sealed record DidPlaceboWork(string RunId, DatasetRef Dataset, DidSettings Settings, long Seed, string StreamKey, int First, int Count) : ComputeWork<DidPlaceboDone>;

/// <summary>The placebo estimates of draws First … First + Count − 1 (NaN where a draw left no variation in the treatment).</summary>
[GenerateSerializer, Immutable]
public sealed record DidPlaceboDone(int First, ImmutableArray<double> Estimates) : WorkResult;

/// <summary>
/// Work for the compute grain: a block of Callaway–Sant'Anna multiplier-bootstrap draws (key: run / analysis / cs_bootstrap /
/// first). The handler refits the group-time ATTs (deterministic) and draw b multiplies the influence functions by the Mammen
/// weights of stream b of (seed, stream key), so a block's draws do not depend on where or in which block they ran.
/// </summary>
/// <param name="RunId">The run (for traces).</param>
/// <param name="Dataset">The prepared dataset.</param>
/// <param name="Settings">The analysis's settings (design, outcome, covariates, control group, estimator, base period).</param>
/// <param name="Seed">Run seed.</param>
/// <param name="StreamKey">Key of the stream family.</param>
/// <param name="First">First draw.</param>
/// <param name="Count">Draws in the block.</param>
[GenerateSerializer, Immutable]
public sealed record DidBootstrapWork(string RunId, DatasetRef Dataset, DidSettings Settings, long Seed, string StreamKey, int First, int Count) : ComputeWork<DidBootstrapDone>;

/// <summary>Draws First … First + Count − 1, each √n·mean(ψ·v) over the elements of core's <c>CsBootstrap.Elements</c> (cells, then the aggregations).</summary>
[GenerateSerializer, Immutable]
public sealed record DidBootstrapDone(int First, ImmutableArray<ImmutableArray<double>> Draws) : WorkResult;
