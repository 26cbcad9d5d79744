using System.Globalization;
using DigitalEconomy.Core.Regression;
using DigitalEconomy.Core.Resampling;

namespace DigitalEconomy.Reporting.Tables;

/// <summary>The Hausman test of one column (FE against RE on its formula).</summary>
/// <param name="Statistic">χ².</param>
/// <param name="PValue">Its p-value.</param>
/// <param name="Note">Why the statistic was computed differently (e.g. a non-positive-definite difference), or null.</param>
public sealed record HausmanTest(double Statistic, double PValue, string? Note);

/// <summary>The mediation effect of one mediator, printed under the column of its full model Y ~ X + M (+ controls).</summary>
/// <param name="Column">The full model's column (0-based).</param>
/// <param name="Effect">a·b with the Sobel and Aroian tests.</param>
public sealed record MediatorEffect(int Column, MediationResult Effect);

/// <summary>The pairs cluster bootstrap of one mediator's a·b, printed under the column of its full model.</summary>
/// <param name="Column">The full model's column (0-based).</param>
/// <param name="Usable">Replicates whose three fits succeeded.</param>
/// <param name="Indirect">The summary of a·b over the replicates, or null when it could not be formed.</param>
public sealed record MediatorBootstrapCells(int Column, int Usable, BootstrapSummary? Indirect);

/// <summary>
/// The rows the analyses append to a regression table, as pure functions of their results: the Hausman test, the
/// Sobel/Aroian tests and the bootstrap interval of a Baron–Kenny mediation, the tests of coefficient differences of a
/// heterogeneity analysis (and its table of pairwise differences).
/// </summary>
public static class AnalysisBlocks
{
    /// <summary>A number with fixed decimals, or an empty cell when it is not finite.</summary>
    public static Cell Number(double v, int decimals) => double.IsFinite(v) ? new Cell(NumberFormat.Fixed(v, decimals), v) : Cell.Empty;

    /// <summary>A block of statistic rows appended to a table (with a note under it when given).</summary>
    public static Table WithBlock(Table t, BlockKind kind, IEnumerable<TableRow> rows, string? note = null) =>
        t with { Blocks = [.. t.Blocks, new RowBlock(kind, [.. rows])], Notes = note is null ? t.Notes : [.. t.Notes, note] };

    /// <summary>The Hausman χ² and p under each column that has the test (null: none), with the first column's note.</summary>
    public static Table WithHausman(Table t, IReadOnlyList<HausmanTest?> tests, TableLanguage language) => WithBlock(t, BlockKind.Diagnostics,
    [
        new TableRow(TableWords.Get("hausman", language), "hausman_chi2", RowKind.Statistic, [.. tests.Select(h => h is not null ? Number(h.Statistic, 3) : Cell.Empty)]),
        new TableRow(TableWords.Get("hausman_p", language), "hausman_p", RowKind.Statistic, [.. tests.Select(h => h is not null ? Number(h.PValue, 3) : Cell.Empty)]),
    ], tests.Select(h => h?.Note).FirstOrDefault(n => n is not null) is { } note ? TableWords.HausmanNote(note, language) : null);

    /// <summary>Baron–Kenny: the indirect effect a·b (4 decimals), Sobel z, Sobel p and Aroian p (3 decimals) under each mediator's full-model column.</summary>
    public static Table WithSobel(Table t, IReadOnlyList<MediatorEffect> mediators, TableLanguage language)
    {
        int cols = t.Columns.Count;
        var indirect = Enumerable.Repeat(Cell.Empty, cols).ToArray();
        var sobel = Enumerable.Repeat(Cell.Empty, cols).ToArray();
        var sobelP = Enumerable.Repeat(Cell.Empty, cols).ToArray();
        var aroianP = Enumerable.Repeat(Cell.Empty, cols).ToArray();
        foreach (var (col, r) in mediators)
        {
            indirect[col] = Number(r.Indirect, 4);
            sobel[col] = Number(r.SobelZ, 3);
            sobelP[col] = Number(r.SobelP, 3);
            aroianP[col] = Number(r.AroianP, 3);
        }
        return WithBlock(t, BlockKind.Diagnostics,
        [
            new TableRow(TableWords.Get("indirect", language), "indirect", RowKind.Statistic, indirect),
            new TableRow(TableWords.Get("sobel_z", language), "sobel_z", RowKind.Statistic, sobel),
            new TableRow(TableWords.Get("sobel_p", language), "sobel_p", RowKind.Statistic, sobelP),
            new TableRow(TableWords.Get("aroian_p", language), "aroian_p", RowKind.Statistic, aroianP),
        ]);
    }

