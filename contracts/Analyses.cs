using System.Collections.Immutable;
using DigitalEconomy.Core.Regression;

namespace DigitalEconomy.Contracts;

/// <summary>
/// A named analysis of a study (the <c>analyses:</c> list): its kind and the models it fits, already
/// expanded by the client from the study's baseline, so the run only fits and tabulates.
/// </summary>
/// <param name="Name">Name (file stem of its tables: tables/&lt;name&gt;.md …).</param>
/// <param name="Kind">descriptives, correlations, regressions, robustness, heterogeneity, mediation, moderation, trends, disparity, convergence, coupling.</param>
/// <param name="Title">Table caption.</param>
/// <param name="Columns">The models, one per table column, in order.</param>
/// <param name="Variables">Descriptives / correlations: the variables (rows).</param>
/// <param name="Filters">Descriptives / correlations: the rows described (the baseline's sample unless told otherwise), parsed by the client.</param>
/// <param name="KeyTerms">The regressors that get rows; the others become one "Controls YES" row (empty: every regressor).</param>
/// <param name="Heterogeneity">Heterogeneity: the grouping and the difference tests.</param>
/// <param name="Mediation">Mediation: the style and the mediators.</param>
/// <param name="Gaps">trends, disparity, convergence, coupling: their settings (contracts/Gaps.cs).</param>
/// <param name="Table">
/// The combined table this analysis's regression table goes into (its <c>table:</c> key): analyses naming the same table
/// are printed as one table, tables/&lt;Table&gt;.*, with their columns side by side in the study's order; null: its own table.
/// </param>
/// <param name="TableTitle">The combined table's caption (the first member's <c>table: { title }</c>), or null for the first member's title.</param>
/// <param name="Settings">The settings of a type that has its own (a subtype of <see cref="AnalysisSettings"/>, e.g. <see cref="DidSettings"/>, <see cref="GmmAnalysisSettings"/>, <see cref="ThresholdAnalysisSpec"/>, <see cref="SpatialSpec"/>), or null.</param>
[GenerateSerializer, Immutable]
public sealed record AnalysisSpec(
    string Name, string Kind, string Title, ImmutableArray<ModelColumn> Columns, ImmutableArray<string> Variables, ImmutableArray<Core.Data.RowFilter> Filters,
    ImmutableArray<string> KeyTerms, HeterogeneitySpec? Heterogeneity, MediationSpec? Mediation, GapsSpec? Gaps = null, string? Table = null, string? TableTitle = null,
    AnalysisSettings? Settings = null);

/// <summary>
/// The settings of an analysis type that needs its own (docs/architecture.md, "How to add an analysis type"): one
/// polymorphic record per type, so <see cref="AnalysisSpec"/> does not grow a field per type. Orleans sends the subtype.
/// </summary>
[GenerateSerializer, Immutable]
public abstract record AnalysisSettings;

/// <summary>One column of a regression table: a model with its header label and optional spanning group.</summary>
[GenerateSerializer, Immutable]
public sealed record ModelColumn(string Label, string? Group, AnalysisModel Model);

/// <summary>
/// One model of an analysis: the typed model, exactly as <c>de estimate</c> fits it (core's <see cref="ModelSpec"/>:
/// formula tree, estimator, variance estimator, row filters, columns winsorised at 1/99 % pooled on the whole panel
/// before filtering), checked by the client and never parsed again.
/// </summary>
/// <param name="Id">Stable id within the study: &lt;analysis&gt;/&lt;column number&gt;.</param>
/// <param name="Model">The model.</param>
/// <param name="Hausman">Also fit FE and RE on the formula and report the Hausman test.</param>
[GenerateSerializer, Immutable]
public sealed record AnalysisModel(string Id, ModelSpec Model, bool Hausman)
{
    /// <summary>The formula as text (as the study wrote it, or the canonical text of a formula built from the baseline).</summary>
    public string Formula => Model.Formula.Source;

    /// <summary>The estimator's name (ols, within, re, iv-2sls, iv-gmm2s), or null for the formula's default.</summary>
    public string? Estimator => Model.Estimator is { } e ? Estimation.Name(e) : null;

    /// <summary>The primary variance estimator as text, e.g. <c>cluster:province</c>.</summary>
    public string Vcov => Model.Vcov.ToString();

    /// <summary>The row filters as written.</summary>
    public ImmutableArray<string> Filters => [.. Model.Filters.Select(f => f.Text)];

    /// <summary>The study says <c>singletons: keep</c>; false (the default): singletons are removed iteratively, as reghdfe.</summary>
    public bool KeepSingletons => !Model.DropSingletons;
}

