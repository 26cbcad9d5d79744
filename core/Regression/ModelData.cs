using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Formulas;

namespace DigitalEconomy.Core.Regression;

/// <summary>The estimation sample of a formula on a panel: evaluated columns restricted to complete rows.</summary>
internal sealed class ModelData
{
    public required int N { get; init; }
    public required double[] Y { get; init; }
    public required string YName { get; init; }
    public required List<double[]> X { get; init; }
    public required List<string> XNames { get; init; }
    public required List<double[]> Endog { get; init; }
    public required List<string> EndogNames { get; init; }
    public required List<double[]> Inst { get; init; }
    public required List<string> InstNames { get; init; }
    public required List<int[]> FeCodes { get; init; }
    public required List<string> FeNames { get; init; }
    public required List<int[]> ClusterCodes { get; init; }
    public required List<string> ClusterNames { get; init; }
    public required int[] Unit { get; init; }

    /// <summary>Period codes 0..T−1 of the sample rows (rank among the sample's periods), built only for variance estimators that need them; else null.</summary>
    public int[]? Time { get; init; }
    public required int UnitCount { get; init; }

    /// <summary>The analytic weights of the sample rows (all positive), or null for an unweighted fit.</summary>
    public double[]? Weights { get; init; }
    public required List<string> Warnings { get; init; }

    /// <summary>The panel rows removed as singletons (ascending; empty when none or when singletons are kept).</summary>
    public IReadOnlyList<int> SingletonRows { get; init; } = [];

    /// <summary>
    /// The sample of <paramref name="f"/>; with <paramref name="variances"/>, the cluster columns of all of them
    /// (rows missing any are left out) and period codes when any needs them, else those of <c>o.Vcov</c>.
    /// </summary>
    public static ModelData Build(Panel panel, Formula f, EstimationOptions o, IReadOnlyList<VcovSpec>? variances = null)
    {
        IReadOnlyList<string> clColumns = variances is null
            ? (Variance.VcovRegistry.Of(o.Vcov).MaxClusters > 0 ? o.Vcov.ClusterColumns : [])
            : [.. variances.Where(v => Variance.VcovRegistry.Of(v).MaxClusters > 0).SelectMany(v => v.ClusterColumns).Distinct(StringComparer.Ordinal)];
        bool needsTime = variances is null ? Variance.VcovRegistry.Of(o.Vcov).NeedsTime : variances.Any(v => Variance.VcovRegistry.Of(v).NeedsTime);
        if (needsTime && !panel.IsPanel)
            throw new InputException(Panel.NeedsPanel($"--vcov {(variances ?? [o.Vcov]).First(v => Variance.VcovRegistry.Of(v).NeedsTime)} (a panel variance estimator)"));
        var y = f.Response.Evaluate(panel);
        var x = f.Regressors.Select(e => e.Evaluate(panel)).ToList();
        var en = f.Endogenous.Select(e => e.Evaluate(panel)).ToList();
        var inst = f.Instruments.Select(e => e.Evaluate(panel)).ToList();
        var feKeys = f.FixedEffects.Select(fe => Keys(panel, fe.Columns)).ToList();
        var clKeys = clColumns.Select(c => Keys(panel, [c])).ToList();
        var weights = o.Weights is null ? null : panel.Frame.Numeric(o.Weights);
        var inFilter = FilterMask(panel, o.Filters);
        var (rows, warnings, singletons) = SampleRows(panel, f, o, weights is null ? [.. x, .. en, .. inst, y] : [.. x, .. en, .. inst, y, weights], feKeys, clKeys, inFilter, weights);
        CheckMagnitude(panel, rows, [(f.Response.Text, y), .. f.Regressors.Select(e => e.Text).Zip(x), .. f.Endogenous.Select(e => e.Text).Zip(en), .. f.Instruments.Select(e => e.Text).Zip(inst)]);
        if (weights is not null) CheckMagnitude(panel, rows, [(o.Weights!, weights)]);
        int n = panel.RowCount;
        double[] Pick(double[] v) { if (rows.Count == n) return v; var a = new double[rows.Count]; for (int i = 0; i < a.Length; i++) a[i] = v[rows[i]]; return a; }
        var unit = rows.Count == n ? panel.UnitCode : new int[rows.Count];
        var unitMap = new int[panel.UnitCount];
        Array.Fill(unitMap, -1);
        int unitCount = 0;
        for (int i = 0; i < rows.Count && unit != panel.UnitCode; i++)
        {
            int u = panel.UnitCode[rows[i]];
            if (unitMap[u] < 0) unitMap[u] = unitCount++;
            unit[i] = unitMap[u];
        }
        return new ModelData
        {
            N = rows.Count,
            Y = Pick(y),
            YName = f.Response.Text,
            X = x.Select(Pick).ToList(),
            XNames = f.Regressors.Select(e => e.Text).ToList(),
            Endog = en.Select(Pick).ToList(),
            EndogNames = f.Endogenous.Select(e => e.Text).ToList(),
            Inst = inst.Select(Pick).ToList(),
            InstNames = f.Instruments.Select(e => e.Text).ToList(),
            FeCodes = feKeys.Select(k => Codes(k, rows)).ToList(),
            FeNames = f.FixedEffects.Select(fe => fe.Text).ToList(),
            ClusterCodes = clKeys.Select(k => Codes(k, rows)).ToList(),
            ClusterNames = [.. clColumns],
            Unit = unit,
            Time = needsTime ? PeriodCodes(panel.Time, rows) : null,
            UnitCount = unit == panel.UnitCode ? panel.UnitCount : unitCount,
            Weights = weights is null ? null : Pick(weights),
            Warnings = warnings,
            SingletonRows = singletons,
        };
    }

