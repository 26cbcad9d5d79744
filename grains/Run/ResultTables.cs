using DigitalEconomy.Contracts;
using DigitalEconomy.Parquet;

namespace DigitalEconomy.Grains;

/// <summary>One row of specs.parquet: the specification's choices and its numbers.</summary>
public sealed record SpecificationRow(
    string SpecId, string Formula, string Term, string Outcome, string Controls, string FixedEffects, string Sample,
    string Winsor, string Lag, string Vcov, double? Estimate, double? StdError, double? Statistic, double? PValue, double? ConfLow, double? ConfHigh,
    long? N, double? R2, double? R2Within, string? Error)
{
    /// <summary>The row of a fitted specification (which batch it travelled in is not recorded: results never depend on how work was split).</summary>
    public static SpecificationRow From(Specification s, SpecificationResult r)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(r);
        return new(s.Id, SpecificationFit.FormulaText(s), SpecificationFit.Term(s), s.Outcome, s.ControlSet, SpecificationFit.FixedEffectsText(s), s.Sample,
            GridExpansion.YesNo(s.Winsorize), GridExpansion.YesNo(s.Lag), s.Vcov, r.Estimate, r.StdError, r.Statistic, r.PValue, r.ConfLow, r.ConfHigh, r.N, r.R2, r.R2Within, r.Error);
    }
}

/// <summary>One row of indices.parquet: a unit-period's score on one index (long format, so every part has the same schema).</summary>
public sealed record IndexScoreRow(string Index, string Unit, long Time, string Region, double Score);

/// <summary>
/// The declared schema of every result table, used both to write and to read (by column name), with
/// fixed writer options so that files are byte-identical wherever they are written.
/// </summary>
public static class ResultTables
{
    /// <summary>The schema version written into every result file's key-value metadata.</summary>
    public const string SchemaVersion = "3";

    /// <summary>Writer options: fixed created_by and the schema version (nothing run- or time-specific).</summary>
    public static ParquetOptions Options()
    {
        var o = new ParquetOptions { CreatedBy = "DigitalEconomy.Parquet version 0.1.0" };
        o.Metadata["digitaleconomy.schema_version"] = SchemaVersion;
        return o;
    }

    /// <summary>specs.parquet and its parts.</summary>
    public static RecordSchema<SpecificationRow> Specs { get; } = new RecordSchema<SpecificationRow>()
        .String("spec_id", r => r.SpecId, nullable: false)
        .String("formula", r => r.Formula, nullable: false).String("term", r => r.Term, nullable: false)
        .String("outcome", r => r.Outcome, nullable: false).String("controls", r => r.Controls, nullable: false)
        .String("fe", r => r.FixedEffects, nullable: false).String("sample", r => r.Sample, nullable: false)
        .String("winsor", r => r.Winsor, nullable: false).String("lag", r => r.Lag, nullable: false).String("vcov", r => r.Vcov, nullable: false)
        .NullableDouble("estimate", r => r.Estimate).NullableDouble("std_error", r => r.StdError).NullableDouble("statistic", r => r.Statistic)
        .NullableDouble("p_value", r => r.PValue).NullableDouble("conf_low", r => r.ConfLow).NullableDouble("conf_high", r => r.ConfHigh)
        .NullableInt64("n", r => r.N).NullableDouble("r2", r => r.R2).NullableDouble("r2_within", r => r.R2Within)
        .String("error", r => r.Error);

    /// <summary>bootstrap.parquet and its parts.</summary>
    public static RecordSchema<BootstrapReplicate> Bootstrap { get; } = new RecordSchema<BootstrapReplicate>()
        .String("spec_id", r => r.SpecId, nullable: false).Int64("replicate", r => r.Replicate)
        .NullableDouble("estimate", r => r.Estimate).String("error", r => r.Error);

    /// <summary>indices.parquet.</summary>
    public static RecordSchema<IndexScoreRow> Indices { get; } = new RecordSchema<IndexScoreRow>()
        .String("index", r => r.Index, nullable: false).String("unit", r => r.Unit, nullable: false).Int64("time", r => r.Time)
        .String("region", r => r.Region, nullable: false).Double("score", r => r.Score);

    /// <summary>Reads a specifications part by column name.</summary>
    public static List<SpecificationRow> ReadSpecs(string path)
    {
        var c = Columns(path, Specs);
        string S(string name, int i) => c[name].Strings![i]!;
        string? SN(string name, int i) => c[name].Strings![i];
        double? D(string name, int i) => c[name].IsNull(i) ? null : c[name].Doubles![i];
        long? L(string name, int i) => c[name].IsNull(i) ? null : c[name].Int64s![i];
        int n = c["spec_id"].Count;
        var rows = new List<SpecificationRow>(n);
        for (int i = 0; i < n; i++)
            rows.Add(new SpecificationRow(S("spec_id", i), S("formula", i), S("term", i), S("outcome", i), S("controls", i), S("fe", i),
                S("sample", i), S("winsor", i), S("lag", i), S("vcov", i), D("estimate", i), D("std_error", i), D("statistic", i), D("p_value", i),
                D("conf_low", i), D("conf_high", i), L("n", i), D("r2", i), D("r2_within", i), SN("error", i)));
        return rows;
    }

    /// <summary>Reads a bootstrap part by column name.</summary>
    public static List<BootstrapReplicate> ReadBootstrap(string path)
    {
        var c = Columns(path, Bootstrap);
        return [.. Enumerable.Range(0, c["spec_id"].Count).Select(i => new BootstrapReplicate(c["spec_id"].Strings![i]!, c["replicate"].Int64s![i],
            c["estimate"].IsNull(i) ? null : c["estimate"].Doubles![i], c["error"].Strings![i]))];
    }

    private static Dictionary<string, ParquetColumn> Columns<T>(string path, RecordSchema<T> schema)
    {
        using var reader = ParquetReader.Open(path);
        var names = schema.Schema.Fields.Select(f => f.Name).ToList();
        var missing = names.Where(n => reader.Schema.Fields.All(f => f.Name != n)).ToList();
        if (missing.Count > 0) throw new ParquetException($"{path}: no column {string.Join(", ", missing)} (written by another schema version?)");
        return reader.ReadAll(names).ToDictionary(c => c.Field.Name, StringComparer.Ordinal);
    }
}
