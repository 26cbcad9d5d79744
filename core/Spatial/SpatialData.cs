using System.Globalization;
using DigitalEconomy.Core.Data;

namespace DigitalEconomy.Core.Spatial;

/// <summary>
/// Panel columns stacked for spatial work: period outer, unit inner (T blocks of N values, the units in the
/// panel's order), as splm stacks them, with W aligned to the panel's units by name. Spatial models need every
/// unit of W in every period (a balanced panel on W's units) with finite values.
/// </summary>
public static class SpatialData
{
    /// <summary>
    /// The columns stacked period by period; <paramref name="periods"/> are the panel's periods (ascending) and
    /// <paramref name="aligned"/> is W reordered to the panel's units.
    /// </summary>
    /// <exception cref="InputException">Units that do not match W's, a unit missing in a period, or a missing value
    /// (one line naming the unit and period).</exception>
    public static double[][] Stack(Panel panel, SpatialWeights w, IReadOnlyList<(string Name, double[] Values)> columns, out IReadOnlyList<long> periods, out SpatialWeights aligned)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(columns);
        if (!panel.IsPanel) throw new InputException(Panel.NeedsPanel("a spatial analysis"));
        aligned = w.AlignTo(panel.UnitLabels);
        periods = panel.Periods;
        int n = panel.UnitCount, t = periods.Count;
        var periodIndex = new Dictionary<long, int>(t);
        for (int p = 0; p < t; p++) periodIndex[periods[p]] = p;
        var row = new int[n * t];
        Array.Fill(row, -1);
        for (int r = 0; r < panel.RowCount; r++) row[periodIndex[panel.Time[r]] * n + panel.UnitCode[r]] = r;
        for (int k = 0; k < row.Length; k++)
            if (row[k] < 0)
                throw new InputException($"spatial panel: unit '{panel.UnitLabels[k % n]}' has no row for {panel.TimeColumn} = {periods[k / n].ToString(CultureInfo.InvariantCulture)}; spatial models and Moran's I need every unit of W in every period (a balanced panel)");
        var result = new double[columns.Count][];
        for (int c = 0; c < columns.Count; c++)
        {
            var v = columns[c].Values;
            var s = new double[n * t];
            for (int k = 0; k < s.Length; k++)
            {
                double x = v[row[k]];
                if (!double.IsFinite(x))
                    throw new InputException($"spatial panel: {columns[c].Name} is missing or not finite for unit '{panel.UnitLabels[k % n]}' in {panel.TimeColumn} = {periods[k / n].ToString(CultureInfo.InvariantCulture)}; spatial models and Moran's I need a complete balanced panel");
                s[k] = x;
            }
            result[c] = s;
        }
        return result;
    }
}