    /// <summary>
    /// Baron–Kenny with a bootstrap: the percentile and bias-corrected limits of a·b (4 decimals) and the usable replicates under
    /// each mediator's full-model column; the note names the level and the replicates, then any mediator whose summary failed.
    /// </summary>
    public static Table WithMediationBootstrap(Table t, IReadOnlyList<MediatorBootstrapCells> mediators, int replicates, double level, IReadOnlyList<string> failures, TableLanguage language)
    {
        int cols = t.Columns.Count;
        Cell[] Row() => [.. Enumerable.Repeat(Cell.Empty, cols)];
        Cell[] pctLow = Row(), pctHigh = Row(), bcLow = Row(), bcHigh = Row(), reps = Row();
        foreach (var m in mediators)
        {
            reps[m.Column] = new Cell(m.Usable.ToString(CultureInfo.InvariantCulture), m.Usable);
            if (m.Indirect is { } s)
                (pctLow[m.Column], pctHigh[m.Column], bcLow[m.Column], bcHigh[m.Column]) = (Number(s.PercentileLow, 4), Number(s.PercentileHigh, 4), Number(s.BiasCorrectedLow, 4), Number(s.BiasCorrectedHigh, 4));
        }
        string lv = level.ToString("0.###%", CultureInfo.InvariantCulture);
        var notes = new List<string>
        {
            language == TableLanguage.Zh
                ? $"a·b的{lv}置信区间：个体整体重抽样的配对聚类自助法，{replicates}次"
                : $"{lv} intervals of a·b: pairs cluster bootstrap, units resampled with their series, {replicates} replicates",
        };
        notes.AddRange(failures);
        return WithBlock(t, BlockKind.Diagnostics,
        [
            new TableRow(TableWords.Get("boot_pct_low", language), "boot_pct_low", RowKind.Statistic, pctLow),
            new TableRow(TableWords.Get("boot_pct_high", language), "boot_pct_high", RowKind.Statistic, pctHigh),
            new TableRow(TableWords.Get("boot_bc_low", language), "boot_bc_low", RowKind.Statistic, bcLow),
            new TableRow(TableWords.Get("boot_bc_high", language), "boot_bc_high", RowKind.Statistic, bcHigh),
            new TableRow(TableWords.Get("boot_replicates", language), "boot_replicates", RowKind.Statistic, reps),
        ], string.Join("; ", notes));
    }

    /// <summary>
    /// Heterogeneity: the Chow-type F and p of equal coefficients across all groups and, when permutations ran, the
    /// permutation p, in the first column (3 decimals); the note says what the tests are and how many permutations.
    /// </summary>
    public static Table WithGroupTests(Table t, TestResult chow, PermutationTest? permutation, int permutations, TableLanguage language)
    {
        int cols = t.Columns.Count;
        Cell[] First(Cell c) => [c, .. Enumerable.Repeat(Cell.Empty, cols - 1)];
        var rows = new List<TableRow>
        {
            new(TableWords.Get("chow_f", language), "chow_f", RowKind.Statistic, First(Number(chow.Statistic, 3))),
            new(TableWords.Get("chow_p", language), "chow_p", RowKind.Statistic, First(Number(chow.PValue, 3))),
        };
        if (permutation is not null)
            rows.Add(new TableRow(TableWords.Get("perm_p", language), "permutation_p", RowKind.Statistic, First(Number(permutation.PValue, 3))));
        return WithBlock(t, BlockKind.Diagnostics, rows, TableWords.Get("hetero_note", language)
            + (permutations > 0 ? (language == TableLanguage.Zh ? $"（{permutations}次置换）" : $" ({permutations} permutations)") : ""));
    }

    /// <summary>
    /// Heterogeneity with more than two groups: one row per pair, the contrast of the interacted model (difference and SE,
    /// 4 decimals; Wald p, 3 decimals) and, when permutations ran, the pair's own permutation p and bdiff's upper share
    /// (blank for a pair without its test, with a note saying so).
    /// </summary>
    /// <param name="title">The analysis's title.</param>
    /// <param name="pairs">The pairwise contrasts, in the tests' order.</param>
    /// <param name="tests">The pairs' permutation tests by "FIRST-SECOND".</param>
    /// <param name="permutations">Permutations asked for (0: none, no permutation columns).</param>
    /// <param name="groupLabel">A group value's printed label.</param>
    /// <param name="language">The table's language.</param>
    public static Table GroupDifferences(string title, IReadOnlyList<GroupContrast> pairs, IReadOnlyDictionary<string, PermutationTest> tests, int permutations,
        Func<string, string> groupLabel, TableLanguage language)
    {
        var headers = new List<TableColumn> { new(TableWords.Get("difference", language)), new(TableWords.Get("se", language)), new(TableWords.Get("chow_p", language)) };
        if (permutations > 0) { headers.Add(new(TableWords.Get("perm_p", language))); headers.Add(new(TableWords.Get("perm_p_upper", language))); }
        var rows = pairs.Select(d =>
        {
            var cells = new List<Cell> { Number(d.Difference, 4), Number(d.StdError, 4), Number(d.PValue, 3) };
            if (tests.TryGetValue($"{d.First}-{d.Second}", out var p)) { cells.Add(Number(p.PValue, 3)); cells.Add(Number(p.ShareUpper, 3)); }
            else if (permutations > 0) { cells.Add(Cell.Empty); cells.Add(Cell.Empty); }
            return new TableRow($"{groupLabel(d.First)} − {groupLabel(d.Second)}", $"{d.First}-{d.Second}", RowKind.Statistic, cells);
        }).ToList();
        var caption = (language == TableLanguage.Zh ? "组间系数差异检验：" : "Tests of coefficient differences: ") + title;
        List<string> notes = [TableWords.Get("hetero_note", language)];
        if (permutations > 0 && rows.Any(r => r.Cells.Skip(3).Any(c => c.Text.Length == 0))) notes.Add(TableWords.Get("perm_blank", language));
        return new Table(caption, TableWords.Get("groups", language), headers, [new RowBlock(BlockKind.Data, rows)], notes);
    }
}
