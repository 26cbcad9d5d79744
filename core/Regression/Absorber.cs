namespace DigitalEconomy.Core.Regression;

/// <summary>How the fixed effects were swept out.</summary>
public enum DemeanMethod
{
    /// <summary>No fixed effects.</summary>
    None,
    /// <summary>One factor: exact one-pass subtraction of group means.</summary>
    OneFactorExact,
    /// <summary>Two factors forming a balanced grid: exact x − x̄ᵢ − x̄ₜ + x̄.</summary>
    TwoWayBalancedExact,
    /// <summary>Alternating projections with Irons–Tuck acceleration, to a tolerance.</summary>
    AlternatingProjections,
}

/// <summary>
/// Sweeps fixed effects out of columns (the within transformation for any number of factors).
/// Factors are given as integer level codes per row. The absorbed degrees of freedom count the
/// levels, less the redundancies: for two factors L₁ + L₂ − (connected components of the
/// bipartite level graph), which is exact; a factor that is a coarsening of another one (year beside
/// province^year) adds nothing; for three or more remaining factors the third and later add Lₖ − 1
/// each (exact when they are not further confounded, conservative otherwise, as reghdfe's default).
/// </summary>
public sealed class Absorber
{
    private readonly int[][] _codes;
    private readonly int[] _levels;
    private readonly double[][] _invCount;
    private readonly double _tolerance;
    private readonly int _maxIterations;
    private readonly double[]? _weights;

    /// <summary>Creates an absorber for factors given by level codes (0..L−1) per row.</summary>
    /// <param name="codes">One array of codes per factor, all of the sample's length.</param>
    /// <param name="tolerance">Convergence tolerance for alternating projections: the largest group mean left, relative to the column's scale. The default value is 1e-13.</param>
    /// <param name="maxIterations">Iteration cap for alternating projections. The default value is 10 000.</param>
    public Absorber(IReadOnlyList<int[]> codes, double tolerance = 1e-13, int maxIterations = 10_000) : this(codes, null, tolerance, maxIterations)
    {
    }

    /// <summary>
    /// Creates an absorber whose group means are weighted by <paramref name="weights"/> (positive, one per
    /// row), so <see cref="Demean(double[])"/> removes the weighted projection on the FE dummies (the
    /// weighted within transform; docs/methods.md, "Weights"). Null weights give the unweighted absorber.
    /// With weights one factor is exact (weighted group means); two or more use alternating projections.
    /// </summary>
    public Absorber(IReadOnlyList<int[]> codes, double[]? weights, double tolerance = 1e-13, int maxIterations = 10_000)
    {
        ArgumentNullException.ThrowIfNull(codes);
        _codes = [.. codes];
        _tolerance = tolerance;
        _maxIterations = maxIterations;
        _weights = weights;
        _levels = new int[_codes.Length];
        _invCount = new double[_codes.Length][];
        for (int f = 0; f < _codes.Length; f++)
        {
            int levels = 0;
            foreach (int c in _codes[f]) if (c + 1 > levels) levels = c + 1;
            var count = new double[levels];
            var present = new bool[levels];
            foreach (int c in _codes[f]) { count[c]++; present[c] = true; }
            if (weights is not null)
            {
                // Weighted group means: the inverse of each level's sum of weights.
                Array.Clear(count);
                var codesF = _codes[f];
                for (int i = 0; i < codesF.Length; i++) count[codesF[i]] += weights[i];
            }
            for (int l = 0; l < levels; l++) count[l] = count[l] > 0 ? 1 / count[l] : 0;
            _levels[f] = present.Count(p => p);
            _invCount[f] = count;
        }
        Method = _codes.Length switch
        {
            0 => DemeanMethod.None,
            1 => DemeanMethod.OneFactorExact,
            2 when weights is null && IsBalancedGrid() => DemeanMethod.TwoWayBalancedExact,
            _ => DemeanMethod.AlternatingProjections,
        };
        AbsorbedDf = CountAbsorbedDf(_codes, _levels);
    }

    /// <summary>The method used for every column.</summary>
    public DemeanMethod Method { get; }

    /// <summary>Degrees of freedom absorbed by the fixed effects (including the constant they imply).</summary>
    public int AbsorbedDf { get; }

    /// <summary>The level codes of each factor, per sample row (the FE design).</summary>
    internal IReadOnlyList<int[]> Codes => _codes;

