using System.Globalization;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Regression;
using DigitalEconomy.Reporting.Tables;
using TableRow = DigitalEconomy.Reporting.Tables.TableRow;

namespace DigitalEconomy.Grains;

internal sealed partial class RunExecution
{
    /// <summary>
    /// Baron–Kenny with <c>bootstrap:</c>: the pairs cluster bootstrap of a·b per mediator, in blocks of
    /// <see cref="MediationBootstrapSpec.Chunk"/> replicates on the compute grain (replicate r of mediator M
    /// from stream (seed, "ANALYSIS/M", r)); the percentile and bias-corrected limits and the usable replicates go
    /// under each mediator's step-3 column, as <see cref="Mediation.Bootstrap"/> computes them in one call.
    /// </summary>
    private async Task<Table> WithMediationBootstrapAsync(Indexed indexed, AnalysisSpec a, MediationSpec med, MediationBootstrapSpec boot, Table t, CancellationToken ct)
    {
        int cols = a.Columns.Length;
        Cell[] Row() => [.. Enumerable.Repeat(Cell.Empty, cols)];
        Cell[] pctLow = Row(), pctHigh = Row(), bcLow = Row(), bcHigh = Row(), reps = Row();
        var notes = new List<string>();
        for (int k = 0; k < med.Mediators.Length; k++)
        {
            string m = med.Mediators[k], key = $"{a.Name}/{m}";
            var blocks = Enumerable.Range(0, (boot.Replicates + boot.Chunk - 1) / boot.Chunk)
                .Select(i => (First: i * boot.Chunk, Count: Math.Min(boot.Chunk, boot.Replicates - i * boot.Chunk))).ToList();
            var done = new double[boot.Replicates][];
            await WorkDispatcher.ForEachAsync(blocks, _command.MaxInFlight, async b =>
            {
                var work = new MediationBootstrapWork(RunId, indexed.Dataset, med.Treatment, m, boot, _study.Seed, key, b.First, b.Count);
                var reply = await _dispatch.ComputeAsync($"mediation bootstrap {key} from {b.First}", $"{RunId}/{key}/{b.First}", work, ct);
                for (int i = 0; i < reply.Draws.Length; i++) done[reply.First + i] = reply.Draws[i].Length == 3 ? [.. reply.Draws[i]] : [double.NaN];
            }, ct);
            // The point values as Mediation.Bootstrap takes them (Y on X and M, M right after X), on the panel the grains resampled.
            var panel = boot.Model.Model.Winsorize.IsDefaultOrEmpty ? indexed.Panel : SpecificationFit.Winsorized(indexed.Panel, boot.Model.Model.Winsorize);
            int col = 2 + 2 * k;
            int usable = done.Count(d => d.Length == 3);
            reps[col] = new Cell(usable.ToString(CultureInfo.InvariantCulture), usable);
            try
            {
                var s = Mediation.Summarise(Mediation.Paths(panel, boot.Outcome, med.Treatment, m, boot.ControlsAndFe, ModelFitting.Options(boot.Model)), done, boot.Level).Indirect;
                (pctLow[col], pctHigh[col], bcLow[col], bcHigh[col]) = (Number(s.PercentileLow, 4), Number(s.PercentileHigh, 4), Number(s.BiasCorrectedLow, 4), Number(s.BiasCorrectedHigh, 4));
            }
            catch (Exception e) when (e is EstimationException or InputException)
            {
                notes.Add($"{m}: {e.Message}");
            }
        }
        string level = boot.Level.ToString("0.###%", CultureInfo.InvariantCulture);
        notes.Insert(0, Language == TableLanguage.Zh
            ? $"a·b的{level}置信区间：个体整体重抽样的配对聚类自助法，{boot.Replicates}次"
            : $"{level} intervals of a·b: pairs cluster bootstrap, units resampled with their series, {boot.Replicates} replicates");
        return WithBlock(t, BlockKind.Diagnostics,
        [
            new TableRow(TableWords.Get("boot_pct_low", Language), "boot_pct_low", RowKind.Statistic, pctLow),
            new TableRow(TableWords.Get("boot_pct_high", Language), "boot_pct_high", RowKind.Statistic, pctHigh),
            new TableRow(TableWords.Get("boot_bc_low", Language), "boot_bc_low", RowKind.Statistic, bcLow),
            new TableRow(TableWords.Get("boot_bc_high", Language), "boot_bc_high", RowKind.Statistic, bcHigh),
            new TableRow(TableWords.Get("boot_replicates", Language), "boot_replicates", RowKind.Statistic, reps),
        ], string.Join("; ", notes));
    }
}
