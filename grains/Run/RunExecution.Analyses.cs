using System.Collections.Immutable;
using System.Globalization;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Regression;
using DigitalEconomy.Reporting.Tables;
using DigitalEconomy.Store;
using TableRow = DigitalEconomy.Reporting.Tables.TableRow;
using TableColumn = DigitalEconomy.Reporting.Tables.TableColumn;

namespace DigitalEconomy.Grains;

/// <summary>A table an analysis produced, with the file stem it is written under (tables/&lt;stem&gt;.md …).</summary>
internal sealed record AnalysisTable(string Analysis, string Stem, Table Table);

internal sealed partial class RunExecution
{
    /// <summary>What the analyses stage produced: tables in study order, and the rows of models.parquet and permutations.parquet.</summary>
    private sealed record Analysed(List<AnalysisTable> Tables, List<ModelCoefficientRow> Models, List<PermutationRow> Permutations,
        Dictionary<string, ImmutableArray<ModelFit>> Fits, Dictionary<string, double> Observed);

    /// <summary>
    /// Stage: the study's analyses in their order. Models go to the compute grain, one call per analysis (fitted as
    /// <c>de estimate</c> fits them), Fisher permutations to the compute grain in blocks; descriptive and
    /// correlation tables and the Chow test (one fit) are computed here on the prepared panel.
    /// </summary>
    private async Task<Analysed> AnalysesAsync(Indexed indexed, CancellationToken ct)
    {
        var result = new Analysed([], [], [], new(StringComparer.Ordinal), new(StringComparer.Ordinal));
        if (_study.Analyses.IsDefaultOrEmpty) return result;
        using var span = Telemetry.Source.StartActivity("run.analyses");
        int total = _study.Analyses.Length, done = 0;
        Progress("analyses", 0, total);
        foreach (var a in _study.Analyses)
        {
            ct.ThrowIfCancellationRequested();
            var tables = a.Kind switch
            {
                "descriptives" => [new AnalysisTable(a.Name, a.Name, DataTables.Descriptives(Sample(indexed.Panel, a.Filters, a.Variables), [.. a.Variables], DataOptions(a.Title)))],
                "correlations" => [new AnalysisTable(a.Name, a.Name, DataTables.Correlations(Sample(indexed.Panel, a.Filters, a.Variables), [.. a.Variables], DataOptions(a.Title)))],
                _ when a.Gaps is not null => GapTables(indexed, a),
                _ => await ModelTablesAsync(indexed, a, result, ct),
            };
            result.Tables.AddRange(tables);
            Progress("analyses", ++done, total);
        }
        CombineTables(result);
        await WriteAnalysesAsync(result, ct);
        return result;
    }

    /// <summary>
    /// Analyses naming the same <c>table:</c> are printed as one table (reporting's <see cref="CombinedTable"/>): their main
    /// tables, in the study's order, become tables/&lt;table&gt;.* where the first of them stood, each part's columns under its
    /// spanning group (区域, 城市等级) or else its title without a number; their second tables (pairwise differences) stay.
    /// </summary>
    private void CombineTables(Analysed result)
    {
        foreach (var group in _study.Analyses.Where(a => a.Table is not null).GroupBy(a => a.Table!, StringComparer.Ordinal))
        {
            var members = group.ToList();
            var mains = members.Select(a => result.Tables.FirstOrDefault(t => t.Analysis == a.Name && t.Stem == a.Name)).ToList();
            if (mains.Any(t => t is null)) throw new InputException($"table '{group.Key}': analysis '{members[mains.IndexOf(null)].Name}' has no regression table to combine");
            string title = members.Select(a => a.TableTitle).FirstOrDefault(t => t is not null) ?? members[0].Title;
            var table = CombinedTable.Build(title, [.. mains.Select((t, i) => new CombinedPart(t!.Table, CombinedTable.Unnumbered(members[i].Title)))]);
            int at = result.Tables.IndexOf(mains[0]!);
            foreach (var m in mains) result.Tables.Remove(m!);
            result.Tables.Insert(at, new AnalysisTable(members[0].Name, group.Key, table));
        }
    }

