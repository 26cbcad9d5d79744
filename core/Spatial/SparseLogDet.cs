using MathNet.Numerics.LinearAlgebra;

namespace DigitalEconomy.Core.Spatial;

/// <summary>
/// The sparse path of the spatial fits for a large W (docs/methods.md, "Sparse log-determinants for large W"): exact
/// log|I − aW| without eigenvalues, solves with I − aW, the traces the information matrix and the impacts need, and
/// W's extreme eigenvalues by Lanczos.
/// <para>
/// The symmetric form: when W = D⁻¹B with B symmetric (a row-standardised symmetric matrix: contiguity, distance and
/// economic matrices; or W symmetric itself), W = D^-1/2 S D^1/2 with S = D^1/2 W D^-1/2 symmetric, so
/// |I − aW| = |I − aS|, and I − aS is symmetric positive definite for a inside the admissible interval:
/// log|I − aW| = 2 Σ log L_ii of its Cholesky factor L. D is found from W itself (<see cref="TryCreate"/>): a row
/// scaling making D·W symmetric, propagated along W's graph (so a W given already row-standardised, such as splm's
/// usaww, qualifies), or the raw row sums when W was standardised here from a symmetric table.
/// </para>
/// <para>
/// The rows are put in reverse Cuthill–McKee order (a fill-reducing order for the banded profile of contiguity-like
/// graphs) and L is computed in that envelope (skyline storage: row i from its first nonzero column), O(n·b²) for a
/// profile of width b, against O(n³) for the eigenvalues. Written by hand because no sparse Cholesky is in the
/// project's packages (MathNet's sparse matrices have no sparse factorisation and no CSparse package is served);
/// exact to rounding, tested against the eigenvalues. One instance is one fit's: it keeps the last factor and is not
/// thread-safe.
/// </para>
/// </summary>
public sealed class SparseLogDet
{
    private readonly SpatialWeights _w;
    private readonly int _n;
    private readonly int[] _order;      // new position p → original unit
    private readonly int[] _pos;        // original unit → new position
    private readonly int[] _first;      // first column of row p's envelope (new order)
    private readonly int[] _start;      // offset of row p's envelope in _work
    private readonly (int Row, int Col, double S)[] _entries; // lower-triangle entries of S in the new order (Row ≥ Col)
    private readonly int[] _sRowStart, _sCol;   // S in the original order (compressed rows, same pattern as W)
    private readonly double[] _sVal;
    private readonly double[] _d;       // W = D^-1/2 S D^1/2
    private readonly double[] _work;
    private double _factorAt = double.NaN;
    private bool _factorOk;
    private readonly List<(double A, SparseTraces T)> _traces = [];
    private (double Min, double Max)? _range;

    /// <summary>Prepares the ordering and envelope of <paramref name="w"/>.</summary>
    /// <exception cref="ArgumentException">W is not D⁻¹B with B symmetric.</exception>
    public SparseLogDet(SpatialWeights w)
        : this(w ?? throw new ArgumentNullException(nameof(w)), Scale(w) ?? throw new ArgumentException("the sparse log-determinant needs W = D⁻¹B with B symmetric", nameof(w)))
    {
    }

    /// <summary>The sparse path for <paramref name="w"/>, or null when W is not D⁻¹B with B symmetric (then it has no symmetric form).</summary>
    public static SparseLogDet? TryCreate(SpatialWeights w)
    {
        ArgumentNullException.ThrowIfNull(w);
        return Scale(w) is { } d ? new SparseLogDet(w, d) : null;
    }

