using System.Globalization;

namespace DigitalEconomy.Reporting.Tables;

/// <summary>
/// One sample's baseline specification in two dataset versions: the earlier run's numbers (null when that run had no row of
/// these choices) and this run's, and whether this run fitted it again (false: the earlier row was reused as it is).
/// </summary>
public sealed record VersionChangeRow(string Sample, double? OldEstimate, double? NewEstimate, double? OldStdError, double? NewStdError,
    double? OldPValue, double? NewPValue, long? OldN, long? NewN, bool Recomputed);

/// <summary>What the changes table says about the comparison: the term and dataset, the two versions, the baseline's choices, the earlier run and how many specifications were reused.</summary>
public sealed record VersionChangesOptions(string Term, string Dataset, int OldVersion, int NewVersion, string Outcome, string Controls, string FixedEffects,
    string Vcov, string OldRunId, int Reused, int Specifications);

/// <summary>
/// tables/changes.*: how the headline results moved from the previous dataset version, one row per sample (its baseline
/// specification), old → new. Pure: the run's changes stage picks the rows; this only lays them out.
/// </summary>
public static class VersionChangesTable
{
    /// <summary>
    /// Columns: v(old) and v(new) estimate, change (new − old, empty when either is missing), SE, p (six decimals each),
    /// N (integers), and recomputed (yes/no). Two notes: what each row is, and what "recomputed: no" means.
    /// </summary>
    public static Table Build(IReadOnlyList<VersionChangeRow> rows, VersionChangesOptions o)
    {
        string v0 = $"v{o.OldVersion}", v1 = $"v{o.NewVersion}";
        var columns = new List<TableColumn>
        {
            new($"{v0} estimate"), new($"{v1} estimate"), new("change"), new($"{v0} SE"), new($"{v1} SE"), new($"{v0} p"), new($"{v1} p"), new($"{v0} N"), new($"{v1} N"), new("recomputed"),
        };
        var tableRows = rows.Select(r =>
        {
            double? change = r.NewEstimate is { } a && r.OldEstimate is { } b ? a - b : null;
            return new TableRow(r.Sample, r.Sample, RowKind.Statistic,
            [
                Num(r.OldEstimate), Num(r.NewEstimate), Num(change), Num(r.OldStdError), Num(r.NewStdError), Num(r.OldPValue), Num(r.NewPValue),
                Count(r.OldN), Count(r.NewN), new Cell(r.Recomputed ? "yes" : "no"),
            ]);
        }).ToList();
        return new Table($"Baseline estimates of {o.Term} on {o.Dataset}: {v0} → {v1}", "sample", columns,
            [new RowBlock(BlockKind.Data, tableRows)],
            [$"Each row: the baseline specification ({o.Outcome}, controls {o.Controls}, fe {o.FixedEffects}, vcov {o.Vcov}) on that sample. {v0}: run {o.OldRunId}; {v1}: this run.",
             $"recomputed: no = the sample's data did not change, so the {v0} row was reused as it is; specifications reused in all: {o.Reused} of {o.Specifications}."]);
    }

    private static Cell Num(double? v) => v is { } x && double.IsFinite(x) ? new Cell(x.ToString("0.000000", CultureInfo.InvariantCulture), x) : Cell.Empty;

    private static Cell Count(long? n) => n is { } x ? new Cell(x.ToString(CultureInfo.InvariantCulture), x) : Cell.Empty;
}
