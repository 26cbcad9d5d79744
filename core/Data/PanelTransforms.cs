namespace DigitalEconomy.Core.Data;

/// <summary>A cell filled by interpolation or extrapolation: where, the value put there, and how (<see cref="Method"/>).</summary>
public sealed record FilledCell(string Unit, long Time, double Value)
{
    /// <summary><c>interpolated</c>, <c>extrapolated linear</c> or <c>extrapolated growth</c>.</summary>
    public string Method { get; init; } = "interpolated";
}

/// <summary>How missing values before a unit's first or after its last observation are filled.</summary>
public enum Extrapolation
{
    /// <summary>They stay missing.</summary>
    None,

    /// <summary>The line through the two nearest observations is extended.</summary>
    Linear,

    /// <summary>
    /// The unit's average growth rate continues: g = (x_last / x_first)^(1 / (t_last − t_first)) − 1, the compound annual
    /// rate over its observed span, and x_t = x_last·(1 + g)^(t − t_last) after it, x_first·(1 + g)^(t − t_first) before it.
    /// Needs two observations, both ends positive; otherwise the cells stay missing.
    /// </summary>
    Growth,
}

/// <summary>How the percentiles for winsorising are grouped.</summary>
public enum WinsorScope
{
    /// <summary>One pair of cut-offs over the pooled panel (default).</summary>
    Pooled,
    /// <summary>Cut-offs computed separately in every period.</summary>
    ByPeriod,
}