    private SparseLogDet(SpatialWeights w, double[] d)
    {
        _w = w;
        _n = w.N;
        _d = d;
        // S_ij = W_ij·sqrt(d_i/d_j), symmetrised by averaging with S_ji (they differ by rounding only).
        _sRowStart = w.RowStart;
        _sCol = w.ColumnIndex;
        var raw = new double[w.NonZeros];
        for (int i = 0; i < _n; i++)
            for (int k = w.RowStart[i]; k < w.RowStart[i + 1]; k++) raw[k] = w.Values[k] * Math.Sqrt(d[i] / d[w.ColumnIndex[k]]);
        _sVal = new double[raw.Length];
        for (int i = 0; i < _n; i++)
            for (int k = w.RowStart[i]; k < w.RowStart[i + 1]; k++) _sVal[k] = 0.5 * (raw[k] + raw[Find(w, w.ColumnIndex[k], i)]);
        _order = ReverseCuthillMcKee(w);
        _pos = new int[_n];
        for (int p = 0; p < _n; p++) _pos[_order[p]] = p;
        var entries = new List<(int, int, double)>();
        _first = new int[_n];
        for (int p = 0; p < _n; p++) _first[p] = p;
        for (int i = 0; i < _n; i++)
            for (int k = w.RowStart[i]; k < w.RowStart[i + 1]; k++)
            {
                var (r, c) = (_pos[i], _pos[w.ColumnIndex[k]]);
                if (r < c) continue; // the lower triangle only (S is symmetric)
                entries.Add((r, c, _sVal[k]));
                if (c < _first[r]) _first[r] = c;
            }
        _entries = [.. entries];
        _start = new int[_n + 1];
        for (int p = 0; p < _n; p++) _start[p + 1] = _start[p] + (p - _first[p] + 1);
        _work = new double[_start[_n]];
    }

    /// <summary>Number of stored envelope entries (the profile): the memory and the work of one factorisation.</summary>
    public int Profile => _start[_n];

    /// <summary>
    /// The scaling d with W = D^-1/2 S D^1/2, S symmetric, or null. W standardised here from a symmetric table: d = the
    /// raw row sums (exact). Otherwise d is propagated along W's graph from d = 1 at the first unit of each component,
    /// d_j = d_i·W_ij/W_ji, and every entry must then satisfy d_i·W_ij = d_j·W_ji to 1e-10 relative (a symmetric
    /// pattern is needed). Any positive d per component serves: the similarity does not depend on its scale.
    /// </summary>
    private static double[]? Scale(SpatialWeights w)
    {
        int n = w.N;
        var d = new double[n];
        if (w.SymmetricBase)
        {
            for (int i = 0; i < n; i++)
            {
                if (!w.RowStandardised) { d[i] = 1; continue; }
                for (int k = w.RowStart[i]; k < w.RowStart[i + 1]; k++) d[i] += w.RawValues[k];
            }
            return d;
        }
        Array.Fill(d, double.NaN);
        var queue = new Queue<int>();
        for (int root = 0; root < n; root++)
        {
            if (!double.IsNaN(d[root])) continue;
            d[root] = 1;
            queue.Enqueue(root);
            while (queue.Count > 0)
            {
                int i = queue.Dequeue();
                for (int k = w.RowStart[i]; k < w.RowStart[i + 1]; k++)
                {
                    int j = w.ColumnIndex[k];
                    int back = Find(w, j, i);
                    if (back < 0) return null; // W_ij ≠ 0 but W_ji = 0: no symmetric form
                    double dj = d[i] * w.Values[k] / w.Values[back];
                    if (double.IsNaN(d[j])) { d[j] = dj; queue.Enqueue(j); }
                    else if (Math.Abs(d[j] - dj) > 1e-10 * d[j]) return null;
                }
            }
        }
        return d;
    }

    /// <summary>The position of W_ij among the stored entries, or −1.</summary>
    private static int Find(SpatialWeights w, int i, int j)
    {
        int k = Array.BinarySearch(w.ColumnIndex, w.RowStart[i], w.RowStart[i + 1] - w.RowStart[i], j);
        return k >= 0 ? k : -1;
    }

    /// <summary>log|I − aW|; NaN when I − aS is not positive definite (a outside the admissible interval).</summary>
    public double LogDet(double a) => Factor(a);

    /// <summary>Factors I − aS (kept for the solves) and returns log|I − aW|, or NaN when it is not positive definite.</summary>
    private double Factor(double a)
    {
        var v = _work;
        Array.Clear(v);
        for (int p = 0; p < _n; p++) v[_start[p] + (p - _first[p])] = 1;
        foreach (var (r, c, s) in _entries) v[_start[r] + (c - _first[r])] -= a * s;
        _factorAt = a;
        _factorOk = false;
        double logDet = 0;
        for (int i = 0; i < _n; i++)
        {
            int fi = _first[i], si = _start[i];
            for (int j = fi; j <= i; j++)
            {
                int fj = _first[j], sj = _start[j];
                double sum = v[si + (j - fi)];
                for (int k = Math.Max(fi, fj); k < j; k++) sum -= v[si + (k - fi)] * v[sj + (k - fj)];
                if (j < i) v[si + (j - fi)] = sum / v[sj + (j - fj)];
                else
                {
                    if (!(sum > 0)) return double.NaN;
                    double l = Math.Sqrt(sum);
                    v[si + (j - fi)] = l;
                    logDet += 2 * Math.Log(l);
                }
            }
        }
        _factorOk = true;
        return logDet;
    }

