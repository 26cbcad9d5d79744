using System.Collections.Immutable;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Regression;
using DigitalEconomy.Reporting.Charts;
using DigitalEconomy.Reporting.Tables;
using YamlDotNet.RepresentationModel;

namespace DigitalEconomy.Study.Analyses;

/// <summary>
/// One analysis type of a study's <c>analyses:</c> list (docs/architecture.md, "How to add an analysis type"): its kind
/// name(s), how it reads its YAML section (path-named one-line errors), the work it plans on the run (models through the
/// compute grain, permutations, bootstrap blocks) and how its results become reporting's tables and charts. The loader and
/// the run find a type only through <see cref="AnalysisTypes"/>.
/// </summary>
internal interface IAnalysisType
{
    /// <summary>The <c>type:</c> values this class reads and runs, in the order error messages list them.</summary>
    IReadOnlyList<string> Kinds { get; }

    /// <summary>
    /// Its definitions in docs/study.schema.json (<see cref="AnalysisSchema"/>): the branch <c>analysis_KIND</c> of each kind
    /// with its keys, and any definitions they refer to; by default a branch that names the kind only.
    /// </summary>
    IReadOnlyList<SchemaDefinition> Schema => [.. Kinds.Select(AnalysisSchema.Minimal)];

    /// <summary>Reads one analysis section (its <c>type</c> is one of <see cref="Kinds"/>) into the spec the run receives.</summary>
    /// <param name="section">The section, its key path and what it may name (dataset, variables, baseline).</param>
    AnalysisSpec Read(AnalysisSection section);

    /// <summary>Runs one analysis this class read: plans its work on <paramref name="run"/> and turns the results into tables and charts.</summary>
    Task<AnalysisOutput> RunAsync(AnalysisSpec analysis, IAnalysisRun run, CancellationToken ct);

    /// <summary>
    /// What its own settings (<see cref="AnalysisSpec.Settings"/>) read from the dataset, so that a scheduled run re-checks it
    /// against a newer dataset version before it starts (<see cref="StudyCheck.Recheck(StudyDefinition, DataFrame)"/>). The
    /// columns, models, variables and filters every <see cref="AnalysisSpec"/> carries are re-checked already; none by default.
    /// </summary>
    IEnumerable<DataUse> Uses(AnalysisSpec analysis) => [];
}

/// <summary>How a <see cref="DataUse"/> must hold in the dataset.</summary>
internal enum DataUseKind
{
    /// <summary>A numeric variable: a data column, a derived one or an index.</summary>
    Variable,

    /// <summary>A data column of any type (a fixed effect, a grouping or cluster column).</summary>
    Column,

    /// <summary>A row filter's text.</summary>
    Filter,
}

/// <summary>One thing an analysis reads from the dataset, with the key under the analysis that names it (<c>cohort</c>, <c>columns[1]</c>).</summary>
internal sealed record DataUse(string Key, string Text, DataUseKind Kind)
{
    /// <summary>Every column a term reads, as numeric variables under <paramref name="key"/>.</summary>
    public static IEnumerable<DataUse> Variables(string key, IEnumerable<string> columns) => columns.Select(c => new DataUse(key, c, DataUseKind.Variable));

    /// <summary>The cluster columns of variance estimators, as data columns under <paramref name="key"/>.</summary>
    public static IEnumerable<DataUse> Clusters(string key, IEnumerable<Core.Regression.VcovSpec> variances) =>
        variances.SelectMany(v => v.ClusterColumns).Distinct(StringComparer.Ordinal).Select(c => new DataUse(key, c, DataUseKind.Column));

    /// <summary>What a formula reads under <paramref name="key"/>: its fixed effects as columns, every other term's columns as numeric variables.</summary>
    public static IEnumerable<DataUse> Of(string key, Core.Formulas.Formula formula)
    {
        var factors = formula.FixedEffects.SelectMany(f => f.Columns).Distinct(StringComparer.Ordinal).ToList();
        return Variables(key, formula.Columns.Where(c => !factors.Contains(c, StringComparer.Ordinal))).Concat(factors.Select(c => new DataUse(key, c, DataUseKind.Column)));
    }
}

