namespace DigitalEconomy.Store;

/// <summary>
/// One row of specs.parquet: the specification's choices, its numbers and, when the study bootstrapped it, the
/// bootstrap's (all null otherwise): the method (pairs or wild) and the replicates used; pairs: the bootstrap SE and
/// the percentile and bias-corrected limits; wild: the p-value of H0: coefficient = 0 and the interval by test
/// inversion; <paramref name="BootNote"/> says why a bootstrapped specification's numbers are null.
/// <paramref name="DataKey"/> is the SHA-256 of exactly the data the fit read (the sample's rows, the term's columns, the
/// specification; docs/datasets.md, incremental recomputation): a later run reuses the row when its key is the same.
/// Null in files of schema 4 and older, and when the specification could not be read.
/// </summary>
public sealed record SpecificationRow(
    string SpecId, string Formula, string Term, string Outcome, string Controls, string FixedEffects, string Sample,
    string Winsor, string Lag, string Vcov, double? Estimate, double? StdError, double? Statistic, double? PValue, double? ConfLow, double? ConfHigh,
    long? N, double? R2, double? R2Within, string? Error,
    string? BootMethod = null, long? BootReplicates = null, double? BootStdError = null, double? BootPercentileLow = null, double? BootPercentileHigh = null,
    double? BootBcLow = null, double? BootBcHigh = null, double? WildPValue = null, double? WildConfLow = null, double? WildConfHigh = null, string? BootNote = null,
    string? DataKey = null, string? Estimator = null, string? Weights = null);

/// <summary>One row of bootstrap.parquet: one replicate of one specification.</summary>
public sealed record BootstrapRow(string SpecId, long Replicate, double? Estimate, string? Error);

/// <summary>One row of indices.parquet: a unit-period's score on one index (long format, so every index shares one schema).</summary>
public sealed record IndexScoreRow(string Index, string Unit, long Time, string Region, double Score);

/// <summary>One row of curve_null/part-*.parquet: a specification refitted in one null draw of the curve.</summary>
public sealed record CurveNullRow(string SpecId, long Draw, double? Estimate, double? PValue);

/// <summary>One row of curve_inference.parquet: the curve statistics of one null draw (null when no specification could be refitted).</summary>
public sealed record CurveInferenceRow(long Draw, double? Median, double? ShareSignificant, double? AggregateZ, long Specifications);

/// <summary>
/// One row of models.parquet: one coefficient of one model of a study analysis (a failed model: one row
/// with its error and no term). Filters are joined with " &amp; "; winsorised columns with ", ".
/// </summary>
public sealed record ModelCoefficientRow(
    string Analysis, string ModelId, long Column, string Formula, string Estimator, string Vcov, string Filters, string Winsorize, string? Term, double? Estimate, double? StdError,
    double? Statistic, double? PValue, double? ConfLow, double? ConfHigh, long? N, double? R2, double? R2Within, double? AdjR2, string? Error);

/// <summary>One row of analyses.parquet: one cell of one table of a study analysis, with the numbers behind its text.</summary>
public sealed record AnalysisCellRow(
    string Analysis, string Table, long Row, string RowKey, string RowLabel, string RowKind, long Column, string ColumnHeader, string? ColumnLabel,
    string Text, double? Value, double? StdError, double? T, double? PValue, string Stars);

/// <summary>One row of permutations.parquet: the statistic of one Fisher permutation of one group-difference test.</summary>
public sealed record PermutationRow(string Analysis, string Test, string Term, long Permutation, double? Statistic);

/// <summary>
/// The declared schema of every result table, used both to write and to read (by column name).
/// Writer options are fixed (<see cref="ParquetFormat.Writer"/>), so the same rows give the same
/// bytes wherever they are written.
/// </summary>
public static class ResultTables
{
    /// <summary>The schema version written into every result file's key-value metadata.</summary>
    public const string SchemaVersion = "7";

