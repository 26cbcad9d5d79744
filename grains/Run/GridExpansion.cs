using System.Security.Cryptography;
using System.Text;
using DigitalEconomy.Contracts;

namespace DigitalEconomy.Grains;

/// <summary>A batch of specifications that share a sample, fixed effects and winsorising (so they can share one projection), named by its work key.</summary>
internal sealed record Batch(string Key, IReadOnlyList<Specification> Specifications);

/// <summary>Expands a study's grid into typed specifications with stable ids, and forms batches.</summary>
internal static class GridExpansion
{
    /// <summary>Every combination of the grid's dimensions, sorted by id (independent of the order of expansion).</summary>
    public static IReadOnlyList<Specification> Expand(GridSpec grid, string datasetHash)
    {
        var list = new List<Specification>();
        foreach (var outcome in grid.Outcomes)
        foreach (var controls in grid.Controls)
        foreach (var fe in grid.FixedEffects)
        foreach (var sample in grid.Samples)
        foreach (bool winsor in grid.Winsorize)
        foreach (bool lag in grid.Lag)
        foreach (var vcov in grid.Vcov)
        {
            var spec = new Specification("", outcome, grid.Treatment, lag, controls.Name, controls.Columns, fe, sample.Name, sample.Filter, winsor, vcov, grid.KeepSingletons);
            list.Add(spec with { Id = Id(Canonical(spec), datasetHash) });
        }
        var dup = list.GroupBy(s => s.Id).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new Core.InputException($"the grid repeats a specification ({Canonical(dup.First())}); check for duplicate dimension values");
        return [.. list.OrderBy(s => s.Id, StringComparer.Ordinal)];
    }

    /// <summary>
    /// The canonical text of a specification's choices (what its id hashes). The singleton rule enters only when it
    /// is not the default (keep), so that the ids of studies that drop singletons are those they always had.
    /// </summary>
    public static string Canonical(Specification s) =>
        $"controls={s.ControlSet};fe={SpecificationFit.FixedEffectsText(s)};lag={YesNo(s.Lag)};outcome={s.Outcome};sample={s.Sample};vcov={s.Vcov};winsor={YesNo(s.Winsorize)}"
        + $";formula={SpecificationFit.FormulaText(s)};filter={s.Filter}" + (s.KeepSingletons ? ";singletons=keep" : "");

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
        var groups = specs.GroupBy(s => $"{s.Filter}\u001f{SpecificationFit.FixedEffectsText(s)}\u001f{s.Winsorize}", StringComparer.Ordinal)
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
        && s.Sample == g.Samples[0].Name && s.Winsorize == g.Winsorize[0] && s.Lag == g.Lag[0] && s.Vcov == g.Vcov[0];
}
