using DigitalEconomy.Core.Numerics;
using DigitalEconomy.Core.Regression;

namespace DigitalEconomy.Core.Threshold;

/// <summary>
/// The SSR of every candidate threshold given fixed earlier thresholds, without one regression per candidate.
/// <para>
/// Algebra. Let D be the within operator (subtract unit means, over all of a unit's sample rows) and S the row selection of
/// the transform (identity for full_within; Hansen's variant drops each unit's last row), so a raw sample-length column c
/// enters the regression as S D c. The base design B holds the transformed x, z and z·1{q &lt; f} for each fixed threshold f;
/// e = M_B ỹ is its residual and S_B = e'e. A candidate γ adds w_γ = S D c_γ. Because B already spans the transformed z of
/// the regime [a, b) that γ falls in (a, b the neighbouring fixed thresholds or ±∞), c_γ may be either piece of that regime
/// split at γ — z·1{a ≤ q &lt; γ} or z·1{γ ≤ q &lt; b} — and the SSR is the same; we take the piece with fewer rows (less
/// cancellation). By Frisch–Waugh–Lovell,
/// </para>
/// <para>SSR(γ) = S_B − n_γ' D_γ⁻¹ n_γ,  n_γ = w_γ'e,  D_γ = w_γ'w_γ − h_γ'(B'B)⁻¹h_γ,  h_γ = B'w_γ.</para>
/// <para>
/// Each piece is a sum over the rows of a set P_γ that grows by a few rows from one candidate to the next once the rows of
/// the regime are sorted by q:
/// n_γ = Σ_{i∈P} zᵢ rᵢ with r = D S'e (for full_within r = e);
/// h_γ = Σ_{i∈P} zᵢ Hᵢ with H = D S'B (for full_within H = B);
/// w_γ'w_γ = Σ_{used i∈P} zᵢzᵢ' − Σ_u (m_u k_u' + k_u m_u' − n_u m_u m_u'), where for unit u, m_u = (Σ_{i∈P∩u} zᵢ)/T_u is the unit
/// mean of the piece, k_u = Σ_{used i∈P∩u} zᵢ and n_u its used rows (full_within: k_u = T_u m_u, n_u = T_u, and the sum is
/// Σ_u T_u m_u m_u'). So one pass over the sorted rows with running sums per unit gives every candidate's D_γ and h_γ in
/// O(N·K·m) for the whole grid (m regime terms, K base columns), plus O(K²m) per candidate; the numerators, the only part
/// that depends on y, are prefix sums, so a bootstrap draw costs one base fit and one pass. A candidate whose D_γ is
/// negligible (its diagonal ≤ 1e-12 times the largest over the grid, pthr.R's rule) improves nothing: SSR = S_B.
/// </para>
/// The refit path (<see cref="ThresholdOptions.RefitPerCandidate"/>) is the textbook search kept for the benchmark.
/// </summary>
internal sealed class ScanPlan
{
    private const double Negligible = 1e-12;
    private readonly ThresholdData _d;
    private readonly List<double[]> _baseCols;
    private readonly GramSolver _base;
    private readonly int _m;
    private readonly int[][] _segRows;      // per regime of the fixed thresholds, sample rows sorted by q (stable)
    private readonly int[] _candSeg;        // regime of each candidate
    private readonly int[] _candCount;      // rows of its regime with q < γ
    private readonly double[][]? _dInv;     // D_γ⁻¹ (m×m, row-major) or null when γ improves nothing
    private readonly bool _refit;

