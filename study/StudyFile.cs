using System.Collections.Immutable;
using DigitalEconomy.Contracts;
using DigitalEconomy.Store;
using DigitalEconomy.Study.Analyses;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DigitalEconomy.Study;

// The study file as written: what the typed pass (StudyFileReader) reads, before any check against the dataset.
// Conventions (docs/architecture.md, "Reading a study file"): a key the file may omit is nullable (or a default the
// loader documents), a required key is not; every value the validation pass may refuse carries its mark (Located<T>),
// and every section its own mark (At) for the errors that name the section. Values are as written (trimmed only where
// today's reader trims), never resolved: paths stay relative to the study file, names are not looked up.

/// <summary>A study file after the typed pass.</summary>
/// <param name="At">The root mapping (errors about the file as a whole: "a study needs a 'grid:' section…").</param>
/// <param name="Name">name (required).</param>
/// <param name="Seed">seed; default 20261122.</param>
/// <param name="BatchSize">batch_size; null for the default 25 (its range is checked by the validation pass).</param>
/// <param name="Singletons">singletons: drop or keep, as written.</param>
/// <param name="Dataset">dataset (required).</param>
/// <param name="Indices">indices, with the list's mark.</param>
/// <param name="Grid">grid, or null.</param>
/// <param name="Bootstrap">bootstrap, or null.</param>
/// <param name="CurveInference">curve_inference, or null.</param>
/// <param name="Tables">tables, defaults filled in (every key is a closed word list or free text: nothing to check against the dataset).</param>
/// <param name="Baseline">baseline: the node, read by the analysis reader (<see cref="AnalysisReader.ReadBaseline"/>) in the validation pass.</param>
/// <param name="Analyses">analyses, with the list's mark: each entry's mapping handed to the analysis type registered for its <c>type:</c>.</param>
internal sealed record StudyFile(Mark At, Located<string> Name, long Seed, Located<long>? BatchSize, Located<string>? Singletons, DatasetSection Dataset,
    Located<ImmutableArray<IndexSection>>? Indices, GridSection? Grid, BootstrapSection? Bootstrap, CurveSection? CurveInference, TableSettings Tables,
    YamlNode? Baseline, Located<ImmutableArray<AnalysisEntry>>? Analyses);

/// <summary>dataset: a file (path) or a versioned dataset (name, version, root); the columns; how gaps are filled; derived columns.</summary>
internal sealed record DatasetSection(Mark At, Located<string>? Path, Located<string>? Name, Located<string>? Version, Located<string>? Root,
    Located<string>? Unit, Located<string>? Time, Located<string>? Region, Located<Interpolation>? Interpolate, Located<string>? Extrapolate,
    ImmutableArray<DeriveSection>? Derive, Located<string>? Encoding);

/// <summary>dataset.interpolate: true (every numeric column but unit and time), false (none) or the columns listed.</summary>
internal sealed record Interpolation(bool All, ImmutableArray<string> Columns);

/// <summary>One step of dataset.derive: name, kind, the kind's parameters (each a list of values, in the file's order) and system.</summary>
internal sealed record DeriveSection(Mark At, string Path, Located<string> Name, Located<string> Kind,
    ImmutableArray<KeyValuePair<string, Located<ImmutableArray<string>>>> Parameters, Located<string>? System);

/// <summary>One entry of indices.</summary>
internal sealed record IndexSection(Mark At, string Path, Located<string> Name, Located<string>? Method, Located<string>? System, Located<string>? Indicators,
    double Shift, bool PerPeriod);

/// <summary>grid: the dimensions of the specification grid as written (fixed effects trimmed, "0" for none).</summary>
internal sealed record GridSection(Mark At, Located<string> Treatment, ImmutableArray<Located<string>> Outcomes,
    ImmutableArray<KeyValuePair<string, ImmutableArray<Located<string>>>> Controls, ImmutableArray<Located<string>> FixedEffects,
    ImmutableArray<KeyValuePair<string, Located<string?>>> Samples, ImmutableArray<bool>? Winsorize, ImmutableArray<bool>? Lag,
    ImmutableArray<Located<string>> Vcov, Located<ImmutableArray<Located<string>>>? Estimators, Located<ImmutableArray<Located<string>>>? Instruments,
    Located<ImmutableArray<Located<string>>>? Weights, GmmSection? Gmm, Located<string>? Cohort, Located<ImmutableArray<Located<string>>>? Matrices);

/// <summary>grid.gmm (collapse defaults to true, lags to 0).</summary>
internal sealed record GmmSection(Mark At, bool Collapse, long Lags, ImmutableArray<Located<string>> Endogenous);

/// <summary>bootstrap (defaults filled in: 999 replicates in chunks of 100, pairs; rademacher, wcr; level 0.95).</summary>
/// <param name="Specs">specs: null for the default (baseline).</param>
internal sealed record BootstrapSection(Mark At, Located<long> Replicates, Located<long> Chunk, Located<BootstrapMethod> Method,
    Located<BootstrapWeights>? Weights, Located<BootstrapWildType>? Type, Located<double> Level, BootstrapSpecs? Specs);

/// <summary>bootstrap.specs: a word (baseline, all) or a list of specification ids and filters (trimmed).</summary>
internal sealed record BootstrapSpecs(Mark At, string? Word, ImmutableArray<Located<string>> Entries);

/// <summary>curve_inference (defaults: 500 draws, chunks of 50, spec chunks of 100).</summary>
internal sealed record CurveSection(Mark At, long Draws, long Chunk, long SpecChunk);

/// <summary>One entry of analyses: its mapping and key path, its kind, and the registered type that reads the rest of it.</summary>
internal sealed record AnalysisEntry(YamlMappingNode Node, string At, string Kind, IAnalysisType Type);
