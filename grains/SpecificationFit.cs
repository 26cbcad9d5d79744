using System.Collections.Immutable;
using DigitalEconomy.Contracts;
using DigitalEconomy.Core;
using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Regression;
using DigitalEconomy.Study;
using static DigitalEconomy.Study.SpecificationModel;

namespace DigitalEconomy.Grains;

/// <summary>
/// Fits typed <see cref="Specification"/>s: each carries its <see cref="ModelSpec"/> (built once when the
/// grid was expanded, <see cref="SpecificationModel"/>), and winsorised panels are built once per silo.
/// </summary>
public static class SpecificationFit
{
    /// <summary>The panel with <paramref name="columns"/> winsorised at 1/99 % pooled.</summary>
    public static Panel Winsorized(Panel panel, IReadOnlyList<string> columns)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(columns);
        var p = panel;
        foreach (var col in columns) p = p.WithColumn(col, PanelTransforms.Winsorize(p, p.Frame.Numeric(col)));
        return p;
    }

    /// <summary>
    /// Fits specifications on a panel. <paramref name="variant"/> gives the (cached) winsorised panel for
    /// a list of columns. Specifications on the same panel go to <see cref="BatchEstimation.Fit"/> together,
    /// so those sharing a sample and fixed effects share one projection of every column. Results come back
    /// in the order of <paramref name="specs"/>; a specification that cannot be estimated is a result
    /// carrying its reason.
    /// </summary>
    public static SpecificationResult[] Fit(Panel panel, IReadOnlyList<Specification> specs, Func<IReadOnlyList<string>, Panel> variant, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(specs);
        ArgumentNullException.ThrowIfNull(variant);
        var results = new SpecificationResult[specs.Count];
        var (union, unionSet) = Union(specs);
        var models = new List<(IReadOnlyList<string> Columns, int Spec, BatchModel Model)>(specs.Count);
        for (int i = 0; i < specs.Count; i++)
        {
            var s = specs[i];
            models.Add((PanelColumnsOf(s, union, unionSet), i, Model(s)));
        }
        foreach (var group in models.GroupBy(m => VariantKey(m.Columns), StringComparer.Ordinal))
        {
            var modelOf = group.Select(m => m.Spec).ToList();
            var columns = group.First().Columns;
            Panel p;
            try { p = columns.Count == 0 ? panel : variant(columns); }
            catch (InputException e)
            {
                foreach (int i in modelOf) results[i] = Failed(specs[i].Id, e.Message);
                continue;
            }
            var fits = BatchEstimation.Fit(p, [.. group.Select(m => m.Model)], cancellationToken);
            for (int k = 0; k < fits.Count; k++)
            {
                var (f, s) = (fits[k], specs[modelOf[k]]);
                results[modelOf[k]] = f.Error is not null || f.Coefficient is not { } c
                    ? Failed(s.Id, f.Error ?? $"'{f.Term}' was omitted (collinear or absorbed)")
                    : new SpecificationResult(s.Id, c.Estimate, Finite(c.StdError), Finite(c.Statistic), Finite(c.PValue), Finite(c.ConfLow), Finite(c.ConfHigh), f.N, f.R2, f.R2Within, null);
            }
        }
        return results;
    }

    /// <summary>The specification's model as <see cref="Fit"/> fits it: its typed model, collinear regressors dropped.</summary>
    public static BatchModel Model(Specification s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new BatchModel(s.Model, Term(s), DropCollinear);
    }

    private static readonly EstimationOptions DropCollinear = new() { Collinear = CollinearPolicy.Drop };

    /// <summary>
    /// The winsorised columns of the panel each specification is fitted on, as <see cref="Fit"/> chooses them: the union of
    /// the block's winsorised columns, or its own when it reads one of those unwinsorised; empty when it does not winsorise.
    /// </summary>
    public static IReadOnlyList<string>[] PanelColumns(IReadOnlyList<Specification> specs)
    {
        ArgumentNullException.ThrowIfNull(specs);
        var (union, unionSet) = Union(specs);
        return [.. specs.Select(s => PanelColumnsOf(s, union, unionSet))];
    }

    /// <summary>Every column that some specification of the block winsorises, in order.</summary>
    private static (List<string> Union, HashSet<string> Set) Union(IReadOnlyList<Specification> specs)
    {
        var union = specs.SelectMany(WinsorColumns).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return (union, union.ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>
    /// Winsorising a column depends on that column alone, so the specifications that winsorise can share one
    /// panel with the union of their columns winsorised, as long as none of them reads one of those columns
    /// unwinsorised (as a filter, fixed-effect or cluster key); such a one keeps its own panel. Either way each
    /// specification sees exactly its own columns winsorised: the numbers are the same.
    /// </summary>
    private static IReadOnlyList<string> PanelColumnsOf(Specification s, List<string> union, HashSet<string> unionSet)
    {
        if (!s.Winsorize) return [];
        var keys = s.Model.Filters.SelectMany(f => f.Columns).Concat(s.Model.Formula.FixedEffects.SelectMany(f => f.Columns)).Concat(s.Model.Vcov.ClusterColumns);
        return keys.Any(unionSet.Contains) ? WinsorColumns(s) : union;
    }

    /// <summary>A number, or null when it is not finite (NaN or ±∞ are never written as results).</summary>
    public static double? Finite(double v) => double.IsFinite(v) ? v : null;

    /// <summary>A result that records why the specification could not be estimated.</summary>
    public static SpecificationResult Failed(string specId, string reason) => new(specId, null, null, null, null, null, null, null, null, null, reason);

    /// <summary>The key of a winsorised variant.</summary>
    public static string VariantKey(IReadOnlyList<string> columns) => "winsor:" + string.Join(",", columns);
}