    /// <summary>specs.parquet and specs/part-*.parquet.</summary>
    public static TableSchema<SpecificationRow> Specs { get; } = new TableSchema<SpecificationRow>("specs", SchemaVersion)
        .Text("spec_id", r => r.SpecId, nullable: false)
        .Text("formula", r => r.Formula, nullable: false).Text("term", r => r.Term, nullable: false)
        .Text("outcome", r => r.Outcome, nullable: false).Text("controls", r => r.Controls, nullable: false)
        .Text("fe", r => r.FixedEffects, nullable: false).Text("sample", r => r.Sample, nullable: false)
        .Text("winsor", r => r.Winsor, nullable: false).Text("lag", r => r.Lag, nullable: false).Text("vcov", r => r.Vcov, nullable: false)
        .NullableDouble("estimate", r => r.Estimate).NullableDouble("std_error", r => r.StdError).NullableDouble("statistic", r => r.Statistic)
        .NullableDouble("p_value", r => r.PValue).NullableDouble("conf_low", r => r.ConfLow).NullableDouble("conf_high", r => r.ConfHigh)
        .Text("boot_method", r => r.BootMethod).NullableInt64("boot_replicates", r => r.BootReplicates)
        .NullableDouble("boot_std_error", r => r.BootStdError).NullableDouble("boot_pct_low", r => r.BootPercentileLow).NullableDouble("boot_pct_high", r => r.BootPercentileHigh)
        .NullableDouble("boot_bc_low", r => r.BootBcLow).NullableDouble("boot_bc_high", r => r.BootBcHigh)
        .NullableDouble("wild_p_value", r => r.WildPValue).NullableDouble("wild_conf_low", r => r.WildConfLow).NullableDouble("wild_conf_high", r => r.WildConfHigh)
        .Text("boot_note", r => r.BootNote)
        .NullableInt64("n", r => r.N).NullableDouble("r2", r => r.R2).NullableDouble("r2_within", r => r.R2Within)
        .Text("error", r => r.Error)
        .OptionalText("data_key", r => r.DataKey)
        .OptionalText("estimator", r => r.Estimator).OptionalText("weights", r => r.Weights)
        .Reads(c => new SpecificationRow(c.RequiredText("spec_id"), c.RequiredText("formula"), c.RequiredText("term"),
            c.RequiredText("outcome"), c.RequiredText("controls"), c.RequiredText("fe"), c.RequiredText("sample"), c.RequiredText("winsor"),
            c.RequiredText("lag"), c.RequiredText("vcov"), c.NullableDouble("estimate"), c.NullableDouble("std_error"), c.NullableDouble("statistic"),
            c.NullableDouble("p_value"), c.NullableDouble("conf_low"), c.NullableDouble("conf_high"), c.NullableInt64("n"), c.NullableDouble("r2"),
            c.NullableDouble("r2_within"), c.Text("error"), c.Text("boot_method"), c.NullableInt64("boot_replicates"), c.NullableDouble("boot_std_error"),
            c.NullableDouble("boot_pct_low"), c.NullableDouble("boot_pct_high"), c.NullableDouble("boot_bc_low"), c.NullableDouble("boot_bc_high"),
            c.NullableDouble("wild_p_value"), c.NullableDouble("wild_conf_low"), c.NullableDouble("wild_conf_high"), c.Text("boot_note"), c.Text("data_key"),
            c.Text("estimator"), c.Text("weights")));

    /// <summary>bootstrap.parquet (sorted by spec_id, then replicate) and bootstrap/part-*.parquet: the pairs bootstrap's replicates.</summary>
    public static TableSchema<BootstrapRow> Bootstrap { get; } = new TableSchema<BootstrapRow>("bootstrap", SchemaVersion)
        .Text("spec_id", r => r.SpecId, nullable: false).Int64("replicate", r => r.Replicate)
        .NullableDouble("estimate", r => r.Estimate).Text("error", r => r.Error)
        .Reads(c => new BootstrapRow(c.RequiredText("spec_id"), c.Int64("replicate"), c.NullableDouble("estimate"), c.Text("error")));

    /// <summary>indices.parquet.</summary>
    public static TableSchema<IndexScoreRow> Indices { get; } = new TableSchema<IndexScoreRow>("indices", SchemaVersion)
        .Text("index", r => r.Index, nullable: false).Text("unit", r => r.Unit, nullable: false).Int64("time", r => r.Time)
        .Text("region", r => r.Region, nullable: false).Double("score", r => r.Score)
        .Reads(c => new IndexScoreRow(c.RequiredText("index"), c.RequiredText("unit"), c.Int64("time"), c.RequiredText("region"), c.Double("score")));

    /// <summary>curve_null/part-*.parquet.</summary>
    public static TableSchema<CurveNullRow> CurveNull { get; } = new TableSchema<CurveNullRow>("curve_null", SchemaVersion)
        .Text("spec_id", r => r.SpecId, nullable: false).Int64("draw", r => r.Draw)
        .NullableDouble("estimate", r => r.Estimate).NullableDouble("p_value", r => r.PValue)
        .Reads(c => new CurveNullRow(c.RequiredText("spec_id"), c.Int64("draw"), c.NullableDouble("estimate"), c.NullableDouble("p_value")));