/// <summary>A chart an analysis draws at publish time as plots/&lt;stem&gt;.png and .svg.</summary>
internal sealed record AnalysisChart(string Stem, string Caption, Func<ChartOptions, byte[]> Render);

/// <summary>What an analysis produced: its tables in order and its charts in order.</summary>
internal sealed record AnalysisOutput(IReadOnlyList<AnalysisTable> Tables, IReadOnlyList<AnalysisChart> Charts)
{
    public static AnalysisOutput Of(params AnalysisTable[] tables) => new(tables, []);
}

/// <summary>
/// One analysis section as a type reads it: the mapping, its key path (<c>analyses[2]</c>), its kind and the reader of the
/// study's shared parts (error formatting, dataset, variables, baseline, terms, filters, models).
/// </summary>
internal sealed record AnalysisSection(YamlMappingNode Node, string At, string Kind, AnalysisReader Reader);

/// <summary>A fitted analysis model: the wire record (models.parquet, charts) and core's result (tables, tests).</summary>
internal sealed record FittedModels(ImmutableArray<ModelFit> Fits, IReadOnlyList<RegressionResult> Results);

/// <summary>The bootstrap of one mediator's a·b: the usable replicates and the summary, or why the summary failed.</summary>
internal sealed record MediatorBootstrapResult(int Usable, Core.Resampling.BootstrapSummary? Indirect, string? Error);

/// <summary>
/// What the run offers an analysis type: the prepared panel, the study, and the work it sends to the compute grain (each
/// call recorded in the run's result files: models.parquet, permutations.parquet).
/// </summary>
internal interface IAnalysisRun
{
    /// <summary>The study being run (tables' language, labels, statistic, seed, singleton rule).</summary>
    StudyDefinition Study { get; }

    /// <summary>The prepared panel (raw data, derived columns and indices).</summary>
    Panel Panel { get; }

    /// <summary>The panel with the columns winsorised at 1/99 % pooled (as the compute grain winsorises a model's columns).</summary>
    Panel Winsorized(IReadOnlyList<string> columns);

    /// <summary>Fits models on the compute grain in one call (key: run / analysis), recording them in models.parquet as the analysis's columns 1, 2, ….</summary>
    Task<FittedModels> FitAsync(AnalysisSpec analysis, ImmutableArray<AnalysisModel> models, CancellationToken ct);

    /// <summary>
    /// Fisher permutations of one group-difference test in blocks of <paramref name="chunk"/> on the compute grain (stream key
    /// ANALYSIS/TEST), recorded in permutations.parquet; the blocks in order.
    /// </summary>
    Task<IReadOnlyList<PermutationBlock>> PermuteAsync(AnalysisSpec analysis, string test, AnalysisModel model, string by, ImmutableArray<string> groups, string term,
        int permutations, int chunk, PermutationObservation observed, CancellationToken ct);

    /// <summary>The pairs cluster bootstrap of a·b of one mediator of a Baron–Kenny analysis on the compute grain (streams ANALYSIS/M).</summary>
    Task<MediatorBootstrapResult> MediationBootstrapAsync(AnalysisSpec analysis, MediationSpec mediation, string mediator, CancellationToken ct);

    /// <summary>
    /// Work of a type's own work type (e.g. <see cref="DidPlaceboWork"/>) on the compute grain: one call per part, keyed
    /// run id / part key, with the run's retry rule and concurrency; <c>work</c> builds each record from the run id and the
    /// prepared dataset. The replies in the parts' order.
    /// </summary>
    Task<IReadOnlyList<TResult>> ComputeAsync<TResult>(string what, IReadOnlyList<string> keys, Func<int, string, DatasetRef, ComputeWork<TResult>> work, CancellationToken ct)
        where TResult : WorkResult;

    /// <summary>Records draws of a randomisation test the type ran through <see cref="ComputeAsync"/> in permutations.parquet (analysis, test, term, draw, value).</summary>
    void RecordDraws(AnalysisSpec analysis, string test, string term, int first, IReadOnlyList<double> draws);
}