    private void Ensure(double a)
    {
        if (_factorAt.Equals(a) && _factorOk) return;
        if (double.IsNaN(Factor(a))) throw new EstimationException($"spatial panel: I − {a:g6}·W is not positive definite in its symmetric form (outside the admissible interval)");
    }

    /// <summary>y ← (I − aS)⁻¹ y in the new order, in place; entries before <paramref name="from"/> are zero.</summary>
    private void SolvePermuted(double[] y, int from)
    {
        var v = _work;
        for (int p = from; p < _n; p++)
        {
            int fp = _first[p], sp = _start[p];
            double s = y[p];
            for (int k = Math.Max(fp, from); k < p; k++) s -= v[sp + (k - fp)] * y[k];
            y[p] = s / v[sp + (p - fp)];
        }
        for (int p = _n - 1; p >= 0; p--)
        {
            int fp = _first[p], sp = _start[p];
            double x = y[p] / v[sp + (p - fp)];
            y[p] = x;
            if (x == 0) continue;
            for (int k = fp; k < p; k++) y[k] -= v[sp + (k - fp)] * x;
        }
    }

    /// <summary>(I − aS)⁻¹ b in the original order.</summary>
    private double[] SolveS(double a, double[] b)
    {
        Ensure(a);
        var y = new double[_n];
        for (int p = 0; p < _n; p++) y[p] = b[_order[p]];
        SolvePermuted(y, 0);
        var x = new double[_n];
        for (int p = 0; p < _n; p++) x[_order[p]] = y[p];
        return x;
    }

    private void MultiplyS(double[] x, double[] r)
    {
        for (int i = 0; i < _n; i++)
        {
            double s = 0;
            for (int k = _sRowStart[i]; k < _sRowStart[i + 1]; k++) s += _sVal[k] * x[_sCol[k]];
            r[i] = s;
        }
    }

    /// <summary>(I − aW)⁻¹ v = D^-1/2 (I − aS)⁻¹ D^1/2 v (one sparse solve).</summary>
    public double[] SolveW(double a, double[] v)
    {
        ArgumentNullException.ThrowIfNull(v);
        var b = new double[_n];
        for (int i = 0; i < _n; i++) b[i] = Math.Sqrt(_d[i]) * v[i];
        var x = SolveS(a, b);
        for (int i = 0; i < _n; i++) x[i] /= Math.Sqrt(_d[i]);
        return x;
    }

    /// <summary>(I − aW)'⁻¹ v = D^1/2 (I − aS)⁻¹ D^-1/2 v (one sparse solve).</summary>
    public double[] SolveWTransposed(double a, double[] v)
    {
        ArgumentNullException.ThrowIfNull(v);
        var b = new double[_n];
        for (int i = 0; i < _n; i++) b[i] = v[i] / Math.Sqrt(_d[i]);
        var x = SolveS(a, b);
        for (int i = 0; i < _n; i++) x[i] *= Math.Sqrt(_d[i]);
        return x;
    }

    /// <summary>G v with G = W(I − aW)⁻¹: one solve and one product.</summary>
    public double[] ApplyG(double a, double[] v)
    {
        var x = SolveW(a, v);
        var r = new double[_n];
        _w.Multiply(x, r);
        return r;
    }

    /// <summary>G'1 = (I − aW)'⁻¹ W'1 (the two-way Lee–Yu correction of tr(G'G)).</summary>
    public double[] GTransposedOne(double a)
    {
        var wt1 = new double[_n];
        for (int i = 0; i < _n; i++)
            for (int k = _w.RowStart[i]; k < _w.RowStart[i + 1]; k++) wt1[_w.ColumnIndex[k]] += _w.Values[k];
        return SolveWTransposed(a, wt1);
    }

