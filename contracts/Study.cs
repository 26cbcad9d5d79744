using System.Collections.Immutable;

namespace DigitalEconomy.Contracts;

/// <summary>A study: dataset, indices to build, and the specification grid (parsed and validated from YAML by the client).</summary>
/// <param name="Name">Study name (results go under OUT/&lt;name&gt;/&lt;run-id&gt;).</param>
/// <param name="Dataset">The yearbook panel.</param>
/// <param name="Indices">Composite indices added to the data before the regressions.</param>
/// <param name="Grid">The specification dimensions (none: no grid, bootstrap or curve inference).</param>
/// <param name="Seed">Run seed: every random stream is keyed by (seed, specification id, replicate).</param>
/// <param name="BatchSize">At most this many specifications per compute grain call (and per part file).</param>
/// <param name="SourceHash">SHA-256 of the study file with the indicator systems and spatial matrices it reads (part of the run id).</param>
/// <param name="Bootstrap">Optional pairs or wild cluster bootstrap of selected specifications.</param>
/// <param name="CurveInference">Optional specification-curve inference under the null (docs/methods.md, "Specification grids").</param>
/// <param name="Analyses">The study's analyses (descriptives, regressions, heterogeneity …) in the order of the paper.</param>
/// <param name="Tables">How tables are printed: statistic in parentheses, language, R², labels.</param>
/// <param name="KeepSingletons">The study's <c>singletons: keep</c>; false (the default, <c>singletons: drop</c>): every model removes observations alone in a fixed-effect group, iteratively as reghdfe (docs/methods.md, "Singletons").</param>
[GenerateSerializer, Immutable]
public sealed record StudyDefinition(
    string Name, DatasetSpec Dataset, ImmutableArray<IndexSpec> Indices, GridSpec? Grid, long Seed, int BatchSize, string SourceHash, BootstrapSpec? Bootstrap,
    CurveInferenceSpec? CurveInference = null, ImmutableArray<AnalysisSpec> Analyses = default, TableSettings? Tables = null, bool KeepSingletons = false);

/// <summary>How a study's tables are printed.</summary>
/// <param name="Stat">In parentheses under each coefficient: t (default) or se.</param>
/// <param name="Language">Fixed words: en or zh.</param>
/// <param name="R2">R² of fixed-effects columns: lsdv (default) or within.</param>
/// <param name="Labels">Variable and term labels (Chinese allowed).</param>
[GenerateSerializer, Immutable]
public sealed record TableSettings(string Stat, string Language, string R2, ImmutableDictionary<string, string> Labels);

/// <summary>Dataset: CSV path (absolute, readable by the silo that hosts the run grain), unit and time columns, and the region column RegionGrains are keyed by.</summary>
/// <param name="Path">The CSV file.</param>
/// <param name="Unit">Unit column.</param>
/// <param name="Time">Time column.</param>
/// <param name="Region">Region column (one RegionGrain per region); null when the study has none (indices and the regional-gap analyses' default grouping need it).</param>
/// <param name="Interpolate">Columns whose interior gaps are filled by linear interpolation within unit before anything else (docs/methods.md, "Estimation"); every fill is listed in the run's fills.csv.</param>
/// <param name="Derive">Constructed measures added in order after interpolation (docs/studies.md, dataset.derive).</param>
/// <param name="Name">A versioned dataset (docs/datasets.md) named instead of a file; <paramref name="Path"/> is then the data file of the version resolved when the run starts.</param>
/// <param name="Version">The version of <paramref name="Name"/>; null: the latest version when the run starts (the command that starts the run carries the resolved number).</param>
/// <param name="Root">The folder of the versioned datasets (absolute after loading).</param>
/// <param name="Encoding">The CSV file's encoding when the study forces it (dataset.encoding: UTF-8, GBK or GB18030); null: detected (UTF-8, else GB18030).</param>
/// <param name="Extrapolate">How the <paramref name="Interpolate"/> columns' missing ends are filled (dataset.extrapolate): null (they stay missing), linear or growth (core's <c>Extrapolation</c>).</param>
[GenerateSerializer, Immutable]
public sealed record DatasetSpec(string Path, string Unit, string Time, string? Region, ImmutableArray<string> Interpolate, ImmutableArray<DeriveStepSpec> Derive = default,
    string? Name = null, int? Version = null, string? Root = null, string? Encoding = null, string? Extrapolate = null);

