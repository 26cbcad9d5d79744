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
    public required int UnitCount { get; init; }
    public required List<string> Warnings { get; init; }

    public static ModelData Build(Panel panel, Formula f, EstimationOptions o)
    {
        var warnings = new List<string>();
        var y = f.Response.Evaluate(panel);
        var x = f.Regressors.Select(e => e.Evaluate(panel)).ToList();
        var en = f.Endogenous.Select(e => e.Evaluate(panel)).ToList();
        var inst = f.Instruments.Select(e => e.Evaluate(panel)).ToList();
        var feKeys = f.FixedEffects.Select(fe => Keys(panel, fe.Columns)).ToList();
        var clKeys = o.Vcov.Kind == VcovKind.Cluster ? o.Vcov.ClusterColumns.Select(c => Keys(panel, [c])).ToList() : [];
        int n = panel.RowCount;
        var keep = new bool[n];
        var inFilter = new bool[n];
        Array.Fill(inFilter, true);
        foreach (var filter in o.Filters)
        {
            var pass = new bool[n];
            foreach (int r in filter.Apply(panel.Frame)) pass[r] = true;
            for (int r = 0; r < n; r++) inFilter[r] &= pass[r];
        }
        int filtered = inFilter.Count(b => !b);
        if (filtered == n)
            throw new InputException($"empty sample: no row passes the filter{(o.Filters.Count > 1 ? "s" : "")} {string.Join(" and ", o.Filters.Select(x => $"'{x.Text}'"))}");
        int firstDropped = -1;
        for (int r = 0; r < n; r++)
        {
            bool ok = !double.IsNaN(y[r]) && x.All(c => !double.IsNaN(c[r])) && en.All(c => !double.IsNaN(c[r])) && inst.All(c => !double.IsNaN(c[r]))
                      && feKeys.All(k => k[r] is not null) && clKeys.All(k => k[r] is not null);
            keep[r] = ok && inFilter[r];
            if (!ok && inFilter[r] && firstDropped < 0) firstDropped = r;
        }
        int dropped = keep.Count(b => !b) - filtered;
        if (filtered > 0) warnings.Add($"{filtered} of {n} rows excluded by the filter{(o.Filters.Count > 1 ? "s" : "")}");
        if (dropped == n - filtered)
            throw new EstimationException($"empty sample: no row left with every variable of '{f.Source}' observed ({n - filtered} rows after filters)");
        if (dropped > 0)
            warnings.Add($"{dropped} of {n - filtered} rows dropped for missing values or lags outside the sample (first at {panel.Describe(firstDropped)})");
        if (o.DropSingletons && feKeys.Count > 0)
        {
            int singletons = 0;
            bool changed = true;
            while (changed)
            {
                changed = false;
                foreach (var keys in feKeys)
                {
                    var count = new Dictionary<string, int>(StringComparer.Ordinal);
                    for (int r = 0; r < n; r++) if (keep[r]) count[keys[r]!] = count.GetValueOrDefault(keys[r]!) + 1;
                    for (int r = 0; r < n; r++)
                        if (keep[r] && count[keys[r]!] == 1) { keep[r] = false; singletons++; changed = true; }
                }
            }
            if (singletons > 0) warnings.Add($"{singletons} singleton observations dropped (alone in a fixed-effect group)");
        }
        var rows = new List<int>(n);
        for (int r = 0; r < n; r++) if (keep[r]) rows.Add(r);
        if (rows.Count == 0) throw new EstimationException($"empty sample after dropping singletons for '{f.Source}'");
        double[] Pick(double[] v) { var a = new double[rows.Count]; for (int i = 0; i < a.Length; i++) a[i] = v[rows[i]]; return a; }
        var unit = new int[rows.Count];
        var unitMap = new Dictionary<int, int>();
        for (int i = 0; i < rows.Count; i++)
        {
            int u = panel.UnitCode[rows[i]];
            if (!unitMap.TryGetValue(u, out int c)) { c = unitMap.Count; unitMap[u] = c; }
            unit[i] = c;
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
            ClusterNames = [.. o.Vcov.ClusterColumns],
            Unit = unit,
            UnitCount = unitMap.Count,
            Warnings = warnings,
        };
    }

    private static string?[] Keys(Panel panel, IReadOnlyList<string> columns)
    {
        var cols = columns.Select(c => panel.Frame[c]).ToArray();
        var keys = new string?[panel.RowCount];
        for (int r = 0; r < keys.Length; r++)
        {
            if (cols.Length == 1) { keys[r] = cols[0].TextAt(r); continue; }
            var parts = new string?[cols.Length];
            bool missing = false;
            for (int c = 0; c < cols.Length; c++) { parts[c] = cols[c].TextAt(r); missing |= parts[c] is null; }
            keys[r] = missing ? null : string.Join("\u001f", parts);
        }
        return keys;
    }

    private static int[] Codes(string?[] keys, List<int> rows)
    {
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        var codes = new int[rows.Count];
        for (int i = 0; i < codes.Length; i++)
        {
            var k = keys[rows[i]]!;
            if (!map.TryGetValue(k, out int c)) { c = map.Count; map[k] = c; }
            codes[i] = c;
        }
        return codes;
    }
}