    public ScanPlan(ThresholdData d, IReadOnlyList<double> fixedThresholds, double[] candidates, bool refit)
    {
        _d = d;
        _refit = refit;
        _m = d.Z.Length;
        Candidates = candidates;
        var fixedSorted = fixedThresholds.Order().ToArray();
        _baseCols = [.. d.X, .. d.ZAll];
        foreach (double f in fixedSorted)
            for (int a = 0; a < _m; a++) _baseCols.Add(d.Transform(d.Piece(a, double.NegativeInfinity, f)));
        _base = new GramSolver(_baseCols, null, Collinearity.Gram);
        var bounds = new double[fixedSorted.Length + 2];
        bounds[0] = double.NegativeInfinity;
        fixedSorted.CopyTo(bounds, 1);
        bounds[^1] = double.PositiveInfinity;
        int segs = bounds.Length - 1;
        var segLists = new List<int>[segs];
        for (int s = 0; s < segs; s++) segLists[s] = [];
        foreach (int i in d.SortedByQ) segLists[Segment(bounds, d.Q[i])].Add(i);
        _segRows = [.. segLists.Select(l => l.ToArray())];
        _candSeg = new int[candidates.Length];
        _candCount = new int[candidates.Length];
        for (int c = 0; c < candidates.Length; c++)
        {
            int s = Segment(bounds, candidates[c]);
            _candSeg[c] = s;
            _candCount[c] = LowerCount(_segRows[s], d.Q, candidates[c]);
        }
        if (!refit) _dInv = Denominators();
    }

    /// <summary>The residuals of the transformed response on the base design (the fixed thresholds' model).</summary>
    public double[] Residuals(double[] y)
    {
        _base.Solve(y, out var e);
        return e;
    }

    /// <summary>The candidate thresholds (values), in the order of the SSRs.</summary>
    public double[] Candidates { get; }

    private static int Segment(double[] bounds, double v)
    {
        int s = 0;
        while (s + 2 < bounds.Length && v >= bounds[s + 1]) s++;
        return s;
    }