    /// <summary>The rows a descriptive or correlation table describes: those passing the filters with every variable present (listwise).</summary>
    private static Panel Sample(Panel panel, ImmutableArray<string> filters, ImmutableArray<string> variables)
    {
        IEnumerable<int> rows = Enumerable.Range(0, panel.Frame.RowCount);
        foreach (var f in filters)
        {
            var keep = RowFilter.Parse(f).Apply(panel.Frame).ToHashSet();
            rows = rows.Where(keep.Contains);
        }
        var cols = variables.Select(v => panel.Frame.Numeric(v)).ToList();
        return panel.Subset([.. rows.Where(r => cols.All(c => double.IsFinite(c[r])))]);
    }

    private TableLanguage Language => TableWords.ParseLanguage(_study.Tables?.Language ?? "en");

    private IReadOnlyDictionary<string, string> Labels => _study.Tables?.Labels ?? ImmutableDictionary<string, string>.Empty;

    private string GroupLabel(string value) => Labels.TryGetValue(value, out var l) && !string.IsNullOrWhiteSpace(l) ? l : value;

    private DataTableOptions DataOptions(string title) => new() { Title = title, Labels = Labels, Language = Language };

    private RegressionTableOptions TableOptions(AnalysisSpec a, IReadOnlyList<string>? labels = null, IReadOnlyList<string?>? groups = null) => new()
    {
        Title = a.Title,
        Stat = _study.Tables?.Stat == "se" ? ParenthesisStat.Se : ParenthesisStat.T,
        R2 = _study.Tables?.R2 == "lsdv" ? R2Kind.Lsdv : R2Kind.Within,
        KeyTerms = a.KeyTerms.IsDefaultOrEmpty ? null : [.. a.KeyTerms],
        Labels = Labels,
        Language = Language,
        UnitColumn = _study.Dataset.Unit,
        TimeColumn = _study.Dataset.Time,
        ColumnLabels = labels ?? (a.Columns.Any(c => c.Label.Length > 0) ? [.. a.Columns.Select(c => Labels.TryGetValue(c.Label, out var l) ? l : c.Label)] : null),
        DependentVariableRow = a.Kind is "regressions" or "robustness" or "heterogeneity",
        MergeTransformed = a.Kind is "regressions" or "robustness",
        EstimatorLabels = a.Columns.Any(c => c.Model.Hausman),
        ColumnGroups = groups is not null && groups.Any(g => g is not null) ? [.. groups.Select(g => g ?? "")]
            : a.Columns.Any(c => c.Group is not null) ? [.. a.Columns.Select(c => c.Group ?? "")] : null,
    };

