using System.Security.Cryptography;
using System.Text;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Regression;
using DigitalEconomy.Study.GridEstimators;

namespace DigitalEconomy.Study;

/// <summary>A batch of specifications that share a sample, fixed effects and winsorising (so they can share one projection), named by its work key.</summary>
internal sealed record Batch(string Key, IReadOnlyList<Specification> Specifications);

/// <summary>Expands a study's grid into typed specifications with stable ids, and forms batches.</summary>
internal static class GridExpansion
{
    /// <summary>Every combination of the grid's dimensions, sorted by id (independent of the order of expansion).</summary>
    public static IReadOnlyList<Specification> Expand(GridSpec grid, string datasetHash)
    {
        var list = new List<Specification>();
        // Each distinct variance and filter is parsed once per run, here, when the choices become typed models.
        var vcovs = grid.Vcov.Distinct(StringComparer.Ordinal).ToDictionary(v => v, v => VcovSpec.Parse(v), StringComparer.Ordinal);
        var filters = grid.Samples.Where(s => s.Filter is not null).Select(s => s.Filter!).Distinct(StringComparer.Ordinal).ToDictionary(f => f, RowFilter.Parse, StringComparer.Ordinal);
        foreach (var outcome in grid.Outcomes)
        foreach (var controls in grid.Controls)
        foreach (var fe in grid.FixedEffects)
        foreach (var sample in grid.Samples)
        foreach (bool winsor in grid.Winsorize)
        foreach (bool lag in grid.Lag)
        foreach (var vcov in grid.Vcov)
        foreach (var estimator in grid.Estimators.IsDefaultOrEmpty ? [null] : grid.Estimators.Select(e => (string?)e))
        foreach (var weights in grid.Weights.IsDefaultOrEmpty ? [null] : grid.Weights.Select(w => w == GridSpec.Unweighted ? null : w))
        {
            if (GridEstimatorRegistry.Find(estimator) is { } family)
            {
                // A non-linear node: its family says which choices form nodes (and how many: one per matrix for the spatial family).
                var linear = new Specification("", outcome, grid.Treatment, lag, controls.Name, controls.Columns, fe, sample.Name, sample.Filter, winsor, vcov, null!);
                linear = linear with
                {
                    Model = SpecificationModel.Build(linear, vcovs[vcov], sample.Filter is null ? null : filters[sample.Filter]) with { DropSingletons = !grid.KeepSingletons },
                };
                foreach (var node in family.Nodes(estimator!, grid, linear, weights))
                {
                    var n = linear with { Node = node };
                    list.Add(n with { Id = Id(Canonical(n), datasetHash) });
                }
                continue;
            }
            if (!GridSpec.Fits(estimator, fe)) continue;
            var choices = new Specification("", outcome, grid.Treatment, lag, controls.Name, controls.Columns, fe, sample.Name, sample.Filter, winsor, vcov, null!);
            var spec = choices with
            {
                Model = SpecificationModel.Build(choices, vcovs[vcov], sample.Filter is null ? null : filters[sample.Filter],
                    estimator is null ? null : Estimation.ParseName(estimator), grid.Instruments.IsDefault ? [] : grid.Instruments, weights) with { DropSingletons = !grid.KeepSingletons },
            };
            list.Add(spec with { Id = Id(Canonical(spec), datasetHash) });
        }
        var dup = list.GroupBy(s => s.Id).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new Core.InputException($"the grid repeats a specification ({Canonical(dup.First())}); check for duplicate dimension values");
        return [.. list.OrderBy(s => s.Id, StringComparer.Ordinal)];
    }