    /// <summary>Number of levels present for each factor.</summary>
    public IReadOnlyList<int> Levels => _levels;

    /// <summary>The largest number of iterations any column needed so far (0 for exact methods).</summary>
    public int MaxIterationsUsed => Volatile.Read(ref _maxIterationsUsed);

    /// <summary>Absorbed degrees of freedom of a subset of factors.</summary>
    public static int CountAbsorbedDf(IReadOnlyList<int[]> codes, IReadOnlyList<int> levels)
    {
        ArgumentNullException.ThrowIfNull(codes);
        ArgumentNullException.ThrowIfNull(levels);
        // A factor that is a coarsening of another one in the set (year next to province^year) adds no
        // columns to the span of the dummies: leave it out, keeping one of any identical partitions.
        var keep = Enumerable.Range(0, codes.Count).Where(f => !Enumerable.Range(0, codes.Count).Any(g =>
            g != f && IsCoarsening(codes[f], codes[g]) && (!IsCoarsening(codes[g], codes[f]) || g < f))).ToList();
        if (keep.Count < codes.Count)
        {
            codes = keep.Select(f => codes[f]).ToList();
            levels = keep.Select(f => levels[f]).ToList();
        }
        if (codes.Count == 0) return 0;
        int df = levels[0];
        if (codes.Count >= 2) df += levels[1] - ConnectedComponents(codes[0], codes[1]);
        for (int f = 2; f < codes.Count; f++) df += levels[f] - 1;
        return df;
    }

    /// <summary>True when every level of <paramref name="fine"/> lies within one level of <paramref name="coarse"/>.</summary>
    private static bool IsCoarsening(int[] coarse, int[] fine)
    {
        int levels = 0;
        foreach (int c in fine) if (c + 1 > levels) levels = c + 1;
        var owner = new int[levels];
        Array.Fill(owner, -1);
        for (int i = 0; i < fine.Length; i++)
        {
            int o = owner[fine[i]];
            if (o == -1) owner[fine[i]] = coarse[i];
            else if (o != coarse[i]) return false; // usually after a few rows
        }
        return true;
    }

    private static int ConnectedComponents(int[] a, int[] b)
    {
        int la = a.Max() + 1, lb = b.Max() + 1;
        var parent = Enumerable.Range(0, la + lb).ToArray();
        int Find(int x) { while (parent[x] != x) { parent[x] = parent[parent[x]]; x = parent[x]; } return x; }
        var present = new bool[la + lb];
        for (int i = 0; i < a.Length; i++)
        {
            present[a[i]] = true; present[la + b[i]] = true;
            int ra = Find(a[i]), rb = Find(la + b[i]);
            if (ra != rb) parent[ra] = rb;
        }
        int comps = 0;
        for (int v = 0; v < la + lb; v++) if (present[v] && Find(v) == v) comps++;
        return comps;
    }

    private bool IsBalancedGrid()
    {
        long cells = (long)_levels[0] * _levels[1];
        if (cells != _codes[0].Length) return false;
        int l1 = _invCount[1].Length;
        var seen = new bool[(long)_invCount[0].Length * l1];
        for (int i = 0; i < _codes[0].Length; i++)
        {
            long cell = (long)_codes[0][i] * l1 + _codes[1][i];
            if (seen[cell]) return false;
            seen[cell] = true;
        }
        return true;
    }

    /// <summary>Returns the column with the fixed effects swept out.</summary>
    /// <exception cref="EstimationException">Alternating projections did not converge.</exception>
    public double[] Demean(double[] x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Demean(x, new double[x.Length]);
    }

