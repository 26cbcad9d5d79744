using DigitalEconomy.Core.Data;

namespace DigitalEconomy.Core.Indices;

/// <summary>
/// The indicator matrix of a composite index: one column per indicator over the panel's rows
/// (unit-periods), complete (no missing cell), with the rows' units and periods.
/// </summary>
public sealed class IndexInput
{
    private IndexInput(IndicatorSystem system, double[][] columns, string[] units, long[] periods)
    {
        System = system; Columns = columns; Units = units; Periods = periods;
    }

    /// <summary>The indicator system.</summary>
    public IndicatorSystem System { get; }

    /// <summary>Indicator values, Columns[j][i] for indicator j and row i.</summary>
    public IReadOnlyList<double[]> Columns { get; }

    /// <summary>Unit of each row.</summary>
    public IReadOnlyList<string> Units { get; }

    /// <summary>Period of each row.</summary>
    public IReadOnlyList<long> Periods { get; }

    /// <summary>Number of rows (observations).</summary>
    public int RowCount => Units.Count;

    /// <summary>Builds the input from a panel, checking every indicator.</summary>
    /// <exception cref="InputException">
    /// A missing indicator column (lists the available ones), a non-numeric cell, an all-missing
    /// indicator, a missing cell (naming unit and period), or fewer than two observations.
    /// </exception>
    public static IndexInput From(Panel panel, IndicatorSystem system)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(system);
        if (panel.RowCount < 2)
            throw new InputException($"{panel.Frame.Source}: an index needs at least two observations; the data have {panel.RowCount}");
        var cols = new double[system.Indicators.Count][];
        for (int j = 0; j < cols.Length; j++)
        {
            var ind = system.Indicators[j];
            if (!panel.Frame.Has(ind.Code))
                throw new InputException($"{panel.Frame.Source}: indicator '{ind.Code}' has no column; available columns: {string.Join(", ", panel.Frame.Columns.Select(c => c.Name))}");
            var v = panel.Frame.Numeric(ind.Code);
            int missing = v.Count(double.IsNaN);
            if (missing == v.Length) throw new InputException($"{panel.Frame.Source}: indicator '{ind.Code}' is missing in every row");
            if (missing > 0)
            {
                int r = Array.FindIndex(v, double.IsNaN);
                throw new InputException($"{panel.Frame.Source}: indicator '{ind.Code}' is missing at {panel.Describe(r)}, {missing} missing cell(s) in all; fill gaps first: de index --interpolate, or dataset.interpolate in a study (with dataset.extrapolate: linear or growth for a series that starts late or ends early)");
            }
            cols[j] = v;
        }
        return new IndexInput(system, cols, panel.UnitCode.Select(c => panel.UnitLabels[c]).ToArray(), panel.Time);
    }

    /// <summary>Builds the input from arrays (tests, grains): columns per indicator, units and periods per row.</summary>
    public static IndexInput FromArrays(IndicatorSystem system, IReadOnlyList<double[]> columns, IReadOnlyList<string> units, IReadOnlyList<long> periods)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(units);
        ArgumentNullException.ThrowIfNull(periods);
        if (columns.Count != system.Indicators.Count) throw new ArgumentException($"{columns.Count} columns for {system.Indicators.Count} indicators.", nameof(columns));
        return new IndexInput(system, [.. columns], [.. units], [.. periods]);
    }

    /// <summary>The rows given, in that order (e.g. one region's slice).</summary>
    public IndexInput Slice(IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return new IndexInput(System, Columns.Select(c => rows.Select(r => c[r]).ToArray()).ToArray(), rows.Select(r => Units[r]).ToArray(), rows.Select(r => Periods[r]).ToArray());
    }
}
