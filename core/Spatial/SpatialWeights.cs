using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace DigitalEconomy.Core.Spatial;

/// <summary>
/// A spatial weight matrix W over named units, stored sparse (compressed rows: for row i the columns
/// <c>ColumnIndex[RowStart[i] .. RowStart[i+1]]</c> with their <c>Values</c>). Units are identified by NAME, never
/// by position: <see cref="AlignTo"/> reorders W to a panel's units and refuses one whose names differ.
/// Row-standardisation (each row divided by its sum, so W·1 = 1) is the default of every factory; a unit with no
/// neighbour (an all-zero row) is refused, because a row-standardised W needs a positive row sum.
/// Conventions (docs/methods.md, "Spatial panels"): the diagonal must be zero; weights must be finite and ≥ 0.
/// </summary>
public sealed class SpatialWeights
{
    private Complex[]? _eigen;

    private SpatialWeights(string[] names, int[] rowStart, int[] columnIndex, double[] values, double[] rawValues, bool rowStandardised, bool symmetricBase)
    {
        RawValues = rawValues;
        Names = names;
        RowStart = rowStart;
        ColumnIndex = columnIndex;
        Values = values;
        RowStandardised = rowStandardised;
        SymmetricBase = symmetricBase;
    }

    /// <summary>The units, in W's row (and column) order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Number of units.</summary>
    public int N => Names.Count;

    /// <summary>Row i's entries are at positions RowStart[i] .. RowStart[i+1]−1 (length N+1).</summary>
    public int[] RowStart { get; }

    /// <summary>Column of each stored entry (ascending within a row).</summary>
    public int[] ColumnIndex { get; }

    /// <summary>Value of each stored entry.</summary>
    public double[] Values { get; }

    /// <summary>The entries as given, before row-standardisation (same positions as <see cref="Values"/>): with <see cref="FromEdges"/> they rebuild this W exactly.</summary>
    public double[] RawValues { get; }

    /// <summary>The nonzero entries as given (row unit, column unit, weight before standardisation), row by row.</summary>
    public IEnumerable<(string From, string To, double Weight)> RawEdges()
    {
        for (int i = 0; i < N; i++)
            for (int k = RowStart[i]; k < RowStart[i + 1]; k++) yield return (Names[i], Names[ColumnIndex[k]], RawValues[k]);
    }

    /// <summary>True when each row sums to one (W·1 = 1).</summary>
    public bool RowStandardised { get; }

    /// <summary>
    /// True when W is D⁻¹B with B symmetric (a row-standardised symmetric matrix, or a symmetric one): its
    /// eigenvalues are then those of the symmetric matrix D^-1/2 B D^-1/2, real, computed by a symmetric solver.
    /// </summary>
    public bool SymmetricBase { get; }

    /// <summary>Number of nonzero entries.</summary>
    public int NonZeros => Values.Length;