    /// <summary>Sweeps the fixed effects out of <paramref name="x"/> into <paramref name="into"/> (same length) and returns it.</summary>
    internal double[] Demean(double[] x, double[] into)
    {
        switch (Method)
        {
            case DemeanMethod.None:
                Array.Copy(x, into, x.Length);
                return into;
            case DemeanMethod.OneFactorExact:
            {
                Array.Copy(x, into, x.Length);
                SubtractMeans(into, 0);
                return into;
            }
            case DemeanMethod.TwoWayBalancedExact:
            {
                // One pass for both sets of group sums, one pass to write.
                var c0 = _codes[0]; var c1 = _codes[1];
                var inv0 = _invCount[0]; var inv1 = _invCount[1];
                var m0 = new double[inv0.Length];
                var m1 = new double[inv1.Length];
                double grand = 0;
                for (int i = 0; i < x.Length; i++) { double v = x[i]; m0[c0[i]] += v; m1[c1[i]] += v; grand += v; }
                grand /= x.Length;
                for (int l = 0; l < m0.Length; l++) m0[l] = m0[l] * inv0[l] - grand;
                for (int l = 0; l < m1.Length; l++) m1[l] *= inv1[l];
                for (int i = 0; i < into.Length; i++) into[i] = x[i] - m0[c0[i]] - m1[c1[i]];
                return into;
            }
            default:
                return AlternatingProjections(x, into);
        }
    }

    private double[] GroupMeans(double[] x, int f)
    {
        var m = LevelSums(x, f);
        var inv = _invCount[f];
        for (int l = 0; l < m.Length; l++) m[l] *= inv[l];
        return m;
    }

    /// <summary>Subtracts factor f's group means in place.</summary>
    private void SubtractMeans(double[] x, int f)
    {
        var m = GroupMeans(x, f);
        var codes = _codes[f];
        for (int i = 0; i < x.Length; i++) x[i] -= m[codes[i]];
    }

    /// <summary>
    /// Alternating projections (Gauss–Seidel over the factors) with Irons–Tuck acceleration, run on the fixed-effect
    /// coefficients rather than on the residual column, as fixest does: an iteration reads the codes and writes only
    /// arrays of the factors' levels, and the acceleration works on vectors of levels, not of rows. A sweep sets, factor
    /// by factor, α_q = weighted mean over q's levels of x − Σ_{p≠q} α_p (the earlier factors' new values, the later ones'
    /// old), which is the in-place sweep of the residual x − Dα written in α; the sums of x per level are taken once.
    /// Converged when the largest change of any α in a sweep — the largest group mean the sweep removed — is at most
    /// the tolerance times the largest |x|; the result is x − Dα of that sweep.
    /// </summary>
    private double[] AlternatingProjections(double[] x, double[] into)
    {
        double scale = 0;
        foreach (double v in x) scale = Math.Max(scale, Math.Abs(v));
        if (scale == 0)
        {
            Array.Copy(x, into, x.Length);
            return into;
        }
        double threshold = _tolerance * scale;
        int factors = _codes.Length;
        var sx = new double[factors][];
        for (int f = 0; f < factors; f++) sx[f] = LevelSums(x, f);
        var cur = Coefficients();
        var g = Coefficients();
        var gg = Coefficients();
        var acc = new double[_invCount.Max(m => m.Length)];
        for (int iter = 1; iter <= _maxIterations; iter++)
        {
            Copy(cur, g);
            double moved = Sweep(g, sx, acc);
            if (moved <= threshold)
            {
                RecordIterations(iter);
                return Residual(x, g, into);
            }
            Copy(g, gg);
            Sweep(gg, sx, acc);
            // Irons–Tuck acceleration of the linear fixed-point iteration, over all factors' coefficients at once.
            double num = 0, den = 0;
            for (int f = 0; f < factors; f++)
            {
                var a = cur[f]; var b = g[f]; var c = gg[f];
                for (int l = 0; l < a.Length; l++)
                {
                    double dg = c[l] - b[l];
                    double d2 = dg - b[l] + a[l];
                    num += dg * d2;
                    den += d2 * d2;
                }
            }
            double coef = den > 0 ? num / den : 0;
            for (int f = 0; f < factors; f++)
            {
                var a = cur[f]; var b = g[f]; var c = gg[f];
                for (int l = 0; l < a.Length; l++) a[l] = c[l] - coef * (c[l] - b[l]);
            }
        }
        throw new EstimationException($"fixed effects: alternating projections did not converge in {_maxIterations} iterations (tolerance {_tolerance:g}); raise the iteration limit or check for nearly disconnected groups");
    }

    // Columns may be demeaned in parallel: the largest count is kept without a lock.
    private int _maxIterationsUsed;

    private void RecordIterations(int iter)
    {
        int seen;
        while ((seen = Volatile.Read(ref _maxIterationsUsed)) < iter && Interlocked.CompareExchange(ref _maxIterationsUsed, iter, seen) != seen) { }
    }