    /// <summary>The canonical text of a specification's choices (what its id hashes).</summary>
    /// <remarks>
    /// The estimator and weights are named only when chosen, and the singleton rule only when it is not the default (drop),
    /// so that a grid without those choices keeps the ids it always had. A non-linear node adds its word, and what it reads
    /// beyond the choices: its GMM settings, its cohort column or its matrix (by name; the matrix's entries are in the run id
    /// through the spatial analysis that declares it).
    /// </remarks>
    public static string Canonical(Specification s) =>
        $"controls={s.ControlSet};fe={SpecificationModel.FixedEffectsText(s)};lag={YesNo(s.Lag)};outcome={s.Outcome};sample={s.Sample};vcov={s.Vcov};winsor={YesNo(s.Winsorize)}"
        + $";formula={SpecificationModel.FormulaText(s)};filter={s.Filter}" + (s.Model.DropSingletons ? "" : ";singletons=keep")
        + (s.Model.Estimator is { } e ? $";estimator={Estimation.Name(e)}" : "") + (s.Model.Weights is { } w ? $";weights={w}" : "")
        + (s.Node is { } n ? $";estimator={n.Estimator}" + (n.Gmm is { } g ? $";gmm={g.Text}" : "") + (n.Cohort is { } c ? $";cohort={c}" : "")
            + (n.Matrix is { } m ? $";matrix={m.Name}" : "") : "");

    /// <summary>
    /// The estimator choice of a specification as the <c>estimator</c> column shows it (null: the formula's default); a spatial
    /// node's is its word and matrix, <c>sar:contiguity</c>.
    /// </summary>
    public static string? EstimatorChoice(Specification s) =>
        s.Node is { } n ? n.Matrix is { } m ? $"{n.Estimator}:{m.Name}" : n.Estimator
        : s.Model.Estimator is { } e ? Estimation.Name(e) : null;

    /// <summary>yes or no.</summary>
    public static string YesNo(bool b) => b ? "yes" : "no";

    /// <summary>The stable id of a canonical specification on a dataset version: 16 hex digits of SHA-256.</summary>
    public static string Id(string canonical, string datasetHash) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical + "\n" + datasetHash)))[..16];

    /// <summary>
    /// Batches of at most <paramref name="size"/> specifications. Specifications that share the sample filter,
    /// the fixed effects and winsorising travel together (one projection of every column
    /// serves them all); groups are ordered by their first id and each batch is keyed by the hash of
    /// its ids, so batches depend only on the study, never on the cluster.
    /// </summary>
    public static IReadOnlyList<Batch> Batches(IReadOnlyList<Specification> specs, int size)
    {
        // Non-linear nodes travel apart from the linear specifications (and by family), so that a linear batch stays one projection.
        var groups = specs.GroupBy(s => $"{s.Filter}\u001f{SpecificationModel.FixedEffectsText(s)}\u001f{s.Winsorize}" + (s.Node is { } n ? $"\u001f{n.Estimator}" : ""), StringComparer.Ordinal)
            .Select(g => g.OrderBy(s => s.Id, StringComparer.Ordinal).ToList())
            .OrderBy(g => g[0].Id, StringComparer.Ordinal);
        var batches = new List<Batch>();
        foreach (var g in groups)
            foreach (var chunk in g.Chunk(Math.Max(1, size)))
                batches.Add(new Batch("b" + Id(string.Join(",", chunk.Select(s => s.Id)), "batch")[..12], chunk));
        return batches;
    }

    /// <summary>The baseline: the first entry of every dimension.</summary>
    public static bool IsBaseline(GridSpec g, Specification s) =>
        s.Outcome == g.Outcomes[0] && s.ControlSet == g.Controls[0].Name && s.FixedEffects.SequenceEqual(g.FixedEffects[0])
        && s.Sample == g.Samples[0].Name && s.Winsorize == g.Winsorize[0] && s.Lag == g.Lag[0] && s.Vcov == g.Vcov[0]
        && (g.Estimators.IsDefaultOrEmpty || (s.Node?.Estimator ?? EstimatorChoice(s)) == g.Estimators[0])
        && (s.Node?.Matrix is not { } m || m.Name == g.Matrices[0].Name)
        && (g.Weights.IsDefaultOrEmpty || (s.Model.Weights ?? GridSpec.Unweighted) == g.Weights[0]);
}