    /// <summary>curve_inference.parquet (sorted by draw).</summary>
    public static TableSchema<CurveInferenceRow> CurveInference { get; } = new TableSchema<CurveInferenceRow>("curve_inference", SchemaVersion)
        .Int64("draw", r => r.Draw).NullableDouble("median", r => r.Median).NullableDouble("share_significant", r => r.ShareSignificant)
        .NullableDouble("aggregate_z", r => r.AggregateZ).Int64("specifications", r => r.Specifications)
        .Reads(c => new CurveInferenceRow(c.Int64("draw"), c.NullableDouble("median"), c.NullableDouble("share_significant"), c.NullableDouble("aggregate_z"), c.Int64("specifications")));

    /// <summary>models.parquet: every model of the study's analyses, one row per coefficient, in analysis and column order.</summary>
    public static TableSchema<ModelCoefficientRow> Models { get; } = new TableSchema<ModelCoefficientRow>("models", SchemaVersion)
        .Text("analysis", r => r.Analysis, nullable: false).Text("model_id", r => r.ModelId, nullable: false).Int64("col", r => r.Column)
        .Text("formula", r => r.Formula, nullable: false).Text("estimator", r => r.Estimator, nullable: false).Text("vcov", r => r.Vcov, nullable: false)
        .Text("filters", r => r.Filters, nullable: false).Text("winsorize", r => r.Winsorize, nullable: false)
        .Text("term", r => r.Term).NullableDouble("estimate", r => r.Estimate).NullableDouble("std_error", r => r.StdError)
        .NullableDouble("statistic", r => r.Statistic).NullableDouble("p_value", r => r.PValue).NullableDouble("conf_low", r => r.ConfLow)
        .NullableDouble("conf_high", r => r.ConfHigh).NullableInt64("n", r => r.N).NullableDouble("r2", r => r.R2).NullableDouble("r2_within", r => r.R2Within)
        .NullableDouble("adj_r2", r => r.AdjR2).Text("error", r => r.Error)
        .Formerly("col", "column")
        .Reads(c => new ModelCoefficientRow(c.RequiredText("analysis"), c.RequiredText("model_id"), c.Int64("col"), c.RequiredText("formula"),
            c.RequiredText("estimator"), c.RequiredText("vcov"), c.RequiredText("filters"), c.RequiredText("winsorize"), c.Text("term"), c.NullableDouble("estimate"), c.NullableDouble("std_error"),
            c.NullableDouble("statistic"), c.NullableDouble("p_value"), c.NullableDouble("conf_low"), c.NullableDouble("conf_high"), c.NullableInt64("n"),
            c.NullableDouble("r2"), c.NullableDouble("r2_within"), c.NullableDouble("adj_r2"), c.Text("error")));

    /// <summary>analyses.parquet: every cell of every analysis table (descriptives, correlations, regressions, tests), in table, row and column order.</summary>
    public static TableSchema<AnalysisCellRow> AnalysisCells { get; } = new TableSchema<AnalysisCellRow>("analyses", SchemaVersion)
        .Text("analysis", r => r.Analysis, nullable: false).Text("table", r => r.Table, nullable: false).Int64("row", r => r.Row)
        .Text("row_key", r => r.RowKey, nullable: false).Text("row_label", r => r.RowLabel, nullable: false).Text("row_kind", r => r.RowKind, nullable: false)
        .Int64("col", r => r.Column).Text("column_header", r => r.ColumnHeader, nullable: false).Text("column_label", r => r.ColumnLabel)
        .Text("text", r => r.Text, nullable: false).NullableDouble("value", r => r.Value).NullableDouble("std_error", r => r.StdError)
        .NullableDouble("t", r => r.T).NullableDouble("p_value", r => r.PValue).Text("stars", r => r.Stars, nullable: false)
        .Formerly("col", "column")
        .Reads(c => new AnalysisCellRow(c.RequiredText("analysis"), c.RequiredText("table"), c.Int64("row"), c.RequiredText("row_key"), c.RequiredText("row_label"),
            c.RequiredText("row_kind"), c.Int64("col"), c.RequiredText("column_header"), c.Text("column_label"), c.RequiredText("text"),
            c.NullableDouble("value"), c.NullableDouble("std_error"), c.NullableDouble("t"), c.NullableDouble("p_value"), c.RequiredText("stars")));

    /// <summary>permutations.parquet: every Fisher permutation of every group-difference test, in analysis, test, term and permutation order.</summary>
    public static TableSchema<PermutationRow> Permutations { get; } = new TableSchema<PermutationRow>("permutations", SchemaVersion)
        .Text("analysis", r => r.Analysis, nullable: false).Text("test", r => r.Test, nullable: false).Text("term", r => r.Term, nullable: false)
        .Int64("permutation", r => r.Permutation).NullableDouble("statistic", r => r.Statistic)
        .Reads(c => new PermutationRow(c.RequiredText("analysis"), c.RequiredText("test"), c.RequiredText("term"), c.Int64("permutation"), c.NullableDouble("statistic")));
}