    private double[][] Coefficients() => [.. _invCount.Select(m => new double[m.Length])];

    private static void Copy(double[][] from, double[][] to)
    {
        for (int f = 0; f < from.Length; f++) Array.Copy(from[f], to[f], from[f].Length);
    }

    /// <summary>Σ w·x over each level of factor f (w = 1 without weights).</summary>
    private double[] LevelSums(double[] x, int f)
    {
        var codes = _codes[f];
        var m = new double[_invCount[f].Length];
        if (_weights is { } w)
            for (int i = 0; i < x.Length; i++) m[codes[i]] += w[i] * x[i];
        else
            for (int i = 0; i < x.Length; i++) m[codes[i]] += x[i];
        return m;
    }

    /// <summary>One Gauss–Seidel sweep over the factors, updating α in place; returns the largest change.</summary>
    private double Sweep(double[][] alpha, double[][] sx, double[] acc)
    {
        double max = 0;
        int factors = _codes.Length;
        int n = _codes[0].Length;
        for (int q = 0; q < factors; q++)
        {
            var cq = _codes[q];
            var aq = alpha[q];
            var inv = _invCount[q];
            Array.Clear(acc, 0, aq.Length);
            // acc[l] = Σ_{i in level l of q} w_i Σ_{p≠q} α_p[c_p(i)]: one pass over the rows per factor for two or three
            // factors (the usual designs, written out), a pass per other factor beyond.
            int o1 = q == 0 ? 1 : 0, o2 = q == 2 ? 1 : 2;
            if (factors == 2 && _weights is null)
            {
                var c1 = _codes[o1]; var a1 = alpha[o1];
                for (int i = 0; i < n; i++) acc[cq[i]] += a1[c1[i]];
            }
            else if (factors == 3 && _weights is null)
            {
                var c1 = _codes[o1]; var a1 = alpha[o1]; var c2 = _codes[o2]; var a2 = alpha[o2];
                for (int i = 0; i < n; i++) acc[cq[i]] += a1[c1[i]] + a2[c2[i]];
            }
            else
                for (int p = 0; p < factors; p++)
                {
                    if (p == q) continue;
                    var cp = _codes[p];
                    var ap = alpha[p];
                    if (_weights is { } w)
                        for (int i = 0; i < n; i++) acc[cq[i]] += w[i] * ap[cp[i]];
                    else
                        for (int i = 0; i < n; i++) acc[cq[i]] += ap[cp[i]];
                }
            var s = sx[q];
            for (int l = 0; l < aq.Length; l++)
            {
                double next = (s[l] - acc[l]) * inv[l];
                max = Math.Max(max, Math.Abs(next - aq[l]));
                aq[l] = next;
            }
        }
        return max;
    }

    /// <summary>x − Dα.</summary>
    /// <summary>x − Dα written into <paramref name="r"/> (same length as x).</summary>
    private double[] Residual(double[] x, double[][] alpha, double[] r)
    {
        Array.Copy(x, r, x.Length);
        for (int f = 0; f < alpha.Length; f++)
        {
            var c = _codes[f]; var a = alpha[f];
            for (int i = 0; i < r.Length; i++) r[i] -= a[c[i]];
        }
        return r;
    }

    /// <summary>True when every level of factor <paramref name="f"/> lies inside a single cluster.</summary>
    public bool IsNestedIn(int f, int[] clusterCodes)
    {
        ArgumentNullException.ThrowIfNull(clusterCodes);
        var owner = new int[_invCount[f].Length];
        Array.Fill(owner, -1);
        var codes = _codes[f];
        for (int i = 0; i < codes.Length; i++)
        {
            int o = owner[codes[i]];
            if (o == -1) owner[codes[i]] = clusterCodes[i];
            else if (o != clusterCodes[i]) return false;
        }
        return true;
    }

    /// <summary>Absorbed df of the factors not nested in the clusters, counted with a constant (0 when all are nested).</summary>
    public int NonNestedDf(int[] clusterCodes)
    {
        var idx = Enumerable.Range(0, _codes.Length).Where(f => !IsNestedIn(f, clusterCodes)).ToArray();
        if (idx.Length == 0) return 0;
        return CountAbsorbedDf(idx.Select(f => _codes[f]).ToArray(), idx.Select(f => _levels[f]).ToArray());
    }
}
