using DigitalEconomy.Core.Data;
using DigitalEconomy.Core.Formulas;
using DigitalEconomy.Core.Numerics;
using DigitalEconomy.Core.Regression;

namespace DigitalEconomy.Core.Threshold;

/// <summary>
/// The sample of a threshold model, prepared once: raw q, z on the sample rows (all rows of every unit in the sample),
/// the unit codes, which rows the transform keeps, the absorber of the unit fixed effects, and the transformed y, x and
/// z on the used rows (full within: every row; Hansen's variant: all but each unit's last period).
/// </summary>
internal sealed class ThresholdData
{
    private ThresholdData() { }

    public required Panel Panel { get; init; }
    public required ThresholdSpec Spec { get; init; }

    /// <summary>Panel row of each sample row.</summary>
    public required int[] Rows { get; init; }

    /// <summary>Sample rows.</summary>
    public int N => Rows.Length;

    /// <summary>Unit code (0..G−1, compact over the sample) of each sample row.</summary>
    public required int[] Unit { get; init; }

    public required int Units { get; init; }

    /// <summary>Sample rows per unit (Tᵢ).</summary>
    public required int[] UnitRows { get; init; }

    /// <summary>Used rows per unit (Tᵢ or Tᵢ − 1).</summary>
    public required int[] UnitUsed { get; init; }

    /// <summary>Whether the transform keeps each sample row.</summary>
    public required bool[] Keep { get; init; }

    /// <summary>Used-row index of each sample row (−1 when dropped).</summary>
    public required int[] UsedIndex { get; init; }

    /// <summary>Sample row of each used row.</summary>
    public required int[] UsedRows { get; init; }

    public int NUsed => UsedRows.Length;

    public required Absorber Absorber { get; init; }

    private int[]? _sortedByQ;

    /// <summary>The sample rows sorted by q (stable: ties in row order), computed once.</summary>
    public int[] SortedByQ => _sortedByQ ??= [.. Enumerable.Range(0, N).OrderBy(i => Q[i])];

    /// <summary>The threshold variable on the sample rows.</summary>
    public required double[] Q { get; init; }

    /// <summary>The regime-dependent terms on the sample rows (raw).</summary>
    public required double[][] Z { get; init; }

    /// <summary>Transformed response (used rows).</summary>
    public required double[] Y { get; init; }

    /// <summary>Transformed regime-independent regressors (used rows).</summary>
    public required double[][] X { get; init; }

    /// <summary>Transformed regime terms over all regimes (used rows).</summary>
    public required double[][] ZAll { get; init; }

    public required string[] XNames { get; init; }
    public required string[] ZNames { get; init; }

    public bool Full => Spec.Options.Transform == ThresholdTransform.FullWithin;

    /// <summary>The within transform of a raw sample-length column, on the used rows.</summary>
    public double[] Transform(double[] raw) => TransformWith(Absorber, Full, UsedRows, raw);

    /// <summary>D S' v: a used-row vector put back on the sample rows (zeros on dropped rows), then unit-demeaned.</summary>
    public double[] Spread(double[] used)
    {
        if (Full) return used;
        var full = new double[N];
        for (int i = 0; i < used.Length; i++) full[UsedRows[i]] = used[i];
        return Absorber.Demean(full);
    }

    /// <summary>z ⊙ 1{lo ≤ q &lt; hi} on the sample rows.</summary>
    public double[] Piece(int term, double lo, double hi)
    {
        var z = Z[term];
        var r = new double[N];
        for (int i = 0; i < r.Length; i++) if (Q[i] >= lo && Q[i] < hi) r[i] = z[i];
        return r;
    }

