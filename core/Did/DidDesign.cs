using System.Globalization;
using DigitalEconomy.Core.Data;

namespace DigitalEconomy.Core.Did;

/// <summary>
/// The adoption design of a staggered difference-in-differences: each unit's cohort (the first period it is treated)
/// or none (never treated). Built from a cohort column or from a 0/1 treatment column.
/// Conventions (docs/methods.md, "Difference-in-differences"):
/// <list type="bullet">
/// <item>cohort column: one value per unit (repeated on its rows, blanks allowed on some rows); empty, 0 or a value after the
/// last period of the data (fixest's <c>base_stagg</c> codes never-treated units 10000) = never treated within the sample;</item>
/// <item>treatment column: 0/1 per row; the cohort is the first period with 1; adoption must be absorbing (a unit that goes
/// back to 0 is refused), as every staggered estimator here assumes;</item>
/// <item>a cohort at or before the first period ("always treated") has no pre-period: TWFE and the event study keep it
/// (its unit effect absorbs it), Callaway–Sant'Anna drops it as the R package <c>did</c> does.</item>
/// </list>
/// </summary>
public sealed class DidDesign
{
    private DidDesign(Panel panel, long?[] unitCohort, string source, List<string> notes)
    {
        Panel = panel;
        UnitCohort = unitCohort;
        Source = source;
        Notes = notes;
        Cohorts = [.. unitCohort.Where(c => c.HasValue).Select(c => c!.Value).Distinct().Order()];
        NeverTreated = unitCohort.Count(c => c is null);
    }

    /// <summary>The panel (sorted by unit and time).</summary>
    public Panel Panel { get; }

    /// <summary>Each unit's cohort (by unit code), null when never treated within the sample.</summary>
    public IReadOnlyList<long?> UnitCohort { get; }

    /// <summary>The column the design was read from, and how (<c>cohort COL</c> or <c>treatment COL</c>).</summary>
    public string Source { get; }

    /// <summary>The distinct cohorts of treated units, ascending.</summary>
    public IReadOnlyList<long> Cohorts { get; }

    /// <summary>Number of never-treated units.</summary>
    public int NeverTreated { get; }

    /// <summary>What was recoded (cohorts after the last period, always-treated units), one line each.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>The cohort of row <paramref name="row"/>'s unit.</summary>
    public long? CohortOfRow(int row) => UnitCohort[Panel.UnitCode[row]];

    /// <summary>The units of each treated cohort and the never-treated: the cohort sizes a placebo keeps.</summary>
    public int CountOf(long? cohort) => UnitCohort.Count(c => c == cohort);

    /// <summary>The same panel with the units' cohorts replaced (a placebo assignment; one entry per unit code).</summary>
    public DidDesign WithCohorts(long?[] unitCohort)
    {
        ArgumentNullException.ThrowIfNull(unitCohort);
        if (unitCohort.Length != Panel.UnitCount) throw new ArgumentException("one cohort per unit", nameof(unitCohort));
        return new DidDesign(Panel, unitCohort, Source, []);
    }

    /// <summary>The design on a subset of the panel's rows (ascending), each unit keeping its cohort.</summary>
    public DidDesign Subset(IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var sub = Panel.Subset(rows);
        var byLabel = new Dictionary<string, long?>(StringComparer.Ordinal);
        for (int u = 0; u < Panel.UnitCount; u++) byLabel[Panel.UnitLabels[u]] = UnitCohort[u];
        return new DidDesign(sub, [.. sub.UnitLabels.Select(l => byLabel[l])], Source, []);
    }

    /// <summary>The treatment indicator 1[t ≥ cohort] of every row (0 for never-treated units).</summary>
    public double[] Treated()
    {
        var d = new double[Panel.RowCount];
        for (int r = 0; r < d.Length; r++) d[r] = CohortOfRow(r) is { } c && Panel.Time[r] >= c ? 1 : 0;
        return d;
    }

