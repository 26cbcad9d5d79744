using System.Globalization;
using System.Text.Json.Nodes;
using DigitalEconomy.Contracts;
using DigitalEconomy.Reporting.Tables;
using DigitalEconomy.Store;
using TableRow = DigitalEconomy.Reporting.Tables.TableRow;

namespace DigitalEconomy.Grains;

/// <summary>What the changes stage reads: specs.parquet's rows and what the estimate stage took from earlier runs.</summary>
internal sealed record ChangesInput(List<SpecificationRow> Rows, Incremental Incremental);

/// <summary>The earlier run the changes table compares with: its id, the dataset version it read, and the table.</summary>
internal sealed record Changes(string RunId, int Version, Table Table, int Rows);

/// <summary>Stage 8b (input: <see cref="ChangesInput"/>; output: <see cref="Changes"/>, null when there is no earlier version to compare with).</summary>
internal sealed class ChangesStage(RunContext run) : RunStage(run)
{
    /// <summary>
    /// How the headline results moved from the previous version: when the study reads a versioned dataset and an
    /// earlier complete run of the study under this results root read an older version of it (the newest such
    /// version; among its runs, one of the same study file first, then by folder name), the baseline of every
    /// sample (every other choice at its baseline) old → new, in tables/changes.{md,csv,tex,html,docx}.
    /// </summary>
    public async Task<Changes?> RunAsync(ChangesInput input, CancellationToken ct)
    {
        var (rows, incremental) = input;
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
        var changeRows = Compare(grid, rows, old, incremental.Reused);
        string fe = grid.FixedEffects[0].IsDefaultOrEmpty ? "0" : string.Join(" + ", grid.FixedEffects[0]);
        var table = VersionChangesTable.Build(changeRows, new VersionChangesOptions(SpecificationFitTerm(grid), name, oldVersion, version, grid.Outcomes[0],
            grid.Controls[0].Name, fe, grid.Vcov[0], Path.GetFileName(oldDir), incremental.Reused.Count, rows.Count));
        RunTables.WriteTable(RunDir, RunTables.ChangesTable, table);
        return new Changes(Path.GetFileName(oldDir), oldVersion, table, changeRows.Count);
    }

    /// <summary>
    /// The rows of the changes table: per sample of the grid (in the grid's order), this run's baseline specification of
    /// that sample (every other choice at its first entry; a sample without one is left out) beside the earlier run's row
    /// of the same choices (the first such row; none when the earlier run had no such specification), and whether this
    /// run fitted it again (not when its id is in <paramref name="reused"/>).
    /// </summary>
    internal static List<VersionChangeRow> Compare(GridSpec grid, IReadOnlyList<SpecificationRow> rows, IReadOnlyList<SpecificationRow> old, IReadOnlySet<string> reused)
    {
        static string Choices(SpecificationRow r) => $"{r.Outcome}\u001f{r.Controls}\u001f{r.FixedEffects}\u001f{r.Sample}\u001f{r.Winsor}\u001f{r.Lag}\u001f{r.Vcov}\u001f{r.Estimator}\u001f{r.Weights}";
        var oldOf = old.GroupBy(Choices).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        string fe = grid.FixedEffects[0].IsDefaultOrEmpty ? "0" : string.Join(" + ", grid.FixedEffects[0]);
        var tableRows = new List<VersionChangeRow>();
        foreach (var sample in grid.Samples)
        {
            var now = rows.FirstOrDefault(r => r.Sample == sample.Name && r.Outcome == grid.Outcomes[0] && r.Controls == grid.Controls[0].Name && r.FixedEffects == fe
                                               && r.Winsor == GridExpansion.YesNo(grid.Winsorize[0]) && r.Lag == GridExpansion.YesNo(grid.Lag[0]) && r.Vcov == grid.Vcov[0]
                                               && (grid.Estimators.IsDefaultOrEmpty || r.Estimator == grid.Estimators[0])
                                               && (grid.Weights.IsDefaultOrEmpty || (r.Weights ?? GridSpec.Unweighted) == grid.Weights[0]));
            if (now is null) continue;
            oldOf.TryGetValue(Choices(now), out var was);
            tableRows.Add(new VersionChangeRow(sample.Name, was?.Estimate, now.Estimate, was?.StdError, now.StdError, was?.PValue, now.PValue,
                was?.N, now.N, !reused.Contains(now.SpecId)));
        }
        return tableRows;
    }

    private static string SpecificationFitTerm(GridSpec grid) => grid.Lag[0] ? $"lag({grid.Treatment})" : grid.Treatment;
}