    /// <summary>Fits an analysis's models on the compute grain and builds its table(s).</summary>
    private async Task<List<AnalysisTable>> ModelTablesAsync(Indexed indexed, AnalysisSpec a, Analysed into, CancellationToken ct)
    {
        var models = a.Columns.Select(c => c.Model).ToImmutableArray();
        var reply = await _dispatch.ComputeAsync($"models of analysis {a.Name}", $"{RunId}/{a.Name}", new ModelBatch(RunId, indexed.Dataset, models), ct);
        var fits = reply.Fits;
        into.Fits[a.Name] = fits;
        for (int j = 0; j < fits.Length; j++) into.Models.AddRange(ModelRows(a.Name, j + 1, models[j], fits[j]));
        var failed = fits.Where(f => f.Error is not null).ToList();
        if (failed.Count > 0)
            throw new InputException($"analysis '{a.Name}': column ({fits.IndexOf(failed[0]) + 1}) '{failed[0].Formula}' could not be estimated: {failed[0].Error}");
        var core = fits.Select(ModelFits.ToCore).ToList();
        Table table;
        try { table = RegressionTable.Build(core, TableOptions(a)); }
        catch (ArgumentException e) { throw new InputException($"analysis '{a.Name}': {e.Message.Split(" (Parameter", 2)[0]}"); }
        var tables = new List<AnalysisTable>();
        if (fits.Any(f => f.Hausman is not null)) table = WithHausman(table, fits);
        if (a.Mediation is { Style: "baron_kenny" } med) table = WithSobel(table, a, med, core);
        if (a.Mediation is { Style: "baron_kenny", Bootstrap: { } mb } bk) table = await WithMediationBootstrapAsync(indexed, a, bk, mb, table, ct);
        if (a.Heterogeneity is { } h)
        {
            var (main, differences) = await HeterogeneityTestsAsync(indexed, a, h, table, into, ct);
            table = main;
            tables.Add(new AnalysisTable(a.Name, a.Name, table));
            if (differences is not null) tables.Add(new AnalysisTable(a.Name, a.Name + "_differences", differences));
            return tables;
        }
        tables.Add(new AnalysisTable(a.Name, a.Name, table));
        return tables;
    }

    private static IEnumerable<ModelCoefficientRow> ModelRows(string analysis, int column, AnalysisModel m, ModelFit f)
    {
        string filters = string.Join(" & ", m.Model.Filters.Select(x => x.Text)), winsor = string.Join(", ", m.Model.Winsorize);
        if (f.Error is not null)
        {
            yield return new ModelCoefficientRow(analysis, f.Id, column, f.Formula, f.Estimator, f.Vcov, filters, winsor, null, null, null, null, null, null, null, null, null, null, null, f.Error);
            yield break;
        }
        foreach (var c in f.Coefficients)
            yield return new ModelCoefficientRow(analysis, f.Id, column, f.Formula, f.Estimator, f.Vcov, filters, winsor, c.Term, Finite(c.Estimate), Finite(c.StdError), Finite(c.Statistic),
                Finite(c.PValue), Finite(c.ConfLow), Finite(c.ConfHigh), f.N, Finite(f.R2), f.R2Within is { } w ? Finite(w) : null, Finite(f.AdjR2), null);
    }

    private static double? Finite(double v) => double.IsFinite(v) ? v : null;

    private static Cell Number(double v, int decimals) => double.IsFinite(v) ? new Cell(NumberFormat.Fixed(v, decimals), v) : Cell.Empty;

    /// <summary>A block of statistic rows appended to a table.</summary>
    private static Table WithBlock(Table t, BlockKind kind, IEnumerable<TableRow> rows, string? note = null) =>
        t with { Blocks = [.. t.Blocks, new RowBlock(kind, [.. rows])], Notes = note is null ? t.Notes : [.. t.Notes, note] };

    private Table WithHausman(Table t, ImmutableArray<ModelFit> fits) => WithBlock(t, BlockKind.Diagnostics,
    [
        new TableRow(TableWords.Get("hausman", Language), "hausman_chi2", RowKind.Statistic, [.. fits.Select(f => f.Hausman is { } h ? Number(h.Statistic, 3) : Cell.Empty)]),
        new TableRow(TableWords.Get("hausman_p", Language), "hausman_p", RowKind.Statistic, [.. fits.Select(f => f.Hausman is { } h ? Number(h.PValue, 3) : Cell.Empty)]),
    ], fits.Select(f => f.Hausman?.Note).FirstOrDefault(n => n is not null) is { } note ? TableWords.HausmanNote(note, Language) : null);

    /// <summary>Baron–Kenny: the indirect effect and the Sobel/Aroian tests under each mediator's step-3 column (columns: Y~X, then M~X and Y~X+M per mediator).</summary>
    private Table WithSobel(Table t, AnalysisSpec a, MediationSpec med, List<RegressionResult> core)
    {
        int cols = a.Columns.Length;
        var indirect = Enumerable.Repeat(Cell.Empty, cols).ToArray();
        var sobel = Enumerable.Repeat(Cell.Empty, cols).ToArray();
        var sobelP = Enumerable.Repeat(Cell.Empty, cols).ToArray();
        var aroianP = Enumerable.Repeat(Cell.Empty, cols).ToArray();
        for (int k = 0; k < med.Mediators.Length; k++)
        {
            int aCol = 1 + 2 * k, fullCol = 2 + 2 * k;
            string x = med.Treatment, m = Formula.ParseTerm(med.Mediators[k]).Text;
            var r = Mediation.Combine(core[0][x], core[aCol][x], core[fullCol][x], core[fullCol][m]);
            indirect[fullCol] = Number(r.Indirect, 4);
            sobel[fullCol] = Number(r.SobelZ, 3);
            sobelP[fullCol] = Number(r.SobelP, 3);
            aroianP[fullCol] = Number(r.AroianP, 3);
        }
        return WithBlock(t, BlockKind.Diagnostics,
        [
            new TableRow(TableWords.Get("indirect", Language), "indirect", RowKind.Statistic, indirect),
            new TableRow(TableWords.Get("sobel_z", Language), "sobel_z", RowKind.Statistic, sobel),
            new TableRow(TableWords.Get("sobel_p", Language), "sobel_p", RowKind.Statistic, sobelP),
            new TableRow(TableWords.Get("aroian_p", Language), "aroian_p", RowKind.Statistic, aroianP),
        ]);
    }

    /// <summary>
    /// The tests of coefficient differences between the groups of a heterogeneity analysis: the Chow-type
    /// Wald test in the fully interacted model (computed here: one fit) and the Fisher permutation test
    /// (blocks on the compute grain) — of all groups at once (difference for two groups, range for more)
    /// and, with more than two groups, of every pair (then a second table lists the pairs).
    /// </summary>
    private async Task<(Table Main, Table? Differences)> HeterogeneityTestsAsync(Indexed indexed, AnalysisSpec a, HeterogeneitySpec h, Table table, Analysed into, CancellationToken ct)
    {
        var panel = h.Baseline.Model.Winsorize.IsDefaultOrEmpty ? indexed.Panel : SpecificationFit.Winsorized(indexed.Panel, h.Baseline.Model.Winsorize);
        var formula = h.Baseline.Model.Formula;
        var options = ModelFitting.Options(h.Baseline);
        // Groups not in the analysis are left out of the tests (the filters of a pair leave out the others too).
        RowFilter[] Excluding(IEnumerable<string> keep)
        {
            var kept = keep.ToHashSet(StringComparer.Ordinal);
            return [.. GroupDifference.GroupValues(panel.Frame, h.By).Where(v => !kept.Contains(v)).Select(v => RowFilter.NotEqual(h.By, v))];
        }
        AnalysisModel On(IEnumerable<string> groups) => h.Baseline with { Model = h.Baseline.Model with { Filters = [.. h.Baseline.Model.Filters, .. Excluding(groups)] } };
        GroupChowResult chow;
        try { chow = GroupDifference.Chow(panel, formula, h.By, [h.Term], ModelFitting.Options(On(h.Groups))); }
        catch (Exception e) when (e is InputException or EstimationException) { throw new InputException($"analysis '{a.Name}': Chow test by '{h.By}': {e.Message}"); }
        var tests = new List<(string Name, ImmutableArray<string> Groups)> { ("all", h.Groups) };
        // Pairs in the tests' own order of groups (GroupValues: numbers ascending, text ordinal), as the Chow
        // contrasts and the permutation statistic b_first − b_second take them; pairs named in the study's
        // order left the pairs it lists the other way round without their permutation p-values.
        var ordered = chow.Groups.Where(h.Groups.Contains).ToList();
        if (ordered.Count > 2)
            for (int i = 0; i < ordered.Count; i++)
                for (int j = i + 1; j < ordered.Count; j++) tests.Add(($"{ordered[i]}-{ordered[j]}", [ordered[i], ordered[j]]));
        var perm = new Dictionary<string, PermutationTest>(StringComparer.Ordinal);
        if (h.Permutations > 0)
        {
            foreach (var (name, groups) in tests)
            {
                var model = On(groups);
                string key = $"{a.Name}/{name}";
                var observed = GroupDifference.Observe(panel, formula, h.By, [h.Term], ModelFitting.Options(model));
                var blocks = Enumerable.Range(0, (h.Permutations + h.Chunk - 1) / h.Chunk)
                    .Select(k => (First: k * h.Chunk, Count: Math.Min(h.Chunk, h.Permutations - k * h.Chunk))).ToList();
                var done = new PermutationBlock[blocks.Count];
                await WorkDispatcher.ForEachAsync(blocks.Select((b, i) => (b, i)), _command.MaxInFlight, async x =>
                {
                    var work = new PermutationWork(RunId, indexed.Dataset, model, h.By, groups, [h.Term], _study.Seed, key, x.b.First, x.b.Count);
                    var reply = await _dispatch.ComputeAsync($"permutations {key} from {x.b.First}", $"{RunId}/{key}/{x.b.First}", work, ct);
                    done[x.i] = new PermutationBlock(reply.First, observed.Statistic, observed.Terms, [.. reply.Draws.Select(d => (IReadOnlyList<double>)d)]);
                }, ct);
                perm[name] = GroupDifference.Combine(observed, done)[0];
                if (name == "all") into.Observed[a.Name] = perm[name].Observed;
                foreach (var b in done)
                    for (int i = 0; i < b.Count; i++)
                        into.Permutations.Add(new PermutationRow(a.Name, name, h.Term, b.First + i, Finite(b.Draws[0][i])));
            }
        }
        var all = chow.TermTests[0].Test;
        int cols = a.Columns.Length;
        Cell[] First(Cell c) => [c, .. Enumerable.Repeat(Cell.Empty, cols - 1)];
        var rows = new List<TableRow>
        {
            new(TableWords.Get("chow_f", Language), "chow_f", RowKind.Statistic, First(Number(all.Statistic, 3))),
            new(TableWords.Get("chow_p", Language), "chow_p", RowKind.Statistic, First(Number(all.PValue, 3))),
        };
        if (perm.TryGetValue("all", out var pa))
            rows.Add(new TableRow(TableWords.Get("perm_p", Language), "permutation_p", RowKind.Statistic, First(Number(pa.PValue, 3))));
        var main = WithBlock(table, BlockKind.Diagnostics, rows, TableWords.Get("hetero_note", Language)
            + (h.Permutations > 0 ? (Language == TableLanguage.Zh ? $"（{h.Permutations}次置换）" : $" ({h.Permutations} permutations)") : ""));
        if (h.Groups.Length <= 2) return (main, null);
        // Pairwise: the contrast of the interacted model (its Wald p) and the pair's own permutation test.
        var headers = new List<TableColumn> { new(TableWords.Get("difference", Language)), new(TableWords.Get("se", Language)), new(TableWords.Get("chow_p", Language)) };
        if (h.Permutations > 0) { headers.Add(new(TableWords.Get("perm_p", Language))); headers.Add(new(TableWords.Get("perm_p_upper", Language))); }
        var pairRows = chow.Differences.Select(d =>
        {
            var cells = new List<Cell> { Number(d.Difference, 4), Number(d.StdError, 4), Number(d.PValue, 3) };
            if (perm.TryGetValue($"{d.First}-{d.Second}", out var p)) { cells.Add(Number(p.PValue, 3)); cells.Add(Number(p.ShareUpper, 3)); }
            else if (h.Permutations > 0) { cells.Add(Cell.Empty); cells.Add(Cell.Empty); }
            return new TableRow($"{GroupLabel(d.First)} − {GroupLabel(d.Second)}", $"{d.First}-{d.Second}", RowKind.Statistic, cells);
        }).ToList();
        var title = (Language == TableLanguage.Zh ? "组间系数差异检验：" : "Tests of coefficient differences: ") + a.Title;
        List<string> pairNotes = [TableWords.Get("hetero_note", Language)];
        if (h.Permutations > 0 && pairRows.Any(r => r.Cells.Skip(3).Any(c => c.Text.Length == 0))) pairNotes.Add(TableWords.Get("perm_blank", Language));
        var differences = new Table(title, TableWords.Get("groups", Language), headers, [new RowBlock(BlockKind.Data, pairRows)], pairNotes);
        return (main, differences);
    }

    /// <summary>Writes every analysis table (Markdown, CSV, LaTeX, HTML, .docx), analyses.parquet, models.parquet and permutations.parquet.</summary>
    private async Task WriteAnalysesAsync(Analysed a, CancellationToken ct)
    {
        string dir = Path.Combine(RunDir, "tables");
        Directory.CreateDirectory(dir);
        foreach (var t in a.Tables)
            foreach (var (format, extension) in TableFormats)
            {
                var bytes = TableRenderer.Encode(t.Table, format);
                AtomicFile.Write(Path.Combine(dir, t.Stem + extension), s => s.Write(bytes));
            }
        var cells = a.Tables.SelectMany(t => t.Table.Blocks.SelectMany(b => b.Rows).SelectMany((r, i) => r.Cells.Select((c, j) =>
            new AnalysisCellRow(t.Analysis, t.Stem, i + 1, r.Key, r.Label, r.Kind.ToString().ToLowerInvariant(), j + 1, t.Table.Columns[j].Header, t.Table.Columns[j].Label,
                c.Text, c.Value is { } v ? Finite(v) : null, c.StdError is { } se ? Finite(se) : null, c.T is { } tt ? Finite(tt) : null, c.PValue is { } p ? Finite(p) : null, c.Stars)))).ToList();
        await ResultTables.AnalysisCells.WriteFileAsync(Path.Combine(RunDir, "analyses.parquet"), cells, ct);
        await ResultTables.Models.WriteFileAsync(Path.Combine(RunDir, "models.parquet"), a.Models, ct);
        if (a.Permutations.Count > 0) await ResultTables.Permutations.WriteFileAsync(Path.Combine(RunDir, "permutations.parquet"), a.Permutations, ct);
    }
}