    /// <summary>Rows passing every filter (all true without filters).</summary>
    internal static bool[] FilterMask(Panel panel, IReadOnlyList<RowFilter> filters)
    {
        int n = panel.RowCount;
        var inFilter = new bool[n];
        Array.Fill(inFilter, true);
        foreach (var filter in filters)
        {
            var pass = new bool[n];
            foreach (int r in filter.Apply(panel.Frame)) pass[r] = true;
            for (int r = 0; r < n; r++) inFilter[r] &= pass[r];
        }
        return inFilter;
    }

    /// <summary>
    /// The estimation sample: rows in the filter with every column observed and every factor level present,
    /// less singletons when asked; the warnings describe what was left out, <c>Singletons</c> lists the rows removed as
    /// singletons. <paramref name="inFilter"/> is not modified.
    /// </summary>
    /// <remarks>
    /// Singletons are removed iteratively, as reghdfe (Correia 2015): a row whose level of any fixed-effect factor
    /// occurs once among the rows still kept is removed, and the counts are taken again until no such row is left
    /// (a removal can leave another level with one row). fixest removes them in one pass only.
    /// </remarks>
    internal static (List<int> Rows, List<string> Warnings, List<int> Singletons) SampleRows(Panel panel, Formula f, EstimationOptions o, IReadOnlyList<double[]> columns,
        IReadOnlyList<(int[] Codes, int Levels)> feKeys, IReadOnlyList<(int[] Codes, int Levels)> clKeys, bool[] inFilter, double[]? weights = null)
    {
        var warnings = new List<string>();
        int n = panel.RowCount;
        var keep = new bool[n];
        int filtered = inFilter.Count(b => !b);
        if (filtered == n)
            throw new InputException($"empty sample: no row passes the filter{(o.Filters.Count > 1 ? "s" : "")} {string.Join(" and ", o.Filters.Select(x => $"'{x.Text}'"))}");
        var complete = new bool[n];
        Array.Fill(complete, true);
        foreach (var col in columns)
            for (int r = 0; r < n; r++) if (double.IsNaN(col[r])) complete[r] = false;
        foreach (var k in feKeys.Concat(clKeys).Select(k => k.Codes))
            for (int r = 0; r < n; r++) if (k[r] < 0) complete[r] = false;
        int firstDropped = -1;
        for (int r = 0; r < n; r++)
        {
            keep[r] = complete[r] && inFilter[r];
            if (!complete[r] && inFilter[r] && firstDropped < 0) firstDropped = r;
        }
        int dropped = keep.Count(b => !b) - filtered;
        if (filtered > 0) warnings.Add($"{filtered} of {n} rows excluded by the filter{(o.Filters.Count > 1 ? "s" : "")}");
        if (dropped == n - filtered)
            throw new EstimationException($"empty sample: no row left with every variable of '{f.Source}' observed ({n - filtered} rows after filters)");
        if (dropped > 0)
            warnings.Add($"{dropped} of {n - filtered} rows dropped for missing values or lags outside the sample (first at {panel.Describe(firstDropped)})");
        if (weights is not null) DropZeroWeights(panel, f, o.Weights!, weights, keep, warnings);
        var singletonRows = new List<int>();
        if (o.DropSingletons && feKeys.Count > 0)
        {
            int singletons = 0;
            bool changed = true;
            while (changed)
            {
                changed = false;
                foreach (var keys in feKeys)
                {
                    var count = new int[keys.Levels];
                    for (int r = 0; r < n; r++) if (keep[r]) count[keys.Codes[r]]++;
                    for (int r = 0; r < n; r++)
                        if (keep[r] && count[keys.Codes[r]] == 1) { keep[r] = false; singletons++; changed = true; singletonRows.Add(r); }
                }
            }
            if (singletons > 0) warnings.Add($"{singletons} singleton observations dropped (alone in a fixed-effect group)");
        }
        var rows = new List<int>(n);
        for (int r = 0; r < n; r++) if (keep[r]) rows.Add(r);
        if (rows.Count == 0) throw new EstimationException($"empty sample after dropping singletons for '{f.Source}'");
        singletonRows.Sort();
        return (rows, warnings, singletonRows);
    }

