using System.Collections.Immutable;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Regression;
using DigitalEconomy.Reporting.Tables;
using DigitalEconomy.Store;
using DigitalEconomy.Study.Analyses;

namespace DigitalEconomy.Grains;

/// <summary>What the analyses stage produced: tables in study order, the rows of models.parquet and permutations.parquet, and each analysis's charts (drawn at publish).</summary>
internal sealed record Analysed(List<AnalysisTable> Tables, List<ModelCoefficientRow> Models, List<PermutationRow> Permutations,
    Dictionary<string, IReadOnlyList<AnalysisChart>> Charts);

/// <summary>Stage 3 (input: <see cref="Indexed"/>; output: <see cref="Analysed"/>).</summary>
internal sealed class AnalysesStage(RunContext run) : RunStage(run)
{
    private readonly MediationBootstrap _mediation = new(run);

    /// <summary>
    /// Stage: the study's analyses in their order, each run by the analysis type registered for its kind
    /// (study/Analyses/AnalysisTypes.cs), which plans its work on <see cref="AnalysisRun"/> — models to the compute grain,
    /// one call per analysis (fitted as <c>de estimate</c> fits them), Fisher permutations and mediation bootstrap blocks to
    /// the compute grain — and turns the results into reporting's tables and charts.
    /// </summary>
    public async Task<Analysed> RunAsync(Indexed indexed, CancellationToken ct)
    {
        var result = new Analysed([], [], [], new(StringComparer.Ordinal));
        if (_study.Analyses.IsDefaultOrEmpty) return result;
        using var span = Telemetry.Source.StartActivity("run.analyses");
        int total = _study.Analyses.Length, done = 0;
        Progress("analyses", 0, total);
        var run = new AnalysisRun(this, indexed, result);
        foreach (var a in _study.Analyses)
        {
            ct.ThrowIfCancellationRequested();
            var output = await AnalysisTypes.For(a).RunAsync(a, run, ct);
            result.Tables.AddRange(output.Tables);
            result.Charts[a.Name] = output.Charts;
            Progress("analyses", ++done, total);
        }
        CombineTables(result);
        // Before any file is written: two tables or charts with one stem would overwrite each other.
        if (RunTables.SharedStem(result.Tables, _study.Analyses.Select(a => (a.Name, result.Charts[a.Name])), _study.Grid is not null, _study.Grid is not null && _study.Dataset.Name is not null) is { } shared)
            throw new InputException(shared);
        await WriteAnalysesAsync(result, ct);
        return result;
    }

    /// <summary>What the run offers the analysis types: the prepared panel, the study, and work on the compute grain recorded in the result files.</summary>
    private sealed class AnalysisRun(AnalysesStage run, Indexed indexed, Analysed into) : IAnalysisRun
    {
        public StudyDefinition Study => run._study;

        public Panel Panel => indexed.Panel;

        public Panel Winsorized(IReadOnlyList<string> columns) => SpecificationFit.Winsorized(indexed.Panel, columns);

        public async Task<FittedModels> FitAsync(AnalysisSpec a, ImmutableArray<AnalysisModel> models, CancellationToken ct)
        {
            var reply = await run._dispatch.ComputeAsync($"models of analysis {a.Name}", $"{run.RunId}/{a.Name}", new ModelBatch(run.RunId, indexed.Dataset, models), ct);
            var fits = reply.Fits;
            for (int j = 0; j < fits.Length; j++) into.Models.AddRange(ModelRows(a.Name, j + 1, models[j], fits[j]));
            // Core results for the tables only when every model was estimated (the analysis stops at the first failure).
            return new FittedModels(fits, fits.Any(f => f.Error is not null) ? [] : [.. fits.Select(f => f.Result!)]);
        }

        public async Task<IReadOnlyList<PermutationBlock>> PermuteAsync(AnalysisSpec a, string test, AnalysisModel model, string by, ImmutableArray<string> groups, string term,
            int permutations, int chunk, PermutationObservation observed, CancellationToken ct)
        {
            string key = $"{a.Name}/{test}";
            var blocks = Enumerable.Range(0, (permutations + chunk - 1) / chunk)
                .Select(k => (First: k * chunk, Count: Math.Min(chunk, permutations - k * chunk))).ToList();
            var done = new PermutationBlock[blocks.Count];
            await WorkDispatcher.ForEachAsync(blocks.Select((b, i) => (b, i)), run._command.MaxInFlight, async x =>
            {
                var work = new PermutationWork(run.RunId, indexed.Dataset, model, by, groups, [term], run._study.Seed, key, x.b.First, x.b.Count);
                var reply = await run._dispatch.ComputeAsync($"permutations {key} from {x.b.First}", $"{run.RunId}/{key}/{x.b.First}", work, ct);
                done[x.i] = new PermutationBlock(reply.First, observed.Statistic, observed.Terms, [.. reply.Draws.Select(d => (IReadOnlyList<double>)d)]);
            }, ct);
            foreach (var b in done)
                for (int i = 0; i < b.Count; i++)
                    into.Permutations.Add(new PermutationRow(a.Name, test, term, b.First + i, Finite(b.Draws[0][i])));
            return done;
        }