    /// <summary>
    /// The exact traces at a (<see cref="SparseTraces"/>) from n solves, one per column of (I − aS)⁻¹: column j gives
    /// x_j = (I − aS)⁻¹e_j and g_j = S x_j, the column of G_s = S(I − aS)⁻¹ = D^1/2 G D^-1/2 (symmetric), so
    /// tr(A) = Σ x_j[j], tr(G) = Σ g_j[j], tr(G²) = ‖G_s‖²_F and tr(G'G) = Σ_ij g_j[i]²·d_j/d_i — O(n·profile) time and
    /// O(profile) memory, no n × n matrix. The last few results are kept (the derivative, the information matrix and
    /// the impacts ask at the same a).
    /// </summary>
    public SparseTraces Traces(double a)
    {
        foreach (var (at, t) in _traces) if (at.Equals(a)) return t;
        Ensure(a);
        double trA = 0, trG = 0, trGG = 0, trGtG = 0;
        var y = new double[_n];
        var x = new double[_n];
        var g = new double[_n];
        var invD = _d.Select(v => 1 / v).ToArray();
        for (int j = 0; j < _n; j++)
        {
            Array.Clear(y);
            int pj = _pos[j];
            y[pj] = 1;
            SolvePermuted(y, pj);
            for (int p = 0; p < _n; p++) x[_order[p]] = y[p];
            MultiplyS(x, g);
            trA += x[j];
            trG += g[j];
            double ss = 0, sw = 0;
            for (int i = 0; i < _n; i++) { double q = g[i] * g[i]; ss += q; sw += q * invD[i]; }
            trGG += ss;
            trGtG += sw * _d[j];
        }
        var res = new SparseTraces(trA, trG, trGG, trGtG);
        if (_traces.Count >= 4) _traces.RemoveAt(0);
        _traces.Add((a, res));
        return res;
    }

    /// <summary>
    /// SAC's cross traces without dense inverses, with G = W(I − ρW)⁻¹ (this instance's factor at ρ), H = W(I − λW)⁻¹
    /// and R = I − λW (<paramref name="lambdaPath"/>'s factor at λ: a second instance, as both factors are needed at
    /// once), Gd = R G R⁻¹: ‖Gd‖²_F = tr(Gd'Gd), tr(H·Gd) and tr(H'·Gd), column by column: x = R⁻¹e_j, H e_j = W x,
    /// Gd e_j = R G x, and H'e_j = R'⁻¹ W'e_j — three solves per column, O(n·profile), no n × n matrix.
    /// </summary>
    public (double GdFrobenius, double HGd, double HtGd) SacCrossTraces(SparseLogDet lambdaPath, double rho, double lambda)
    {
        ArgumentNullException.ThrowIfNull(lambdaPath);
        double frob = 0, hg = 0, htg = 0;
        var e = new double[_n];
        var col = new double[_n];
        var hcol = new double[_n];
        var wgx = new double[_n];
        for (int j = 0; j < _n; j++)
        {
            Array.Clear(e);
            e[j] = 1;
            var x = lambdaPath.SolveW(lambda, e);
            _w.Multiply(x, hcol);
            var gx = ApplyG(rho, x);
            _w.Multiply(gx, wgx);
            // W'e_j: (W'e_j)_i = W_ji, row j of W.
            Array.Clear(col);
            for (int k = _w.RowStart[j]; k < _w.RowStart[j + 1]; k++) col[_w.ColumnIndex[k]] = _w.Values[k];
            var hrow = lambdaPath.SolveWTransposed(lambda, col);
            for (int i = 0; i < _n; i++)
            {
                double gd = gx[i] - lambda * wgx[i];
                frob += gd * gd;
                hg += hrow[i] * gd;
                htg += hcol[i] * gd;
            }
        }
        return (frob, hg, htg);
    }