/// <summary>A constructed-measure step as core's <c>Derivation</c> takes it: every parameter a list of strings.</summary>
[GenerateSerializer, Immutable]
public sealed record DeriveStepSpec(string Name, string Kind, ImmutableSortedDictionary<string, ImmutableArray<string>> Parameters);

/// <summary>An entropy index computed from indicators and added as a column.</summary>
[GenerateSerializer, Immutable]
public sealed record IndexSpec(string Name, ImmutableArray<IndicatorDto> Indicators, double Shift, bool PerPeriod);

/// <summary>An indicator: data column and direction (+1 benefit, −1 cost), with its first-level dimension.</summary>
[GenerateSerializer, Immutable]
public sealed record IndicatorDto(string Code, int Direction, string? Dimension);

/// <summary>A named set of control variables.</summary>
[GenerateSerializer, Immutable]
public sealed record ControlSet(string Name, ImmutableArray<string> Columns);

/// <summary>A named sample: a row filter, or null for all rows.</summary>
[GenerateSerializer, Immutable]
public sealed record SampleSpec(string Name, string? Filter);

/// <summary>The grid dimensions; the first entry of each is the baseline.</summary>
/// <param name="Treatment">The explanatory variable whose coefficient is reported.</param>
/// <param name="Outcomes">Outcome measures.</param>
/// <param name="Controls">Named control sets.</param>
/// <param name="FixedEffects">Fixed-effect structures; each a list of factors (e.g. [province, year]); empty for none.</param>
/// <param name="Samples">Named samples.</param>
/// <param name="Winsorize">Winsorise outcome, treatment and controls at 1/99 %: the values to try.</param>
/// <param name="Lag">Lag the treatment one period: the values to try.</param>
/// <param name="Vcov">Variance estimators, e.g. <c>cluster:province</c>, <c>hc1</c>, <c>iid</c>.</param>
/// <param name="Estimators">Estimators to try (canonical names: ols, within, re, iv-2sls, iv-gmm2s); empty: the formula's default
/// (within with fixed effects, else OLS). A combination that does not fit is not a specification: ols and re only with no fixed
/// effects (re takes the unit as its random effect), within only with some. The words of the non-linear families (gmm-diff, gmm-sys,
/// did-twfe, did-sa, did-cs, sar, sem, sac, sdm; study/GridEstimators) form nodes as their family says.</param>
/// <param name="Instruments">The instruments of the treatment in the IV estimators' specifications.</param>
/// <param name="Weights">Analytic-weight columns to try, <c>none</c> for unweighted; empty: unweighted only.</param>
/// <param name="KeepSingletons">The study says <c>singletons: keep</c> (every specification keeps observations alone in a fixed-effect group).</param>
/// <param name="Cohort">The DID estimators' cohort column (<c>grid.cohort</c>: each unit's first treated period, empty or 0 = never); null: none.</param>
/// <param name="Matrices">The spatial estimators' weight matrices (<c>grid.matrices</c>, names of matrices a spatial analysis declares); empty: none.</param>
/// <param name="Gmm">The GMM estimators' instrument settings (<c>grid.gmm</c>); null: the defaults (<see cref="GridGmmSettings.Default"/>).</param>
[GenerateSerializer, Immutable]
public sealed record GridSpec(
    string Treatment,
    ImmutableArray<string> Outcomes,
    ImmutableArray<ControlSet> Controls,
    ImmutableArray<ImmutableArray<string>> FixedEffects,
    ImmutableArray<SampleSpec> Samples,
    ImmutableArray<bool> Winsorize,
    ImmutableArray<bool> Lag,
    ImmutableArray<string> Vcov,
    ImmutableArray<string> Estimators = default,
    ImmutableArray<string> Instruments = default,
    ImmutableArray<string> Weights = default,
    bool KeepSingletons = false,
    string? Cohort = null,
    ImmutableArray<SpatialMatrixSpec> Matrices = default,
    GridGmmSettings? Gmm = null)
{
    /// <summary>The value of the weights dimension that means unweighted.</summary>
    public const string Unweighted = "none";

    /// <summary>Whether a combination of an estimator and fixed effects is a specification (see <see cref="Estimators"/>).</summary>
    public static bool Fits(string? estimator, ImmutableArray<string> fixedEffects) => estimator switch
    {
        "ols" or "re" => fixedEffects.IsDefaultOrEmpty,
        "within" => !fixedEffects.IsDefaultOrEmpty,
        _ => true,
    };
}