/// <summary>Heterogeneity: the baseline in each group of a categorical column, with the tests of coefficient differences.</summary>
/// <param name="By">The categorical column.</param>
/// <param name="Groups">The groups in column order.</param>
/// <param name="Term">The coefficient compared (the treatment as it appears in the formula).</param>
/// <param name="Baseline">The baseline model the groups split (formula, vcov, filters).</param>
/// <param name="Permutations">Fisher permutations per test (0: none).</param>
/// <param name="Chunk">Permutations per grain call.</param>
[GenerateSerializer, Immutable]
public sealed record HeterogeneitySpec(string By, ImmutableArray<string> Groups, string Term, AnalysisModel Baseline, int Permutations, int Chunk);

/// <summary>Mediation: two-step (X → M only, Jiang 2022) or Baron–Kenny (the three regressions, Sobel and Aroian).</summary>
/// <param name="Style">two_step | baron_kenny.</param>
/// <param name="Treatment">X as it appears in the formulas.</param>
/// <param name="Mediators">The mediators M.</param>
/// <param name="Bootstrap">Baron–Kenny: the cluster bootstrap of a·b per mediator, or null.</param>
[GenerateSerializer, Immutable]
public sealed record MediationSpec(string Style, string Treatment, ImmutableArray<string> Mediators, MediationBootstrapSpec? Bootstrap = null);

/// <summary>Work for the compute grain: models to fit on a dataset (key: run id / analysis name).</summary>
[GenerateSerializer, Immutable]
public sealed record ModelBatch(string RunId, DatasetRef Dataset, ImmutableArray<AnalysisModel> Models) : ComputeWork<ModelBatchDone>;

/// <summary>The fits of a batch, in its order.</summary>
[GenerateSerializer, Immutable]
public sealed record ModelBatchDone(ImmutableArray<ModelFit> Fits) : WorkResult;

/// <summary>
/// One model of an analysis as fitted on a silo: core's <see cref="RegressionResult"/> itself, every field of it (it crosses
/// the grain call through <see cref="RegressionResultConverter"/>, covariance matrix included), and the Hausman test when
/// the model asked for it; or, when the model could not be estimated, <see cref="Error"/> with the model's identity.
/// </summary>
/// <param name="Id">The model's id, &lt;analysis&gt;/&lt;column&gt;.</param>
/// <param name="Result">The fit, or null with <paramref name="Error"/>.</param>
/// <param name="Hausman">FE against RE on the model's formula, when asked for.</param>
/// <param name="Error">Why the model could not be estimated.</param>
/// <param name="Formula">The formula as the fit states it (the result's own, or the model's text when it failed).</param>
/// <param name="Estimator">The estimator's name (ols, within, re, iv-2sls, iv-gmm2s), or empty for the formula's default when it failed.</param>
/// <param name="Vcov">The primary variance estimator as text.</param>
[GenerateSerializer, Immutable]
public sealed record ModelFit(string Id, RegressionResult? Result, HausmanResult? Hausman, string? Error, string Formula, string Estimator, string Vcov)
{
    /// <summary>The coefficients (none when the model failed).</summary>
    public IReadOnlyList<Coefficient> Coefficients => Result?.Coefficients ?? [];

    /// <summary>A fitted model.</summary>
    public static ModelFit Of(string id, RegressionResult result, HausmanResult? hausman)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new(id, result, hausman, null, result.Formula, Estimation.Name(result.Estimator), result.Vcov);
    }

    /// <summary>A model that could not be estimated, and why.</summary>
    public static ModelFit Failed(AnalysisModel model, string error)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new(model.Id, null, null, error, model.Model.Formula.Source, model.Model.Estimator is { } e ? Estimation.Name(e) : "", model.Model.Vcov.ToString());
    }
}

/// <summary>Work for the compute grain: a block of Fisher permutations of group labels across units (key: run / analysis / test / first).</summary>
/// <param name="RunId">The run (for traces).</param>
/// <param name="Dataset">The prepared dataset.</param>
/// <param name="Model">The model split by group (formula, vcov, filters, winsorised columns).</param>
/// <param name="By">The group column.</param>
/// <param name="Groups">The groups compared (two: difference; more: range).</param>
/// <param name="Terms">The terms tested.</param>
/// <param name="Seed">Run seed.</param>
/// <param name="StreamKey">Key of the stream family; permutation r draws from stream r of (seed, key).</param>
/// <param name="First">First permutation.</param>
/// <param name="Count">Permutations in the block.</param>
[GenerateSerializer, Immutable]
public sealed record PermutationWork(string RunId, DatasetRef Dataset, AnalysisModel Model, string By, ImmutableArray<string> Groups, ImmutableArray<string> Terms,
    long Seed, string StreamKey, int First, int Count) : ComputeWork<PermutationDone>;

/// <summary>The statistic of each permutation of a block: Draws[t][i] for term t and permutation First + i (NaN where the fit failed).</summary>
[GenerateSerializer, Immutable]
public sealed record PermutationDone(int First, ImmutableArray<ImmutableArray<double>> Draws) : WorkResult;