        public Task<MediatorBootstrapResult> MediationBootstrapAsync(AnalysisSpec a, MediationSpec mediation, string mediator, CancellationToken ct) =>
            run._mediation.RunAsync(indexed, a, mediation, mediator, ct);

        public async Task<IReadOnlyList<TResult>> ComputeAsync<TResult>(string what, IReadOnlyList<string> keys, Func<int, string, DatasetRef, ComputeWork<TResult>> work, CancellationToken ct)
            where TResult : WorkResult
        {
            var done = new TResult[keys.Count];
            await WorkDispatcher.ForEachAsync(Enumerable.Range(0, keys.Count), run._command.MaxInFlight, async i =>
                done[i] = await run._dispatch.ComputeAsync($"{what} ({keys[i]})", $"{run.RunId}/{keys[i]}", work(i, run.RunId, indexed.Dataset), ct), ct);
            return done;
        }

        public void RecordDraws(AnalysisSpec a, string test, string term, int first, IReadOnlyList<double> draws)
        {
            for (int i = 0; i < draws.Count; i++) into.Permutations.Add(new PermutationRow(a.Name, test, term, first + i, Finite(draws[i])));
        }
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

    private static IEnumerable<ModelCoefficientRow> ModelRows(string analysis, int column, AnalysisModel m, ModelFit f)
    {
        string filters = string.Join(" & ", m.Model.Filters.Select(x => x.Text)), winsor = string.Join(", ", m.Model.Winsorize);
        if (f.Error is not null)
        {
            yield return new ModelCoefficientRow(analysis, f.Id, column, f.Formula, f.Estimator, f.Vcov, filters, winsor, null, null, null, null, null, null, null, null, null, null, null, f.Error);
            yield break;
        }
        var r = f.Result!;
        foreach (var c in r.Coefficients)
            yield return new ModelCoefficientRow(analysis, f.Id, column, f.Formula, f.Estimator, f.Vcov, filters, winsor, c.Term, Finite(c.Estimate), Finite(c.StdError), Finite(c.Statistic),
                Finite(c.PValue), Finite(c.ConfLow), Finite(c.ConfHigh), r.N, Finite(r.R2), r.R2Within is { } w ? Finite(w) : null, Finite(r.AdjR2), null);
    }

    private static double? Finite(double v) => double.IsFinite(v) ? v : null;

    /// <summary>Writes every analysis table (Markdown, CSV, LaTeX, HTML, .docx), analyses.parquet, models.parquet and permutations.parquet.</summary>
    private async Task WriteAnalysesAsync(Analysed a, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.Combine(RunDir, "tables"));
        foreach (var t in a.Tables) RunTables.WriteTable(RunDir, t.Stem, t.Table);
        var cells = a.Tables.SelectMany(t => t.Table.Blocks.SelectMany(b => b.Rows).SelectMany((r, i) => r.Cells.Select((c, j) =>
            new AnalysisCellRow(t.Analysis, t.Stem, i + 1, r.Key, r.Label, r.Kind.ToString().ToLowerInvariant(), j + 1, t.Table.Columns[j].Header, t.Table.Columns[j].Label,
                c.Text, c.Value is { } v ? Finite(v) : null, c.StdError is { } se ? Finite(se) : null, c.T is { } tt ? Finite(tt) : null, c.PValue is { } p ? Finite(p) : null, c.Stars)))).ToList();
        await ResultTables.AnalysisCells.WriteFileAsync(Path.Combine(RunDir, "analyses.parquet"), cells, ct);
        await ResultTables.Models.WriteFileAsync(Path.Combine(RunDir, "models.parquet"), a.Models, ct);
        if (a.Permutations.Count > 0) await ResultTables.Permutations.WriteFileAsync(Path.Combine(RunDir, "permutations.parquet"), a.Permutations, ct);
    }
}
