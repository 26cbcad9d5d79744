using System.Globalization;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Regression;

namespace DigitalEconomy.Core.Did;

/// <summary>One cohort × relative-period cell of the Sun–Abraham regression.</summary>
/// <param name="Cohort">The cohort (first treated period).</param>
/// <param name="RelPeriod">t − cohort.</param>
/// <param name="Rows">Estimation rows in the cell (its aggregation weight).</param>
/// <param name="Coefficient">The cell's coefficient (term <c>cohort::c:event::r</c>).</param>
public sealed record SunAbrahamCell(long Cohort, int RelPeriod, int Rows, Coefficient Coefficient);

/// <summary>
/// Sun and Abraham's (2021) interaction-weighted estimator: the cells, the x-coefficients of the saturated fit, and the
/// three aggregations of fixest's <c>sunab</c>: the ATT (all cells with r ≥ 0), by relative period, by cohort (r ≥ 0).
/// </summary>
public sealed record SunAbrahamResult(RegressionResult Fit, IReadOnlyList<SunAbrahamCell> Cells, Coefficient Att, IReadOnlyList<(int RelPeriod, Coefficient Coefficient)> ByPeriod, IReadOnlyList<(long Cohort, Coefficient Coefficient)> ByCohort);

/// <summary>
/// Sun–Abraham by the saturated regression y ~ covariates + Σ 1[cohort = c, t − c = r] | unit + time, one dummy per
/// (treated cohort c, relative period r ≠ reference), never-treated units only as controls (fixest 0.12's <c>sunab</c>).
/// Aggregations are share-weighted means of the cells, weights = estimation rows per cell normalised within the group,
/// SE = √(s'Vs) with V the cells' covariance from the registry's estimator, tested on the fit's df (G − 1 for clusters),
/// exactly fixest's convention (validation README section l).
/// </summary>
public static class SunAbraham
{
    /// <summary>The term name of a cell.</summary>
    public static string CellName(long cohort, int r) => string.Create(CultureInfo.InvariantCulture, $"cohort::{cohort}:event::{r}");

    /// <summary>Fits the saturated regression and aggregates it. Binning options are not used (cells are never binned).</summary>
    /// <exception cref="InputException">No treated unit; no never-treated unit (the cells need a control group); unknown terms.</exception>
    public static SunAbrahamResult Fit(DidDesign design, DidOptions options)
    {
        ArgumentNullException.ThrowIfNull(design);
        ArgumentNullException.ThrowIfNull(options);
        EventStudy.RequireTreated(design);
        if (design.NeverTreated == 0)
            throw new InputException($"{design.Source}: Sun–Abraham needs never-treated units as the control group, and every unit is treated within the sample");
        var panel = design.Panel;
        var plain = options with { BinLow = null, BinHigh = null };
        var rel = EventStudy.RelPeriods(design, plain);
        var complete = EventStudy.CompleteRows(design, plain);
        var cells = new SortedSet<(int R, long C)>();
        for (int i = 0; i < rel.Length; i++)
            if (rel[i] is { } r && r != options.Reference) cells.Add((r, design.CohortOfRow(i)!.Value));
        var terms = new List<Expr>(cells.Count);
        var counts = new List<int>(cells.Count);
        foreach (var (r, c) in cells)
        {
            var d = new double[panel.RowCount];
            int n = 0;
            for (int i = 0; i < d.Length; i++)
                if (rel[i] == r && design.CohortOfRow(i) == c) { d[i] = 1; if (complete[i]) n++; }
            terms.Add(new VectorExpr(CellName(c, r), d));
            counts.Add(n);
        }
        var fit = EventStudy.Fit(design, options, terms)[0];
        var index = fit.Coefficients.Select((co, i) => (co.Term, i)).ToDictionary(x => x.Term, x => x.i, StringComparer.Ordinal);
        var kept = new List<(SunAbrahamCell Cell, int Index)>();
        int k = 0;
        foreach (var (r, c) in cells)
        {
            if (index.TryGetValue(CellName(c, r), out int at)) kept.Add((new SunAbrahamCell(c, r, counts[k], fit.Coefficients[at]), at));
            k++;
        }
        Coefficient Agg(string name, IEnumerable<(SunAbrahamCell Cell, int Index)> group)
        {
            var g = group.ToList();
            double total = g.Sum(x => (double)x.Cell.Rows);
            return EventStudy.Combine(fit, name, [.. g.Select(x => x.Index)], [.. g.Select(x => x.Cell.Rows / total)], options.ConfidenceLevel);
        }
        var post = kept.Where(x => x.Cell.RelPeriod >= 0).ToList();
        if (post.Count == 0) throw new InputException($"{design.Source}: no treated unit is observed after adoption; the ATT has no cell");
        var att = Agg("ATT", post);
        var byPeriod = kept.GroupBy(x => x.Cell.RelPeriod).OrderBy(g => g.Key).Select(g => (g.Key, Agg(EventStudy.EventName(g.Key), g))).ToList();
        var byCohort = post.GroupBy(x => x.Cell.Cohort).OrderBy(g => g.Key).Select(g => (g.Key, Agg("cohort::" + g.Key.ToString(CultureInfo.InvariantCulture), g))).ToList();
        return new SunAbrahamResult(fit, [.. kept.Select(x => x.Cell)], att, byPeriod, byCohort);
    }
}