    /// <summary>Prepares the sample of <paramref name="spec"/> on <paramref name="panel"/>.</summary>
    /// <exception cref="InputException">A formula the model cannot take, unknown columns, too few rows.</exception>
    public static ThresholdData Build(Panel panel, ThresholdSpec spec)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(spec);
        var f = spec.Formula;
        var o = spec.Options;
        if (!panel.IsPanel) throw new InputException(Panel.NeedsPanel("the threshold model"));
        if (f.IsIv) throw new InputException($"the threshold model takes no IV part: '{f.Source}'");
        if (f.FixedEffects.Count > 1 || (f.FixedEffects.Count == 1 && !(f.FixedEffects[0].Columns.Count == 1 && f.FixedEffects[0].Columns[0] == panel.UnitColumn)))
            throw new InputException($"the threshold model absorbs the unit fixed effects only: write '| {panel.UnitColumn}' or nothing after the regressors in '{f.Source}'");
        if (spec.Regime.Count == 0) throw new InputException("--regime: give at least one regime-dependent term");
        if (o.Thresholds < 1) throw new InputException($"--thresholds: expected a whole number ≥ 1, got {o.Thresholds}");
        if (o.GridPoints < 0) throw new InputException($"--grid: expected 0 (every distinct value) or a number of quantiles ≥ 1, got {o.GridPoints}");
        if (!o.Trim.IsDefaultOrEmpty && o.Trim.Any(t => !(t >= 0 && t < 0.5)))
            throw new InputException($"--trim: expected fractions in [0, 0.5), got {string.Join(",", o.Trim)}");
        if (!(o.Level > 0 && o.Level < 1)) throw new InputException($"--level: expected a confidence level in (0, 1), got {o.Level}");