    /// <summary>
    /// W's extreme eigenvalues (ω_min, ω_max) by Lanczos on S with full reorthogonalisation (deterministic start vector,
    /// at most 600 steps), stopped when both extreme Ritz values have residual bounds |β_k s_k| ≤ 1e-13. Ritz values lie
    /// inside the spectrum, so an unconverged end gives a slightly narrower, still admissible, interval.
    /// </summary>
    public (double Min, double Max) ExtremeEigenvalues()
    {
        if (_range is { } r) return r;
        int m = Math.Min(_n, 600);
        var basis = new List<double[]>();
        var alpha = new List<double>();
        var beta = new List<double>();
        var v = new double[_n];
        // A fixed rational start vector (no clock, no random stream): the same numbers on every machine.
        for (int i = 0; i < _n; i++) v[i] = 1 + ((i * 7919L) % 1009) / 1009.0;
        Scale(v, 1 / Math.Sqrt(Dot(v, v)));
        var w = new double[_n];
        (double, double) best = (0, 0);
        for (int k = 0; k < m; k++)
        {
            basis.Add(v);
            MultiplyS(v, w);
            double a = Dot(w, v);
            alpha.Add(a);
            // Full reorthogonalisation, twice (Kahan's "twice is enough"), keeps the Ritz values free of ghosts.
            for (int pass = 0; pass < 2; pass++)
                foreach (var q in basis)
                {
                    double c = Dot(w, q);
                    for (int i = 0; i < _n; i++) w[i] -= c * q[i];
                }
            double b = Math.Sqrt(Dot(w, w));
            bool last = k == m - 1 || b < 1e-14;
            if (last || (k + 1) % 20 == 0)
            {
                var (lo, hi, rlo, rhi) = Ritz(alpha, beta, b);
                best = (lo, hi);
                if (last || (rlo <= 1e-13 && rhi <= 1e-13)) break;
            }
            beta.Add(b);
            var next = new double[_n];
            for (int i = 0; i < _n; i++) next[i] = w[i] / b;
            v = next;
        }
        _range = best;
        return best;
    }

    /// <summary>The extreme eigenvalues of the Lanczos tridiagonal and their residual bounds β_k|s_k|.</summary>
    private static (double Lo, double Hi, double RLo, double RHi) Ritz(List<double> alpha, List<double> beta, double b)
    {
        int k = alpha.Count;
        var t = Matrix<double>.Build.Dense(k, k);
        for (int i = 0; i < k; i++)
        {
            t[i, i] = alpha[i];
            if (i + 1 < k) { t[i, i + 1] = beta[i]; t[i + 1, i] = beta[i]; }
        }
        var evd = t.Evd(Symmetricity.Symmetric);
        var ev = evd.EigenValues.Select(c => c.Real).ToArray();
        int iLo = 0, iHi = 0;
        for (int i = 1; i < k; i++) { if (ev[i] < ev[iLo]) iLo = i; if (ev[i] > ev[iHi]) iHi = i; }
        return (ev[iLo], ev[iHi], Math.Abs(b * evd.EigenVectors[k - 1, iLo]), Math.Abs(b * evd.EigenVectors[k - 1, iHi]));
    }

    private static double Dot(double[] a, double[] b) { double s = 0; for (int i = 0; i < a.Length; i++) s += a[i] * b[i]; return s; }

    private static void Scale(double[] a, double f) { for (int i = 0; i < a.Length; i++) a[i] *= f; }

    /// <summary>Reverse Cuthill–McKee order of W's graph: breadth-first from a minimum-degree unit of each component, neighbours by ascending degree, reversed.</summary>
    internal static int[] ReverseCuthillMcKee(SpatialWeights w)
    {
        int n = w.N;
        var adj = new List<int>[n];
        for (int i = 0; i < n; i++) adj[i] = [];
        for (int i = 0; i < n; i++)
            for (int k = w.RowStart[i]; k < w.RowStart[i + 1]; k++)
            {
                int j = w.ColumnIndex[k];
                if (j == i) continue;
                adj[i].Add(j);
                adj[j].Add(i);
            }
        for (int i = 0; i < n; i++) adj[i] = [.. adj[i].Distinct()];
        for (int i = 0; i < n; i++) adj[i] = [.. adj[i].OrderBy(j => adj[j].Count).ThenBy(j => j)];
        var order = new List<int>(n);
        var seen = new bool[n];
        foreach (int start in Enumerable.Range(0, n).OrderBy(i => adj[i].Count).ThenBy(i => i))
        {
            if (seen[start]) continue;
            var queue = new Queue<int>();
            queue.Enqueue(start);
            seen[start] = true;
            while (queue.Count > 0)
            {
                int u = queue.Dequeue();
                order.Add(u);
                foreach (int v in adj[u])
                    if (!seen[v]) { seen[v] = true; queue.Enqueue(v); }
            }
        }
        order.Reverse();
        return [.. order];
    }
}

/// <summary>
/// Exact traces at one coefficient a, with A = (I − aW)⁻¹ and G = W·A: tr(A), tr(G), tr(G²) and tr(G'G) (the
/// information matrix's tr(G² + G'G); tr(A) and tr(G) the direct impacts').
/// </summary>
public sealed record SparseTraces(double A, double G, double GG, double GtG);