    /// <summary>
    /// Analytic weights on the rows kept so far (missing weights are already out with the other missing
    /// values): a negative or non-finite weight is refused, naming the cell; rows with weight 0 are dropped
    /// and counted (as fixest and Stata do), before singletons are looked for.
    /// </summary>
    private static void DropZeroWeights(Panel panel, Formula f, string name, double[] weights, bool[] keep, List<string> warnings)
    {
        int zero = 0, left = 0;
        for (int r = 0; r < keep.Length; r++)
        {
            if (!keep[r]) continue;
            double w = weights[r];
            if (!(w >= 0) || !double.IsFinite(w))
                throw new InputException($"{panel.Frame.Where(r)} ({panel.UnitColumn} '{panel.UnitLabels[panel.UnitCode[r]]}', {panel.TimeColumn} {panel.Time[r]}): " +
                    $"weight '{name}' is {w.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)}; analytic weights must be finite and not negative");
            if (w == 0) { keep[r] = false; zero++; }
            else left++;
        }
        if (zero > 0) warnings.Add($"{zero} rows with weight {name} = 0 dropped");
        if (left == 0) throw new EstimationException($"empty sample: every row left for '{f.Source}' has weight {name} = 0");
    }

    /// <summary>
    /// The largest magnitude a model variable may take: cross-products and sandwich meats multiply up to
    /// four values and sum over observations, so |v| ≤ 1e60 keeps them below 1e250 with room for 1e50 rows,
    /// and the variances (of order 1/v²) far from underflow. Larger cells are refused, naming the cell,
    /// rather than overflowing into a false collinearity or a crash.
    /// </summary>
    internal const double MaxMagnitude = 1e60;

    internal static void CheckMagnitude(Panel panel, List<int> rows, IEnumerable<(string Name, double[] Values)> terms)
    {
        foreach (var (name, values) in terms)
            foreach (int r in rows)
            {
                double v = values[r];
                if (Math.Abs(v) > MaxMagnitude)
                    throw new InputException($"{panel.Frame.Where(r)}{(panel.IsPanel ? $" ({panel.UnitColumn} '{panel.UnitLabels[panel.UnitCode[r]]}', {panel.TimeColumn} {panel.Time[r]})" : "")}: " +
                        $"'{name}' is {v.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)}, too large to estimate with (|value| above 1e60 overflows the cross-products); " +
                        "correct the cell or rescale the variable (e.g. to millions, or take its log)");
            }
    }

    /// <summary>Level codes of a factor (one column, or an interaction of columns), −1 where any part is missing.</summary>
    internal static (int[] Codes, int Levels) Keys(Panel panel, IReadOnlyList<string> columns)
    {
        var first = panel.Codes(columns[0]);
        if (columns.Count == 1) return first;
        var combined = new long[panel.RowCount];
        for (int r = 0; r < combined.Length; r++) combined[r] = first.Codes[r];
        for (int c = 1; c < columns.Count; c++)
        {
            var (codes, levels) = panel.Codes(columns[c]);
            for (int r = 0; r < combined.Length; r++)
                combined[r] = combined[r] < 0 || codes[r] < 0 ? -1 : checked(combined[r] * levels + codes[r]);
        }
        var map = new Dictionary<long, int>();
        var result = new int[combined.Length];
        for (int r = 0; r < result.Length; r++)
        {
            if (combined[r] < 0) { result[r] = -1; continue; }
            if (!map.TryGetValue(combined[r], out int k)) { k = map.Count; map[combined[r]] = k; }
            result[r] = k;
        }
        return (result, map.Count);
    }

    /// <summary>Compact codes 0..L−1 over the sample rows (in order of first appearance).</summary>
    /// <summary>Codes 0..T−1 of the rows' periods, ranked among the distinct periods of <paramref name="rows"/> (gaps in time are not counted).</summary>
    internal static int[] PeriodCodes(long[] time, List<int> rows)
    {
        var periods = new SortedSet<long>();
        foreach (int r in rows) periods.Add(time[r]);
        var rank = new Dictionary<long, int>(periods.Count);
        foreach (long t in periods) rank[t] = rank.Count;
        var codes = new int[rows.Count];
        for (int i = 0; i < codes.Length; i++) codes[i] = rank[time[rows[i]]];
        return codes;
    }

    /// <summary>Codes 0..G−1 of the rows' units, in order of first appearance.</summary>
    internal static int[] UnitCodes(int[] unitCode, List<int> rows)
    {
        var map = new Dictionary<int, int>();
        var codes = new int[rows.Count];
        for (int i = 0; i < codes.Length; i++)
        {
            if (!map.TryGetValue(unitCode[rows[i]], out int c)) map[unitCode[rows[i]]] = c = map.Count;
            codes[i] = c;
        }
        return codes;
    }

    internal static int[] Codes((int[] Codes, int Levels) keys, List<int> rows)
    {
        // All rows kept: the panel's cached codes are already compact and in first-appearance order.
        if (rows.Count == keys.Codes.Length) return keys.Codes;
        var map = new int[keys.Levels];
        Array.Fill(map, -1);
        int next = 0;
        var codes = new int[rows.Count];
        var src = keys.Codes;
        for (int i = 0; i < codes.Length; i++)
        {
            int k = src[rows[i]];
            if (map[k] < 0) map[k] = next++;
            codes[i] = map[k];
        }
        return codes;
    }
}