        var y = f.Response.Evaluate(panel);
        var x = f.Regressors.Select(e => e.Evaluate(panel)).ToArray();
        var z = spec.Regime.Select(e => e.Evaluate(panel)).ToArray();
        var q = spec.ThresholdVariable.Evaluate(panel);
        var rows = new List<int>(panel.RowCount);
        for (int r = 0; r < panel.RowCount; r++)
        {
            if (!double.IsFinite(y[r]) || !double.IsFinite(q[r])) continue;
            if (x.Any(c => !double.IsFinite(c[r])) || z.Any(c => !double.IsFinite(c[r]))) continue;
            rows.Add(r);
        }
        int n = rows.Count;
        // Compact unit codes over the sample (panel rows are sorted by unit, then time).
        var unit = new int[n];
        var map = new Dictionary<int, int>();
        for (int i = 0; i < n; i++)
        {
            int u = panel.UnitCode[rows[i]];
            if (!map.TryGetValue(u, out int c)) { c = map.Count; map[u] = c; }
            unit[i] = c;
        }
        int g = map.Count;
        var unitRows = new int[g];
        foreach (int u in unit) unitRows[u]++;
        var keep = new bool[n];
        for (int i = 0; i < n; i++)
            // Hansen's variant deletes each unit's last period after demeaning (rows are sorted by time within unit).
            keep[i] = o.Transform == ThresholdTransform.FullWithin || i + 1 < n && unit[i + 1] == unit[i];
        var usedIndex = new int[n];
        var usedRows = new List<int>(n);
        var unitUsed = new int[g];
        for (int i = 0; i < n; i++)
        {
            usedIndex[i] = keep[i] ? usedRows.Count : -1;
            if (keep[i]) { usedRows.Add(i); unitUsed[unit[i]]++; }
        }
        int kx = x.Length, kz = z.Length;
        int kMax = kx + kz * (o.Thresholds + 1);
        if (usedRows.Count - g * (o.Transform == ThresholdTransform.FullWithin ? 1 : 0) <= kMax)
            throw new InputException($"the threshold model with {o.Thresholds} threshold(s) needs more than {kMax} rows after the within transform; the sample has {usedRows.Count} rows in {g} units");
        double[] Pick(double[] col) { var r = new double[n]; for (int i = 0; i < n; i++) r[i] = col[rows[i]]; return r; }
        var absorber = new Absorber([unit]);
        var used = usedRows.ToArray();
        bool full = o.Transform == ThresholdTransform.FullWithin;
        double[] Tr(double[] raw) => TransformWith(absorber, full, used, raw);
        var zs = z.Select(Pick).ToArray();
        return new ThresholdData
        {
            Panel = panel,
            Spec = spec,
            Rows = [.. rows],
            Unit = unit,
            Units = g,
            UnitRows = unitRows,
            UnitUsed = unitUsed,
            Keep = keep,
            UsedIndex = usedIndex,
            UsedRows = used,
            Absorber = absorber,
            Q = Pick(q),
            Z = zs,
            Y = Tr(Pick(y)),
            X = [.. x.Select(c => Tr(Pick(c)))],
            ZAll = [.. zs.Select(Tr)],
            XNames = [.. f.Regressors.Select(e => e.Text)],
            ZNames = [.. spec.Regime.Select(e => e.Text)],
        };
    }

    private static double[] TransformWith(Absorber absorber, bool full, int[] used, double[] raw)
    {
        var d = absorber.Demean(raw);
        if (full) return d;
        var r = new double[used.Length];
        for (int i = 0; i < r.Length; i++) r[i] = d[used[i]];
        return r;
    }

    /// <summary>
    /// Hansen's grid (docs/methods.md): dd = the sorted distinct values of q over the sample rows; the grid is
    /// dd[⌊s·|dd|⌋] (1-based) for s = trim, trim + 1/qn, …, 1 − trim, the sequence built as R's <c>seq(from, to, by)</c>
    /// (from + i·by, i = 0..⌊(to − from)/by + 1e-10⌋, capped at to) so that the grid equals pthr.R's to the last bit;
    /// a position below 1 is left out (as R's indexing does). qn = 0 asks for every distinct value (qn = |dd|).
    /// Duplicated grid points are kept, as in Hansen's code: they change no estimate (the first minimum wins) and
    /// they are part of the position arithmetic of the exclusion rule.
    /// </summary>
    public double[] Grid(out int qn)
    {
        var dd = Q.Distinct().Order().ToArray();
        qn = Spec.Options.GridPoints == 0 ? dd.Length : Spec.Options.GridPoints;
        double trim = Spec.Options.TrimAt(1);
        double qnt = qn * trim;
        double from = trim, by = 1.0 / qn, to = trim + by * (qn - 2 * qnt);
        var s = new List<double>();
        double del = to - from;
        if (Math.Abs(del) / Math.Max(Math.Abs(to), Math.Abs(from)) < 100 * MachineEpsilon) s.Add(from);
        else
        {
            int count = (int)(del / by + 1e-10);
            for (int i = 0; i <= count; i++) s.Add(Math.Min(from + i * by, to));
        }
        var grid = new List<double>(s.Count);
        foreach (double v in s)
        {
            int pos = (int)Math.Floor(v * dd.Length);
            if (pos >= 1 && pos <= dd.Length) grid.Add(dd[pos - 1]);
        }
        if (grid.Count == 0) throw new InputException($"the threshold variable '{Spec.ThresholdVariable.Text}' has {dd.Length} distinct values: no grid point is left after trimming");
        return [.. grid];
    }

    /// <summary>R's .Machine$double.eps (C#'s double.Epsilon is the smallest subnormal, not this).</summary>
    private const double MachineEpsilon = 2.220446049250313e-16;

    /// <summary>The used rows of each unit as index lists (for the bootstrap by unit).</summary>
    public int[][] UsedRowsByUnit()
    {
        var lists = new List<int>[Units];
        for (int u = 0; u < Units; u++) lists[u] = [];
        for (int i = 0; i < NUsed; i++) lists[Unit[UsedRows[i]]].Add(i);
        return [.. lists.Select(l => l.ToArray())];
    }

    /// <summary>Dot product with the code base's one summation order.</summary>
    public static double Dot(double[] a, double[] b) => ThinQr.Dot(a, b);
}
