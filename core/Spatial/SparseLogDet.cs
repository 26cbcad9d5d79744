namespace DigitalEconomy.Core.Spatial;

/// <summary>
/// Exact log|I − aW| for a large sparse W without eigenvalues (docs/methods.md, "Spatial panels"): for W = D⁻¹B with B
/// symmetric (<see cref="SpatialWeights.SymmetricBase"/>: contiguity, distance and economic matrices, row-standardised or
/// not), |I − aW| = |I − aS| with S = D^-1/2 B D^-1/2 symmetric, and I − aS is symmetric positive definite for a inside the
/// admissible interval, so log|I − aW| = 2 Σ log L_ii of its Cholesky factor L. The rows are first put in reverse
/// Cuthill–McKee order (a fill-reducing order for the banded profile of contiguity-like graphs) and L is computed in
/// that envelope (skyline storage: row i from its first nonzero column), O(n·b²) for a profile of width b, against
/// O(n³) for the eigenvalues. Written by hand because no sparse Cholesky is in the project's packages (MathNet's sparse
/// matrices have no sparse factorisation and no CSparse package is served); exact to rounding, tested against the
/// eigenvalues.
/// </summary>
public sealed class SparseLogDet
{
    private readonly int _n;
    private readonly int[] _first;      // first column of row i's envelope (new order)
    private readonly int[] _start;      // offset of row i's envelope in _values
    private readonly (int Row, int Col, double S)[] _entries; // lower-triangle entries of S in the new order (Row ≥ Col)
    private readonly double[] _work;

    /// <summary>Prepares the ordering and envelope of <paramref name="w"/>.</summary>
    /// <exception cref="ArgumentException">W is not D⁻¹B with B symmetric.</exception>
    public SparseLogDet(SpatialWeights w)
    {
        ArgumentNullException.ThrowIfNull(w);
        if (!w.SymmetricBase) throw new ArgumentException("the sparse log-determinant needs W = D⁻¹B with B symmetric", nameof(w));
        _n = w.N;
        // d_i: the raw row sums when W was row-standardised (W_ij = B_ij/d_i ⇒ S_ij = W_ij·sqrt(d_i/d_j)); 1 otherwise.
        var d = new double[_n];
        for (int i = 0; i < _n; i++)
        {
            if (!w.RowStandardised) { d[i] = 1; continue; }
            for (int k = w.RowStart[i]; k < w.RowStart[i + 1]; k++) d[i] += w.RawValues[k];
        }
        var order = ReverseCuthillMcKee(w);
        var pos = new int[_n];
        for (int p = 0; p < _n; p++) pos[order[p]] = p;
        var entries = new List<(int, int, double)>();
        _first = new int[_n];
        for (int p = 0; p < _n; p++) _first[p] = p;
        for (int i = 0; i < _n; i++)
            for (int k = w.RowStart[i]; k < w.RowStart[i + 1]; k++)
            {
                int j = w.ColumnIndex[k];
                var (r, c) = (pos[i], pos[j]);
                if (r < c) continue; // the lower triangle only (S is symmetric)
                entries.Add((r, c, w.Values[k] * Math.Sqrt(d[i] / d[j])));
                if (c < _first[r]) _first[r] = c;
            }
        _entries = [.. entries];
        _start = new int[_n + 1];
        for (int p = 0; p < _n; p++) _start[p + 1] = _start[p] + (p - _first[p] + 1);
        _work = new double[_start[_n]];
    }

    /// <summary>Number of stored envelope entries (the profile): the memory and the work of one factorisation.</summary>
    public int Profile => _start[_n];

    /// <summary>log|I − aW|; NaN when I − aS is not positive definite (a outside the admissible interval).</summary>
    public double LogDet(double a)
    {
        var v = _work;
        Array.Clear(v);
        for (int p = 0; p < _n; p++) v[_start[p] + (p - _first[p])] = 1;
        foreach (var (r, c, s) in _entries) v[_start[r] + (c - _first[r])] -= a * s;
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
        return logDet;
    }

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