    private static int LowerCount(int[] sorted, double[] q, double g)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi) { int mid = (lo + hi) >>> 1; if (q[sorted[mid]] < g) lo = mid + 1; else hi = mid; }
        return lo;
    }

    /// <summary>D_γ⁻¹ of every candidate (see the class comment), from one sweep per regime and side.</summary>
    private double[][]? Denominators()
    {
        int k = _base.Rank;
        var kept = _base.Kept.Select(i => _baseCols[i]).ToList();
        var h = kept.Select(_d.Spread).ToArray();
        var ginv = _base.InverseCrossProduct();
        var den = new double[Candidates.Length][];
        for (int s = 0; s < _segRows.Length; s++)
        {
            var rows = _segRows[s];
            var mine = Enumerable.Range(0, Candidates.Length).Where(c => _candSeg[c] == s).ToList();
            // Lower pieces (the first cnt rows) where they are the smaller side, in increasing cnt; upper pieces from the top.
            var lower = mine.Where(c => _candCount[c] <= rows.Length - _candCount[c]).OrderBy(c => _candCount[c]).ToList();
            var upper = mine.Where(c => _candCount[c] > rows.Length - _candCount[c]).OrderByDescending(c => _candCount[c]).ToList();
            Sweep(rows, ascending: true, lower, c => _candCount[c]);
            Sweep(rows, ascending: false, upper, c => rows.Length - _candCount[c]);
        }
        double maxDiag = 0;
        foreach (var m in den) for (int a = 0; a < _m; a++) maxDiag = Math.Max(maxDiag, m[a * _m + a]);
        var inv = new double[Candidates.Length][];
        for (int c = 0; c < inv.Length; c++)
        {
            var dm = new double[_m, _m];
            bool ok = true;
            for (int a = 0; a < _m; a++)
            {
                if (!(den[c][a * _m + a] > Negligible * maxDiag)) ok = false;
                for (int b = 0; b < _m; b++) dm[a, b] = den[c][a * _m + b];
            }
            var di = ok ? Dense.InverseSpd(dm) : null;
            if (di is null) { inv[c] = null!; continue; }
            inv[c] = new double[_m * _m];
            for (int a = 0; a < _m; a++) for (int b = 0; b < _m; b++) inv[c][a * _m + b] = di[a, b];
        }
        return inv;

        void Sweep(int[] rows, bool ascending, List<int> cands, Func<int, int> size)
        {
            var unitSum = new Dictionary<int, double[]>();   // per unit: Σ z over the piece (all rows), then Σ z over used rows
            var ww = new double[_m * _m];
            var corr = new double[_m * _m];
            var hs = new double[k * _m];
            int taken = 0;
            foreach (int c in cands)
            {
                int want = size(c);
                while (taken < want)
                {
                    int i = ascending ? rows[taken] : rows[rows.Length - 1 - taken];
                    taken++;
                    int u = _d.Unit[i];
                    if (!unitSum.TryGetValue(u, out var su)) unitSum[u] = su = new double[2 * _m];
                    double tu = _d.UnitRows[u], nu = _d.UnitUsed[u];
                    UnitTerm(su, tu, nu, corr, -1);
                    bool used = _d.Keep[i];
                    for (int a = 0; a < _m; a++)
                    {
                        double za = _d.Z[a][i];
                        su[a] += za;
                        if (used) su[_m + a] += za;
                        if (used) for (int b = 0; b < _m; b++) ww[a * _m + b] += za * _d.Z[b][i];
                        for (int j = 0; j < k; j++) hs[j * _m + a] += za * h[j][i];
                    }
                    UnitTerm(su, tu, nu, corr, +1);
                }
                var dv = new double[_m * _m];
                for (int a = 0; a < _m; a++)
                    for (int b = 0; b < _m; b++)
                    {
                        double v = ww[a * _m + b] - corr[a * _m + b];
                        for (int p = 0; p < k; p++)
                        {
                            double t = 0;
                            for (int qq = 0; qq < k; qq++) t += ginv[p, qq] * hs[qq * _m + b];
                            v -= hs[p * _m + a] * t;
                        }
                        dv[a * _m + b] = v;
                    }
                den[c] = dv;
            }
        }
    }

    /// <summary>Adds sign × (m k' + k m' − n m m') of one unit to <paramref name="corr"/> (m = unit piece sum / T).</summary>
    private void UnitTerm(double[] su, double tu, double nu, double[] corr, int sign)
    {
        for (int a = 0; a < _m; a++)
        {
            double ma = su[a] / tu, ka = su[_m + a];
            for (int b = 0; b < _m; b++)
            {
                double mb = su[b] / tu, kb = su[_m + b];
                corr[a * _m + b] += sign * (ma * kb + ka * mb - nu * ma * mb);
            }
        }
    }

    /// <summary>The SSR of every candidate for the transformed response <paramref name="y"/>; <paramref name="baseSsr"/> is S_B.</summary>
    public double[] Ssr(double[] y, out double baseSsr)
    {
        _base.Solve(y, out var e);
        baseSsr = ThinQr.Dot(e, e);
        var ssr = new double[Candidates.Length];
        if (_refit)
        {
            for (int c = 0; c < ssr.Length; c++)
            {
                var cols = new List<double[]>(_baseCols);
                for (int a = 0; a < _m; a++) cols.Add(_d.Transform(_d.Piece(a, double.NegativeInfinity, Candidates[c])));
                new GramSolver(cols, null, Collinearity.Gram).Solve(y, out var r);
                ssr[c] = ThinQr.Dot(r, r);
            }
            return ssr;
        }
        var rr = _d.Spread(e);
        for (int s = 0; s < _segRows.Length; s++)
        {
            var rows = _segRows[s];
            var prefix = new double[(rows.Length + 1) * _m];
            for (int t = 0; t < rows.Length; t++)
                for (int a = 0; a < _m; a++) prefix[(t + 1) * _m + a] = prefix[t * _m + a] + _d.Z[a][rows[t]] * rr[rows[t]];
            for (int c = 0; c < ssr.Length; c++)
            {
                if (_candSeg[c] != s) continue;
                var di = _dInv![c];
                if (di is null) { ssr[c] = baseSsr; continue; }
                int off = _candCount[c] * _m;
                double quad = 0;
                for (int a = 0; a < _m; a++)
                    for (int b = 0; b < _m; b++) quad += prefix[off + a] * di[a * _m + b] * prefix[off + b];
                ssr[c] = baseSsr - quad;
            }
        }
        return ssr;
    }
}