    /// <summary>
    /// Reads the design from a cohort column: the first treated period of each unit; empty, 0 or after the last period = never treated.
    /// </summary>
    /// <exception cref="InputException">Unknown or non-numeric column, a non-integer cohort, or a unit with two different cohorts.</exception>
    public static DidDesign FromCohort(Panel panel, string column)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(column);
        if (!panel.IsPanel) throw new InputException(Panel.NeedsPanel("difference-in-differences"));
        if (!panel.Frame.Has(column)) throw new InputException($"--cohort {column}: no such column; expected the column holding each unit's first treated period (empty or 0 = never treated)");
        var v = panel.Frame.Numeric(column);
        long last = panel.Periods[^1];
        var cohort = new long?[panel.UnitCount];
        var seen = new bool[panel.UnitCount];
        bool late = false;
        for (int r = 0; r < v.Length; r++)
        {
            double x = v[r];
            if (double.IsNaN(x)) continue;
            if (x != Math.Floor(x) || Math.Abs(x) > 1e15)
                throw new InputException($"{panel.Frame.Where(r)}: cohort '{x.ToString(CultureInfo.InvariantCulture)}' in '{column}' is not an integer period");
            long? c = x == 0 ? null : (long)x;
            if (c > last) { c = null; late = true; }
            int u = panel.UnitCode[r];
            if (seen[u] && cohort[u] != c)
                throw new InputException($"{panel.Frame.Where(r)}: unit '{Echo.OneLine(panel.UnitLabels[u])}' has two cohorts in '{column}' ({Show(cohort[u])} and {Show(c)}); expected one first treated period per unit");
            seen[u] = true;
            cohort[u] = c;
        }
        var notes = new List<string>();
        if (late) notes.Add($"cohorts after the last period ({last}) in '{column}' are read as never treated within the sample");
        AlwaysTreatedNote(panel, cohort, notes);
        return new DidDesign(panel, cohort, $"cohort {column}", notes);
    }

    /// <summary>
    /// Reads the design from a 0/1 treatment column: each unit's cohort is its first period with 1; units never at 1 are never treated.
    /// </summary>
    /// <exception cref="InputException">Unknown column, a value other than 0/1, or a unit whose treatment switches off.</exception>
    public static DidDesign FromTreatment(Panel panel, string column)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(column);
        if (!panel.IsPanel) throw new InputException(Panel.NeedsPanel("difference-in-differences"));
        if (!panel.Frame.Has(column)) throw new InputException($"--treatment {column}: no such column; expected a 0/1 column that is 1 from a unit's adoption on");
        var v = panel.Frame.Numeric(column);
        var cohort = new long?[panel.UnitCount];
        for (int u = 0; u < panel.UnitCount; u++)
        {
            for (int r = panel.UnitStart[u]; r < panel.UnitStart[u + 1]; r++)
            {
                double x = v[r];
                if (double.IsNaN(x)) continue;
                if (x is not (0 or 1))
                    throw new InputException($"{panel.Frame.Where(r)}: '{column}' is {x.ToString(CultureInfo.InvariantCulture)}; expected 0 or 1");
                if (x == 1 && cohort[u] is null) cohort[u] = panel.Time[r];
                else if (x == 0 && cohort[u] is not null)
                    throw new InputException($"{panel.Frame.Where(r)}: unit '{Echo.OneLine(panel.UnitLabels[u])}' goes back to 0 in '{column}' at {panel.TimeColumn} = {panel.Time[r]} after adopting at {cohort[u]}; "
                        + "staggered DID expects adoption that stays (give the first treated period with --cohort instead)");
            }
        }
        var notes = new List<string>();
        AlwaysTreatedNote(panel, cohort, notes);
        return new DidDesign(panel, cohort, $"treatment {column}", notes);
    }

    private static void AlwaysTreatedNote(Panel panel, long?[] cohort, List<string> notes)
    {
        long first = panel.Periods[0];
        int always = cohort.Count(c => c <= first);
        if (always > 0) notes.Add($"{always} unit(s) treated from the first period ({first}) on have no pre-period");
    }

    private static string Show(long? c) => c is { } x ? x.ToString(CultureInfo.InvariantCulture) : "never";
}
