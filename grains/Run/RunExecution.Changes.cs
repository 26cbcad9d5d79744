using System.Globalization;
using System.Text.Json.Nodes;
using DigitalEconomy.Contracts;
using DigitalEconomy.Reporting.Tables;
using DigitalEconomy.Store;
using TableRow = DigitalEconomy.Reporting.Tables.TableRow;

namespace DigitalEconomy.Grains;

internal sealed partial class RunExecution
{
    /// <summary>The earlier run the changes table compares with: its id, the dataset version it read, and the table.</summary>
    private sealed record Changes(string RunId, int Version, Table Table, int Rows);

    /// <summary>The changes table of this execution, once made (the report lists it).</summary>
    private Changes? _changes;

    /// <summary>
    /// How the headline results moved from the previous version: when the study reads a versioned dataset and an
    /// earlier complete run of the study under this results root read an older version of it (the newest such
    /// version; among its runs, one of the same study file first, then by folder name), the baseline of every
    /// sample (every other choice at its baseline) old → new, in tables/changes.{md,csv,tex,html,docx}.
    /// </summary>
    private async Task<Changes?> ChangesAsync(List<SpecificationRow> rows, Incremental incremental, CancellationToken ct)
    {
        var grid = _study.Grid;
        if (grid is null || _study.Dataset is not { Name: { } name, Version: { } version }) return null;
        var candidates = new List<(int Version, bool SameStudy, string Dir)>();
        foreach (var dir in EarlierRuns())
        {
            var m = Manifest.ReadObject(Path.Combine(dir, "manifest.json"));
            if (m?["dataset"] is not JsonObject ds || ds["name"]?.GetValue<string>() != name || ds["version"]?.GetValue<int>() is not { } v || v >= version) continue;
            candidates.Add((v, m["study_sha256"]?.GetValue<string>() == _study.SourceHash, dir));
        }
        if (candidates.Count == 0) return null;
        var (oldVersion, _, oldDir) = candidates.OrderByDescending(c => c.Version).ThenByDescending(c => c.SameStudy).First();
        List<SpecificationRow> old;
        try { old = await ResultTables.Specs.ReadFileAsync(Path.Combine(oldDir, "specs.parquet"), ct); }
        catch (Core.InputException) { return null; }
        static string Choices(SpecificationRow r) => $"{r.Outcome}\u001f{r.Controls}\u001f{r.FixedEffects}\u001f{r.Sample}\u001f{r.Winsor}\u001f{r.Lag}\u001f{r.Vcov}\u001f{r.Estimator}\u001f{r.Weights}";
        var oldOf = old.GroupBy(Choices).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        string fe = grid.FixedEffects[0].IsDefaultOrEmpty ? "0" : string.Join(" + ", grid.FixedEffects[0]);
        string v0 = $"v{oldVersion}", v1 = $"v{version}";
        var columns = new List<TableColumn>
        {
            new($"{v0} estimate"), new($"{v1} estimate"), new("change"), new($"{v0} SE"), new($"{v1} SE"), new($"{v0} p"), new($"{v1} p"), new($"{v0} N"), new($"{v1} N"), new("recomputed"),
        };
        var tableRows = new List<TableRow>();
        foreach (var sample in grid.Samples)
        {
            var now = rows.FirstOrDefault(r => r.Sample == sample.Name && r.Outcome == grid.Outcomes[0] && r.Controls == grid.Controls[0].Name && r.FixedEffects == fe
                                               && r.Winsor == GridExpansion.YesNo(grid.Winsorize[0]) && r.Lag == GridExpansion.YesNo(grid.Lag[0]) && r.Vcov == grid.Vcov[0]
                                               && (grid.Estimators.IsDefaultOrEmpty || r.Estimator == grid.Estimators[0])
                                               && (grid.Weights.IsDefaultOrEmpty || (r.Weights ?? GridSpec.Unweighted) == grid.Weights[0]));
            if (now is null) continue;
            oldOf.TryGetValue(Choices(now), out var was);
            double? change = now.Estimate is { } a && was?.Estimate is { } b ? a - b : null;
            tableRows.Add(new TableRow(sample.Name, sample.Name, RowKind.Statistic,
            [
                ChangeNum(was?.Estimate), ChangeNum(now.Estimate), ChangeNum(change), ChangeNum(was?.StdError), ChangeNum(now.StdError), ChangeNum(was?.PValue), ChangeNum(now.PValue),
                ChangeCount(was?.N), ChangeCount(now.N), new Cell(incremental.Reused.Contains(now.SpecId) ? "no" : "yes"),
            ]));
        }
        var table = new Table($"Baseline estimates of {SpecificationFitTerm(grid)} on {name}: {v0} → {v1}", "sample", columns,
            [new RowBlock(BlockKind.Data, tableRows)],
            [$"Each row: the baseline specification ({grid.Outcomes[0]}, controls {grid.Controls[0].Name}, fe {fe}, vcov {grid.Vcov[0]}) on that sample. {v0}: run {Path.GetFileName(oldDir)}; {v1}: this run.",
             $"recomputed: no = the sample's data did not change, so the {v0} row was reused as it is; specifications reused in all: {incremental.Reused.Count} of {rows.Count}."]);
        Directory.CreateDirectory(Path.Combine(RunDir, "tables"));
        foreach (var (format, extension) in TableFormats)
        {
            var bytes = TableRenderer.Encode(table, format);
            AtomicFile.Write(Path.Combine(RunDir, "tables", "changes" + extension), s => s.Write(bytes));
        }
        return new Changes(Path.GetFileName(oldDir), oldVersion, table, tableRows.Count);
    }

    private static string SpecificationFitTerm(GridSpec grid) => grid.Lag[0] ? $"lag({grid.Treatment})" : grid.Treatment;

    private static Cell ChangeNum(double? v) => v is { } x && double.IsFinite(x) ? new Cell(x.ToString("0.000000", CultureInfo.InvariantCulture), x) : Cell.Empty;

    private static Cell ChangeCount(long? n) => n is { } x ? new Cell(x.ToString(CultureInfo.InvariantCulture), x) : Cell.Empty;
}
