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
[GenerateSerializer, Immutable]
public sealed record AnalysisSpec(
    string Name, string Kind, string Title, ImmutableArray<ModelColumn> Columns, ImmutableArray<string> Variables, ImmutableArray<Core.Data.RowFilter> Filters,
    ImmutableArray<string> KeyTerms, HeterogeneitySpec? Heterogeneity, MediationSpec? Mediation, GapsSpec? Gaps = null, string? Table = null, string? TableTitle = null);

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

/// <summary>A named count (fixed-effect factor and its levels, cluster variable and its clusters), kept in the model's order so that tables list them the same way in every process.</summary>
[GenerateSerializer, Immutable]
public sealed record NamedCount(string Name, int Count);

/// <summary>A coefficient.</summary>
[GenerateSerializer, Immutable]
public sealed record CoefficientFit(string Term, double Estimate, double StdError, double Statistic, double PValue, double ConfLow, double ConfHigh);

/// <summary>A test statistic with its degrees of freedom and p-value.</summary>
[GenerateSerializer, Immutable]
public sealed record TestFit(string Name, double Statistic, double Df1, double? Df2, double PValue);

/// <summary>A first-stage regression of an IV model.</summary>
[GenerateSerializer, Immutable]
public sealed record FirstStageFit(string Endogenous, ImmutableArray<CoefficientFit> Coefficients, TestFit FTest, double PartialR2);

/// <summary>Weak- and under-identification statistics of an IV model.</summary>
[GenerateSerializer, Immutable]
public sealed record IvFit(double CraggDonaldF, double? KleibergenPaapWaldF, TestFit KleibergenPaapLm, ImmutableArray<double> StockYogoSize, TestFit? OverIdentification);

/// <summary>The Hausman test of FE against RE on the model's formula.</summary>
[GenerateSerializer, Immutable]
public sealed record HausmanFit(double Statistic, int Df, double PValue, string? Note);

/// <summary>
/// What a table, a Parquet row or a test needs of a fitted model (the core result without its
/// covariance matrix); <see cref="Error"/> is set instead when the model could not be estimated.
/// <see cref="Weights"/> and <see cref="SumWeights"/> name the analytic weights of a weighted fit (null unweighted).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ModelFit(
    string Id, string Formula, string Estimator, int N, int DfResid, double DfTests, ImmutableArray<NamedCount> Clusters, string Vcov,
    ImmutableArray<CoefficientFit> Coefficients, double R2, double? R2Within, double AdjR2, ImmutableArray<NamedCount> FixedEffects,
    ImmutableArray<FirstStageFit> FirstStages, IvFit? Iv, ImmutableDictionary<string, double> Statistics, ImmutableArray<string> Warnings,
    HausmanFit? Hausman, string? Error, int SingletonsRemoved = 0, string? Weights = null, double? SumWeights = null);

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