    /// <summary>
    /// W from a named unit × unit table: <paramref name="values"/>[i, j] is the weight of column unit j in row unit i.
    /// The column names must be the row names (in any order). Rows are row-standardised unless
    /// <paramref name="rowStandardise"/> is false.
    /// </summary>
    /// <exception cref="InputException">Duplicate or mismatched names, a nonzero diagonal, a negative or non-finite
    /// weight, or (row-standardising) a unit without neighbours — one line naming them.</exception>
    public static SpatialWeights FromMatrix(IReadOnlyList<string> rowNames, IReadOnlyList<string> columnNames, double[,] values, bool rowStandardise = true)
    {
        ArgumentNullException.ThrowIfNull(rowNames);
        ArgumentNullException.ThrowIfNull(columnNames);
        ArgumentNullException.ThrowIfNull(values);
        int n = rowNames.Count;
        if (values.GetLength(0) != n || values.GetLength(1) != columnNames.Count)
            throw new InputException($"weight matrix: {values.GetLength(0)} × {values.GetLength(1)} values for {n} row names and {columnNames.Count} column names");
        CheckUnique(rowNames, "row");
        CheckUnique(columnNames, "column");
        var colPos = columnNames.Select((s, j) => (s, j)).ToDictionary(p => p.s, p => p.j, StringComparer.Ordinal);
        var missing = rowNames.Where(r => !colPos.ContainsKey(r)).ToList();
        var extra = columnNames.Except(rowNames, StringComparer.Ordinal).ToList();
        if (missing.Count > 0 || extra.Count > 0)
            throw new InputException($"weight matrix: the column names are not the row names ({Describe(missing, "rows without a column")}{(missing.Count > 0 && extra.Count > 0 ? "; " : "")}{Describe(extra, "columns without a row")})");
        var edges = new List<(int, int, double)>();
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double v = values[i, colPos[rowNames[j]]];
                if (v != 0 || double.IsNaN(v)) edges.Add((i, j, v));
            }
        return Build([.. rowNames], edges, rowStandardise);
    }

    /// <summary>
    /// W from an edge list (from, to, weight): the weight of unit <c>to</c> in the row of unit <c>from</c>. Units are
    /// those named in <paramref name="units"/> (in that order; a unit may have no edge only when W is not
    /// row-standardised). With <paramref name="symmetric"/> every edge is also entered the other way (an undirected
    /// list such as a contiguity list); an edge given twice is refused.
    /// </summary>
    public static SpatialWeights FromEdges(IReadOnlyList<string> units, IEnumerable<(string From, string To, double Weight)> edges, bool symmetric = false, bool rowStandardise = true)
    {
        ArgumentNullException.ThrowIfNull(units);
        ArgumentNullException.ThrowIfNull(edges);
        CheckUnique(units, "unit");
        var pos = units.Select((s, i) => (s, i)).ToDictionary(p => p.s, p => p.i, StringComparer.Ordinal);
        var list = new List<(int, int, double)>();
        var seen = new HashSet<(int, int)>();
        var unknown = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (from, to, w) in edges)
        {
            if (!pos.TryGetValue(from, out int i)) { unknown.Add(from); continue; }
            if (!pos.TryGetValue(to, out int j)) { unknown.Add(to); continue; }
            foreach (var (a, b) in symmetric && i != j ? new[] { (i, j), (j, i) } : [(i, j)])
            {
                if (!seen.Add((a, b))) throw new InputException($"weight edge list: the edge {units[a]} → {units[b]} is given twice");
                list.Add((a, b, w));
            }
        }
        if (unknown.Count > 0) throw new InputException($"weight edge list: {Describe([.. unknown], "unknown units")}");
        return Build([.. units], list, rowStandardise);
    }

    private static SpatialWeights Build(string[] names, List<(int Row, int Col, double W)> edges, bool rowStandardise)
    {
        int n = names.Length;
        foreach (var (r, c, w) in edges)
        {
            if (!double.IsFinite(w) || w < 0) throw new InputException($"weight matrix: the weight of {names[c]} in the row of {names[r]} is {w}; expected a finite number ≥ 0");
            if (r == c && w != 0) throw new InputException($"weight matrix: the diagonal entry of {names[r]} is {w}; a unit cannot be its own neighbour (expected 0)");
        }
        edges = [.. edges.Where(e => e.W != 0).OrderBy(e => e.Row).ThenBy(e => e.Col)];
        var rowStart = new int[n + 1];
        foreach (var e in edges) rowStart[e.Row + 1]++;
        for (int i = 0; i < n; i++) rowStart[i + 1] += rowStart[i];
        var col = edges.Select(e => e.Col).ToArray();
        var val = edges.Select(e => e.W).ToArray();
        var raw = (double[])val.Clone();
        // Symmetric base: B = W as given is symmetric (then W = D⁻¹B after standardising).
        var lookup = new Dictionary<(int, int), double>(edges.Count);
        foreach (var e in edges) lookup[(e.Row, e.Col)] = e.W;
        bool symmetric = edges.All(e => lookup.TryGetValue((e.Col, e.Row), out double t) && t == e.W);
        if (rowStandardise)
        {
            var isolated = Enumerable.Range(0, n).Where(i => rowStart[i + 1] == rowStart[i]).Select(i => names[i]).ToList();
            if (isolated.Count > 0)
                throw new InputException($"weight matrix: {Describe(isolated, "units without any neighbour")}; a row-standardised W needs at least one neighbour per unit (add one, or drop the unit from the panel and from W)");
            for (int i = 0; i < n; i++)
            {
                double s = 0;
                for (int k = rowStart[i]; k < rowStart[i + 1]; k++) s += val[k];
                for (int k = rowStart[i]; k < rowStart[i + 1]; k++) val[k] /= s;
            }
        }
        var result = new SpatialWeights(names, rowStart, col, val, raw, rowStandardise, symmetric);
        if (symmetric && rowStandardise) result._symmetricScale = RowSums(names.Length, rowStart, edges.Select(e => e.W).ToArray());
        return result;
    }

    private double[]? _symmetricScale;

    private static double[] RowSums(int n, int[] rowStart, double[] raw)
    {
        var d = new double[n];
        for (int i = 0; i < n; i++)
            for (int k = rowStart[i]; k < rowStart[i + 1]; k++) d[i] += raw[k];
        return d;
    }

    /// <summary>
    /// W reordered to <paramref name="units"/> (a panel's unit labels), matched by name. Every unit of the panel must
    /// be in W and every unit of W in the panel; otherwise one line names those missing on each side.
    /// </summary>
    public SpatialWeights AlignTo(IReadOnlyList<string> units, string what = "W")
    {
        ArgumentNullException.ThrowIfNull(units);
        var pos = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < N; i++) pos[Names[i]] = i;
        var notInW = units.Where(u => !pos.ContainsKey(u)).ToList();
        var unitSet = new HashSet<string>(units, StringComparer.Ordinal);
        var notInPanel = Names.Where(u => !unitSet.Contains(u)).ToList();
        if (notInW.Count > 0 || notInPanel.Count > 0)
            throw new InputException($"{what}: its units do not match the panel's ({Describe(notInW, "panel units not in W")}{(notInW.Count > 0 && notInPanel.Count > 0 ? "; " : "")}{Describe(notInPanel, "W units not in the panel")}); W is matched by unit name, never by position");
        if (units.Select((u, i) => pos[u] == i).All(b => b)) return this;
        var perm = units.Select(u => pos[u]).ToArray(); // new i ← old perm[i]
        var inv = new int[N];
        for (int i = 0; i < N; i++) inv[perm[i]] = i;
        var rowStart = new int[N + 1];
        var col = new int[NonZeros];
        var val = new double[NonZeros];
        var raw = new double[NonZeros];
        int p = 0;
        for (int i = 0; i < N; i++)
        {
            int old = perm[i];
            var entries = Enumerable.Range(RowStart[old], RowStart[old + 1] - RowStart[old]).Select(k => (C: inv[ColumnIndex[k]], V: Values[k], R: RawValues[k])).OrderBy(e => e.C);
            foreach (var (c, v, r) in entries) { col[p] = c; val[p] = v; raw[p] = r; p++; }
            rowStart[i + 1] = p;
        }
        var w = new SpatialWeights([.. units], rowStart, col, val, raw, RowStandardised, SymmetricBase);
        if (_symmetricScale is not null) w._symmetricScale = perm.Select(o => _symmetricScale[o]).ToArray();
        w._eigen = _eigen; // eigenvalues do not depend on the order
        return w;
    }

    /// <summary>result = W·x (one period's vector of N values).</summary>
    public void Multiply(ReadOnlySpan<double> x, Span<double> result)
    {
        for (int i = 0; i < N; i++)
        {
            double s = 0;
            for (int k = RowStart[i]; k < RowStart[i + 1]; k++) s += Values[k] * x[ColumnIndex[k]];
            result[i] = s;
        }
    }

    /// <summary>W·x of a stacked panel vector (period outer, unit inner: T blocks of N), block by block: (I_T ⊗ W) x.</summary>
    public double[] Lag(double[] stacked)
    {
        ArgumentNullException.ThrowIfNull(stacked);
        if (stacked.Length % N != 0) throw new ArgumentException("length is not a multiple of N", nameof(stacked));
        var r = new double[stacked.Length];
        for (int t = 0; t < stacked.Length / N; t++) Multiply(stacked.AsSpan(t * N, N), r.AsSpan(t * N, N));
        return r;
    }

    /// <summary>W as a dense N × N array.</summary>
    public double[,] Dense()
    {
        var d = new double[N, N];
        for (int i = 0; i < N; i++)
            for (int k = RowStart[i]; k < RowStart[i + 1]; k++) d[i, ColumnIndex[k]] = Values[k];
        return d;
    }

    /// <summary>
    /// The eigenvalues of W. For W = D⁻¹B with B symmetric they are those of D^-1/2 B D^-1/2 (real, symmetric
    /// solver, as spdep's and splm's "eigen" method); otherwise those of W from the general solver (MathNet's
    /// EVD), possibly complex in conjugate pairs. Computed once.
    /// </summary>
    public IReadOnlyList<Complex> Eigenvalues()
    {
        if (_eigen is not null) return _eigen;
        // One computation per instance even when blocks of draws sharing this W ask at once.
        lock (_gate) return _eigen ??= ComputeEigenvalues();
    }

    private readonly Lock _gate = new();

    private Complex[] ComputeEigenvalues()
    {
        Complex[] eigen;
        if (SymmetricBase)
        {
            var s = new double[N, N];
            for (int i = 0; i < N; i++)
                for (int k = RowStart[i]; k < RowStart[i + 1]; k++)
                {
                    int j = ColumnIndex[k];
                    // W_ij = B_ij / d_i ⇒ (D^1/2 W D^-1/2)_ij = B_ij / sqrt(d_i d_j); without standardising W = B.
                    s[i, j] = _symmetricScale is null ? Values[k] : Values[k] * Math.Sqrt(_symmetricScale[i] / _symmetricScale[j]);
                }
            for (int i = 0; i < N; i++)
                for (int j = 0; j < i; j++) { double m = 0.5 * (s[i, j] + s[j, i]); s[i, j] = m; s[j, i] = m; }
            eigen = [.. Numerics.Dense.SymmetricEigenvalues(s).Select(v => new Complex(v, 0))];
        }
        else
        {
            var evd = Matrix<double>.Build.DenseOfArray(Dense()).Evd(Symmetricity.Asymmetric);
            eigen = [.. evd.EigenValues.OrderBy(c => c.Real).ThenBy(c => c.Imaginary)];
        }
        return eigen;
    }

    /// <summary>The real eigenvalues' extremes (ω_min, ω_max): those of the real parts' range of the real eigenvalues.</summary>
    public (double Min, double Max) EigenRange()
    {
        var real = Eigenvalues().Where(IsReal).Select(c => c.Real).ToList();
        return (real.Min(), real.Max());
    }

    /// <summary>
    /// The admissible interval of a spatial coefficient a (I − aW nonsingular with a positive determinant on the
    /// path from 0): (1/ω_min, 1/ω_max), from the extreme real eigenvalues (ω_min &lt; 0 &lt; ω_max).
    /// </summary>
    public (double Lower, double Upper) Interval()
    {
        var (lo, hi) = EigenRange();
        if (!(lo < 0) || !(hi > 0)) throw new InputException($"weight matrix: its real eigenvalues span [{lo:g6}, {hi:g6}]; a spatial coefficient needs ω_min < 0 < ω_max");
        return (1 / lo, 1 / hi);
    }

    /// <summary>log|I − aW| = Σ log(1 − aω) over the eigenvalues (a conjugate pair contributes log|1 − aω|²).</summary>
    public double LogDet(double a)
    {
        double s = 0;
        foreach (var w in Eigenvalues())
        {
            if (IsReal(w)) s += Math.Log(1 - a * w.Real);
            else if (w.Imaginary > 0) s += Math.Log((1 - a * w).Magnitude * (1 - a * w).Magnitude);
        }
        return s;
    }

    /// <summary>d/da log|I − aW| = −Σ ω/(1 − aω) = −tr(W(I − aW)⁻¹) (real part).</summary>
    public double LogDetDerivative(double a)
    {
        double s = 0;
        foreach (var w in Eigenvalues()) s -= (w / (1 - a * w)).Real;
        return s;
    }

    /// <summary>tr((I − aW)⁻¹) and tr(W(I − aW)⁻¹) from the eigenvalues (the direct impacts' traces).</summary>
    public (double TraceA, double TraceWA) Traces(double a)
    {
        double ta = 0, twa = 0;
        foreach (var w in Eigenvalues()) { ta += (1 / (1 - a * w)).Real; twa += (w / (1 - a * w)).Real; }
        return (ta, twa);
    }

    internal static bool IsReal(Complex c) => Math.Abs(c.Imaginary) <= 1e-10 * Math.Max(1, c.Magnitude);

    private static void CheckUnique(IReadOnlyList<string> names, string what)
    {
        var dup = names.GroupBy(s => s, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (dup.Count > 0) throw new InputException($"weight matrix: {Describe(dup, $"{what} names given more than once")}");
    }

    internal static string Describe(IReadOnlyList<string> names, string what) =>
        names.Count == 0 ? "" : $"{names.Count} {what}: {string.Join(", ", names.Take(8))}{(names.Count > 8 ? $", … ({names.Count - 8} more)" : "")}";
}