/// <summary>
/// Transforms of panel series. All take and return arrays in the panel's row order; NaN marks a
/// missing value and propagates.
/// </summary>
public static class PanelTransforms
{
    /// <summary>
    /// Lag of order <paramref name="k"/> within unit: the value of the same unit at time t − k, or
    /// missing when that period is not observed (gaps are respected, never bridged). Negative
    /// <paramref name="k"/> gives a lead.
    /// </summary>
    public static double[] Lag(Panel panel, double[] x, int k = 1)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(x);
        var result = new double[x.Length];
        Array.Fill(result, double.NaN);
        var time = panel.Time;
        for (int g = 0; g < panel.UnitCount; g++)
        {
            int lo = panel.UnitStart[g], hi = panel.UnitStart[g + 1];
            // Rows are sorted by time within the unit, so a second pointer walks the targets.
            int j = lo;
            for (int r = lo; r < hi; r++)
            {
                long target = time[r] - k;
                if (k >= 0)
                {
                    while (j < r && time[j] < target) j++;
                    if (j < hi && time[j] == target) result[r] = x[j];
                }
                else
                {
                    if (j < r) j = r;
                    while (j < hi && time[j] < target) j++;
                    if (j < hi && time[j] == target) result[r] = x[j];
                }
            }
        }
        return result;
    }

    /// <summary>
    /// Linear interpolation over time within each unit: a missing value between two observed ones
    /// is filled on the straight line between them (by the time distance). Missing values before
    /// the first or after the last observation stay missing unless <paramref name="extrapolate"/>,
    /// in which case the nearest two observations' line is extended. Every fill is reported.
    /// </summary>
    public static double[] Interpolate(Panel panel, double[] x, out IReadOnlyList<FilledCell> filled, bool extrapolate = false) =>
        Interpolate(panel, x, out filled, extrapolate ? Extrapolation.Linear : Extrapolation.None);

    /// <summary>
    /// Linear interpolation of interior gaps within each unit, as above, and the ends filled as <paramref name="ends"/> says.
    /// Every fill is reported with its method.
    /// </summary>
    public static double[] Interpolate(Panel panel, double[] x, out IReadOnlyList<FilledCell> filled, Extrapolation ends)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(x);
        var result = (double[])x.Clone();
        var fills = new List<FilledCell>();
        var time = panel.Time;
        for (int g = 0; g < panel.UnitCount; g++)
        {
            int lo = panel.UnitStart[g], hi = panel.UnitStart[g + 1];
            var obs = new List<int>();
            for (int r = lo; r < hi; r++) if (!double.IsNaN(x[r])) obs.Add(r);
            if (obs.Count == 0) continue;
            for (int r = lo; r < hi; r++)
            {
                if (!double.IsNaN(x[r])) continue;
                int idx = obs.BinarySearch(r);
                idx = ~idx; // first observed row after r
                int a, b;
                if (idx > 0 && idx < obs.Count) { a = obs[idx - 1]; b = obs[idx]; }
                else if (ends == Extrapolation.None || obs.Count < 2) continue;
                else if (ends == Extrapolation.Growth)
                {
                    double first = x[obs[0]], last = x[obs[^1]];
                    if (!(first > 0 && last > 0)) continue;
                    double rate = Math.Pow(last / first, 1.0 / (time[obs[^1]] - time[obs[0]]));
                    int from = idx == 0 ? obs[0] : obs[^1];
                    result[r] = x[from] * Math.Pow(rate, time[r] - time[from]);
                    fills.Add(new FilledCell(panel.UnitLabels[g], time[r], result[r]) { Method = "extrapolated growth" });
                    continue;
                }
                else if (idx == 0) { a = obs[0]; b = obs[1]; }
                else { a = obs[^2]; b = obs[^1]; }
                double w = (double)(time[r] - time[a]) / (time[b] - time[a]);
                result[r] = x[a] + w * (x[b] - x[a]);
                bool interior = idx > 0 && idx < obs.Count;
                fills.Add(new FilledCell(panel.UnitLabels[g], time[r], result[r]) { Method = interior ? "interpolated" : "extrapolated linear" });
            }
        }
        filled = fills;
        return result;
    }

    /// <summary>
    /// Winsorises at the <paramref name="lower"/> and <paramref name="upper"/> percentiles (e.g. 1
    /// and 99): values below/above the cut-offs are set to them. Percentiles follow Stata's
    /// <c>_pctile</c>/<c>winsor2</c> (R quantile type 2: the average of the two order statistics
    /// when N·p is an integer). Missing values stay missing.
    /// </summary>
    public static double[] Winsorize(Panel panel, double[] x, double lower = 1, double upper = 99, WinsorScope scope = WinsorScope.Pooled)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(x);
        if (!(lower >= 0 && lower < upper && upper <= 100))
            throw new InputException($"winsorise: percentiles must satisfy 0 <= lower < upper <= 100, got {lower} and {upper}");
        var result = (double[])x.Clone();
        IEnumerable<int[]> groups = scope == WinsorScope.Pooled
            ? [Enumerable.Range(0, x.Length).ToArray()]
            : Enumerable.Range(0, x.Length).GroupBy(r => panel.Time[r]).Select(gr => gr.ToArray());
        foreach (var rows in groups)
        {
            var vals = rows.Select(r => x[r]).Where(v => !double.IsNaN(v)).ToArray();
            if (vals.Length == 0) continue;
            Array.Sort(vals);
            double lo = Percentile(vals, lower / 100), hi = Percentile(vals, upper / 100);
            foreach (int r in rows)
            {
                if (double.IsNaN(x[r])) continue;
                result[r] = Math.Min(Math.Max(x[r], lo), hi);
            }
        }
        return result;
    }

    /// <summary>Stata <c>_pctile</c> definition (R type 2) on sorted values.</summary>
    internal static double Percentile(double[] sorted, double p)
    {
        int n = sorted.Length;
        if (p <= 0) return sorted[0];
        if (p >= 1) return sorted[n - 1];
        double np = n * p;
        int j = (int)Math.Floor(np);
        if (Math.Abs(np - j) < 1e-12 * Math.Max(1, np))
            return j == 0 ? sorted[0] : 0.5 * (sorted[j - 1] + sorted[Math.Min(j, n - 1)]);
        return sorted[Math.Min(j, n - 1)];
    }

    /// <summary>Natural log; a non-positive value is an error naming its unit and time.</summary>
    /// <exception cref="InputException">A value ≤ 0.</exception>
    public static double[] Log(Panel panel, double[] x, string name)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(x);
        var result = new double[x.Length];
        for (int r = 0; r < x.Length; r++)
        {
            double v = x[r];
            if (double.IsNaN(v)) { result[r] = double.NaN; continue; }
            if (v <= 0)
                throw new InputException($"log({name}): non-positive value {v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)} at {panel.Describe(r)}");
            result[r] = Math.Log(v);
        }
        return result;
    }

    /// <summary>Splits the panel into sub-panels by the levels of a categorical column (sorted levels; missing level skipped).</summary>
    public static IReadOnlyList<(string Level, Panel Panel)> SplitBy(Panel panel, string column)
    {
        ArgumentNullException.ThrowIfNull(panel);
        var col = panel.Frame[column];
        var byLevel = new SortedDictionary<string, List<int>>(StringComparer.Ordinal);
        for (int r = 0; r < panel.RowCount; r++)
        {
            var level = col.TextAt(r);
            if (level is null) continue;
            if (!byLevel.TryGetValue(level, out var list)) byLevel[level] = list = [];
            list.Add(r);
        }
        return byLevel.Select(kv => (kv.Key, panel.Subset(kv.Value))).ToList();
    }
}