/// <summary>The GMM grid estimators' settings (<c>grid.gmm</c>, docs/studies.md "grid").</summary>
/// <param name="Collapse">Collapse the GMM-style instrument sets (one column per lag; Roodman 2009). Default true (few units).</param>
/// <param name="Lags">The treatment and controls enter with lags 0 … Lags (distributed lags). Default 0.</param>
/// <param name="Endogenous">Controls instrumented GMM-style like the treatment (lags 2 and up of their levels); the others are IV-style. Default none.</param>
[GenerateSerializer, Immutable]
public sealed record GridGmmSettings(bool Collapse, int Lags, ImmutableArray<string> Endogenous)
{
    /// <summary>Collapsed, no distributed lags, every control exogenous.</summary>
    public static GridGmmSettings Default { get; } = new(true, 0, []);

    /// <summary>The settings as written in canonical texts: <c>collapse=yes,lags=0,endogenous=</c>.</summary>
    public string Text => $"collapse={(Collapse ? "yes" : "no")},lags={Lags.ToString(System.Globalization.CultureInfo.InvariantCulture)},endogenous={string.Join("+", Endogenous.IsDefault ? [] : Endogenous)}";
}

/// <summary>
/// Bootstrap of selected specifications (study key <c>bootstrap</c>, docs/studies.md).
/// </summary>
/// <param name="Replicates">Pairs: replicates per specification. Wild: draws B (all 2^G sign vectors instead when the weights are Rademacher and 2^G ≤ B).</param>
/// <param name="Chunk">Pairs: replicates per grain call and per part file (never changes a result).</param>
/// <param name="Method">Pairs cluster bootstrap (refit per replicate) or wild cluster bootstrap (fast, one grain call per specification).</param>
/// <param name="Specs">Which specifications: entries <c>baseline</c>, <c>all</c>, a specification id (16 hex digits, specs.parquet's spec_id) or a filter on the choice columns (<c>sample == east &amp; controls == full</c>); a specification is bootstrapped when some entry selects it. Default or empty: the baseline.</param>
/// <param name="Weights">Wild: the weight distribution.</param>
/// <param name="Type">Wild: WCR (null imposed) or WCU.</param>
/// <param name="Level">Confidence level of the intervals.</param>
[GenerateSerializer, Immutable]
public sealed record BootstrapSpec(
    int Replicates, int Chunk, BootstrapMethod Method = BootstrapMethod.Pairs, ImmutableArray<string> Specs = default,
    BootstrapWeights Weights = BootstrapWeights.Rademacher, BootstrapWildType Type = BootstrapWildType.Wcr, double Level = 0.95);

/// <summary>How a specification is bootstrapped.</summary>
public enum BootstrapMethod
{
    /// <summary>Pairs cluster bootstrap: units resampled with their series, the specification refitted per replicate.</summary>
    Pairs,
    /// <summary>Wild cluster bootstrap of the treatment coefficient (H0: coefficient = 0) by the fast algorithm.</summary>
    Wild,
}

/// <summary>Weights of the wild cluster bootstrap.</summary>
public enum BootstrapWeights
{
    /// <summary>±1 with probability 1/2.</summary>
    Rademacher,
    /// <summary>Webb's six points.</summary>
    Webb,
    /// <summary>Mammen's two points.</summary>
    Mammen,
}

/// <summary>The wild bootstrap's data-generating process.</summary>
public enum BootstrapWildType
{
    /// <summary>Restricted: residuals of the model with the null imposed.</summary>
    Wcr,
    /// <summary>Unrestricted residuals.</summary>
    Wcu,
}

/// <summary>Specification-curve inference: <paramref name="Draws"/> null draws, computed in blocks of <paramref name="Chunk"/> draws × at most <paramref name="SpecChunk"/> specifications.</summary>
[GenerateSerializer, Immutable]
public sealed record CurveInferenceSpec(int Draws, int Chunk, int SpecChunk);
